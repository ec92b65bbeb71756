"""Reading and taking part (case_discussion): a group's analyses page by page, the thread of
replies under one analysis page by page, replying and liking once. Every function starts from
``access`` (post first, own group, nothing hidden) and runs a fixed number of queries per page,
whatever the size of the discussion."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..core.text import plain_text
from .access import Viewer, readable_analysis, refusal, visible_analyses, visible_analysis
from .discussions import MAX_REPLY_CHARS, DiscussionSettings, local_time
from .errors import CaseDiscussionError
from .models import CaseAnalysis, CaseLike, CaseReply

PAGE_SIZE = 10
REPLY_PAGE_SIZE = 20
FEATURED_SHOWN = 5


def author_name(user) -> str:
    """The name peers read: the member's full name from the roster, else the username."""
    profile = getattr(user, "party_profile", None)
    return (profile.full_name if profile is not None and profile.full_name else "") or user.get_username()


def page_number(raw) -> int:
    try:
        number = int(raw[0] if isinstance(raw, list) else raw)
    except (TypeError, ValueError, IndexError):
        return 1
    return max(1, number)


def analysis_payload(config: DiscussionSettings, analysis: CaseAnalysis, *, liked: bool = False,
                     viewer_id: int | None = None) -> dict:
    """An analysis as pages show it (plain values: scripts put them in as text)."""
    questions = list(config.questions) or [""]
    answers = list(analysis.answers) + [""] * (len(questions) - len(analysis.answers))
    return {
        "id": analysis.pk, "author": author_name(analysis.author),
        "answers": [{"question": q, "text": a} for q, a in zip(questions, answers)],
        "created": local_time(analysis.created), "edited": local_time(analysis.edited),
        "featured": analysis.featured, "likes": analysis.like_count, "replies": analysis.reply_count,
        "liked": liked, "mine": analysis.author_id == viewer_id, "chars": analysis.char_count,
    }


def _with_author(queryset):
    return queryset.select_related("author", "author__party_profile")


def feed(config: DiscussionSettings, who: Viewer, page=1) -> dict:
    """A page of the learner's group's analyses but their own (shown apart), newest first, with the
    featured ones on the first page (4 queries on the first page, 3 on the others)."""
    visible = visible_analyses(config, who)
    others = visible.exclude(author_id=who.user_id)
    total = others.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page_number(page), pages)
    rows = list(_with_author(others).order_by("-id")[(page - 1) * PAGE_SIZE:page * PAGE_SIZE])
    featured = list(_with_author(visible.filter(featured=True)).order_by("-id")[:FEATURED_SHOWN]) if page == 1 else []
    ids = {a.pk for a in rows} | {a.pk for a in featured}
    liked = set(CaseLike.objects.filter(user_id=who.user_id, analysis_id__in=ids)
                .values_list("analysis_id", flat=True)) if ids else set()
    return {
        "page": page, "pages": pages, "total": total,
        "analyses": [analysis_payload(config, a, liked=a.pk in liked, viewer_id=who.user_id) for a in rows],
        "featured": [analysis_payload(config, a, liked=a.pk in liked, viewer_id=who.user_id) for a in featured],
    }


def reply_payload(reply: CaseReply, viewer_id: int | None = None) -> dict:
    return {"id": reply.pk, "author": author_name(reply.author), "text": reply.text,
            "created": local_time(reply.created), "mine": reply.author_id == viewer_id}


def thread_page(analysis: CaseAnalysis, page=1, viewer_id: int | None = None) -> dict:
    """A page of the replies under an analysis, oldest first (one query: the count is kept on it)."""
    pages = max(1, -(-analysis.reply_count // REPLY_PAGE_SIZE))
    page = min(page_number(page), pages)
    replies = _with_author(CaseReply.objects.filter(analysis=analysis)).order_by("id")
    rows = replies[(page - 1) * REPLY_PAGE_SIZE:page * REPLY_PAGE_SIZE]
    return {"analysis_id": analysis.pk, "page": page, "pages": pages, "total": analysis.reply_count,
            "replies": [reply_payload(r, viewer_id) for r in rows]}


def _visible_one(config: DiscussionSettings, who: Viewer, analysis_id) -> CaseAnalysis:
    analysis = visible_analysis(config, who, analysis_id).first()
    if analysis is None:
        raise CaseDiscussionError(_("This analysis was not found."), 404)
    return analysis


def replies(config: DiscussionSettings, who: Viewer, analysis_id, page=1) -> dict:
    return thread_page(_visible_one(config, who, analysis_id), page, who.user_id)


class _Refused(Exception):
    """The rule's one statement changed nothing: the transaction ends, then ``refusal`` says why."""


def reply(config: DiscussionSettings, user_id: int, analysis_id, text) -> dict:
    """Reply in the thread of a visible analysis; the count is moved by the database (F()), so
    replies at the same moment are never lost. The access rule is checked by the count's UPDATE
    itself (``readable_analysis``): no read before it."""
    text = plain_text(text, MAX_REPLY_CHARS)
    if not text:
        raise CaseDiscussionError(_("Write your reply first."))
    try:
        with transaction.atomic():
            if not readable_analysis(config, user_id, analysis_id).update(reply_count=F("reply_count") + 1):
                raise _Refused
            created = CaseReply.objects.create(analysis_id=int(analysis_id), author_id=user_id, text=text)
    except _Refused:
        raise refusal(config, user_id, _("This analysis was not found.")) from None
    return {"id": created.pk, "text": created.text}


def like(config: DiscussionSettings, user_id: int, analysis_id) -> dict:
    """Like a peer's visible analysis, once. The count moves in the same transaction as the like's
    row, whose uniqueness the database enforces: two clicks at once count one. As for a reply, the
    count's UPDATE checks the access rule."""
    try:
        with transaction.atomic():
            counted = readable_analysis(config, user_id, analysis_id).exclude(author_id=user_id).update(
                like_count=F("like_count") + 1)
            if not counted:
                raise _Refused
            CaseLike.objects.create(analysis_id=int(analysis_id), user_id=user_id)
    except IntegrityError as exc:
        raise CaseDiscussionError(_("You have already liked this analysis."), 409) from exc
    except _Refused:
        raise refusal(config, user_id, _("You cannot like this analysis.")) from None
    return {"liked": True}
