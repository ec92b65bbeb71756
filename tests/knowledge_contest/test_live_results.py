"""The end of a live game (现场知识竞赛): the host's "end" only closes the game and asks for the results
job; the job (core's job path) writes every player's attempt, counted result, hours and gradebook score
(edx-submissions, as the writing area's grades), once, whatever is delivered or retried."""
import pytest
from submissions import api as submissions_api

from party_training.edx_plugin.core.models import HourEntry, JobStatus
from party_training.edx_plugin.core.jobs import run as run_job
from party_training.edx_plugin.knowledge_contest import live_games, live_results
from party_training.edx_plugin.knowledge_contest.leaderboards import leaderboard
from party_training.edx_plugin.knowledge_contest.models import (
    ContestAnswer, ContestAttempt, ContestResult, LiveGame, LiveGameResults, LivePlayer,
)
from tests.conftest import COURSE_ID, call_handler

from .test_live_game import contest, current_question, open_game, people, right, wrong  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
LABEL = LiveGameResults._meta.label_lower


def play(contest, people, student_ids=False) -> int:  # noqa: F811
    """A game of two questions: a right twice, b wrong then right, c joined and never answered."""
    game_id = open_game(contest, people["host"])
    for name in ("a", "b", "c"):
        if student_ids:  # through the block, which gives the LMS's id of the learner
            assert call_handler(contest, "live_join", people[name], {"game": game_id})[0] == 200
        else:
            live_games.join_game(game_id, people[name].pk)
    for position, b_answer in enumerate((wrong, right)):
        live_games.control(contest, game_id, "next")
        question = current_question(game_id)
        live_games.answer(contest, game_id, people["a"].pk, position, right(question))
        live_games.answer(contest, game_id, people["b"].pk, position, b_answer(question))
        live_games.control(contest, game_id, "skip")
    return game_id


def score_of(contest, user):  # noqa: F811
    return submissions_api.get_score({"student_id": str(user.pk), "course_id": COURSE_ID, "item_id": contest,
                                      "item_type": live_results.ITEM_TYPE})


def counts(contest):  # noqa: F811
    return (ContestAttempt.objects.filter(usage_id=contest).count(), ContestAnswer.objects.filter(usage_id=contest).count(),
            HourEntry.objects.filter(usage_id=contest).count(), ContestResult.objects.filter(usage_id=contest).count())


def test_end_asks_for_the_job_which_writes_everything_once(contest, people, django_capture_on_commit_callbacks):  # noqa: F811
    game_id = play(contest, people, student_ids=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        status, state = call_handler(contest, "live_control", people["host"], {"game": game_id, "action": "end"})
    # The request ended the game and queued the job; it wrote no result itself.
    assert status == 200 and state["phase"] == "ended" and state["results"]["status"] == JobStatus.QUEUED
    assert state["results"]["total"] == 2 and counts(contest) == (0, 0, 0, 0) and len(callbacks) == 1
    assert LiveGame.objects.get(pk=game_id).pin is None
    callbacks[0]()  # the task, as a worker runs it
    job = LiveGameResults.objects.get(game_id=game_id)
    assert job.status == JobStatus.DONE and (job.done, job.total) == (2, 2)
    assert counts(contest) == (2, 4, 2, 2)  # a and b: attempts, answers, hours, counted results; not c
    # The gradebook has both scores now (edx-submissions, which the LMS's grades app listens to).
    for name in ("a", "b"):
        result = ContestResult.objects.get(usage_id=contest, user=people[name])
        score = score_of(contest, people[name])
        assert score["points_possible"] == 2000
        assert score["points_earned"] == round(min(1.0, result.total / result.max_score) * 2000)
        assert result.published_fraction is not None  # the block does not send it again
    assert score_of(contest, people["c"]) is None
    board = leaderboard(contest, people["a"].pk)  # the contest's leaderboard, as today
    assert board["participants"] == 2 and board["me"]["rank"] == 1 and board["top"][0]["me"]
    # The broker delivers it again, or someone asks again: nothing is written twice.
    assert run_job(LABEL, job.pk) is False
    LiveGameResults.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    assert run_job(LABEL, job.pk) is True
    assert counts(contest) == (2, 4, 2, 2)
    assert call_handler(contest, "live_control", people["host"], {"game": game_id, "action": "end"})[0] == 409
    assert LiveGameResults.objects.filter(game_id=game_id).count() == 1


def test_a_failure_half_way_keeps_what_was_written_and_a_retry_finishes(contest, people, monkeypatch,  # noqa: F811
                                                                       django_capture_on_commit_callbacks):
    game_id = play(contest, people)
    original = live_results.publish_score

    def failing(game, player):
        if player.user_id == people["b"].pk:
            raise RuntimeError("the grades service is down")
        original(game, player)

    monkeypatch.setattr(live_results, "publish_score", failing)
    with django_capture_on_commit_callbacks(execute=True):
        live_games.end_game(contest, game_id)
    job = LiveGameResults.objects.get(game_id=game_id)
    assert job.status == JobStatus.FAILED and job.error
    assert counts(contest) == (1, 2, 1, 1)  # a written; b's transaction rolled back whole
    assert list(LivePlayer.objects.filter(game_id=game_id, results_written=True).values_list("user_id", flat=True)) \
        == [people["a"].pk]
    monkeypatch.setattr(live_results, "publish_score", original)
    # The projector offers "write the results again": the host's button queues the failed job again.
    assert call_handler(contest, "live_control", people["a"], {"game": game_id, "action": "results"})[0] == 403
    with django_capture_on_commit_callbacks(execute=True):
        status, state = call_handler(contest, "live_control", people["host"], {"game": game_id, "action": "results"})
    assert status == 200
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and counts(contest) == (2, 4, 2, 2)
    assert score_of(contest, people["b"]) is not None


def test_the_projector_follows_the_job(contest, people, django_capture_on_commit_callbacks):  # noqa: F811
    game_id = play(contest, people)
    status, body = call_handler(contest, "live_control", people["host"], {"game": game_id, "action": "results"})
    assert status == 409  # not before the end
    with django_capture_on_commit_callbacks(execute=True):
        live_games.end_game(contest, game_id)
    status, state = call_handler(contest, "live_host_state", people["host"], {"game": game_id}, method="GET")
    assert status == 200 and state["results"]["status"] == JobStatus.DONE and state["results"]["done"] == 2
    with django_capture_on_commit_callbacks(execute=True):  # asking again when done changes nothing
        assert call_handler(contest, "live_control", people["host"], {"game": game_id, "action": "results"})[0] == 200
    assert counts(contest) == (2, 4, 2, 2)
    assert call_handler(contest, "live_host_state", people["a"], {"game": game_id}, method="GET")[0] == 403
