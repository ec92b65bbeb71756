"""Learners' analyses (case_discussion): autosaved drafts (core's revision-checked save), posting
one analysis that answers every guiding question, and editing it within the author's window."""
from __future__ import annotations

import datetime

from django.db import IntegrityError
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.db import statement_guard
from ..core.drafts import DraftResult, check_revision, save_revisioned
from ..core.ledger import credit_hours
from ..core.models import HourSource
from ..core.text import count_chars, normalize_text
from .access import Viewer, viewer
from .discussions import HARD_MAX_CHARS, DiscussionSettings
from .errors import CaseDiscussionError
from .models import CaseAnalysis, CaseDraft, CaseMember


def clean_answers(config: DiscussionSettings, answers) -> list[str]:
    """One plain-text answer per guiding question (markup is kept as text and escaped when shown)."""
    count = max(1, len(config.questions))
    if not isinstance(answers, list) or len(answers) > count or not all(isinstance(a, str) for a in answers):
        raise CaseDiscussionError(_("Answer each guiding question."))
    cleaned = [normalize_text(a).strip() for a in answers] + [""] * (count - len(answers))
    if sum(len(a) for a in cleaned) > HARD_MAX_CHARS:
        raise CaseDiscussionError(_("The analysis is too long to save."))
    return cleaned


def answers_length(answers: list[str]) -> int:
    return sum(count_chars(a) for a in answers)


def _check_complete(config: DiscussionSettings, answers: list[str]) -> int:
    if any(not a for a in answers):
        raise CaseDiscussionError(_("Answer every guiding question before posting."))
    length = answers_length(answers)
    if length < config.min_chars:
        raise CaseDiscussionError(_("Your analysis has %(count)d characters; at least %(min)d are required.")
                                  % {"count": length, "min": config.min_chars})
    return length


def _check_open(config: DiscussionSettings) -> None:
    if config.closed():
        raise CaseDiscussionError(_("The deadline has passed: analyses can no longer be posted or edited."), 403)


def save_draft(config: DiscussionSettings, who: Viewer, answers, revision, force: bool = False) -> DraftResult:
    """Autosave the learner's answers (refused once the analysis is posted: edit it instead)."""
    answers = clean_answers(config, answers)
    check_revision(revision)
    _check_open(config)
    if who.posted:
        raise CaseDiscussionError(_("Your analysis is posted; edit it instead."), 409)
    return save_revisioned(CaseDraft, {"user_id": who.user_id, "course_id": config.course_id,
                                       "usage_id": config.usage_id},
                           {"answers": answers}, revision=revision, force=force)


def my_draft(config: DiscussionSettings, user_id: int) -> CaseDraft | None:
    return CaseDraft.objects.filter(usage_id=config.usage_id, user_id=user_id).first()


def submit(config: DiscussionSettings, user, answers) -> CaseAnalysis:
    """Post the learner's analysis (once). An ungraded discussion is complete when posted: its hours
    are credited then (once, through the ledger); a graded one when staff grade it.

    The learner's membership (their group) is read inside the analysis's INSERT, not before it: a
    learner not yet placed in a group (no membership: the INSERT refuses a NULL member), or one who has
    posted already (one analysis per member, the unique key refuses a second), costs the full read."""
    answers = clean_answers(config, answers)
    length = _check_complete(config, answers)
    _check_open(config)
    mine = CaseMember.objects.filter(usage_id=config.usage_id, user_id=user.pk)
    try:
        analysis = _post(config, user.pk, Subquery(mine.values("pk")[:1]), Subquery(mine.values("group_id")[:1]),
                         answers, length)
    except IntegrityError:
        who = viewer(config, user.pk)  # placed in their group on a first visit
        if who.posted:
            raise CaseDiscussionError(_("You have already posted your analysis."), 409) from None
        try:
            analysis = _post(config, user.pk, who.member.pk, who.member.group_id, answers, length)
        except IntegrityError as exc:  # a second tab posted at the same moment
            raise CaseDiscussionError(_("You have already posted your analysis."), 409) from exc
    if not config.is_graded and config.hours > 0:
        credit_hours(user, config.hours, HourSource.CASE_DISCUSSION, config.usage_id,
                     course_id=config.course_id, usage_id=config.usage_id, note=config.title)
    return analysis


def _post(config: DiscussionSettings, user_id: int, member_id, group_id, answers: list[str], length: int):
    with statement_guard():
        return CaseAnalysis.objects.create(
            member_id=member_id, course_id=config.course_id, usage_id=config.usage_id, group_id=group_id,
            author_id=user_id, answers=answers, char_count=length)


def edit_deadline(config: DiscussionSettings, analysis: CaseAnalysis) -> datetime.datetime | None:
    """Until when the author may edit (None: not at all)."""
    if config.edit_window_minutes <= 0:
        return None
    until = analysis.created + datetime.timedelta(minutes=config.edit_window_minutes)
    return min(until, config.deadline) if config.deadline else until


def may_edit(config: DiscussionSettings, analysis: CaseAnalysis | None) -> bool:
    until = edit_deadline(config, analysis) if analysis is not None else None
    return until is not None and timezone.now() <= until


def edit(config: DiscussionSettings, who: Viewer, answers) -> CaseAnalysis:
    """The author edits their analysis within the window; the edit is shown with its time."""
    analysis = who.analysis
    if analysis is None:
        raise CaseDiscussionError(_("Post your analysis first."), 409)
    if not may_edit(config, analysis):
        raise CaseDiscussionError(_("The time for editing your analysis is over."), 403)
    answers = clean_answers(config, answers)
    analysis.char_count = _check_complete(config, answers)
    analysis.answers, analysis.edited = answers, timezone.now()
    analysis.save(update_fields=["answers", "char_count", "edited"])
    return analysis
