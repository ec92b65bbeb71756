"""Drafts of writing assignments (writing_assignment): autosave with a revision number, so a
second tab or device never silently overwrites the learner's newer text."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.text import normalize_text
from .access import assignment_access
from .assignments import HARD_MAX_CHARS, MAX_TITLE_CHARS, short_text
from .errors import WritingError
from .models import WritingAssignment, WritingDraft


@dataclass
class DraftResult:
    saved: bool
    revision: int
    conflict: bool = False
    title: str = ""
    text: str = ""
    updated: datetime.datetime | None = None


def save_draft(user, assignment: WritingAssignment, *, title: str, text: str, revision: int,
               force: bool = False) -> DraftResult:
    """Autosave. The save applies only if the draft is still at ``revision`` (the one the
    page loaded or last saved); otherwise another tab or device saved in between and the
    caller gets the newer draft back (``conflict``) instead of silently overwriting it.
    ``force`` overwrites after the learner chose to keep this page's version. Refused when the
    editor is read-only (``access.assignment_access``)."""
    title, text = short_text(title, MAX_TITLE_CHARS, _("The title")), normalize_text(text)
    if len(text) > HARD_MAX_CHARS:
        raise WritingError(_("The text is too long to save."))
    if not isinstance(revision, int) or revision < 0:
        raise WritingError(_("The draft revision is not valid."))
    assignment_access(user, assignment).check_may_save()
    drafts = WritingDraft.objects.filter(usage_id=assignment.usage_id, user=user)
    now = timezone.now()
    matching = drafts if force else drafts.filter(revision=revision)
    if matching.update(title=title, text=text, revision=F("revision") + 1, updated=now):
        return DraftResult(True, drafts.values_list("revision", flat=True).get(), updated=now)
    if force or revision == 0 or not drafts.exists():
        try:
            with transaction.atomic():
                draft = WritingDraft.objects.create(user=user, course_id=assignment.course_id,
                                                    usage_id=assignment.usage_id, title=title, text=text, revision=1)
            return DraftResult(True, draft.revision, updated=draft.updated)
        except IntegrityError:
            pass  # another tab created it first: a conflict like any other
    current = drafts.first()
    return DraftResult(False, current.revision, conflict=True, title=current.title, text=current.text,
                       updated=current.updated)


def follow_submitted_text(user, assignment: WritingAssignment, title: str, text: str, now) -> None:
    """The draft follows the submitted text, so a returned piece is revised from what was sent."""
    if not WritingDraft.objects.filter(usage_id=assignment.usage_id, user=user).update(
            title=title, text=text, revision=F("revision") + 1, updated=now):
        WritingDraft.objects.create(user=user, course_id=assignment.course_id, usage_id=assignment.usage_id,
                                    title=title, text=text, revision=1)
