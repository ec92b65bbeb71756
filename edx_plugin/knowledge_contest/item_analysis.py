"""What staff of a knowledge contest (knowledge_contest) see of how it goes: the live figures
during the contest (participants, answers per minute, score distribution, hardest questions) and
the item analysis after it (each question's difficulty and discrimination).
"""
from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db.models import Count, F, Q
from django.utils import timezone

from .attempts import CLOSED
from .models import AttemptStatus, ContestAnswer, ContestAttempt, ContestResult, Question, QuestionType

LIVE_CACHE_SECONDS = 5


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
        "now": now.isoformat(), "participants": participants,
        "active": by_status.get(AttemptStatus.ACTIVE, 0),
        "finished": by_status.get(AttemptStatus.SUBMITTED, 0) + by_status.get(AttemptStatus.EXPIRED, 0),
        "per_minute": per_minute,
        "distribution": [{"label": f"{i * 10}–{(i + 1) * 10}%", "count": distribution[f"b{i}"]} for i in range(10)],
        "hardest": hardest,
    }


HARDEST_MIN_ANSWERS = 3


def hardest_questions(usage_id: str, limit: int = 10, min_answers: int = HARDEST_MIN_ANSWERS) -> list[dict]:
    """The questions answered correctly least often (of those answered at least ``min_answers`` times)."""
    rows = list(ContestAnswer.objects.filter(usage_id=usage_id).values("question_id")
                .annotate(n=Count("id"), right=Count("id", filter=Q(is_correct=True))).filter(n__gte=min_answers))
    rows.sort(key=lambda r: (r["right"] / r["n"], -r["n"]))
    rows = rows[:limit]
    stems = dict(Question.objects.filter(id__in=[r["question_id"] for r in rows]).values_list("id", "stem"))
    return [{"question_id": r["question_id"], "stem": stems.get(r["question_id"], ""), "answers": r["n"],
             "correct_rate": round(r["right"] * 100.0 / r["n"], 1)} for r in rows]


def _groups(usage_id: str) -> tuple[list, set[int], set[int]]:
    """Closed attempts (id, score, question ids), and the ids of the upper and lower 27% by score."""
    attempts = list(ContestAttempt.objects.filter(usage_id=usage_id, status__in=CLOSED)
                    .values_list("id", "score", "question_ids").iterator(chunk_size=2000))
    attempts.sort(key=lambda a: a[1])
    group = max(1, round(len(attempts) * 0.27))
    return attempts, {a[0] for a in attempts[-group:]}, {a[0] for a in attempts[:group]}


def item_analysis(usage_id: str) -> list[dict]:
    """Per question over closed attempts: difficulty (share answering correctly, unanswered = wrong)
    and discrimination D = p(upper 27%) - p(lower 27%), the groups by attempt score."""
    attempts, upper, lower = _groups(usage_id)
    if not attempts:
        return []
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
