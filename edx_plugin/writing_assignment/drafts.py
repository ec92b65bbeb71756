"""Drafts of writing assignments (writing_assignment): autosave with a revision number, so a
second tab or device never silently overwrites the learner's newer text."""
from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from ..core.drafts import DraftResult, check_revision, save_revisioned
from ..core.text import normalize_text
from .access import assignment_access
from .assignments import HARD_MAX_CHARS, MAX_TITLE_CHARS, short_text
from .errors import WritingError
from .models import WritingAssignment, WritingDraft


def save_draft(user, assignment: WritingAssignment, *, title: str, text: str, revision: int,
               force: bool = False) -> DraftResult:
    """Autosave, revision-checked (``core.drafts``): a save based on an older revision gets the
    newer draft back (``conflict``) instead of overwriting it. Refused when the editor is
    read-only (``access.assignment_access``)."""
    title, text = short_text(title, MAX_TITLE_CHARS, _("The title")), normalize_text(text)
    if len(text) > HARD_MAX_CHARS:
        raise WritingError(_("The text is too long to save."))
    check_revision(revision)
    assignment_access(user, assignment).check_may_save()
    return save_revisioned(WritingDraft, {"user": user, "course_id": assignment.course_id,
                                          "usage_id": assignment.usage_id},
                           {"title": title, "text": text}, revision=revision, force=force)


def follow_submitted_text(user, assignment: WritingAssignment, title: str, text: str, now) -> None:
    """The draft follows the submitted text, so a returned piece is revised from what was sent."""
    if not WritingDraft.objects.filter(usage_id=assignment.usage_id, user=user).update(
            title=title, text=text, revision=F("revision") + 1, updated=now):
        WritingDraft.objects.create(user=user, course_id=assignment.course_id, usage_id=assignment.usage_id,
                                    title=title, text=text, revision=1)
