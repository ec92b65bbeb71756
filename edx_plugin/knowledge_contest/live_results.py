"""The results of a live game (knowledge_contest, 现场知识竞赛), written when it ends by a background job
(``core.jobs``, the same path as the contest's exports): every player who answered becomes a closed
attempt of the contest with its answers, then the counted result, the hours and the score in the
gradebook go through the same rules as a self-paced attempt, and the branch standings are refreshed.

The host's "end" only closes the game and asks for the job (so the button does not wait for hundreds of
players, and the projector shows the progress). The job writes one player per transaction and marks
the player written in it, so a retry or a second delivery skips whoever is done: nothing is written
twice, and a failure half way keeps what was written.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from ..core import jobs
from ..core.models import JobStatus
from .config import ContestError
from .leaderboards import forget_branch_standings
from .models import (
    AttemptStatus, ContestAnswer, ContestAttempt, ContestResult, LiveAnswer, LiveGame, LiveGameResults, LiveGameStatus,
    LivePlayer,
)
from .scoring import credit_contest_hours, mark_grade_published, record_result

# The edx-submissions item type of a contest's live scores (as ORA's "openassessment").
ITEM_TYPE = "knowledge_contest"
PROGRESS_EVERY = 10


def request_results(game: LiveGame) -> LiveGameResults:
    """Ask for the game's results job (inside the transaction that ends the game): one per game; a job
    that failed is queued again."""
    job, created = LiveGameResults.objects.get_or_create(
        game=game, defaults={"language": translation.get_language() or "",
                             "total": LivePlayer.objects.filter(game_id=game.pk, answered_count__gt=0).count()})
    if created or LiveGameResults.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
            status=JobStatus.QUEUED, error="", started=None, finished=None):
        jobs.enqueue(job)
    return job


def retry_results(usage_id: str, game_id: int) -> LiveGame:
    """The host asks again after the job failed (a job still queued, running or done is left alone)."""
    game = LiveGame.objects.filter(pk=game_id, usage_id=usage_id).first()
    if game is None:
        raise ContestError(_("This game does not exist."), status=404)
    if game.status != LiveGameStatus.ENDED:
        raise ContestError(_("The results are written when the game ends."), status=409)
    with transaction.atomic():
        request_results(game)
    return game


def results_state(game_id: int) -> dict | None:
    """The results job as the projector shows it (one query), or None before the end."""
    job = LiveGameResults.objects.filter(game_id=game_id).first()
    if job is None:
        return None
    return {"status": job.status, "label": str(job.get_status_display()), "done": job.done, "total": job.total,
            "error": job.error}


def run_results_job(job: LiveGameResults, progress: Callable[[int, int | None], None]) -> dict:
    """The work of a claimed results job: each player not yet written, one transaction each."""
    game = LiveGame.objects.get(pk=job.game_id)
    played = game.position + 1
    waiting = list(LivePlayer.objects.filter(game_id=game.pk, answered_count__gt=0)
                   .order_by("id").values_list("id", flat=True))
    progress(0, len(waiting))
    if played > 0:
        for done, player_id in enumerate(waiting, start=1):
            write_player_result(game, player_id, played)
            if done % PROGRESS_EVERY == 0:
                progress(done)
    forget_branch_standings(game.usage_id)
    return {"done": len(waiting)}


def _attempt_rules(game: LiveGame) -> dict:
    rules = game.rules
    return {"points": {}, "question_seconds": int(rules.get("seconds", 20)), "speed_bonus": 0.0,
            "pass_percent": float(rules.get("pass_percent", 60)), "hours": float(rules.get("hours", 0)),
            "hours_when": rules.get("hours_when", "pass"), "counting": rules.get("counting", "best"),
            "live_game": game.pk}


def write_player_result(game: LiveGame, player_id: int, played: int) -> bool:
    """One player's attempt, answers, counted result, hours and gradebook score (one transaction);
    False when another run already wrote them."""
    with transaction.atomic():
        player = LivePlayer.objects.select_for_update().filter(pk=player_id, results_written=False).first()
        if player is None:
            return False
        number = (ContestAttempt.objects.filter(usage_id=game.usage_id, user_id=player.user_id)
                  .aggregate(n=Max("number"))["n"] or 0) + 1
        attempt = ContestAttempt.objects.create(
            user_id=player.user_id, course_id=game.course_id, usage_id=game.usage_id, number=number,
            status=AttemptStatus.SUBMITTED, open_slot=None, started=game.started or game.created,
            deadline=game.ended, finished=game.ended, question_ids=[q["id"] for q in game.questions[:played]],
            rules=_attempt_rules(game), position=played, score=round(player.score, 2),
            bonus=round(player.bonus, 2), max_score=float(game.rules.get("points", 1000)) * played,
            correct_count=player.correct_count, duration_ms=player.time_ms)
        answers = ContestAnswer.objects.bulk_create([
            ContestAnswer(attempt=attempt, question_id=a.question_id, usage_id=game.usage_id, response=a.response,
                          is_correct=a.is_correct, points=a.points, answered=a.answered)
            for a in LiveAnswer.objects.filter(player_id=player.pk)])
        record_result(attempt)
        credit_contest_hours(attempt, answered=len(answers))
        publish_score(game, player)
        LivePlayer.objects.filter(pk=player.pk).update(results_written=True)
    return True


def publish_score(game: LiveGame, player: LivePlayer) -> None:
    """The player's counted result into the gradebook through edx-submissions, as the writing area
    sends instructor grades (``set_score``): the LMS's grades app listens to it, so the grade is there
    before the learner comes back to the unit. Marked published, so the block does not send it again."""
    from submissions import api as submissions_api  # pylint: disable=import-outside-toplevel

    fraction = mark_grade_published(game.usage_id, player.user_id)
    if fraction is None:
        return
    possible = ContestResult.objects.filter(usage_id=game.usage_id, user_id=player.user_id).values_list(
        "max_score", flat=True).first()
    possible = max(1, round(possible or 0))
    item = {"student_id": player.student_id or str(player.user_id), "course_id": game.course_id,
            "item_id": game.usage_id, "item_type": ITEM_TYPE}
    submission = submissions_api.create_submission(item, {"live_game": game.pk})
    submissions_api.set_score(submission["uuid"], round(fraction * possible), possible)
