"""Scoring of live games (knowledge_contest): the points of one answer under the host's options, the
live leaderboards, the answer distribution and the podium (the results at the end: ``live_results``).

Speed scoring follows Kahoot!'s published formula as a reference: a right answer wins
``points × (1 − (response time / question time) / 2)``, so between half and all of the points;
"flat" gives all the points to every right answer. The streak bonus (off by default, because it
lets the early leaders run away) adds a tenth of the points per right answer in a row after the
first, at most half of the points; it is kept apart from the score, so the score's maximum stays
true (points × questions) and the bonus shows as a bonus.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Avg, Count, Sum

from .leaderboards import person_name
from .models import LiveAnswer, LiveGame, LivePlayer, QuestionType
from .scoring import grade_answer

STREAK_STEP = 0.1
STREAK_CAP = 5
PERSON_FIELDS = ("user_id", "user__username", "user__first_name", "user__last_name",
                 "user__party_profile__full_name", "organization__name")


@dataclass(frozen=True)
class Scored:
    correct: bool
    points: float
    bonus: float
    streak: int


def answer_points(question, cleaned: list, rules: dict, elapsed_ms: int, streak_before: int) -> Scored:
    """Points and streak bonus of one cleaned answer; ``streak_before`` counts the right answers in a
    row just before this question."""
    full = float(rules.get("points", 1000))
    correct, _ = grade_answer(question, cleaned, {question.qtype: 1})
    if not correct:
        return Scored(False, 0.0, 0.0, 0)
    points = full
    if rules.get("speed", "kahoot") == "kahoot":
        allowed_ms = float(rules.get("seconds", 20)) * 1000
        share = min(1.0, elapsed_ms / allowed_ms) if allowed_ms else 0.0
        points = round(full * (1 - share / 2))
    streak = streak_before + 1
    bonus = round(full * STREAK_STEP * min(streak - 1, STREAK_CAP), 2) if rules.get("streak") else 0.0
    return Scored(True, float(points), bonus, streak)


# --- what the projector and the phones show -------------------------------------------------------
def distribution(game: LiveGame, position: int) -> dict:
    """How many chose each option of a question (one query); a blank question counts right and wrong."""
    data = game.questions[position]
    rows = list(LiveAnswer.objects.filter(game_id=game.pk, position=position).values_list("response", "is_correct"))
    if data["qtype"] == QuestionType.FILL_BLANK:
        keys = ["right", "wrong"]
        counts = Counter("right" if right else "wrong" for _response, right in rows)
    else:
        keys = ["T", "F"] if data["qtype"] == QuestionType.TRUE_FALSE else \
            [chr(ord("A") + index) for index in range(len(data["options"]))]
        counts = Counter(choice for response, _right in rows for choice in response)
    return {"keys": keys, "counts": [counts.get(key, 0) for key in keys], "answered": len(rows)}


def player_board(game: LiveGame, top_n: int) -> list[dict]:
    """The top players (one query on the (game, total desc, time) index); ties on score go to the faster."""
    rows = (LivePlayer.objects.filter(game_id=game.pk).order_by("-total", "time_ms", "id")
            .values("total", "score", "bonus", "correct_count", "time_ms", *PERSON_FIELDS)[:top_n])
    board, rank, previous = [], 0, None
    for position, row in enumerate(rows, start=1):
        if (row["total"], row["time_ms"]) != previous:
            rank, previous = position, (row["total"], row["time_ms"])
        board.append({"rank": rank, "name": person_name(row), "branch": row["organization__name"] or "",
                      "total": row["total"], "score": row["score"], "bonus": row["bonus"],
                      "correct": row["correct_count"], "user_id": row["user_id"]})
    return board


def branch_board(game: LiveGame, top_n: int) -> list[dict]:
    """Branches by the average or the total of their players, as the host chose (one query)."""
    mode = game.rules.get("branch_mode", "average")
    if mode == "none":
        return []
    groups = (LivePlayer.objects.filter(game_id=game.pk, organization__isnull=False)
              .values("organization_id", "organization__name")
              .annotate(n=Count("id"), sum=Sum("total"), avg=Avg("total")))
    metric = "avg" if mode == "average" else "sum"
    ordered = sorted(groups, key=lambda g: (-(g[metric] or 0), -g["n"], g["organization__name"]))
    board, rank, previous = [], 0, None
    for position, group in enumerate(ordered[:top_n], start=1):
        value = round(float(group[metric] or 0), 1)
        if value != previous:
            rank, previous = position, value
        board.append({"rank": rank, "name": group["organization__name"], "players": group["n"], "score": value})
    return board
