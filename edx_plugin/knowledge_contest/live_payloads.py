"""What the projector and the phones receive during a live game (knowledge_contest).

While a question is open nothing sent to anyone holds its answer or explanation: they join the
payload only in the reveal phase (after the server's deadline) or after the end. Every payload
carries the server's time so that the countdowns of the projector and the phones agree.

A payload is two parts. The shared part (the question, the chart, the boards, the podium) is the same
for every player of one game state, named by its ETag: it is built once per ETag and shared through
Django's cache (Redis or memcached in production, so once for all LMS processes), while the database
stays the truth (a cache miss rebuilds it from the rows). The personal part (my answer, my score, my
rank) comes from the player's own row, which the poll's one query reads anyway, and from the sorted
totals kept in the shared part: a full poll whose shared part is cached costs that one query.
"""
from __future__ import annotations

import bisect
import datetime
import time
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .leaderboards import person_name
from .live_games import etag, phase
from .live_results import results_state
from .live_scoring import PERSON_FIELDS, branch_board, distribution, player_board
from .live_tokens import poll_token
from .models import LiveAnswer, LiveGame, LivePlayer

BOARD_SIZE = 10
LOBBY_NAMES = 500
# A game state's shared part lives this long in the cache; a later poll of the same ETag rebuilds it.
SHARED_SECONDS = 120
# One request builds a state's shared part; the others of the same moment (300 phones at the deadline)
# wait for it this long, checking the cache every STEP, rather than all building it at once.
BUILD_LOCK_SECONDS = 5
BUILD_WAIT_SECONDS = 2.0
BUILD_WAIT_STEP = 0.02
# What a poll reads in its one query: where the game is, and the caller's own row.
GAME_FIELDS = ("game__version", "game__status", "game__deadline", "game__remaining_ms", "game__position")
PLAYER_FIELDS = ("id", "user_id", "score", "bonus", "total", "streak", "correct_count", "last_position",
                 "last_response", "last_correct", "last_points", "last_bonus")


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


# --- the shared part ------------------------------------------------------------------------------
def shared_state(game_id: int, tag: str, game: LiveGame | None = None,
                 now: datetime.datetime | None = None) -> dict:
    """The shared part of the game state named by ``tag`` (not to be changed: callers copy what they
    alter). From the cache; else built under a cache lock by one request while the others wait."""
    key = "party_live_state:" + tag
    shared = cache.get(key)
    if shared is not None:
        return shared
    lock = key + ":building"
    if not cache.add(lock, 1, BUILD_LOCK_SECONDS):
        waited_until = time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < waited_until:
            time.sleep(BUILD_WAIT_STEP)
            shared = cache.get(key)
            if shared is not None:
                return shared
        # The builder is slow or gone: build it here rather than fail the poll.
    try:
        now = now or timezone.now()
        game = game if game is not None and game.pk == game_id else LiveGame.objects.get(pk=game_id)
        current = phase(game.status, game.deadline, now)
        shared = _build_shared(game, current)
        if shared["etag"] == tag:  # the game may have moved on since the caller read its ETag
            cache.set(key, shared, SHARED_SECONDS)
        return shared
    finally:
        cache.delete(lock)


def _build_shared(game: LiveGame, current: str) -> dict:
    revealed = current in ("reveal", "ended")
    state = {
        "game": game.pk, "etag": etag(game.pk, game.version, current), "phase": current, "title": game.title,
        "pin": game.pin, "count": len(game.questions), "position": game.position,
        "seconds": int(game.rules.get("seconds", 20)),
        # Kept for the clock of each request (remaining_ms): the deadline, or the time left when paused.
        "_deadline": game.deadline.isoformat() if game.deadline else None, "_paused_ms": game.remaining_ms,
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
        # Every player's total, sorted: each player's rank is found here, not by a query per phone.
        state["_totals"] = sorted(LivePlayer.objects.filter(game_id=game.pk).values_list("total", flat=True))
    if current == "ended":
        podium = int(game.rules.get("podium", 3))
        state["podium"] = {"players": state["players"][:podium] if podium <= BOARD_SIZE else
                           player_board(game, podium), "branches": state["branches"][:podium]}
    return state


def _public(shared: dict, now: datetime.datetime, user_id: int | None = None) -> dict:
    """A fresh copy of the shared part for one reply: the clock of now, the private keys dropped, the
    board rows copied (and marked "me" for ``user_id``; without it the rows lose their user ids)."""
    state = {key: value for key, value in shared.items() if not key.startswith("_")}
    deadline = datetime.datetime.fromisoformat(shared["_deadline"]) if shared["_deadline"] else None
    state["remaining_ms"] = (0 if shared["phase"] in ("reveal", "ended") else
                             shared["_paused_ms"] if shared["phase"] == "paused" else _ms(deadline, now))
    state["server_now"] = now.isoformat()

    def rows(board):
        copied = []
        for row in board:
            row = dict(row)
            owner = row.pop("user_id", None)
            if user_id is not None:
                row["me"] = owner == user_id
            copied.append(row)
        return copied

    if "players" in shared:
        state["players"] = rows(shared["players"])
    if "podium" in shared:
        state["podium"] = {"players": rows(shared["podium"]["players"]), "branches": shared["podium"]["branches"]}
    return state


def game_state(game: LiveGame, now: datetime.datetime | None = None) -> dict:
    """What everyone may see now (the host's view adds to it): the phase, the question (its answer only
    once revealed), the clock; after the deadline the distribution and leaderboards; at the end the podium."""
    now = now or timezone.now()
    tag = etag(game.pk, game.version, phase(game.status, game.deadline, now))
    return _public(shared_state(game.pk, tag, game, now), now)


# --- a player's state -----------------------------------------------------------------------------
def poll_row(game_id: int, *, player_id: int | None = None, user_id: int | None = None) -> dict | None:
    """The one query of a poll: where the game is and the caller's own row, found by the player (a poll
    token) or by the user (a session); None when they do not play in this game (the role check)."""
    rows = LivePlayer.objects.filter(game_id=game_id)
    rows = rows.filter(pk=player_id) if player_id is not None else rows.filter(user_id=user_id)
    return rows.values(*GAME_FIELDS, *PLAYER_FIELDS).first()


def row_etag(game_id: int, row: dict, now: datetime.datetime) -> str:
    return etag(game_id, row["game__version"], phase(row["game__status"], row["game__deadline"], now))


def player_payload(game_id: int, row: dict, now: datetime.datetime, game: LiveGame | None = None) -> dict:
    """The state as one player sees it: the shared part and their own answer and standing (no query
    when the shared part is cached)."""
    shared = shared_state(game_id, row_etag(game_id, row, now), game, now)
    state = _public(shared, now, row["user_id"])
    revealed = state["phase"] in ("reveal", "ended")
    answered = state["position"] >= 0 and row["last_position"] == state["position"]
    me = {"answered": answered, "response": row["last_response"] if answered else None}
    if revealed:
        totals = shared.get("_totals") or []
        me.update({"score": row["score"], "bonus": row["bonus"], "total": row["total"],
                   "rank": len(totals) - bisect.bisect_right(totals, row["total"]) + 1,
                   "correct": row["correct_count"], "streak": row["streak"]})
        if answered:  # this question's verdict ("correct" above counted the right answers so far)
            me.update({"correct": row["last_correct"], "points": row["last_points"], "bonus": row["last_bonus"]})
    state.update(joined=True, me=me, poll_url=poll_url(game_id, row["id"]))
    return state


def player_state(game: LiveGame, user_id: int, now: datetime.datetime | None = None) -> dict:
    """The game as one learner sees it (the block's handlers: join, state), joined or not."""
    now = now or timezone.now()
    row = poll_row(game.pk, user_id=user_id)
    if row is not None:
        return player_payload(game.pk, row, now, game)
    state = game_state(game, now)
    state.update(joined=False, me=None, poll_url="")
    return state


def poll_url(game_id: int, player_id: int) -> str:
    """The address the phones poll: the plugin's state view with the player's token (``live_tokens``);
    empty where the plugin's URLs are not mounted (the phones then poll the block's handler)."""
    try:
        path = reverse("party_training:contest_game_state", kwargs={"game_id": game_id})
    except NoReverseMatch:
        return ""
    return f"{path}?{urlencode({'t': poll_token(game_id, player_id)})}"


# --- the host's state -----------------------------------------------------------------------------
def host_state(game: LiveGame, now: datetime.datetime | None = None) -> dict:
    """The projector's view: the public state, who joined by branch, how many answered so far, and the
    results job once the game has ended."""
    state = game_state(game, now)
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
    state["results"] = results_state(game.pk)
    return state
