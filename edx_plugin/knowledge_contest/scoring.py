"""Scoring of knowledge contest (knowledge_contest) attempts: grading one answer, the score of a
closed attempt with its speed bonus, the counted result of each learner (best or last attempt)
and the per-score counts ranks are read from, the hours credited through the ledger, and the
grade handed to the platform's grades service.
"""
from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from ..core.ledger import credit_hours
from ..core.models import HourSource, MemberProfile
from .models import ContestAttempt, ContestResult, ContestScoreCount, Question, QuestionType
from .questions import blank_matches


def grade_answer(question: Question, response: list, points: dict) -> tuple[bool, float]:
    """Whether a cleaned response is right, and the points it wins under the attempt's points table."""
    if question.qtype == QuestionType.FILL_BLANK:
        correct = blank_matches(response[0] if response else "", question.answer)
    else:
        correct = sorted(response) == sorted(question.answer)
    return correct, (float(points.get(question.qtype, 0)) if correct else 0.0)


def passed(attempt: ContestAttempt) -> bool:
    """Whether a closed attempt reached the pass mark it started with (the bonus does not count)."""
    return bool(attempt.max_score) and (
        attempt.score * 100.0 / attempt.max_score >= float(attempt.rules.get("pass_percent", 60)))


def score_attempt(attempt: ContestAttempt, finished: datetime.datetime) -> int:
    """Set a closing attempt's score, correct answers, duration and speed bonus (not saved).
    Returns how many questions were answered."""
    totals = attempt.answers.aggregate(score=Sum("points"), correct=Count("id", filter=Q(is_correct=True)),
                                       answered=Count("id"))
    max_score = attempt.max_score
    attempt.score = round(float(totals["score"] or 0), 2)
    attempt.correct_count = totals["correct"] or 0
    attempt.duration_ms = int((finished - attempt.started).total_seconds() * 1000)
    bonus = float(attempt.rules.get("speed_bonus") or 0)
    allowed = (attempt.deadline - attempt.started).total_seconds()
    if bonus and max_score and allowed > 0:
        # Speed counts only with accuracy: the share of time left times the share of points won.
        left = max(0.0, (attempt.deadline - finished).total_seconds()) / allowed
        attempt.bonus = round(bonus * left * attempt.score / max_score, 2)
    return totals["answered"] or 0


# --- counted results ----------------------------------------------------------------------------
def _better(attempt: ContestAttempt, result: ContestResult) -> bool:
    if attempt.rules.get("counting") == "last":
        return True
    return (attempt.total, -attempt.duration_ms) > (result.total, -result.duration_ms)


def record_result(attempt: ContestAttempt) -> None:
    """Make a closed attempt the learner's counted result if it counts (inside the closing transaction)."""
    org_id = MemberProfile.objects.filter(user_id=attempt.user_id).values_list("organization_id", flat=True).first()
    values = {"attempt": attempt, "total": attempt.total, "duration_ms": attempt.duration_ms,
              "max_score": attempt.max_score, "organization_id": org_id, "course_id": attempt.course_id}
    result = (ContestResult.objects.select_for_update()
              .filter(usage_id=attempt.usage_id, user_id=attempt.user_id).first())
    if result is None:
        ContestResult.objects.create(user_id=attempt.user_id, usage_id=attempt.usage_id, attempts=attempt.number,
                                     **values)
        count_score(attempt.usage_id, attempt.total, +1)
        return
    result.attempts = max(result.attempts, attempt.number)
    if _better(attempt, result):
        if result.total != attempt.total:
            count_score(attempt.usage_id, result.total, -1)
            count_score(attempt.usage_id, attempt.total, +1)
        for name, value in values.items():
            setattr(result, name, value)
    result.save()


def remove_result(usage_id: str, user) -> None:
    """Remove a learner's counted result and its place in the score counts (inside a transaction)."""
    result = ContestResult.objects.select_for_update().filter(usage_id=usage_id, user=user).first()
    if result is not None:
        count_score(usage_id, result.total, -1)
        result.delete()


def count_score(usage_id: str, total: float, delta: int) -> None:
    """Move one result in or out of its score's count (inside the caller's transaction).

    One atomic upsert: learners closing at once with the same score would deadlock on InnoDB with
    update-then-insert (two inserts of the same new key wait on each other's shared locks).
    """
    quote = connection.ops.quote_name
    table = quote(ContestScoreCount._meta.db_table)
    count = quote("count")
    insert = (f"INSERT INTO {table} ({quote('usage_id')}, {quote('total')}, {count}) VALUES (%s, %s, %s) ")
    if connection.vendor == "mysql":
        upsert = insert + f"ON DUPLICATE KEY UPDATE {count} = {count} + VALUES({count})"
    else:
        upsert = insert + (f"ON CONFLICT ({quote('usage_id')}, {quote('total')}) "
                           f"DO UPDATE SET {count} = {count} + excluded.{count}")
    with connection.cursor() as cursor:
        cursor.execute(upsert, [usage_id, float(total), delta])


def rebuild_score_counts(usage_id: str) -> int:
    """Recount a contest's score counts from its results (after bulk loads or a repair). Returns rows."""
    with transaction.atomic():
        ContestScoreCount.objects.filter(usage_id=usage_id).delete()
        groups = (ContestResult.objects.filter(usage_id=usage_id).values("total").annotate(n=Count("id"))
                  .values_list("total", "n"))
        rows = ContestScoreCount.objects.bulk_create(
            [ContestScoreCount(usage_id=usage_id, total=total, count=n) for total, n in groups], batch_size=1000)
    return len(rows)


# --- hours and grades ---------------------------------------------------------------------------
def credit_contest_hours(attempt: ContestAttempt, answered: int) -> None:
    """Credit the contest's hours once per learner: on passing, or on finishing an attempt with at
    least one answer, as the attempt's rules say (the ledger ignores a second credit)."""
    rules = attempt.rules
    hours = float(rules.get("hours") or 0)
    if hours <= 0 or not answered:
        return
    percent = attempt.score * 100.0 / attempt.max_score if attempt.max_score else 0.0
    if rules.get("hours_when") == "pass" and percent < float(rules.get("pass_percent", 60)):
        return
    user = get_user_model().objects.get(pk=attempt.user_id)
    credit_hours(user, hours, HourSource.CONTEST, attempt.usage_id, course_id=attempt.course_id,
                 usage_id=attempt.usage_id, date=timezone.localdate(attempt.finished),
                 note=str(rules.get("title") or ""))


def mark_grade_published(usage_id: str, user_id: int) -> float | None:
    """The learner's counted result as a fraction of the maximum if the grades service has not seen
    it yet (and mark it seen), else None."""
    result = ContestResult.objects.filter(usage_id=usage_id, user_id=user_id).only(
        "id", "total", "max_score", "published_fraction").first()
    if result is None or not result.max_score:
        return None
    fraction = round(min(1.0, result.total / result.max_score), 4)
    if result.published_fraction == fraction:
        return None
    ContestResult.objects.filter(pk=result.pk).update(published_fraction=fraction)
    return fraction
