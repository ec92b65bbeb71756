"""What staff see of a case discussion (case_discussion): every group with its analyses (hidden
ones too), page by page; who has not posted yet; the grades given. Bounded queries per page."""
from __future__ import annotations

from django.db.models import Count, Q

from ..core.models import MemberProfile
from .discussions import DiscussionSettings, local_time
from .groups import discussion_groups, group_label, population
from .models import CaseAnalysis, CaseGrade, CaseMember
from .threads import PAGE_SIZE, analysis_payload, author_name, page_number

NOT_POSTED_SHOWN = 500


def overview(config: DiscussionSettings) -> dict:
    """Groups with their sizes and posts, who has not posted (the first ``NOT_POSTED_SHOWN``), and
    the grades (five queries, whatever the size)."""
    groups = discussion_groups(config.usage_id)
    posted = dict(CaseAnalysis.objects.filter(usage_id=config.usage_id).values("group_id")
                  .annotate(n=Count("id")).values_list("group_id", "n"))
    waiting = not_posted(config)
    grades = {g.user_id: g for g in CaseGrade.objects.filter(usage_id=config.usage_id)}
    return {
        "groups": [{"id": g.pk, "name": group_label(g), "members": g.size, "posted": posted.get(g.pk, 0)}
                   for g in groups],
        "not_posted": waiting[:NOT_POSTED_SHOWN], "not_posted_total": len(waiting),
        "graded": len(grades),
    }


def not_posted(config: DiscussionSettings) -> list[dict]:
    """Who takes part and has not posted: joined members without an analysis, and members of the
    participating organisations who have not even opened the discussion."""
    joined = (CaseMember.objects.filter(usage_id=config.usage_id, analysis__isnull=True)
              .select_related("user", "user__party_profile", "group").order_by("group__number", "user_id"))
    rows = [{"user_id": m.user_id, "name": author_name(m.user), "username": m.user.get_username(),
             "group": group_label(m.group)} for m in joined]
    expected = set(population(config))
    if expected:
        seen = set(CaseMember.objects.filter(usage_id=config.usage_id).values_list("user_id", flat=True))
        absent = (MemberProfile.objects.filter(user_id__in=expected - seen).select_related("user", "organization")
                  .order_by("organization__path", "user_id"))
        rows += [{"user_id": p.user_id, "name": p.full_name or p.user.get_username(),
                  "username": p.user.get_username(), "group": ""} for p in absent]
    return rows


def group_posts(config: DiscussionSettings, group_id, page=1) -> dict:
    """A page of one group's analyses for staff (hidden ones included, with their reason), each with
    the author's grade (three queries)."""
    try:
        group_id = int(group_id[0] if isinstance(group_id, list) else group_id)
    except (TypeError, ValueError, IndexError):
        group_id = 0
    rows = CaseAnalysis.objects.filter(usage_id=config.usage_id, group_id=group_id)
    total = rows.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page_number(page), pages)
    shown = list(rows.select_related("author", "author__party_profile")
                 .order_by("-featured", "-id")[(page - 1) * PAGE_SIZE:page * PAGE_SIZE])
    grades = {g.user_id: g for g in CaseGrade.objects.filter(
        usage_id=config.usage_id, user_id__in=[a.author_id for a in shown])}
    posts = []
    for analysis in shown:
        payload = analysis_payload(config, analysis)
        grade = grades.get(analysis.author_id)
        payload.update(hidden=analysis.hidden, hidden_reason=analysis.hidden_reason, author_id=analysis.author_id,
                       grade={"score": f"{grade.score.normalize():f}", "comment": grade.comment,
                              "selections": grade.selections, "graded_at": local_time(grade.graded_at)}
                       if grade else None)
        posts.append(payload)
    return {"group_id": group_id, "page": page, "pages": pages, "total": total, "analyses": posts}


def members_in_groups(config: DiscussionSettings) -> list[dict]:
    """Everyone who joined, with their group, for the staff's "move" control."""
    members = (CaseMember.objects.filter(usage_id=config.usage_id).select_related("user", "user__party_profile")
               .order_by("group__number", "user_id"))
    return [{"user_id": m.user_id, "name": author_name(m.user), "group_id": m.group_id} for m in members]


def analyses_count(usage_ids: list[str]) -> dict[str, dict]:
    """Posts and hidden posts per discussion (one query), for the course's staff tool page."""
    rows = (CaseAnalysis.objects.filter(usage_id__in=usage_ids).values("usage_id")
            .annotate(posts=Count("id"), hidden=Count("id", filter=Q(hidden=True))))
    return {row["usage_id"]: row for row in rows}
