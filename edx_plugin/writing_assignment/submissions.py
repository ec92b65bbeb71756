"""Submitted pieces of writing assignments (writing_assignment): submission through
edx-submissions (as every graded block's answers go), what the learner sees of their own piece,
and the one announcement of a released score to the LMS."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.text import count_chars, normalize_text
from .access import assignment_access
from .assignments import DEFAULT_SHOWCASE_CHOICE, HARD_MAX_CHARS, ITEM_TYPE, MAX_TITLE_CHARS, short_text
from .drafts import follow_submitted_text
from .errors import WritingError
from .models import AssessmentRole, GradingFlow, ShowcaseChoice, WritingAssignment, WritingDraft, WritingKind, \
    WritingStatus, WritingSubmission, WritingVersion


def student_item(student_id: str, assignment: WritingAssignment) -> dict:
    return {"student_id": student_id, "course_id": assignment.course_id, "item_id": assignment.usage_id,
            "item_type": ITEM_TYPE}


def check_length(assignment: WritingAssignment, text: str) -> int:
    """The piece's length by core's one counting rule (``count_chars``: spaces and line breaks
    do not count), within the assignment's minimum and maximum."""
    length = count_chars(text)
    if not length:
        raise WritingError(_("Write something before submitting."))
    if assignment.min_chars and length < assignment.min_chars:
        raise WritingError(_("Your piece has %(count)d characters; at least %(min)d are required.")
                           % {"count": length, "min": assignment.min_chars})
    if length > (assignment.max_chars or HARD_MAX_CHARS):
        raise WritingError(_("Your piece has %(count)d characters; at most %(max)d are allowed.")
                           % {"count": length, "max": assignment.max_chars or HARD_MAX_CHARS})
    return length


def submit(user, assignment: WritingAssignment, *, title: str, text: str, student_id: str,
           showcase_choice: str = DEFAULT_SHOWCASE_CHOICE) -> WritingSubmission:
    """Submit (or resubmit a returned piece). The text goes to edx-submissions as well, as
    every graded block's answers do."""
    from submissions import api as submissions_api  # pylint: disable=import-outside-toplevel

    title, text = short_text(title, MAX_TITLE_CHARS, _("The title")), normalize_text(text).strip()
    # Closed or signed out: refused before any work (the piece itself is checked under the lock).
    assignment_access(user, assignment, submission=None).check_may_submit()
    length = check_length(assignment, text)
    if assignment.kind == WritingKind.CONTEST_ESSAY and not title:
        raise WritingError(_("Give your essay a title."))
    if showcase_choice not in ShowcaseChoice.values:
        showcase_choice = ShowcaseChoice.NAMED
    now = timezone.now()
    with transaction.atomic():
        submission = WritingSubmission.objects.select_for_update().filter(
            usage_id=assignment.usage_id, user=user).first()
        # Checked again under the lock: two tabs submitting at once.
        assignment_access(user, assignment, submission).check_may_submit()
        attempt = submission.attempt + 1 if submission else 1
        created = submissions_api.create_submission(
            student_item(student_id, assignment), {"title": title, "text": text}, submitted_at=now,
            attempt_number=attempt,
        )
        values = {
            "title": title, "text": text, "char_count": length, "attempt": attempt, "student_id": student_id,
            "submission_uuid": created["uuid"], "submitted_at": now, "showcase_choice": showcase_choice,
            "claimed_by": None, "claim_expires": None, "review_note": "",
        }
        if submission is None:
            try:
                with transaction.atomic():
                    submission = WritingSubmission.objects.create(
                        course_id=assignment.course_id, usage_id=assignment.usage_id, assignment=assignment,
                        user=user, status=WritingStatus.SUBMITTED, **values)
            except IntegrityError as exc:
                raise WritingError(_("This piece has already been submitted."), 409) from exc
        else:
            for name, value in values.items():
                setattr(submission, name, value)
            submission.status = WritingStatus.RESUBMITTED
            submission.save()
        WritingVersion.objects.create(submission=submission, attempt=attempt, title=title, text=text,
                                      char_count=length, submission_uuid=created["uuid"], submitted_at=now)
        follow_submitted_text(user, assignment, title, text, now)
    return submission


def learner_state(user, assignment: WritingAssignment) -> dict:
    """The learner's own draft, piece and released feedback; nothing of other learners, and no
    score before it is released (a two-stage proposal or a judge's points stay hidden)."""
    draft = WritingDraft.objects.filter(usage_id=assignment.usage_id, user=user).first()
    submission = WritingSubmission.objects.filter(usage_id=assignment.usage_id, user=user).first()
    state = {"draft": draft, "submission": submission, "selections": {}, "feedback": "", "judge_comments": []}
    if submission is None:
        return state
    if submission.status == WritingStatus.RETURNED:
        returned = (submission.assessments.filter(role=AssessmentRole.GRADER, attempt=submission.attempt)
                    .order_by("-updated").first())
        state["feedback"] = submission.feedback
        state["selections"] = returned.selections if returned else {}
    elif submission.status == WritingStatus.GRADED:
        state["feedback"] = submission.feedback
        if assignment.flow == GradingFlow.CONTEST:
            state["judge_comments"] = [c for c in submission.assessments.filter(
                role=AssessmentRole.JUDGE, attempt=submission.attempt).values_list("comment", flat=True) if c]
        else:
            graded = (submission.assessments.filter(role=AssessmentRole.GRADER, attempt=submission.attempt)
                      .order_by("-updated").first())
            state["selections"] = graded.selections if graded else {}
    return state


def is_released(submission: WritingSubmission | None) -> bool:
    return bool(submission and submission.status == WritingStatus.GRADED)


def is_proposed(submission: WritingSubmission | None) -> bool:
    return bool(submission and submission.status == WritingStatus.PROPOSED)


def mark_grade_published(submission: WritingSubmission) -> bool:
    """True once per released score: the block then announces it to the LMS as a grade event.
    A conditional UPDATE, so two open pages do not both announce it."""
    if submission.status != WritingStatus.GRADED or submission.score is None:
        return False
    return bool(WritingSubmission.objects.filter(pk=submission.pk, status=WritingStatus.GRADED,
                                                 score=submission.score)
                .exclude(published_score=submission.score).update(published_score=submission.score))


def author_name(sub: WritingSubmission) -> str:
    """The author as the queue, exports and the showcase name them: the member's full name first."""
    profile = getattr(sub.user, "party_profile", None)
    return (profile.full_name if profile and profile.full_name else "") or sub.user.get_full_name() \
        or sub.user.get_username()


def branch_name(sub: WritingSubmission) -> str:
    profile = getattr(sub.user, "party_profile", None)
    return profile.organization.name if profile else ""
