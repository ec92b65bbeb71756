"""Contest essays (writing_assignment) and their judges' panel: who judges, each judge's rubric
scoring, the trimmed mean, competition ranks, award tiers, and publishing the results."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.permissions import is_course_staff
from ..core.rubrics import HUNDREDTH, ZERO, score_selections
from .access import WAITING, is_judge
from .assignments import AWARD_TIERS, MAX_COMMENT_CHARS, award_label, short_text
from .errors import WritingError
from .grading import locked_piece, release_score
from .models import AssessmentRole, GradingFlow, RubricAssessment, WritingAssignment, WritingJudge, WritingStatus, \
    WritingSubmission

__all__ = [
    "Standing", "contest_standings", "final_score", "is_judge", "judge", "judge_progress", "publish_contest",
    "set_judges", "set_judges_by_name", "tier_counts",
]


def set_judges(assignment: WritingAssignment, users) -> None:
    if assignment.flow != GradingFlow.CONTEST:
        raise WritingError(_("Only contest essays have a judges' panel."))
    wanted = {u.pk for u in users}
    with transaction.atomic():
        WritingJudge.objects.filter(assignment=assignment).exclude(user_id__in=wanted).delete()
        have = set(WritingJudge.objects.filter(assignment=assignment).values_list("user_id", flat=True))
        WritingJudge.objects.bulk_create([WritingJudge(assignment=assignment, user_id=pk) for pk in wanted - have])


def set_judges_by_name(assignment: WritingAssignment, names_text: str) -> None:
    """The panel as the contest page types it: usernames separated by commas (either width);
    every judge must be a known user and course staff of the contest's course."""
    names = [n.strip() for n in (names_text or "").replace("，", ",").split(",") if n.strip()]
    users = list(get_user_model().objects.filter(username__in=names))
    unknown = sorted(set(names) - {u.get_username() for u in users})
    not_staff = sorted(u.get_username() for u in users if not is_course_staff(u, assignment.course_id))
    if unknown:
        raise WritingError(_("Unknown users: %(names)s") % {"names": ", ".join(unknown)})
    if not_staff:
        raise WritingError(_("Judges must be course staff: %(names)s") % {"names": ", ".join(not_staff)})
    set_judges(assignment, users)


def judge(submission_id: int, course_id: str, judge_user, *, selections, comment: str) -> RubricAssessment:
    """A panel judge scores a contest essay (and may change the scoring until results are out)."""
    comment = short_text(comment, MAX_COMMENT_CHARS, _("The comment"))
    with transaction.atomic():
        submission = locked_piece(submission_id, course_id)
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


def tier_labels(assignment: WritingAssignment) -> list[tuple[str, int]]:
    """Award tiers as the contest page lists them: (label, count)."""
    return [(award_label(code), count) for code, count in tier_counts(assignment)]


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
    """Release every essay's final score, rank and award; closes the contest (the editor of
    every learner turns read-only, see ``access``). Returns the number of essays released."""
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
            release_score(sub, standing.final, "", by)
        assignment.results_published = timezone.now()
        assignment.save(update_fields=["results_published", "updated"])
    return len(standings)
