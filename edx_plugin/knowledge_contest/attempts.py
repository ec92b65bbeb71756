"""Attempts at a knowledge contest (knowledge_contest): starting one, saving answers, moving on
when each question is timed, submitting, closing at the deadline (lazily on access and by the
overdue sweep), and staff resetting a learner.

The server decides everything that matters: which questions an attempt has, in which order, until
when answers are accepted, and what they score. The learner's browser only shows what the
payloads return, and nothing they return for an open attempt contains an answer or an explanation.
"""
from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.db import CompiledRead, instance_from_row, upsert
from .config import DEFAULT_POINTS, ContestConfig, ContestError, draw_questions
from .leaderboards import forget_branch_standings
from .models import AttemptStatus, ContestAnswer, ContestAttempt, Question, QuestionType
from .questions import LETTERS
from .scoring import credit_contest_hours, grade_answer, record_result, remove_result, score_attempt

CLOSED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)
MAX_BLANK_RESPONSE = 200
# What grading an answer reads of its question (read with the attempt in ``save_answer``).
_QUESTION_FIELDS = {"qtype": models.CharField(), "options": models.JSONField(), "answer": models.JSONField()}


def _locked_attempt(*, attempt_id: int, user_id: int, usage_id: str, question_id: int):
    """The learner's attempt, locked, with the question riding along as subqueries (authored data: a
    plain read; only the attempt is locked)."""
    question_row = Question.objects.filter(pk=question_id).order_by()
    return (ContestAttempt.objects.select_for_update()
            .filter(pk=attempt_id, user_id=user_id, usage_id=usage_id).order_by("pk")
            .values("id", "status", "deadline", "question_ids", "rules", "position", "position_started",
                    **{f"question_{name}": Subquery(question_row.values(name)[:1], output_field=field)
                       for name, field in _QUESTION_FIELDS.items()})[:1])


# Compiled once per process: an answer is the contest's hottest request.
_LOCKED_ATTEMPT = CompiledRead(ContestAttempt, _locked_attempt, lock=True, attempt_id=int, user_id=int, usage_id=str,
                               question_id=int)


def _open_attempt(user_id: int, usage_id: str, *, lock: bool = False) -> ContestAttempt | None:
    qs = ContestAttempt.objects.filter(user_id=user_id, usage_id=usage_id, status=AttemptStatus.ACTIVE)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def close_if_overdue(attempt: ContestAttempt | None, now: datetime.datetime) -> ContestAttempt | None:
    """The lazy half of closing at the deadline: any access to an overdue attempt closes it first.
    Returns the attempt if it is still open."""
    if attempt is not None and attempt.status == AttemptStatus.ACTIVE and now >= attempt.deadline:
        close_attempt(attempt.pk, now)
        return None
    return attempt


def start_attempt(user_id: int, config: ContestConfig, now: datetime.datetime | None = None,
                  rng: random.Random | None = None) -> ContestAttempt:
    """Start an attempt, or return the learner's open one (a second click, another device)."""
    now = now or timezone.now()
    current = close_if_overdue(_open_attempt(user_id, config.usage_id), now)
    if current is not None:
        return current
    window = config.window(now)
    if window == "not_started":
        raise ContestError(_("The contest has not started yet."), status=409)
    if window == "closed":
        raise ContestError(_("The contest is over."), status=409)
    used = ContestAttempt.objects.filter(user_id=user_id, usage_id=config.usage_id).count()
    if config.max_attempts and used >= config.max_attempts:
        raise ContestError(_("You have used all your attempts."), status=409)
    question_ids, orders, max_score = draw_questions(config, rng or random.SystemRandom())
    deadline = now + datetime.timedelta(minutes=config.time_limit_minutes)
    if config.question_seconds:
        deadline = min(deadline, now + datetime.timedelta(seconds=config.question_seconds * len(question_ids)))
    if config.window_end:
        deadline = min(deadline, config.window_end)
    try:
        with transaction.atomic():
            return ContestAttempt.objects.create(
                user_id=user_id, course_id=config.course_id, usage_id=config.usage_id, number=used + 1,
                started=now, deadline=deadline, question_ids=question_ids, option_orders=orders,
                rules=config.rules_snapshot(), position=0, position_started=now, max_score=max_score,
            )
    except IntegrityError:
        # A concurrent start (double click, two devices) created the open attempt first: resume it.
        with transaction.atomic():
            existing = _open_attempt(user_id, config.usage_id, lock=True)
        if existing is None:
            raise ContestError(_("Please try again."), status=409) from None
        return existing


def effective_position(attempt: ContestAttempt, now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    """With a time limit per question, the question on screen and when its time runs out.

    A question whose time ran out is left behind without a request: the position is derived
    from the stored position and the clock, so it is the same on every device.
    """
    seconds = attempt.rules.get("question_seconds") or 0
    count = len(attempt.question_ids)
    if not seconds:
        return attempt.position, None
    elapsed = max(0.0, (now - attempt.position_started).total_seconds())
    skipped = int(elapsed // seconds)
    position = min(attempt.position + skipped, count)
    ends = attempt.position_started + datetime.timedelta(seconds=seconds * (skipped + 1))
    return position, min(ends, attempt.deadline)


def clean_response(question: Question, response) -> list:
    if not isinstance(response, list) or not all(isinstance(r, str) for r in response):
        raise ContestError(_("The answer is not valid."))
    if not response:
        return []
    if question.qtype == QuestionType.FILL_BLANK:
        text = response[0].strip()
        if len(response) != 1 or len(text) > MAX_BLANK_RESPONSE:
            raise ContestError(_("The answer is too long."))
        return [text] if text else []
    keys = {"T", "F"} if question.qtype == QuestionType.TRUE_FALSE else set(LETTERS[:len(question.options)])
    chosen = sorted(set(response))
    if any(key not in keys for key in chosen):
        raise ContestError(_("The answer is not valid."))
    if question.qtype != QuestionType.MULTIPLE and len(chosen) != 1:
        raise ContestError(_("Choose one option."))
    return chosen


def save_answer(user_id: int, usage_id: str, attempt_id: int, question_id: int, response,
                now: datetime.datetime | None = None) -> dict:
    """Save (or clear) one answer at once. Two queries whatever the bank size or the number of
    participants: the attempt (locked) read together with the question, and one write."""
    now = now or timezone.now()
    overdue = False
    with transaction.atomic():
        row = _LOCKED_ATTEMPT.first(attempt_id=attempt_id, user_id=user_id, usage_id=usage_id,
                                    question_id=question_id)
        if row is None:
            raise ContestError(_("This attempt does not exist."), status=404)
        attempt = instance_from_row(ContestAttempt, row)
        if attempt.status != AttemptStatus.ACTIVE:
            raise ContestError(_("This attempt is closed; answers can no longer be changed."), 409, "closed")
        if now >= attempt.deadline:
            overdue = True
        else:
            if question_id not in attempt.question_ids:
                raise ContestError(_("This question is not part of your attempt."))
            position, _ends = effective_position(attempt, now)
            if attempt.rules.get("question_seconds") and attempt.question_ids.index(question_id) != position:
                raise ContestError(_("The time for this question is over."), 409, "moved")
            question = Question(pk=question_id, qtype=attempt.question_qtype, options=attempt.question_options,
                                answer=attempt.question_answer)
            cleaned = clean_response(question, response)
            if not cleaned:
                ContestAnswer.objects.filter(attempt_id=attempt_id, question_id=question_id).delete()
            else:
                correct, points = grade_answer(question, cleaned, attempt.rules.get("points", DEFAULT_POINTS))
                values = {"response": cleaned, "is_correct": correct, "points": points, "answered": now}
                answer = ContestAnswer(attempt_id=attempt_id, question_id=question_id, usage_id=usage_id, **values)
                upsert(ContestAnswer, [answer], ["attempt", "question"], list(values))
    if overdue:
        close_attempt(attempt_id, now)
        raise ContestError(_("Time is up: your attempt was closed and answers are no longer accepted."), 409, "closed")
    return {"saved": True, "question": question_id, "response": cleaned}


def next_question(user_id: int, usage_id: str, attempt_id: int, now: datetime.datetime | None = None) -> int:
    """Leave the current question (timed per question): the next one's clock starts now."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = ContestAttempt.objects.select_for_update().filter(
            pk=attempt_id, user_id=user_id, usage_id=usage_id, status=AttemptStatus.ACTIVE).first()
        if attempt is None:
            raise ContestError(_("This attempt is closed; answers can no longer be changed."), 409, "closed")
        position, _ends = effective_position(attempt, now)
        attempt.position = min(position + 1, len(attempt.question_ids))
        attempt.position_started = now
        attempt.save(update_fields=["position", "position_started"])
        return attempt.position


def submit_attempt(user_id: int, usage_id: str, attempt_id: int,
                   now: datetime.datetime | None = None) -> ContestAttempt:
    """Close an attempt at the learner's request. Submitting twice (or racing the sweep) counts once."""
    if not ContestAttempt.objects.filter(pk=attempt_id, user_id=user_id, usage_id=usage_id).exists():
        raise ContestError(_("This attempt does not exist."), status=404)
    attempt, _closed_now = close_attempt(attempt_id, now or timezone.now())
    return attempt


def close_attempt(attempt_id: int, now: datetime.datetime) -> tuple[ContestAttempt, bool]:
    """Score and close an attempt, record the counted result and credit hours, all in one transaction.

    Idempotent: the row lock makes a second call (double submit, the sweep, another device) see the
    attempt closed and change nothing. Returns the attempt and whether this call closed it.
    """
    with transaction.atomic():
        attempt = ContestAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.status != AttemptStatus.ACTIVE:
            return attempt, False
        finished = min(now, attempt.deadline)
        attempt.status = AttemptStatus.SUBMITTED if now < attempt.deadline else AttemptStatus.EXPIRED
        attempt.finished = finished
        attempt.open_slot = None
        answered = score_attempt(attempt, finished)
        attempt.save()
        record_result(attempt)
        credit_contest_hours(attempt, answered=answered)
    return attempt, True


def close_overdue_attempts(now: datetime.datetime | None = None, batch: int = 500) -> int:
    """The sweeping half of closing at the deadline (Celery beat or cron). Returns how many it closed."""
    now = now or timezone.now()
    closed = 0
    while True:
        ids = list(ContestAttempt.objects.filter(status=AttemptStatus.ACTIVE, deadline__lte=now)
                   .order_by("deadline").values_list("id", flat=True)[:batch])
        for attempt_id in ids:
            closed += close_attempt(attempt_id, now)[1]
        if len(ids) < batch:
            return closed


# --- staff ----------------------------------------------------------------------------------------
def reset_learner(usage_id: str, user) -> int:
    """Staff: remove a learner's attempts and result in a contest so they may start again.
    Credited hours stay in the ledger (it is append-only). Returns the number of attempts removed."""
    with transaction.atomic():
        remove_result(usage_id, user)
        count = ContestAttempt.objects.filter(usage_id=usage_id, user=user).count()
        # Answers go with their attempts (cascade).
        ContestAttempt.objects.filter(usage_id=usage_id, user=user).delete()
    forget_branch_standings(usage_id)
    return count


def reset_learner_named(usage_id: str, username: str) -> dict:
    """Staff, from the block or the live view: reset the learner with this username. Returns the
    count removed and the notice to show; ContestError 404 when there is no such user."""
    username = str(username or "").strip()
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is None:
        raise ContestError(_("There is no user with this username."), status=404)
    removed = reset_learner(usage_id, user)
    return {"removed": removed, "message": _("Attempts removed for %(user)s: %(count)s")
            % {"count": removed, "user": user.username}}
