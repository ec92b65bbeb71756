"""Live games of a knowledge contest (knowledge_contest, 现场知识竞赛): the host opens a game from the
block, learners join (by PIN or QR code, signed in), the host starts, opens each question with a
countdown, may pause, skip and end; learners answer each question once before the server's deadline.

All state is in the database (``LiveGame`` row, ``LivePlayer``, ``LiveAnswer``), never in process
memory, so any number of LMS processes serve one game. Clients poll with the game's ETag: the
version every host action bumps plus the phase the clock decides (an open question whose deadline
passed is revealed without anyone writing). A poll costs one query (``live_payloads.poll_row``).
"""
from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.models import MemberProfile
from .attempts import clean_response
from .config import ContestConfig, ContestError, draw_questions
from .live_results import request_results, retry_results
from .live_scoring import answer_points
from .models import LiveAnswer, LiveGame, LiveGameStatus, LivePlayer, Question

PIN_DIGITS = 6
SPEED_MODES = ("kahoot", "flat")
BRANCH_MODES = ("average", "total", "none")
# Bounds of the host's options: name -> (minimum, maximum, default).
NUMBER_OPTIONS = {"seconds": (5, 240, 20), "points": (10, 2000, 1000), "podium": (1, 10, 3)}


@dataclass(frozen=True)
class GameOptions:
    seconds: int = 20
    points: int = 1000
    speed: str = "kahoot"
    streak: bool = False
    podium: int = 3
    branch_mode: str = "average"


def parse_options(raw: dict) -> GameOptions:
    """The host's scoring options from the opening form; a ContestError names the field that is wrong."""
    values = {}
    for name, (low, high, default) in NUMBER_OPTIONS.items():
        value = raw.get(name, default)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool) or not low <= number <= high:
            raise ContestError(_("%(field)s: give a whole number from %(low)d to %(high)d.")
                               % {"field": option_label(name), "low": low, "high": high}, code="invalid")
        values[name] = number
    speed = raw.get("speed", "kahoot")
    if speed not in SPEED_MODES:
        raise ContestError(_("%(field)s: choose one of the listed values.") % {"field": option_label("speed")})
    branch_mode = raw.get("branch_mode", "average")
    if branch_mode not in BRANCH_MODES:
        raise ContestError(_("%(field)s: choose one of the listed values.") % {"field": option_label("branch_mode")})
    streak = raw.get("streak", False)
    if not isinstance(streak, bool):
        raise ContestError(_("%(field)s: choose one of the listed values.") % {"field": option_label("streak")})
    return GameOptions(speed=speed, streak=streak, branch_mode=branch_mode, **values)


def option_label(name: str) -> str:
    return {"seconds": _("Seconds per question"), "points": _("Points per question"),
            "podium": _("Winners on the podium"), "speed": _("Speed scoring"), "streak": _("Streak bonus"),
            "branch_mode": _("Branch leaderboard")}[name]


# --- opening and joining ------------------------------------------------------------------------
def open_game(config: ContestConfig, host_id: int, title: str, options: GameOptions,
              now: datetime.datetime | None = None, rng: random.Random | None = None) -> LiveGame:
    """Open a game of a contest (or return the one already open): questions drawn now, PIN given."""
    current = current_game(config.usage_id)
    if current is not None:
        return current
    question_ids, _orders, _max = draw_questions(config, rng or random.SystemRandom())
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=question_ids)}
    snapshot = [{"id": pk, "qtype": by_id[pk].qtype, "stem": by_id[pk].stem, "options": list(by_id[pk].options),
                 "answer": list(by_id[pk].answer), "explanation": by_id[pk].explanation} for pk in question_ids]
    rules = {**options.__dict__, **{k: v for k, v in config.rules_snapshot().items()
                                    if k in ("hours", "hours_when", "pass_percent", "counting")}}
    for _try in range(20):
        pin = "".join(secrets.choice("0123456789") for _digit in range(PIN_DIGITS))
        try:
            with transaction.atomic():
                return LiveGame.objects.create(
                    usage_id=config.usage_id, course_id=config.course_id, title=title[:255], host_id=host_id,
                    pin=pin, questions=snapshot, rules=rules)
        except IntegrityError:
            current = current_game(config.usage_id)
            if current is not None:  # another host request opened it first
                return current
    raise ContestError(_("No free PIN was found; please try again."), status=503)


def current_game(usage_id: str) -> LiveGame | None:
    return LiveGame.objects.filter(usage_id=usage_id, open_slot="1").first()


def game_for_pin(pin: str) -> LiveGame:
    pin = str(pin or "").strip()
    game = LiveGame.objects.filter(pin=pin).first() if pin.isdigit() and len(pin) == PIN_DIGITS else None
    if game is None:
        raise ContestError(_("There is no open game with this PIN."), status=404)
    return game


def join_game(game_id: int, user_id: int, student_id: str = "") -> LivePlayer:
    """Join, or rejoin keeping the score; a late joiner plays from the current question. ``student_id``
    is the id the LMS grades the learner under (the results job sets their score with it)."""
    player = LivePlayer.objects.filter(game_id=game_id, user_id=user_id).first()
    if player is not None:
        if student_id and player.student_id != student_id:
            LivePlayer.objects.filter(pk=player.pk).update(student_id=student_id)
        return player
    if not LiveGame.objects.filter(pk=game_id).exclude(status=LiveGameStatus.ENDED).exists():
        raise ContestError(_("This game is over."), status=409, code="ended")
    org_id = MemberProfile.objects.filter(user_id=user_id).values_list("organization_id", flat=True).first()
    try:
        with transaction.atomic():
            return LivePlayer.objects.create(game_id=game_id, user_id=user_id, organization_id=org_id,
                                             student_id=student_id[:255])
    except IntegrityError:  # the same learner on two devices at once
        return LivePlayer.objects.get(game_id=game_id, user_id=user_id)


# --- the clock ----------------------------------------------------------------------------------
def phase(status: str, deadline: datetime.datetime | None, now: datetime.datetime) -> str:
    """lobby, question, paused, reveal (the question's deadline passed) or ended."""
    if status == LiveGameStatus.QUESTION and deadline is not None and now >= deadline:
        return "reveal"
    return status


def etag(game_id: int, version: int, current_phase: str) -> str:
    return f'"g{game_id}v{version}{current_phase}"'


def poll_etag(usage_id: str, game_id: int, now: datetime.datetime) -> str | None:
    """The game's ETag in one query (None when there is no such game of this contest)."""
    row = LiveGame.objects.filter(pk=game_id, usage_id=usage_id).values_list("version", "status", "deadline").first()
    if row is None:
        return None
    return etag(game_id, row[0], phase(row[1], row[2], now))


# --- the host's actions -------------------------------------------------------------------------
def _locked(usage_id: str, game_id: int) -> LiveGame:
    game = LiveGame.objects.select_for_update().filter(pk=game_id, usage_id=usage_id).first()
    if game is None:
        raise ContestError(_("This game does not exist."), status=404)
    if game.status == LiveGameStatus.ENDED:
        raise ContestError(_("This game is over."), status=409, code="ended")
    return game


def _save(game: LiveGame, *fields: str) -> LiveGame:
    game.version = F("version") + 1
    game.save(update_fields=["version", *fields])
    game.refresh_from_db(fields=["version"])
    return game


def control(usage_id: str, game_id: int, action: str, now: datetime.datetime | None = None) -> LiveGame:
    """The host's buttons: next (start / next question), skip (close the countdown now), pause,
    resume, end; after the end, results (write the results again when their job failed). A button
    that does not fit the game's phase is refused with a message."""
    now = now or timezone.now()
    if action == "end":
        return end_game(usage_id, game_id, now)
    if action == "results":  # after the end: the results job failed, the host asks again
        return retry_results(usage_id, game_id)
    with transaction.atomic():
        game = _locked(usage_id, game_id)
        current = phase(game.status, game.deadline, now)
        seconds = int(game.rules.get("seconds", 20))
        if action == "next":
            if current in ("question", "paused"):
                raise ContestError(_("Close the question first (skip), then go on."), status=409)
            if game.position + 1 < len(game.questions):
                game.position += 1
                game.status = LiveGameStatus.QUESTION
                game.question_started = now
                game.deadline = now + datetime.timedelta(seconds=seconds)
                game.started = game.started or now
                return _save(game, "position", "status", "question_started", "deadline", "started")
        elif action == "skip":
            if current != "question":
                raise ContestError(_("No question is open."), status=409)
            game.deadline = now
            return _save(game, "deadline")
        elif action == "pause":
            if current != "question":
                raise ContestError(_("No question is open."), status=409)
            game.status = LiveGameStatus.PAUSED
            game.remaining_ms = int((game.deadline - now).total_seconds() * 1000)
            return _save(game, "status", "remaining_ms")
        elif action == "resume":
            if current != "paused":
                raise ContestError(_("The game is not paused."), status=409)
            # The time used before the pause still counts for speed scoring; the pause does not.
            game.status = LiveGameStatus.QUESTION
            game.deadline = now + datetime.timedelta(milliseconds=game.remaining_ms)
            game.question_started = game.deadline - datetime.timedelta(seconds=seconds)
            return _save(game, "status", "deadline", "question_started")
        else:
            raise ContestError(_("Unknown action."))
    return end_game(usage_id, game_id, now)  # "next" after the last question shows the podium


def end_game(usage_id: str, game_id: int, now: datetime.datetime | None = None) -> LiveGame:
    """End the game: the countdown closes and the PIN is freed at once; every player's result goes into
    the contest's attempts, results, score counts, hours and the gradebook in a background job
    (``live_results``), which the projector follows, so the host's button does not wait for 300 players."""
    now = now or timezone.now()
    with transaction.atomic():
        game = _locked(usage_id, game_id)
        if game.deadline is not None and game.deadline > now:
            game.deadline = now
        game.status = LiveGameStatus.ENDED
        game.ended = now
        game.pin = None
        game.open_slot = None
        _save(game, "deadline", "status", "ended", "pin", "open_slot")
        request_results(game)
    return game


# --- the learner's answer -----------------------------------------------------------------------
class _Question:
    """A snapshot question with the attributes the answer rules read."""

    def __init__(self, data: dict):
        self.qtype, self.options, self.answer = data["qtype"], data["options"], data["answer"]


def answer(usage_id: str, game_id: int, user_id: int, position, response,
           now: datetime.datetime | None = None) -> dict:
    """Record a learner's answer to the open question: refused after the server's deadline, on another
    question than the open one, and a second time. Three queries: the player with the game, the
    player's conditional update, the answer's insert (one transaction; the unique (player, question)
    constraint is the backstop). The reply tells nothing about correctness until the reveal."""
    now = now or timezone.now()
    if not isinstance(position, int) or isinstance(position, bool):
        raise ContestError(_("The request is missing the question."))
    player = (LivePlayer.objects.select_related("game")
              .only("id", "streak", "last_position", "game__id", "game__status", "game__position", "game__deadline",
                    "game__question_started", "game__questions", "game__rules")
              .filter(game_id=game_id, user_id=user_id, game__usage_id=usage_id).first())
    if player is None:
        if not LiveGame.objects.filter(pk=game_id, usage_id=usage_id).exists():
            raise ContestError(_("This game does not exist."), status=404)
        raise ContestError(_("Join the game first."), 409, "not_joined")
    game = player.game
    if game.status == LiveGameStatus.PAUSED:
        raise ContestError(_("The game is paused; answer when it goes on."), 409, "paused")
    if (game.status != LiveGameStatus.QUESTION or position != game.position or game.deadline is None
            or now >= game.deadline):
        raise ContestError(_("Answers for this question are closed."), 409, "closed")
    if player.last_position >= position:
        raise ContestError(_("You have already answered this question."), 409, "answered")
    data = game.questions[position]
    cleaned = clean_response(_Question(data), response)
    if not cleaned:
        raise ContestError(_("Choose an answer."))
    elapsed_ms = max(0, int((now - game.question_started).total_seconds() * 1000))
    # Only one question is open at a time, so the streak read here cannot change under us: a second
    # answer to the same question updates nothing below.
    streak_before = player.streak if player.last_position == position - 1 else 0
    scored = answer_points(_Question(data), cleaned, game.rules, elapsed_ms, streak_before)
    try:
        with transaction.atomic():
            # The player's row first, on the condition that this question is not answered yet: two
            # devices answering at once queue on that row lock, and the second updates nothing.
            moved = LivePlayer.objects.filter(pk=player.pk, last_position__lt=position).update(
                score=F("score") + scored.points, bonus=F("bonus") + scored.bonus,
                total=F("total") + scored.points + scored.bonus, streak=scored.streak, last_position=position,
                correct_count=F("correct_count") + int(scored.correct), answered_count=F("answered_count") + 1,
                time_ms=F("time_ms") + elapsed_ms, last_response=cleaned, last_correct=scored.correct,
                last_points=scored.points, last_bonus=scored.bonus)
            if not moved:
                raise IntegrityError("answered")
            LiveAnswer.objects.create(game_id=game_id, player=player, position=position, question_id=data["id"],
                                      response=cleaned, is_correct=scored.correct, points=scored.points,
                                      bonus=scored.bonus, elapsed_ms=elapsed_ms, answered=now)
    except IntegrityError:
        raise ContestError(_("You have already answered this question."), 409, "answered") from None
    return {"answered": True, "position": position, "response": cleaned}
