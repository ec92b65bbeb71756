"""Knowledge contests: the draw, attempts and their deadline, answers, scoring, leaderboards, and the
statistics staff see during and after a contest.

The server decides everything that matters: which questions an attempt has, in which order, until
when answers are accepted, and what they score. The learner's browser only shows what this
module returns, and nothing it returns for an open attempt contains an answer or an explanation.
"""
from __future__ import annotations

import datetime
import random
import tempfile
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ContestAnswer, ContestAttempt, ContestExport, ContestResult, ContestScoreCount, Question, QuestionBank, QuestionType
from ..core.models import HourSource, MemberProfile, Organization
from ..core.ledger import credit_hours
from ..core.jobs import run_tracked
from .banks import FALSE_LABEL, LETTERS, TRUE_LABEL, blank_matches, workbook_bytes

AttemptStatus = ContestAttempt.Status
CLOSED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)
DEFAULT_POINTS = {"single": 1.0, "multiple": 2.0, "true_false": 1.0, "fill_blank": 2.0}
MAX_QUESTIONS = 200
MAX_BLANK_RESPONSE = 200
BRANCH_CACHE_SECONDS = 30
LIVE_CACHE_SECONDS = 5
EXPORT_PROGRESS_EVERY = 2000


class ContestError(ValueError):
    """A refused learner or staff action. ``code`` tells the browser what to do next
    ("closed": the attempt was closed, show the result)."""

    def __init__(self, message: str, status: int = 400, code: str = "invalid"):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


@dataclass(frozen=True)
class DrawRule:
    bank: str
    count: int
    category: str = ""
    difficulty: int = 0  # 0: any difficulty


@dataclass
class ContestConfig:
    """What a contest block is configured to do (built from its fields)."""

    course_id: str
    usage_id: str
    draw_rules: list[DrawRule]
    shuffle_questions: bool = True
    shuffle_options: bool = True
    time_limit_minutes: int = 20
    question_seconds: int = 0
    window_start: datetime.datetime | None = None
    window_end: datetime.datetime | None = None
    max_attempts: int = 1
    counting: str = "best"
    points: dict = field(default_factory=lambda: dict(DEFAULT_POINTS))
    speed_bonus: float = 0.0
    show_explanations: str = "after_attempt"
    pass_percent: float = 60.0
    hours: float = 0.0
    hours_when: str = "pass"

    def window(self, now: datetime.datetime) -> str:
        if self.window_start and now < self.window_start:
            return "not_started"
        if self.window_end and now >= self.window_end:
            return "closed"
        return "open"

    def reveals_answers(self, now: datetime.datetime) -> bool:
        """Whether a closed attempt's review may show correct answers and explanations now."""
        if self.show_explanations == "after_attempt":
            return True
        return bool(self.window_end and now >= self.window_end)

    def rules_snapshot(self) -> dict:
        """The rules an attempt keeps from its start: later edits of the contest do not change it."""
        return {
            "points": {k: float(self.points.get(k, DEFAULT_POINTS[k])) for k in DEFAULT_POINTS},
            "question_seconds": int(self.question_seconds), "speed_bonus": float(self.speed_bonus),
            "pass_percent": float(self.pass_percent), "hours": float(self.hours), "hours_when": self.hours_when,
            "counting": self.counting,
        }


# --- the draw ---------------------------------------------------------------------------------
def _rule_queryset(rule: DrawRule, bank_ids: dict[str, int]):
    qs = Question.objects.filter(bank_id=bank_ids.get(rule.bank), active=True)
    if rule.category:
        qs = qs.filter(category=rule.category)
    if rule.difficulty:
        qs = qs.filter(difficulty=rule.difficulty)
    return qs


def check_draw_rules(rules: list[DrawRule]) -> list[str]:
    """Problems with draw rules, translated (empty when every rule can be drawn)."""
    problems = []
    if not rules:
        return [_("Add at least one draw rule.")]
    bank_ids = dict(QuestionBank.objects.filter(code__in={r.bank for r in rules}).values_list("code", "id"))
    total = 0
    for number, rule in enumerate(rules, start=1):
        total += rule.count
        if rule.bank not in bank_ids:
            problems.append(_("Rule %(n)d: there is no question bank with the code \"%(code)s\".")
                            % {"n": number, "code": rule.bank})
            continue
        available = _rule_queryset(rule, bank_ids).count()
        if available < rule.count:
            problems.append(_("Rule %(n)d asks for %(count)d questions but the bank has %(available)d that match.")
                            % {"n": number, "count": rule.count, "available": available})
    if total > MAX_QUESTIONS:
        problems.append(_("A contest has at most %(max)d questions.") % {"max": MAX_QUESTIONS})
    return problems


def draw_questions(config: ContestConfig, rng: random.Random) -> tuple[list[int], dict[str, list[int]], float]:
    """Question ids for a new attempt, the shown order of each choice question's options, and the
    attempt's maximum score.

    Rules are drawn in order; a question drawn by an earlier rule is not drawn again.
    """
    bank_ids = dict(QuestionBank.objects.filter(code__in={r.bank for r in config.draw_rules})
                    .values_list("code", "id"))
    picked: list[int] = []
    taken: set[int] = set()
    for rule in config.draw_rules:
        candidates = [pk for pk in _rule_queryset(rule, bank_ids).values_list("id", flat=True) if pk not in taken]
        if len(candidates) < rule.count:
            raise ContestError(_("The contest cannot draw its questions; please tell the course staff."), status=409)
        chosen = rng.sample(candidates, rule.count)
        picked.extend(chosen)
        taken.update(chosen)
    if not picked:
        raise ContestError(_("The contest has no questions yet."), status=409)
    if config.shuffle_questions:
        rng.shuffle(picked)
    orders: dict[str, list[int]] = {}
    points = config.rules_snapshot()["points"]
    max_score = 0.0
    for pk, qtype, options in Question.objects.filter(id__in=picked).values_list("id", "qtype", "options"):
        max_score += points[qtype]
        if config.shuffle_options and qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            order = list(range(len(options)))
            rng.shuffle(order)
            orders[str(pk)] = order
    return picked, orders, max_score


# --- attempts ---------------------------------------------------------------------------------
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


def _effective_position(attempt: ContestAttempt, now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
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


def _grade(question: Question, response: list, points: dict) -> tuple[bool, float]:
    if question.qtype == QuestionType.FILL_BLANK:
        correct = blank_matches(response[0] if response else "", question.answer)
    else:
        correct = sorted(response) == sorted(question.answer)
    return correct, (float(points.get(question.qtype, 0)) if correct else 0.0)


def _clean_response(question: Question, response) -> list:
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
    """Save (or clear) one answer at once. A fixed handful of queries whatever the bank size or the
    number of participants: the attempt (locked), the question, and one write."""
    now = now or timezone.now()
    overdue = False
    with transaction.atomic():
        attempt = (ContestAttempt.objects.select_for_update()
                   .only("id", "status", "deadline", "question_ids", "rules", "position", "position_started")
                   .filter(pk=attempt_id, user_id=user_id, usage_id=usage_id).first())
        if attempt is None:
            raise ContestError(_("This attempt does not exist."), status=404)
        if attempt.status != AttemptStatus.ACTIVE:
            raise ContestError(_("This attempt is closed; answers can no longer be changed."), 409, "closed")
        if now >= attempt.deadline:
            overdue = True
        else:
            if question_id not in attempt.question_ids:
                raise ContestError(_("This question is not part of your attempt."))
            position, _ends = _effective_position(attempt, now)
            if attempt.rules.get("question_seconds") and attempt.question_ids.index(question_id) != position:
                raise ContestError(_("The time for this question is over."), 409, "moved")
            question = Question.objects.only("id", "qtype", "options", "answer").get(pk=question_id)
            cleaned = _clean_response(question, response)
            if not cleaned:
                ContestAnswer.objects.filter(attempt_id=attempt_id, question_id=question_id).delete()
            else:
                correct, points = _grade(question, cleaned, attempt.rules.get("points", DEFAULT_POINTS))
                values = {"response": cleaned, "is_correct": correct, "points": points, "answered": now}
                # The attempt row is locked, so update-then-insert cannot race with itself.
                if not ContestAnswer.objects.filter(attempt_id=attempt_id, question_id=question_id).update(**values):
                    ContestAnswer.objects.create(attempt_id=attempt_id, question_id=question_id,
                                                 usage_id=usage_id, **values)
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
        position, _ends = _effective_position(attempt, now)
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
        rules = attempt.rules
        totals = attempt.answers.aggregate(score=Sum("points"), correct=Count("id", filter=Q(is_correct=True)),
                                           answered=Count("id"))
        max_score = attempt.max_score
        finished = min(now, attempt.deadline)
        attempt.status = AttemptStatus.SUBMITTED if now < attempt.deadline else AttemptStatus.EXPIRED
        attempt.finished = finished
        attempt.open_slot = None
        attempt.score = round(float(totals["score"] or 0), 2)
        attempt.correct_count = totals["correct"] or 0
        attempt.duration_ms = int((finished - attempt.started).total_seconds() * 1000)
        bonus = float(rules.get("speed_bonus") or 0)
        allowed = (attempt.deadline - attempt.started).total_seconds()
        if bonus and max_score and allowed > 0:
            # Speed counts only with accuracy: the share of time left times the share of points won.
            left = max(0.0, (attempt.deadline - finished).total_seconds()) / allowed
            attempt.bonus = round(bonus * left * attempt.score / max_score, 2)
        attempt.save()
        _record_result(attempt)
        _credit_contest_hours(attempt, answered=totals["answered"] or 0)
    return attempt, True


def _better(attempt: ContestAttempt, result: ContestResult) -> bool:
    if attempt.rules.get("counting") == "last":
        return True
    return (attempt.total, -attempt.duration_ms) > (result.total, -result.duration_ms)


def _record_result(attempt: ContestAttempt) -> None:
    org_id = MemberProfile.objects.filter(user_id=attempt.user_id).values_list("organization_id", flat=True).first()
    values = {"attempt": attempt, "total": attempt.total, "duration_ms": attempt.duration_ms,
              "max_score": attempt.max_score, "organization_id": org_id, "course_id": attempt.course_id}
    result = (ContestResult.objects.select_for_update()
              .filter(usage_id=attempt.usage_id, user_id=attempt.user_id).first())
    if result is None:
        ContestResult.objects.create(user_id=attempt.user_id, usage_id=attempt.usage_id, attempts=attempt.number,
                                     **values)
        _count_score(attempt.usage_id, attempt.total, +1)
        return
    result.attempts = max(result.attempts, attempt.number)
    if _better(attempt, result):
        if result.total != attempt.total:
            _count_score(attempt.usage_id, result.total, -1)
            _count_score(attempt.usage_id, attempt.total, +1)
        for name, value in values.items():
            setattr(result, name, value)
    result.save()


def _count_score(usage_id: str, total: float, delta: int) -> None:
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


def _credit_contest_hours(attempt: ContestAttempt, answered: int) -> None:
    rules = attempt.rules
    hours = float(rules.get("hours") or 0)
    if hours <= 0 or not answered:
        return
    percent = attempt.score * 100.0 / attempt.max_score if attempt.max_score else 0.0
    if rules.get("hours_when") == "pass" and percent < float(rules.get("pass_percent", 60)):
        return
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    user = get_user_model().objects.get(pk=attempt.user_id)
    credit_hours(user, hours, HourSource.CONTEST, attempt.usage_id, course_id=attempt.course_id,
                 usage_id=attempt.usage_id, date=timezone.localdate(attempt.finished))


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


def reset_learner(usage_id: str, user) -> int:
    """Staff: remove a learner's attempts and result in a contest so they may start again.
    Credited hours stay in the ledger (it is append-only). Returns the number of attempts removed."""
    with transaction.atomic():
        result = ContestResult.objects.select_for_update().filter(usage_id=usage_id, user=user).first()
        if result is not None:
            _count_score(usage_id, result.total, -1)
            result.delete()
        count = ContestAttempt.objects.filter(usage_id=usage_id, user=user).count()
        # Answers go with their attempts (cascade).
        ContestAttempt.objects.filter(usage_id=usage_id, user=user).delete()
    cache.delete(_branch_cache_key(usage_id))
    return count


# --- what a learner sees ------------------------------------------------------------------------
def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _option_items(question: Question, order: list[int] | None) -> list[dict]:
    if question.qtype == QuestionType.TRUE_FALSE:
        return [{"key": "T", "text": str(TRUE_LABEL)}, {"key": "F", "text": str(FALSE_LABEL)}]
    if question.qtype == QuestionType.FILL_BLANK:
        return []
    indexes = order if order and len(order) == len(question.options) else range(len(question.options))
    return [{"key": LETTERS[i], "text": question.options[i]} for i in indexes]


def attempt_payload(attempt: ContestAttempt, now: datetime.datetime) -> dict:
    """An open attempt as its learner sees it: stems, options in the drawn order, the learner's own
    responses, the clock. Never answers or explanations."""
    position, question_ends = _effective_position(attempt, now)
    timed_per_question = bool(attempt.rules.get("question_seconds"))
    # Timed per question: later questions stay unseen until their turn.
    visible = attempt.question_ids[:position + 1] if timed_per_question else attempt.question_ids
    by_id = Question.objects.only("id", "qtype", "stem", "options").in_bulk(visible)
    responses = dict(attempt.answers.values_list("question_id", "response"))
    labels = dict(QuestionType.choices)
    questions = []
    for index, pk in enumerate(visible):
        question = by_id.get(pk)
        if question is None:
            continue
        questions.append({
            "id": pk, "index": index, "type": question.qtype, "type_label": str(labels[question.qtype]),
            "stem": question.stem, "options": _option_items(question, attempt.option_orders.get(str(pk))),
            "response": responses.get(pk, []),
            "locked": timed_per_question and index < position,
        })
    return {
        "id": attempt.pk, "number": attempt.number, "count": len(attempt.question_ids),
        "deadline": _iso(attempt.deadline), "remaining_seconds": max(0, int((attempt.deadline - now).total_seconds())),
        "question_seconds": attempt.rules.get("question_seconds") or 0,
        "position": position,
        "question_remaining": max(0, int((question_ends - now).total_seconds())) if question_ends else None,
        "answered": len(responses), "questions": questions,
    }


def result_payload(attempt: ContestAttempt, config: ContestConfig, now: datetime.datetime) -> dict:
    """A closed attempt: its score always; the per-question review with answers and explanations only
    when the contest's rule allows it now."""
    data = {
        "id": attempt.pk, "number": attempt.number, "status": attempt.status,
        "status_label": str(attempt.get_status_display()),
        "score": attempt.score, "bonus": attempt.bonus, "total": attempt.total, "max_score": attempt.max_score,
        "correct_count": attempt.correct_count, "count": len(attempt.question_ids),
        "duration_seconds": round((attempt.duration_ms or 0) / 1000), "finished": _iso(attempt.finished),
        "passed": bool(attempt.max_score) and (
            attempt.score * 100.0 / attempt.max_score >= float(attempt.rules.get("pass_percent", 60))),
        "review": None, "review_from": None,
    }
    if not config.reveals_answers(now):
        data["review_from"] = _iso(config.window_end)
        return data
    by_id = Question.objects.in_bulk(attempt.question_ids)
    answers = {a.question_id: a for a in attempt.answers.all()}
    labels = dict(QuestionType.choices)
    review = []
    for index, pk in enumerate(attempt.question_ids):
        question = by_id.get(pk)
        if question is None:
            continue
        given = answers.get(pk)
        review.append({
            "id": pk, "index": index, "type": question.qtype, "type_label": str(labels[question.qtype]),
            "stem": question.stem, "options": _option_items(question, attempt.option_orders.get(str(pk))),
            "response": given.response if given else [], "correct": bool(given and given.is_correct),
            "points": given.points if given else 0.0,
            "answer": list(question.answer), "explanation": question.explanation,
        })
    data["review"] = review
    return data


def learner_state(user_id: int, config: ContestConfig, now: datetime.datetime | None = None) -> dict:
    """Everything the contest page shows its learner (any overdue attempt is closed first)."""
    now = now or timezone.now()
    attempts = list(ContestAttempt.objects.filter(user_id=user_id, usage_id=config.usage_id).order_by("number"))
    for attempt in attempts:
        if attempt.status == AttemptStatus.ACTIVE and now >= attempt.deadline:
            closed, _done = close_attempt(attempt.pk, now)
            attempts[attempts.index(attempt)] = closed
    active = next((a for a in attempts if a.status == AttemptStatus.ACTIVE), None)
    finished = [a for a in attempts if a.status != AttemptStatus.ACTIVE]
    window = config.window(now)
    can_start = (active is None and window == "open"
                 and (not config.max_attempts or len(attempts) < config.max_attempts))
    return {
        "now": _iso(now), "window": window, "window_start": _iso(config.window_start),
        "window_end": _iso(config.window_end),
        "attempts_used": len(attempts), "max_attempts": config.max_attempts, "can_start": can_start,
        "active": attempt_payload(active, now) if active else None,
        "last": result_payload(finished[-1], config, now) if finished else None,
        "history": [{"number": a.number, "total": a.total, "max_score": a.max_score, "status_label":
                     str(a.get_status_display()), "finished": _iso(a.finished)} for a in finished],
    }


# --- leaderboards -------------------------------------------------------------------------------
def _person_name(row: dict) -> str:
    full = row.get("user__party_profile__full_name") or f"{row['user__last_name']}{row['user__first_name']}"
    return full.strip() or row["user__username"]


def leaderboard(usage_id: str, user_id: int | None, top_n: int = 20, anonymous: bool = False) -> dict:
    """Top ``top_n`` results and the caller's own rank. Ties on score go to the faster learner; equal
    score and time share a rank. Four queries: the top N (a range of the index on (usage_id, total
    desc, duration)), my result, the per-score counts, and the faster learners with my score."""
    rows = list(
        ContestResult.objects.filter(usage_id=usage_id).order_by("-total", "duration_ms", "id").values(
            "user_id", "total", "max_score", "duration_ms", "user__username", "user__first_name",
            "user__last_name", "user__party_profile__full_name", "organization__name",
        )[:top_n]
    )
    top, rank, previous = [], 0, None
    for position, row in enumerate(rows, start=1):
        key = (row["total"], row["duration_ms"])
        if key != previous:
            rank, previous = position, key
        mine = row["user_id"] == user_id
        top.append({
            "rank": rank, "me": mine, "total": row["total"], "max_score": row["max_score"],
            "duration_seconds": round(row["duration_ms"] / 1000),
            "name": _("You") if anonymous and mine else (_("Participant") if anonymous else _person_name(row)),
            "branch": row["organization__name"] or "",
        })
    own = ContestResult.objects.filter(usage_id=usage_id, user_id=user_id).values(
        "total", "duration_ms", "max_score").first() if user_id is not None else None
    # Results with a higher score, from the per-score counts; then equal scores that were faster,
    # a short range of the rank index.
    counts = ContestScoreCount.objects.filter(usage_id=usage_id).aggregate(
        participants=Sum("count"), ahead=Sum("count", filter=Q(total__gt=own["total"]) if own else Q(pk__in=[])))
    me = None
    if own:
        faster = ContestResult.objects.filter(usage_id=usage_id, total=own["total"],
                                              duration_ms__lt=own["duration_ms"]).count()
        me = {"rank": (counts["ahead"] or 0) + faster + 1, "total": own["total"], "max_score": own["max_score"],
              "duration_seconds": round(own["duration_ms"] / 1000)}
    return {"top": top, "me": me, "participants": counts["participants"] or 0}


def _branch_cache_key(usage_id: str) -> str:
    return f"party_contest_branches:{usage_id}"


def branch_standings(usage_id: str) -> list[dict]:
    """Every branch's participants, total and average score (cached briefly: one grouped scan)."""
    key = _branch_cache_key(usage_id)
    standings = cache.get(key)
    if standings is None:
        groups = list(ContestResult.objects.filter(usage_id=usage_id, organization__isnull=False)
                      .values("organization_id").annotate(n=Count("id"), sum=Sum("total"), avg=Avg("total")))
        names = dict(Organization.objects.filter(id__in=[g["organization_id"] for g in groups])
                     .values_list("id", "name"))
        standings = [{"organization_id": g["organization_id"], "name": names.get(g["organization_id"], ""),
                      "participants": g["n"], "sum": round(float(g["sum"] or 0), 2),
                      "average": round(float(g["avg"] or 0), 2)} for g in groups]
        cache.set(key, standings, BRANCH_CACHE_SECONDS)
    return standings


def branch_leaderboard(usage_id: str, mode: str, user_id: int | None, top_n: int = 20) -> dict:
    """Branches ranked by the average or the total of their members' counted scores."""
    metric = "average" if mode == "average" else "sum"
    ordered = sorted(branch_standings(usage_id), key=lambda b: (-b[metric], -b["participants"], b["name"]))
    my_org = (MemberProfile.objects.filter(user_id=user_id).values_list("organization_id", flat=True).first()
              if user_id is not None else None)
    rows, rank, previous, mine = [], 0, None, None
    for position, branch in enumerate(ordered, start=1):
        if branch[metric] != previous:
            rank, previous = position, branch[metric]
        row = {"rank": rank, "name": branch["name"], "participants": branch["participants"],
               "score": branch[metric], "me": branch["organization_id"] == my_org}
        if row["me"]:
            mine = row
        if position <= top_n:
            rows.append(row)
    return {"mode": metric, "top": rows, "me": mine}


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


# --- staff: live view, item analysis, export -----------------------------------------------------
def live_stats(usage_id: str, now: datetime.datetime | None = None, minutes: int = 15) -> dict:
    """Participants, answers per minute, score distribution, hardest questions (a fixed 6 queries).

    Cached for a few seconds: every member of staff watching polls it, and at 100,000 results one
    computation is a few hundred milliseconds of database time.
    """
    key = f"party_contest_live:{usage_id}"
    if now is None:
        cached = cache.get(key)
        if cached is not None:
            return cached
        stats = _live_stats(usage_id, timezone.now(), minutes)
        cache.set(key, stats, LIVE_CACHE_SECONDS)
        return stats
    return _live_stats(usage_id, now, minutes)


def _live_stats(usage_id: str, now: datetime.datetime, minutes: int) -> dict:
    by_status = dict(ContestAttempt.objects.filter(usage_id=usage_id).values("status")
                     .annotate(n=Count("id")).values_list("status", "n"))
    participants = ContestAttempt.objects.filter(usage_id=usage_id).values("user_id").distinct().count()
    start = now.replace(second=0, microsecond=0) - datetime.timedelta(minutes=minutes - 1)
    buckets = {
        f"m{i}": Count("id", filter=Q(answered__gte=start + datetime.timedelta(minutes=i),
                                      answered__lt=start + datetime.timedelta(minutes=i + 1)))
        for i in range(minutes)
    }
    counts = ContestAnswer.objects.filter(usage_id=usage_id, answered__gte=start).aggregate(**buckets)
    per_minute = [{"minute": timezone.localtime(start + datetime.timedelta(minutes=i)).strftime("%H:%M"),
                   "answers": counts[f"m{i}"]} for i in range(minutes)]
    bins = {f"b{i}": Count("id", filter=Q(total__gte=F("max_score") * (i / 10.0))
                           & (Q(total__lt=F("max_score") * ((i + 1) / 10.0)) if i < 9 else Q()))
            for i in range(10)}
    distribution = ContestResult.objects.filter(usage_id=usage_id, max_score__gt=0).aggregate(**bins)
    hardest = hardest_questions(usage_id)
    return {
        "now": _iso(now), "participants": participants,
        "active": by_status.get(AttemptStatus.ACTIVE, 0),
        "finished": by_status.get(AttemptStatus.SUBMITTED, 0) + by_status.get(AttemptStatus.EXPIRED, 0),
        "per_minute": per_minute,
        "distribution": [{"label": f"{i * 10}–{(i + 1) * 10}%", "count": distribution[f"b{i}"]} for i in range(10)],
        "hardest": hardest,
    }


def hardest_questions(usage_id: str, limit: int = 10, min_answers: int = 3) -> list[dict]:
    rows = list(ContestAnswer.objects.filter(usage_id=usage_id).values("question_id")
                .annotate(n=Count("id"), right=Count("id", filter=Q(is_correct=True))).filter(n__gte=min_answers))
    rows.sort(key=lambda r: (r["right"] / r["n"], -r["n"]))
    rows = rows[:limit]
    stems = dict(Question.objects.filter(id__in=[r["question_id"] for r in rows]).values_list("id", "stem"))
    return [{"question_id": r["question_id"], "stem": stems.get(r["question_id"], ""), "answers": r["n"],
             "correct_rate": round(r["right"] * 100.0 / r["n"], 1)} for r in rows]


def item_analysis(usage_id: str) -> list[dict]:
    """Per question over closed attempts: difficulty (share answering correctly, unanswered = wrong)
    and discrimination D = p(upper 27%) - p(lower 27%), the groups by attempt score."""
    attempts = list(ContestAttempt.objects.filter(usage_id=usage_id, status__in=CLOSED)
                    .values_list("id", "score", "question_ids").iterator(chunk_size=2000))
    if not attempts:
        return []
    attempts.sort(key=lambda a: a[1])
    group = max(1, round(len(attempts) * 0.27))
    lower = {a[0] for a in attempts[:group]}
    upper = {a[0] for a in attempts[-group:]}
    stats: dict[int, dict] = {}
    for attempt_id, _score, question_ids in attempts:
        for pk in question_ids:
            item = stats.setdefault(pk, {"drawn": 0, "right": 0, "up_n": 0, "up_right": 0, "low_n": 0, "low_right": 0})
            item["drawn"] += 1
            item["up_n"] += attempt_id in upper
            item["low_n"] += attempt_id in lower
    correct = (ContestAnswer.objects.filter(usage_id=usage_id, is_correct=True, attempt__status__in=CLOSED)
               .values_list("attempt_id", "question_id").iterator(chunk_size=5000))
    for attempt_id, pk in correct:
        item = stats.get(pk)
        if item is None:
            continue
        item["right"] += 1
        item["up_right"] += attempt_id in upper
        item["low_right"] += attempt_id in lower
    questions = Question.objects.only("id", "stem", "qtype", "category", "difficulty").in_bulk(list(stats))
    rows = []
    for pk, item in stats.items():
        question = questions.get(pk)
        p_up = item["up_right"] / item["up_n"] if item["up_n"] else 0.0
        p_low = item["low_right"] / item["low_n"] if item["low_n"] else 0.0
        rows.append({
            "question_id": pk, "stem": question.stem if question else "",
            "type_label": str(QuestionType(question.qtype).label) if question else "",
            "category": question.category if question else "",
            "drawn": item["drawn"], "correct": item["right"],
            "difficulty": round(item["right"] / item["drawn"], 2),
            "discrimination": round(p_up - p_low, 2),
        })
    rows.sort(key=lambda r: (r["difficulty"], r["question_id"]))
    return rows


def results_workbook(usage_id: str, progress=None) -> bytes:
    """Results (rank order) and item analysis as an XLSX workbook, written row by row.
    ``progress(rows_done)`` is called every few thousand rows (background exports report it)."""
    def results():
        yield [_("Rank"), _("Username"), _("Name"), _("Branch"), _("Score"), _("Maximum score"),
               _("Percent"), _("Time (seconds)"), _("Attempts"), _("Finished")]
        rows = (ContestResult.objects.filter(usage_id=usage_id).order_by("-total", "duration_ms", "id")
                .values("total", "max_score", "duration_ms", "attempts", "attempt__finished", "user__username",
                        "user__first_name", "user__last_name", "user__party_profile__full_name",
                        "organization__name"))
        rank, previous = 0, None
        for position, row in enumerate(rows.iterator(chunk_size=2000), start=1):
            if (row["total"], row["duration_ms"]) != previous:
                rank, previous = position, (row["total"], row["duration_ms"])
            finished = row["attempt__finished"]
            if progress and position % EXPORT_PROGRESS_EVERY == 0:
                progress(position)
            yield [
                rank, row["user__username"], _person_name(row), row["organization__name"] or "", row["total"],
                row["max_score"], round(row["total"] * 100.0 / row["max_score"], 1) if row["max_score"] else 0,
                round(row["duration_ms"] / 1000, 1), row["attempts"],
                timezone.localtime(finished).strftime("%Y-%m-%d %H:%M:%S") if finished else "",
            ]

    def analysis():
        yield [_("Question"), _("Type"), _("Category"), _("Drawn"), _("Correct"), _("Difficulty"),
               _("Discrimination")]
        for item in item_analysis(usage_id):
            yield [item["stem"], item["type_label"], item["category"], item["drawn"], item["correct"],
                   item["difficulty"], item["discrimination"]]

    return workbook_bytes([(_("Results"), results()), (_("Item analysis"), analysis())])


def needs_background_export(usage_id: str) -> bool:
    from ..core.conf import setting  # pylint: disable=import-outside-toplevel
    limit = setting("EXPORT_SYNC_LIMIT")
    return ContestResult.objects.filter(usage_id=usage_id)[:limit + 1].count() > limit


def request_results_export(usage_id: str, course_id: str, user) -> ContestExport:
    """Record an export of a large contest and hand it to a Celery worker once committed."""
    from .tasks import export_contest_results  # pylint: disable=import-outside-toplevel

    export = ContestExport.objects.create(usage_id=usage_id, course_id=course_id, requested_by=user,
                                          total=ContestResult.objects.filter(usage_id=usage_id).count())
    transaction.on_commit(lambda: export_contest_results.delay(export.pk))
    return export


def run_results_export(export_id: int) -> None:
    """Write the workbook into a temporary file, then into the site's storage; report progress."""
    export = ContestExport.objects.get(pk=export_id)

    def work() -> dict:
        content = results_workbook(
            export.usage_id, progress=lambda done: ContestExport.objects.filter(pk=export_id).update(done=done))
        with tempfile.TemporaryFile() as tmp:
            tmp.write(content)
            tmp.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            name = default_storage.save(f"party_training/contests/results-{export_id}-{stamp}.xlsx", File(tmp))
        return {"file_name": name, "done": export.total}

    run_tracked(ContestExport, export_id, work)


def latest_export(usage_id: str) -> ContestExport | None:
    return ContestExport.objects.filter(usage_id=usage_id).order_by("-created").first()
