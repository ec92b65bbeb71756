"""What a user may do with a writing assignment (writing_assignment) or with a piece in grading.

The block, the grading pages and the rules' own refusals all ask here, so "may edit", "may
submit", "may grade", "may approve" and "claim held by" are decided once: the editor is
read-only exactly when submitting would be refused (a piece in grading, the due date passed,
contest results published)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import WritingError
from .models import AssessmentRole, GradingFlow, RubricAssessment, WritingAssignment, WritingJudge, WritingStatus, \
    WritingSubmission

WAITING = (WritingStatus.SUBMITTED, WritingStatus.RESUBMITTED)
CLOSED_DUE, CLOSED_RESULTS = "due", "results"
_UNKNOWN = object()


@dataclass(frozen=True)
class AssignmentAccess:
    """A learner's standing with one assignment."""

    signed_in: bool
    # A piece is submitted and not returned: it is in grading (or graded) and cannot change.
    in_grading: bool
    returned: bool
    # Why the assignment takes no more work: "" (open), CLOSED_DUE or CLOSED_RESULTS.
    closed: str

    @property
    def may_edit(self) -> bool:
        return self.signed_in and not self.in_grading and not self.closed

    @property
    def may_submit(self) -> bool:
        return self.may_edit

    @property
    def closed_message(self) -> str:
        if self.closed == CLOSED_RESULTS:
            return _("The contest results have been published; submissions are closed.")
        if self.closed == CLOSED_DUE:
            return _("The due date has passed; submissions are closed.")
        return ""

    def check_may_save(self) -> None:
        """Refuse a draft save the editor would not offer."""
        if not self.signed_in:
            raise WritingError(_("Please sign in first."), 403)
        if self.in_grading:
            raise WritingError(_("Your piece has been submitted; it can be changed only if it is returned for "
                                 "revision."), 409)
        if self.closed:
            raise WritingError(self.closed_message, 403)

    def check_may_submit(self) -> None:
        """Refuse a submission the editor would not offer."""
        if not self.signed_in:
            raise WritingError(_("Please sign in first."), 403)
        if self.closed:
            raise WritingError(self.closed_message, 403)
        if self.in_grading:
            raise WritingError(_("This piece has already been submitted."), 409)


def closed_reason(assignment: WritingAssignment, now: datetime.datetime | None = None) -> str:
    if assignment.results_published:
        return CLOSED_RESULTS
    if assignment.due and (now or timezone.now()) > assignment.due:
        return CLOSED_DUE
    return ""


def assignment_access(user, assignment: WritingAssignment, submission=_UNKNOWN,
                      now: datetime.datetime | None = None) -> AssignmentAccess:
    """What ``user`` may do with ``assignment``; pass the user's ``submission`` (or None) when
    already loaded to save the query."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if submission is _UNKNOWN:
        submission = (WritingSubmission.objects.filter(usage_id=assignment.usage_id, user=user).first()
                      if signed_in else None)
    returned = submission is not None and submission.status == WritingStatus.RETURNED
    return AssignmentAccess(signed_in=signed_in, in_grading=submission is not None and not returned,
                            returned=returned, closed=closed_reason(assignment, now))


# --- a piece in the grading queue ------------------------------------------------------------

def claim_active(submission: WritingSubmission, now: datetime.datetime | None = None) -> bool:
    """Somebody holds an unexpired grading claim on the piece."""
    return bool(submission.claimed_by_id and submission.claim_expires
                and submission.claim_expires > (now or timezone.now()))


def holds_claim(submission: WritingSubmission, grader) -> bool:
    return submission.claimed_by_id == grader.pk and claim_active(submission)


def is_judge(assignment: WritingAssignment, user) -> bool:
    return WritingJudge.objects.filter(assignment=assignment, user=user).exists()


def proposal_of(submission: WritingSubmission) -> RubricAssessment | None:
    """The grader's scoring of the current version (in two stages: the proposal to approve)."""
    return (submission.assessments.filter(role=AssessmentRole.GRADER, attempt=submission.attempt)
            .select_related("assessor").order_by("-updated").first())


@dataclass(frozen=True)
class PieceAccess:
    """What a member of the course staff may do with one piece."""

    waiting: bool
    is_contest: bool
    is_judge: bool
    results_published: bool
    holds_claim: bool
    claim_active: bool
    # The other grader whose unexpired claim keeps this user out, else None.
    claim_held_by: object
    proposal: RubricAssessment | None
    may_claim: bool
    may_grade: bool
    may_approve: bool
    may_judge: bool
    may_showcase: bool

    @property
    def may_send_back(self) -> bool:
        return self.may_approve


def piece_access(user, submission: WritingSubmission) -> PieceAccess:
    """The grading page's buttons and the rules' refusals, for ``user`` (course staff) and a piece
    (at most two queries: the judges' panel of a contest, the proposal of a two-stage grade)."""
    assignment = submission.assignment
    contest = assignment.flow == GradingFlow.CONTEST
    waiting = submission.status in WAITING
    active = claim_active(submission)
    mine = active and submission.claimed_by_id == user.pk
    judge = contest and is_judge(assignment, user)
    proposal = proposal_of(submission) if submission.status == WritingStatus.PROPOSED else None
    return PieceAccess(
        waiting=waiting, is_contest=contest, is_judge=judge, results_published=bool(assignment.results_published),
        holds_claim=mine, claim_active=active, claim_held_by=submission.claimed_by if active and not mine else None,
        proposal=proposal,
        may_claim=waiting and not contest and (mine or not active),
        may_grade=waiting and not contest and mine,
        may_approve=bool(proposal and proposal.assessor_id != user.pk),
        may_judge=judge and waiting and not assignment.results_published,
        may_showcase=submission.status == WritingStatus.GRADED,
    )
