"""What a learner of a knowledge contest (knowledge_contest) receives as JSON: the open attempt
(stems, options in the drawn order, the clock; never answers or explanations), a closed attempt's
result and review, and the whole state of the contest page.
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from .attempts import close_attempt, effective_position
from .config import ContestConfig
from .models import AttemptStatus, ContestAttempt, Question, QuestionType
from .questions import FALSE_LABEL, LETTERS, TRUE_LABEL
from .scoring import passed


def iso(value: datetime.datetime | None) -> str | None:
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
    position, question_ends = effective_position(attempt, now)
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
        "deadline": iso(attempt.deadline), "remaining_seconds": max(0, int((attempt.deadline - now).total_seconds())),
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
        "duration_seconds": round((attempt.duration_ms or 0) / 1000), "finished": iso(attempt.finished),
        "passed": passed(attempt), "review": None, "review_from": None,
    }
    if not config.reveals_answers(now):
        data["review_from"] = iso(config.window_end)
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
        "now": iso(now), "window": window, "window_start": iso(config.window_start),
        "window_end": iso(config.window_end),
        "attempts_used": len(attempts), "max_attempts": config.max_attempts, "can_start": can_start,
        "active": attempt_payload(active, now) if active else None,
        "last": result_payload(finished[-1], config, now) if finished else None,
        "history": [{"number": a.number, "score": a.score, "bonus": a.bonus, "total": a.total,
                     "max_score": a.max_score, "status_label": str(a.get_status_display()),
                     "finished": iso(a.finished)} for a in finished],
    }
