"""Writing assignments: drafts, submission, the grading workflow (one grader; grader and
approver; contest judges), rubric scoring, claim locks, the showcase, grade export, the
archive and the near-copy scan.

Blocks, the grading queue pages and the Celery tasks all call these functions, so every rule
(who may grade, when a grade is released, what a learner may see) lives here once.
"""
from __future__ import annotations

import csv
import datetime
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AssessmentRole, GradingFlow, NearCopyPair, RubricAssessment, ShowcaseChoice, WritingAssignment, WritingDraft, WritingJob, WritingJudge, WritingKind, WritingStatus, WritingSubmission, WritingVersion
from ..core.models import HourSource, Organization
from ..writing_assignment import near_copies
from ..core.ledger import credit_hours
from ..core.jobs import run_tracked


ITEM_TYPE = "writing_assignment"
CLAIM_MINUTES = 30
# A draft or piece larger than this is refused whatever the block allows (protects the database).
HARD_MAX_CHARS = 100_000
MAX_COMMENT_CHARS = 10_000
WAITING = (WritingStatus.SUBMITTED, WritingStatus.RESUBMITTED)
AWARD_TIERS = ("first", "second", "third", "honourable")
ZERO = Decimal("0")
HUNDREDTH = Decimal("0.01")


class WritingError(ValueError):
    """A refused action; the message is translated and safe to show. ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def award_label(code: str) -> str:
    return {
        "first": _("First prize"), "second": _("Second prize"), "third": _("Third prize"),
        "honourable": _("Honourable mention"),
    }.get(code, "")


# --- text -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text) -> str:
    """Plain text as stored: line breaks normalized to \\n, control characters removed.
    It is never marked safe; templates escape it."""
    if not isinstance(text, str):
        raise WritingError(_("The text is not valid."))
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def count_chars(text: str) -> int:
    """Length as a Chinese reader counts it: each character (汉字, letter, digit, punctuation)
    is one, a line break is one, leading and trailing blank space is not counted."""
    return len(clean_text(text).strip())


def _plain(value, limit: int) -> str:
    return clean_text(value or "").strip()[:limit]


# --- rubric -----------------------------------------------------------------------------

def validate_rubric(rubric) -> list[str]:
    """Problems of an authored rubric: a list of criteria, each with a name and at least two
    levels of whole, non-negative points."""
    problems = []
    if not isinstance(rubric, list) or not rubric:
        return [_("The rubric needs at least one criterion.")]
    for number, criterion in enumerate(rubric, start=1):
        if not isinstance(criterion, dict) or not str(criterion.get("name", "")).strip():
            problems.append(_("Criterion %(number)d needs a name.") % {"number": number})
            continue
        levels = criterion.get("levels")
        if not isinstance(levels, list) or len(levels) < 2:
            problems.append(_("Criterion %(number)d needs at least two levels.") % {"number": number})
            continue
        for level in levels:
            points = level.get("points") if isinstance(level, dict) else None
            if not isinstance(level, dict) or not str(level.get("name", "")).strip() \
                    or not isinstance(points, int) or isinstance(points, bool) or points < 0:
                problems.append(_("Every level of criterion %(number)d needs a name and whole points of 0 or more.")
                                % {"number": number})
                break
    return problems


def rubric_points_possible(rubric) -> Decimal:
    if validate_rubric(rubric):
        return ZERO
    return Decimal(sum(max(level["points"] for level in criterion["levels"]) for criterion in rubric))


def score_selections(rubric: list, selections, *, partial: bool = False) -> tuple[Decimal, dict[str, int]]:
    """Points of a rubric scoring. ``selections`` maps criterion index to level index; every
    criterion must be scored unless ``partial`` (a return for revision may score some)."""
    if not isinstance(selections, dict):
        raise WritingError(_("The rubric scoring is not valid."))
    chosen: dict[str, int] = {}
    total = ZERO
    for index, criterion in enumerate(rubric):
        raw = selections.get(str(index), selections.get(index))
        if raw in (None, ""):
            if partial:
                continue
            raise WritingError(_("Score every criterion of the rubric."))
        try:
            level = int(raw)
            points = criterion["levels"][level]["points"]
        except (TypeError, ValueError, IndexError) as exc:
            raise WritingError(_("The rubric scoring is not valid.")) from exc
        if level < 0:
            raise WritingError(_("The rubric scoring is not valid."))
        chosen[str(index)] = level
        total += Decimal(points)
    return total, chosen


# --- the plugin's copy of a block's settings ----------------------------------------------

@dataclass
class AssignmentSettings:
    course_id: str
    usage_id: str
    title: str
    kind: str
    flow: str
    rubric: list
    pass_points: Decimal
    hours: Decimal
    min_chars: int
    max_chars: int
    due: datetime.datetime | None
    award_tiers: dict = field(default_factory=dict)

    def as_fields(self) -> dict:
        return {
            "course_id": self.course_id, "title": self.title[:255], "kind": self.kind, "flow": self.flow,
            "rubric": self.rubric, "points_possible": rubric_points_possible(self.rubric),
            "pass_points": Decimal(str(self.pass_points)).quantize(HUNDREDTH),
            "hours": Decimal(str(self.hours)).quantize(HUNDREDTH), "min_chars": self.min_chars,
            "max_chars": self.max_chars, "due": self.due, "award_tiers": self.award_tiers,
        }


def sync_assignment(settings: AssignmentSettings) -> WritingAssignment:
    """Keep the plugin's copy of a block's settings current: one read when nothing changed."""
    values = settings.as_fields()
    assignment = WritingAssignment.objects.filter(usage_id=settings.usage_id).first()
    if assignment is None:
        try:
            with transaction.atomic():
                return WritingAssignment.objects.create(usage_id=settings.usage_id, **values)
        except IntegrityError:
            assignment = WritingAssignment.objects.get(usage_id=settings.usage_id)
    changed = {name: value for name, value in values.items() if getattr(assignment, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(assignment, name, value)
        assignment.save(update_fields=[*changed, "updated"])
    return assignment


# --- drafts -----------------------------------------------------------------------------

@dataclass
class DraftResult:
    saved: bool
    revision: int
    conflict: bool = False
    title: str = ""
    text: str = ""
    updated: datetime.datetime | None = None


def _check_editable(user, assignment: WritingAssignment) -> WritingSubmission | None:
    submission = WritingSubmission.objects.filter(usage_id=assignment.usage_id, user=user).first()
    if submission is not None and submission.status != WritingStatus.RETURNED:
        raise WritingError(_("Your piece has been submitted; it can be changed only if it is returned for revision."),
                           409)
    return submission


def save_draft(user, assignment: WritingAssignment, *, title: str, text: str, revision: int,
               force: bool = False) -> DraftResult:
    """Autosave. The save applies only if the draft is still at ``revision`` (the one the
    page loaded or last saved); otherwise another tab or device saved in between and the
    caller gets the newer draft back (``conflict``) instead of silently overwriting it.
    ``force`` overwrites after the learner chose to keep this page's version."""
    title, text = _plain(title, 200), clean_text(text)
    if len(text) > HARD_MAX_CHARS:
        raise WritingError(_("The text is too long to save."))
    if not isinstance(revision, int) or revision < 0:
        raise WritingError(_("The draft revision is not valid."))
    _check_editable(user, assignment)
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


# --- submission ---------------------------------------------------------------------------

def student_item(student_id: str, assignment: WritingAssignment) -> dict:
    return {"student_id": student_id, "course_id": assignment.course_id, "item_id": assignment.usage_id,
            "item_type": ITEM_TYPE}


def submit(user, assignment: WritingAssignment, *, title: str, text: str, student_id: str,
           showcase_choice: str = ShowcaseChoice.NAMED) -> WritingSubmission:
    """Submit (or resubmit a returned piece). The text goes to edx-submissions as well, as
    every graded block's answers do."""
    from submissions import api as submissions_api  # pylint: disable=import-outside-toplevel

    title, text = _plain(title, 200), clean_text(text).strip()
    if assignment.due and timezone.now() > assignment.due:
        raise WritingError(_("The due date has passed; submissions are closed."), 403)
    if assignment.results_published:
        raise WritingError(_("The contest results have been published; submissions are closed."), 403)
    length = count_chars(text)
    if not length:
        raise WritingError(_("Write something before submitting."))
    if assignment.min_chars and length < assignment.min_chars:
        raise WritingError(_("Your piece has %(count)d characters; at least %(min)d are required.")
                           % {"count": length, "min": assignment.min_chars})
    if length > (assignment.max_chars or HARD_MAX_CHARS):
        raise WritingError(_("Your piece has %(count)d characters; at most %(max)d are allowed.")
                           % {"count": length, "max": assignment.max_chars or HARD_MAX_CHARS})
    if assignment.kind == WritingKind.CONTEST_ESSAY and not title:
        raise WritingError(_("Give your essay a title."))
    if showcase_choice not in ShowcaseChoice.values:
        showcase_choice = ShowcaseChoice.NAMED
    now = timezone.now()
    with transaction.atomic():
        submission = WritingSubmission.objects.select_for_update().filter(
            usage_id=assignment.usage_id, user=user).first()
        if submission is not None and submission.status != WritingStatus.RETURNED:
            raise WritingError(_("This piece has already been submitted."), 409)
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
        # The draft follows the submitted text, so a returned piece is revised from what was sent.
        if not WritingDraft.objects.filter(usage_id=assignment.usage_id, user=user).update(
                title=title, text=text, revision=F("revision") + 1, updated=now):
            WritingDraft.objects.create(user=user, course_id=assignment.course_id, usage_id=assignment.usage_id,
                                        title=title, text=text, revision=1)
    return submission


# --- what a learner sees ------------------------------------------------------------------

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


def mark_grade_published(submission: WritingSubmission) -> bool:
    """True once per released score: the block then announces it to the LMS as a grade event.
    A conditional UPDATE, so two open pages do not both announce it."""
    if submission.status != WritingStatus.GRADED or submission.score is None:
        return False
    return bool(WritingSubmission.objects.filter(pk=submission.pk, status=WritingStatus.GRADED,
                                                 score=submission.score)
                .exclude(published_score=submission.score).update(published_score=submission.score))


def showcase_pieces(usage_id: str) -> list[dict]:
    """Showcased pieces of a block as any learner of the course may read them: the author's
    name only if the author chose so, never a score."""
    pieces = []
    for sub in (WritingSubmission.objects.filter(usage_id=usage_id, showcase=True, status=WritingStatus.GRADED)
                .select_related("user", "user__party_profile").order_by("rank", "-released_at")):
        author = None
        if sub.showcase_choice == ShowcaseChoice.NAMED:
            profile = getattr(sub.user, "party_profile", None)
            author = (profile.full_name if profile and profile.full_name else None) \
                or sub.user.get_full_name() or sub.user.get_username()
        pieces.append({"id": sub.pk, "title": sub.title, "text": sub.text, "author": author,
                       "award": award_label(sub.award)})
    return pieces


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


def holds_claim(submission: WritingSubmission, grader) -> bool:
    return submission.claimed_by_id == grader.pk and bool(submission.claim_expires) \
        and submission.claim_expires > timezone.now()


# --- grading ------------------------------------------------------------------------------

def _release(submission: WritingSubmission, points: Decimal, feedback: str, by) -> None:
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
                     course_id=assignment.course_id, usage_id=assignment.usage_id)


def _locked(submission_id: int, course_id: str) -> WritingSubmission:
    submission = (WritingSubmission.objects.select_for_update().select_related("assignment", "user")
                  .filter(pk=submission_id, course_id=course_id).first())
    if submission is None:
        raise WritingError(_("This piece does not exist."), 404)
    return submission


def grade(submission_id: int, course_id: str, grader, *, selections, comment: str,
          action: str = "grade") -> WritingSubmission:
    """A grader scores a piece with the rubric (``action`` "grade") or returns it for
    revision ("return"). One grader: the grade is released at once; two stages: it waits for
    an approver. The grader must hold the piece's claim."""
    if action not in {"grade", "return"}:
        raise WritingError(_("Unknown action."))
    comment = _plain(comment, MAX_COMMENT_CHARS)
    with transaction.atomic():
        submission = _locked(submission_id, course_id)
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
            _release(submission, points, comment, grader)
        else:
            submission.status = WritingStatus.PROPOSED
            submission.claimed_by = None
            submission.claim_expires = None
            submission.review_note = ""
            submission.save()
    return submission


def proposal_of(submission: WritingSubmission) -> RubricAssessment | None:
    return (submission.assessments.filter(role=AssessmentRole.GRADER, attempt=submission.attempt)
            .select_related("assessor").order_by("-updated").first())


def approve(submission_id: int, course_id: str, approver) -> WritingSubmission:
    """Two stages: an approver other than the grader releases the proposed grade."""
    with transaction.atomic():
        submission = _locked(submission_id, course_id)
        if submission.status != WritingStatus.PROPOSED:
            raise WritingError(_("This piece has no proposed grade waiting for approval."), 409)
        proposal = proposal_of(submission)
        if proposal is None:
            raise WritingError(_("This piece has no proposed grade waiting for approval."), 409)
        if proposal.assessor_id == approver.pk:
            raise WritingError(_("A grade must be approved by someone other than its grader."), 403)
        _release(submission, proposal.points, proposal.comment, approver)
    return submission


def send_back(submission_id: int, course_id: str, approver, note: str) -> WritingSubmission:
    """Two stages: the approver does not sign the proposal off and sends it back to the graders."""
    note = _plain(note, MAX_COMMENT_CHARS)
    if not note:
        raise WritingError(_("Say why the grade is sent back."))
    with transaction.atomic():
        submission = _locked(submission_id, course_id)
        if submission.status != WritingStatus.PROPOSED:
            raise WritingError(_("This piece has no proposed grade waiting for approval."), 409)
        submission.status = WritingStatus.SUBMITTED if submission.attempt == 1 else WritingStatus.RESUBMITTED
        submission.review_note = note
        submission.save(update_fields=["status", "review_note"])
    return submission


def set_showcase(submission_id: int, course_id: str, on: bool) -> WritingSubmission:
    with transaction.atomic():
        submission = _locked(submission_id, course_id)
        if on and submission.status != WritingStatus.GRADED:
            raise WritingError(_("Only graded pieces can be showcased."), 409)
        submission.showcase = bool(on)
        submission.save(update_fields=["showcase"])
    return submission


# --- contests -----------------------------------------------------------------------------

def is_judge(assignment: WritingAssignment, user) -> bool:
    return WritingJudge.objects.filter(assignment=assignment, user=user).exists()


def set_judges(assignment: WritingAssignment, users) -> None:
    if assignment.flow != GradingFlow.CONTEST:
        raise WritingError(_("Only contest essays have a judges' panel."))
    wanted = {u.pk for u in users}
    with transaction.atomic():
        WritingJudge.objects.filter(assignment=assignment).exclude(user_id__in=wanted).delete()
        have = set(WritingJudge.objects.filter(assignment=assignment).values_list("user_id", flat=True))
        WritingJudge.objects.bulk_create([WritingJudge(assignment=assignment, user_id=pk) for pk in wanted - have])


def judge(submission_id: int, course_id: str, judge_user, *, selections, comment: str) -> RubricAssessment:
    """A panel judge scores a contest essay (and may change the scoring until results are out)."""
    comment = _plain(comment, MAX_COMMENT_CHARS)
    with transaction.atomic():
        submission = _locked(submission_id, course_id)
        assignment = submission.assignment
        if assignment.flow != GradingFlow.CONTEST:
            raise WritingError(_("Only contest essays are judged by a panel."), 409)
        if not is_judge(assignment, judge_user):
            raise WritingError(_("You are not on this contest's judging panel."), 403)
        if assignment.results_published or submission.status not in WAITING:
            raise WritingError(_("The results are published; scores can no longer change."), 409)
        points, chosen = score_selections(assignment.rubric, selections)
        assessment, _created = RubricAssessment.objects.update_or_create(
            submission=submission, attempt=submission.attempt, assessor=judge_user, role=AssessmentRole.JUDGE,
            defaults={"selections": chosen, "points": points, "comment": comment},
        )
    return assessment


def final_score(points: list[Decimal]) -> Decimal | None:
    """Mean of the judges' points; with five or more judges the highest and the lowest are
    dropped first (one of each), as essay contests do."""
    if not points:
        return None
    ordered = sorted(points)
    if len(ordered) >= 5:
        ordered = ordered[1:-1]
    return (sum(ordered, ZERO) / len(ordered)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass
class Standing:
    submission: WritingSubmission
    points: list[Decimal]
    final: Decimal | None
    rank: int | None = None
    award: str = ""

    @property
    def award_label(self) -> str:
        return award_label(self.award)


def tier_counts(assignment: WritingAssignment) -> list[tuple[str, int]]:
    counts = []
    for code in AWARD_TIERS:
        try:
            counts.append((code, max(0, int((assignment.award_tiers or {}).get(code, 0)))))
        except (TypeError, ValueError):
            counts.append((code, 0))
    return counts


def contest_standings(assignment: WritingAssignment) -> list[Standing]:
    """Every contest essay with its judges' points, final score, rank and award tier (two queries).

    Ranks are competition ranks (equal scores share a rank, "1, 2, 2, 4"); tier counts are
    filled in rank order, and a tie at a tier's last place stays in the higher tier."""
    subs = list(WritingSubmission.objects.filter(assignment=assignment).exclude(status=WritingStatus.RETURNED)
                .select_related("user", "user__party_profile"))
    attempts = {s.pk: s.attempt for s in subs}
    by_sub: dict[int, list[Decimal]] = {s.pk: [] for s in subs}
    for sub_id, attempt, points in RubricAssessment.objects.filter(
            submission__assignment=assignment, role=AssessmentRole.JUDGE).values_list(
            "submission_id", "attempt", "points"):
        if attempts.get(sub_id) == attempt:  # only scores of the version in the contest
            by_sub[sub_id].append(points)
    standings = [Standing(s, by_sub[s.pk], final_score(by_sub[s.pk])) for s in subs]
    scored = sorted((s for s in standings if s.final is not None), key=lambda s: -s.final)
    limits, cumulative = [], 0
    for code, count in tier_counts(assignment):
        cumulative += count
        limits.append((code, cumulative))
    previous, rank = None, 0
    for position, standing in enumerate(scored, start=1):
        if standing.final != previous:
            rank, previous = position, standing.final
        standing.rank = rank
        standing.award = next((code for code, limit in limits if rank <= limit), "")
    unscored = [s for s in standings if s.final is None]
    return scored + unscored


def judge_progress(assignment: WritingAssignment) -> list[dict]:
    """Per judge: essays scored of the essays in the contest (three queries)."""
    total = WritingSubmission.objects.filter(assignment=assignment).exclude(status=WritingStatus.RETURNED).count()
    scored = dict(RubricAssessment.objects.filter(submission__assignment=assignment, role=AssessmentRole.JUDGE)
                  .values("assessor_id").annotate(n=Count("id")).values_list("assessor_id", "n"))
    rows = []
    for panel in WritingJudge.objects.filter(assignment=assignment).select_related("user").order_by("user__username"):
        done = scored.get(panel.user_id, 0)
        rows.append({"judge": panel.user, "scored": done, "total": total,
                     "percent": min(100, int(done * 100 / total)) if total else 100})
    return rows


def publish_contest(assignment: WritingAssignment, by) -> int:
    """Release every essay's final score, rank and award; closes the contest. Returns the
    number of essays released."""
    with transaction.atomic():
        assignment = WritingAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.flow != GradingFlow.CONTEST:
            raise WritingError(_("Only contest essays have results to publish."))
        if assignment.results_published:
            raise WritingError(_("The results have already been published."), 409)
        standings = contest_standings(assignment)
        missing = sum(1 for s in standings if s.final is None)
        if missing:
            raise WritingError(_("%(count)d essays have no judge's score yet.") % {"count": missing}, 409)
        for standing in standings:
            sub = standing.submission
            sub.assignment = assignment
            sub.rank, sub.award = standing.rank, standing.award
            _release(sub, standing.final, "", by)
        assignment.results_published = timezone.now()
        assignment.save(update_fields=["results_published", "updated"])
    return len(standings)


# --- the grading queue --------------------------------------------------------------------

@dataclass
class QueueFilters:
    usage_id: str = ""
    kind: str = ""
    status: str = ""
    branch: Organization | None = None
    mine: bool = False


def queue(course_id: str, filters: QueueFilters | None = None, user=None) -> QuerySet[WritingSubmission]:
    """Pieces of a course for the grading queue, oldest first (the queue index covers it)."""
    filters = filters or QueueFilters()
    qs = (WritingSubmission.objects.filter(course_id=course_id)
          .select_related("user", "assignment", "claimed_by", "user__party_profile__organization")
          .defer("text").order_by("submitted_at", "pk"))
    if filters.usage_id:
        qs = qs.filter(usage_id=filters.usage_id)
    if filters.kind:
        qs = qs.filter(assignment__kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.branch is not None:
        qs = qs.filter(user__party_profile__organization__path__startswith=filters.branch.path)
    if filters.mine and user is not None:
        qs = qs.filter(claimed_by=user, claim_expires__gt=timezone.now())
    return qs


def branches_in_course(course_id: str) -> list[Organization]:
    """Organisations of the course's authors and their ancestors, for the branch filter (two queries)."""
    paths = set(WritingSubmission.objects.filter(course_id=course_id, user__party_profile__isnull=False)
                .values_list("user__party_profile__organization__path", flat=True).distinct())
    ids = {int(seg) for path in paths for seg in path.strip("/").split("/") if seg}
    return list(Organization.objects.filter(pk__in=ids).order_by("path"))


def near_copy_flags(submission_ids) -> dict[int, float]:
    """Highest similarity of each piece to another piece (one query)."""
    flags: dict[int, float] = {}
    for first, second, similarity in NearCopyPair.objects.filter(
            Q(first_id__in=submission_ids) | Q(second_id__in=submission_ids)).values_list(
            "first_id", "second_id", "similarity"):
        for pk in (first, second):
            flags[pk] = max(flags.get(pk, 0.0), similarity)
    return flags


def near_copies_of(submission: WritingSubmission) -> list[tuple[NearCopyPair, WritingSubmission]]:
    pairs = (NearCopyPair.objects.filter(Q(first=submission) | Q(second=submission))
             .select_related("first__user", "second__user").order_by("-similarity"))
    return [(pair, pair.second if pair.first_id == submission.pk else pair.first) for pair in pairs]


# --- exports and background jobs ---------------------------------------------------------

def author_name(sub: WritingSubmission) -> str:
    profile = getattr(sub.user, "party_profile", None)
    return (profile.full_name if profile and profile.full_name else "") or sub.user.get_full_name() \
        or sub.user.get_username()


def _branch_name(sub: WritingSubmission) -> str:
    profile = getattr(sub.user, "party_profile", None)
    return profile.organization.name if profile else ""


def export_grades(course_id: str, filters: QueueFilters | None = None) -> bytes:
    """Grades of the course as an XLSX workbook (written row by row, whatever the size)."""
    from openpyxl import Workbook  # pylint: disable=import-outside-toplevel

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Grades"))
    sheet.append([_("Username"), _("Name"), _("Branch"), _("Assignment"), _("Kind"), _("Status"), _("Attempt"),
                  _("Characters"), _("Submitted"), _("Score"), _("Maximum score"), _("Passed"), _("Rank"),
                  _("Award"), _("Released")])
    statuses, kinds = dict(WritingStatus.choices), dict(WritingKind.choices)
    for sub in queue(course_id, filters).iterator(chunk_size=1000):
        released = sub.status == WritingStatus.GRADED
        sheet.append([
            sub.user.get_username(), author_name(sub), _branch_name(sub), sub.assignment.title,
            str(kinds.get(sub.assignment.kind, "")), str(statuses.get(sub.status, "")), sub.attempt, sub.char_count,
            timezone.localtime(sub.submitted_at).replace(tzinfo=None),
            float(sub.score) if released and sub.score is not None else None,
            float(sub.assignment.points_possible), (_("Yes") if sub.passed else _("No")) if released else "",
            sub.rank, award_label(sub.award),
            timezone.localtime(sub.released_at).replace(tzinfo=None) if sub.released_at else None,
        ])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def start_job(kind: str, course_id: str, user) -> WritingJob:
    """Record a background job and hand it to a Celery worker once the record is committed."""
    from .tasks import run_writing_job  # pylint: disable=import-outside-toplevel

    job = WritingJob.objects.create(kind=kind, course_id=course_id, requested_by=user)
    transaction.on_commit(lambda: run_writing_job.delay(job.pk))
    return job


def run_job(job_id: int) -> None:
    job = WritingJob.objects.get(pk=job_id)

    def work() -> dict:
        if job.kind == WritingJob.Kind.ARCHIVE:
            return {"file_name": _build_archive(job)}
        _scan_near_copies(job)
        return {"file_name": ""}

    run_tracked(WritingJob, job_id, work)


PROGRESS_EVERY = 200
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _safe_name(text: str) -> str:
    return _UNSAFE_NAME.sub("_", text).strip(" .")[:80] or "_"


def _build_archive(job: WritingJob) -> str:
    """All pieces of the course, one text file each plus an index, streamed into a zip in a
    temporary file (memory holds one chunk of rows, not the archive), then stored."""
    pieces = (WritingSubmission.objects.filter(course_id=job.course_id)
              .select_related("user", "assignment", "user__party_profile__organization").order_by("usage_id", "pk"))
    total = pieces.count()
    WritingJob.objects.filter(pk=job.pk).update(total=total)
    statuses = dict(WritingStatus.choices)
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow([_("File"), _("Username"), _("Name"), _("Branch"), _("Assignment"), _("Status"),
                     _("Characters"), _("Submitted"), _("Score")])
    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, sub in enumerate(pieces.iterator(chunk_size=500), start=1):
                name = f"{_safe_name(sub.assignment.title)}-{sub.assignment.pk}/" \
                       f"{_safe_name(sub.user.get_username())}-{_safe_name(author_name(sub))}.txt"
                header = f"{sub.title}\n{author_name(sub)} · {_branch_name(sub)}\n" \
                         f"{timezone.localtime(sub.submitted_at):%Y-%m-%d %H:%M}\n\n"
                archive.writestr(name, header + sub.text + "\n")
                score = sub.score if sub.status == WritingStatus.GRADED else ""
                writer.writerow([name, sub.user.get_username(), author_name(sub), _branch_name(sub),
                                 sub.assignment.title, statuses.get(sub.status, ""), sub.char_count,
                                 f"{timezone.localtime(sub.submitted_at):%Y-%m-%d %H:%M}", score])
                if done % PROGRESS_EVERY == 0:
                    WritingJob.objects.filter(pk=job.pk).update(done=done)
            # A BOM so that spreadsheet programs open the Chinese index as UTF-8.
            archive.writestr("index.csv", "\ufeff" + index.getvalue())
        tmp.seek(0)
        stored = default_storage.save(f"party_training/writing/archive-{job.pk}.zip", File(tmp))
    WritingJob.objects.filter(pk=job.pk).update(done=total)
    return stored


def _scan_near_copies(job: WritingJob) -> None:
    """Compare every piece of the course with every other and keep the pairs at >= 0.8."""
    pieces = WritingSubmission.objects.filter(course_id=job.course_id).values_list("pk", "text")
    total = pieces.count()
    WritingJob.objects.filter(pk=job.pk).update(total=total)
    found = near_copies.find_near_copies(pieces.iterator(chunk_size=1000))
    with transaction.atomic():
        NearCopyPair.objects.filter(course_id=job.course_id).delete()
        NearCopyPair.objects.bulk_create([
            NearCopyPair(course_id=job.course_id, first_id=min(p.first, p.second), second_id=max(p.first, p.second),
                         similarity=p.similarity) for p in found
        ], batch_size=1000)
    WritingJob.objects.filter(pk=job.pk).update(done=total)


def latest_jobs(course_id: str) -> dict[str, WritingJob | None]:
    jobs = {kind: None for kind in WritingJob.Kind.values}
    for job in WritingJob.objects.filter(course_id=course_id).order_by("-created")[:20]:
        if jobs.get(job.kind) is None:
            jobs[job.kind] = job
    return jobs
