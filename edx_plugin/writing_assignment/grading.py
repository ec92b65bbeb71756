"""Grading of writing assignments (writing_assignment): claim locks, a grader's rubric scoring,
returning a piece for revision, the approver's release in two stages, and the showcase flag.
Contest essays are scored by their panel instead (``judges``)."""
from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.ledger import credit_hours
from ..core.models import HourSource
from ..core.rubrics import score_selections
from .access import WAITING, holds_claim, proposal_of
from .assignments import MAX_COMMENT_CHARS, short_text
from .errors import WritingError
from .models import AssessmentRole, GradingFlow, RubricAssessment, WritingStatus, WritingSubmission

CLAIM_MINUTES = 30
GRADING_ACTIONS = ("grade", "return")


# --- claims -------------------------------------------------------------------------------

def claim(submission_id: int, grader, minutes: int = CLAIM_MINUTES) -> WritingSubmission:
    """Take the grading lock of a piece. One conditional UPDATE: it succeeds only if nobody
    holds an unexpired claim, so two graders racing cannot both get it."""
    now = timezone.now()
    taken = WritingSubmission.objects.filter(pk=submission_id, status__in=WAITING).filter(
        Q(claimed_by__isnull=True) | Q(claimed_by=grader) | Q(claim_expires__lt=now),
    ).update(claimed_by=grader, claim_expires=now + datetime.timedelta(minutes=minutes))
    submission = WritingSubmission.objects.select_related("claimed_by").get(pk=submission_id)
    if taken:
        return submission
    if submission.status not in WAITING:
        raise WritingError(_("This piece is not waiting for grading."), 409)
    holder = submission.claimed_by
    raise WritingError(_("%(name)s is grading this piece (claimed until %(time)s).") % {
        "name": (holder.get_full_name() or holder.get_username()) if holder else "?",
        "time": timezone.localtime(submission.claim_expires).strftime("%H:%M"),
    }, 409)


def release_claim(submission_id: int, grader) -> None:
    WritingSubmission.objects.filter(pk=submission_id, claimed_by=grader).update(claimed_by=None, claim_expires=None)


# --- releasing a score --------------------------------------------------------------------

def release_score(submission: WritingSubmission, points: Decimal, feedback: str, by) -> None:
    """Make a score final: the learner sees it, edx-submissions and so the gradebook get it,
    and passing work earns the block's hours (once: the ledger is idempotent per block)."""
    from submissions import api as submissions_api  # pylint: disable=import-outside-toplevel

    assignment = submission.assignment
    submission.score = points
    submission.passed = points >= assignment.pass_points
    submission.feedback = feedback
    submission.status = WritingStatus.GRADED
    submission.released_at = timezone.now()
    submission.released_by = by
    submission.claimed_by = None
    submission.claim_expires = None
    submission.review_note = ""
    submission.save()
    # edx-submissions keeps whole points; the exact score (a contest's trimmed mean) stays here.
    submissions_api.set_score(
        submission.submission_uuid, int(points.quantize(Decimal("1"), rounding=ROUND_HALF_UP)),
        int(assignment.points_possible),
    )
    if submission.passed and assignment.hours > 0:
        credit_hours(submission.user, assignment.hours, HourSource.WRITING, f"writing:{assignment.usage_id}",
                     course_id=assignment.course_id, usage_id=assignment.usage_id, note=assignment.title)


def locked_piece(submission_id: int, course_id: str) -> WritingSubmission:
    """The piece, locked for the rest of the transaction (404 when not in the course)."""
    submission = (WritingSubmission.objects.select_for_update().select_related("assignment", "user")
                  .filter(pk=submission_id, course_id=course_id).first())
    if submission is None:
        raise WritingError(_("This piece does not exist."), 404)
    return submission


# --- graders and approvers ----------------------------------------------------------------

def grade(submission_id: int, course_id: str, grader, *, selections, comment: str,
          action: str = "grade") -> WritingSubmission:
    """A grader scores a piece with the rubric (``action`` "grade") or returns it for
    revision ("return"). One grader: the grade is released at once; two stages: it waits for
    an approver. The grader must hold the piece's claim."""
    if action not in GRADING_ACTIONS:
        raise WritingError(_("Unknown action."))
    comment = short_text(comment, MAX_COMMENT_CHARS, _("The comment"))
    with transaction.atomic():
        submission = locked_piece(submission_id, course_id)
        assignment = submission.assignment
        if assignment.flow == GradingFlow.CONTEST:
            raise WritingError(_("Contest essays are scored by the judges' panel."), 409)
        if submission.status not in WAITING:
            raise WritingError(_("This piece is not waiting for grading."), 409)
        if not holds_claim(submission, grader):
            raise WritingError(_("Claim the piece before grading it (your claim may have expired)."), 409)
        points, chosen = score_selections(assignment.rubric, selections, partial=action == "return")
        if action == "return" and not comment:
            raise WritingError(_("Say what to revise when returning a piece."))
        RubricAssessment.objects.update_or_create(
            submission=submission, attempt=submission.attempt, assessor=grader, role=AssessmentRole.GRADER,
            defaults={"selections": chosen, "points": points, "comment": comment},
        )
        if action == "return":
            submission.status = WritingStatus.RETURNED
            submission.feedback = comment
            submission.claimed_by = None
            submission.claim_expires = None
            submission.save()
        elif assignment.flow == GradingFlow.SINGLE:
            release_score(submission, points, comment, grader)
        else:
            submission.status = WritingStatus.PROPOSED
            submission.claimed_by = None
            submission.claim_expires = None
            submission.review_note = ""
            submission.save()
    return submission


def approve(submission_id: int, course_id: str, approver) -> WritingSubmission:
    """Two stages: an approver other than the grader releases the proposed grade."""
    with transaction.atomic():
        submission = locked_piece(submission_id, course_id)
        if submission.status != WritingStatus.PROPOSED:
            raise WritingError(_("This piece has no proposed grade waiting for approval."), 409)
        proposal = proposal_of(submission)
        if proposal is None:
            raise WritingError(_("This piece has no proposed grade waiting for approval."), 409)
        if proposal.assessor_id == approver.pk:
            raise WritingError(_("A grade must be approved by someone other than its grader."), 403)
        release_score(submission, proposal.points, proposal.comment, approver)
    return submission


def send_back(submission_id: int, course_id: str, approver, note: str) -> WritingSubmission:
    """Two stages: the approver does not sign the proposal off and sends it back to the graders."""
    note = short_text(note, MAX_COMMENT_CHARS, _("The note"))
    if not note:
        raise WritingError(_("Say why the grade is sent back."))
    with transaction.atomic():
        submission = locked_piece(submission_id, course_id)
        if submission.status != WritingStatus.PROPOSED:
            raise WritingError(_("This piece has no proposed grade waiting for approval."), 409)
        submission.status = WritingStatus.SUBMITTED if submission.attempt == 1 else WritingStatus.RESUBMITTED
        submission.review_note = note
        submission.save(update_fields=["status", "review_note"])
    return submission


def set_showcase(submission_id: int, course_id: str, on: bool) -> WritingSubmission:
    """Put a graded piece in the block's showcase of excellent pieces, or take it out."""
    with transaction.atomic():
        submission = locked_piece(submission_id, course_id)
        if on and submission.status != WritingStatus.GRADED:
            raise WritingError(_("Only graded pieces can be showcased."), 409)
        submission.showcase = bool(on)
        submission.save(update_fields=["showcase"])
    return submission
