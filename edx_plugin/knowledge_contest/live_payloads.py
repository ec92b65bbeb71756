"""What the projector and the phones receive during a live game (knowledge_contest).

While a question is open nothing sent to anyone holds its answer or explanation: they join the
payload only in the reveal phase (after the server's deadline) or after the end. Every payload
carries the server's time so that the countdowns of the projector and the phones agree.
"""
from __future__ import annotations

import copy
import datetime

from django.core.cache import cache
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .live_games import etag, phase
from .leaderboards import person_name
from .live_scoring import PERSON_FIELDS, branch_board, distribution, my_standing, player_board
from .models import LiveAnswer, LiveGame, LivePlayer

BOARD_SIZE = 10
# The reveal and the podium are the same for every player: built once per game state (its ETag) and
# shared through Django's cache (Redis or memcached in production), so 300 phones asking at the
# deadline cost one build, not 300.
SHARED_SECONDS = 30
LOBBY_NAMES = 500


def _ms(moment: datetime.datetime | None, now: datetime.datetime) -> int:
    return max(0, int((moment - now).total_seconds() * 1000)) if moment else 0


def _question(game: LiveGame, reveal: bool) -> dict | None:
    if not 0 <= game.position < len(game.questions):
        return None
    data = game.questions[game.position]
    shown = {"number": game.position + 1, "qtype": data["qtype"], "stem": data["stem"], "options": data["options"]}
    if reveal:
        shown.update({"answer": data["answer"], "explanation": data["explanation"]})
    return shown


def game_state(game: LiveGame, now: datetime.datetime | None = None) -> dict:
    """What everyone may see now: the phase, the question (its answer only once revealed), the clock;
    after the deadline the distribution and leaderboards; at the end the podium. A fresh copy (callers
    add their own parts); the revealed parts come from the shared cache when another request built them."""
    now = now or timezone.now()
    current = phase(game.status, game.deadline, now)
    if current not in ("reveal", "ended"):
        return _build_state(game, current, now)
    key = "party_live_state:" + etag(game.pk, game.version, current)
    shared = cache.get(key)
    if shared is None:
        shared = _build_state(game, current, now)
        cache.set(key, shared, SHARED_SECONDS)
    state = copy.deepcopy(shared)
    state.update({"server_now": now.isoformat(), "remaining_ms": 0})
    return state


def _build_state(game: LiveGame, current: str, now: datetime.datetime) -> dict:
    revealed = current in ("reveal", "ended")
    state = {
        "game": game.pk, "etag": etag(game.pk, game.version, current), "phase": current, "title": game.title,
        "pin": game.pin, "count": len(game.questions), "position": game.position,
        "remaining_ms": game.remaining_ms if current == "paused" else _ms(game.deadline, now),
        "seconds": int(game.rules.get("seconds", 20)), "server_now": now.isoformat(),
        # No key named like an answer's ("points", "answer"...) while a question is open.
        "scoring": {"seconds": game.rules.get("seconds"), "question_value": game.rules.get("points"),
                    "speed": game.rules.get("speed"), "streak": game.rules.get("streak"),
                    "podium": game.rules.get("podium"), "branch_mode": game.rules.get("branch_mode")},
        "question": _question(game, revealed) if current != "lobby" else None,
    }
    if revealed and game.position >= 0:
        state["distribution"] = distribution(game, game.position)
        state["players"] = player_board(game, BOARD_SIZE)
        state["branches"] = branch_board(game, BOARD_SIZE)
    if current == "ended":
        podium = int(game.rules.get("podium", 3))
        state["podium"] = {"players": state["players"][:podium] if podium <= BOARD_SIZE else
                           player_board(game, podium), "branches": state["branches"][:podium]}
    return state


def player_state(game: LiveGame, user_id: int, now: datetime.datetime | None = None) -> dict:
    """The game as one learner sees it, with their own answer to the question and their standing."""
    state = game_state(game, now)
    player = LivePlayer.objects.filter(game_id=game.pk, user_id=user_id).first()
    state["joined"] = player is not None
    state["me"] = None
    if player is not None:
        mine = None
        if game.position >= 0:
            mine = (LiveAnswer.objects.filter(player=player, position=game.position)
                    .values("response", "is_correct", "points", "bonus").first())
        revealed = state["phase"] in ("reveal", "ended")
        state["me"] = {
            **(my_standing(game, player) if revealed else {}),
            "answered": mine is not None, "response": mine["response"] if mine else None,
            **({"correct": mine["is_correct"], "points": mine["points"], "bonus": mine["bonus"]}
               if mine and revealed else {}),
        }
    for row in state.get("players", []) + state.get("podium", {}).get("players", []):
        if "user_id" in row:  # the podium may share its rows with the board
            row["me"] = row.pop("user_id") == user_id
    state["poll_url"] = _poll_url(game.pk) if player is not None else ""
    return state


def _poll_url(game_id: int) -> str:
    try:
        return reverse("party_training:contest_game_state", kwargs={"game_id": game_id})
    except NoReverseMatch:  # the plugin's URLs are not mounted: the phones poll the block's handler
        return ""


def host_state(game: LiveGame, now: datetime.datetime | None = None) -> dict:
    """The projector's view: the public state, who joined by branch, and how many answered so far."""
    state = game_state(game, now)
    for row in state.get("players", []) + state.get("podium", {}).get("players", []):
        row.pop("user_id", None)
    groups = (LivePlayer.objects.filter(game_id=game.pk).values("organization__name")
              .annotate(n=Count("id")).order_by("-n", "organization__name"))
    state["joined"] = [{"branch": g["organization__name"] or "", "players": g["n"], "names": []} for g in groups]
    state["joined_count"] = sum(g["players"] for g in state["joined"])
    if state["phase"] == "lobby":  # who joined, by branch (names only while people are still joining)
        by_branch = {g["branch"]: g["names"] for g in state["joined"]}
        rows = (LivePlayer.objects.filter(game_id=game.pk).order_by("joined")
                .values(*PERSON_FIELDS)[:LOBBY_NAMES])
        for row in rows:
            by_branch.setdefault(row["organization__name"] or "", []).append(person_name(row))
    state["answered"] = (LiveAnswer.objects.filter(game_id=game.pk, position=game.position).count()
                         if game.position >= 0 else 0)
    return state
