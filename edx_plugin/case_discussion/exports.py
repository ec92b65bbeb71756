"""The whole discussion as an XLSX workbook (case_discussion), through core's one writer (user text
written as text): groups, analyses, replies, likes and grades, one sheet each, streamed row by row."""
from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from ..core.xlsx import Sheet, workbook_bytes
from .discussions import DiscussionSettings, local_time
from .groups import discussion_groups, group_label
from .models import CaseAnalysis, CaseGrade, CaseLike, CaseMember, CaseReply

CHUNK = 2000
_PERSON = ("username", "party_profile__full_name")


def _name(row: dict, prefix: str) -> tuple[str, str]:
    return row[f"{prefix}__username"], row[f"{prefix}__party_profile__full_name"] or ""


def _person(prefix: str) -> list[str]:
    return [f"{prefix}__{name}" for name in _PERSON]


def discussion_workbook(config: DiscussionSettings) -> bytes:
    usage_id = config.usage_id
    groups = discussion_groups(usage_id)
    labels = {g.pk: group_label(g) for g in groups}
    posted = dict(CaseAnalysis.objects.filter(usage_id=usage_id).values("group_id").annotate(n=Count("id"))
                  .values_list("group_id", "n"))
    questions = list(config.questions) or [_("Analysis")]

    def members():
        rows = (CaseMember.objects.filter(usage_id=usage_id).order_by("group__number", "user_id")
                .values("group_id", "joined", "analysis__id", *_person("user")))
        for row in rows.iterator(chunk_size=CHUNK):
            yield [labels.get(row["group_id"], ""), *_name(row, "user"), local_time(row["joined"]),
                   _("Yes") if row["analysis__id"] else _("No")]

    def analyses():
        rows = (CaseAnalysis.objects.filter(usage_id=usage_id).order_by("group_id", "id")
                .values("id", "group_id", "answers", "char_count", "created", "edited", "featured", "hidden",
                        "hidden_reason", "like_count", "reply_count", *_person("author")))
        for row in rows.iterator(chunk_size=CHUNK):
            answers = list(row["answers"]) + [""] * (len(questions) - len(row["answers"]))
            yield [row["id"], labels.get(row["group_id"], ""), *_name(row, "author"), *answers[:len(questions)],
                   row["char_count"], local_time(row["created"]), local_time(row["edited"]),
                   _("Yes") if row["featured"] else "", row["hidden_reason"] if row["hidden"] else "",
                   row["like_count"], row["reply_count"]]

    def replies():
        rows = (CaseReply.objects.filter(analysis__usage_id=usage_id).order_by("analysis_id", "id")
                .values("analysis_id", "text", "created", *_person("author")))
        for row in rows.iterator(chunk_size=CHUNK):
            yield [row["analysis_id"], *_name(row, "author"), row["text"], local_time(row["created"])]

    def likes():
        rows = (CaseLike.objects.filter(analysis__usage_id=usage_id).order_by("analysis_id", "id")
                .values("analysis_id", "created", *_person("user")))
        for row in rows.iterator(chunk_size=CHUNK):
            yield [row["analysis_id"], *_name(row, "user"), local_time(row["created"])]

    def grades():
        rows = (CaseGrade.objects.filter(usage_id=usage_id).order_by("user_id")
                .values("score", "comment", "graded_at", "graded_by__username", *_person("user")))
        for row in rows.iterator(chunk_size=CHUNK):
            yield [*_name(row, "user"), f"{row['score'].normalize():f}", f"{config.max_score.normalize():f}",
                   row["comment"], row["graded_by__username"] or "", local_time(row["graded_at"])]

    person = [_("Username"), _("Name")]
    return workbook_bytes([
        Sheet(_("Groups"), [_("Group"), _("Members"), _("Posted")],
              ([labels[g.pk], g.size, posted.get(g.pk, 0)] for g in groups), caption=config.title),
        Sheet(_("Members"), [_("Group"), *person, _("Joined"), _("Posted")], members()),
        Sheet(_("Analyses"), [_("Analysis"), _("Group"), *person, *questions, _("Characters"), _("Posted"),
                              _("Edited"), _("Featured"), _("Hidden (reason)"), _("Likes"), _("Replies")],
              analyses(), widths={n: 48 for n in range(5, 5 + len(questions))}),
        Sheet(_("Replies"), [_("Analysis"), *person, _("Reply"), _("Posted")], replies(), widths={4: 60}),
        Sheet(_("Likes"), [_("Analysis"), *person, _("Liked")], likes()),
        Sheet(_("Grades"), [*person, _("Score"), _("Maximum score"), _("Comment"), _("Graded by"), _("Graded")],
              grades(), widths={5: 48}),
    ])
