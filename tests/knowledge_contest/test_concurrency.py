"""Races on real row locks (MariaDB): double submits count once, one open attempt per learner."""
import threading

import pytest
from django.utils import timezone

from party_training.edx_plugin.knowledge_contest.models import (
    ContestAttempt, ContestResult, ContestScoreCount, Question,
)
from party_training.edx_plugin.core.models import HourEntry
from party_training.edx_plugin.knowledge_contest import attempts, leaderboards
from party_training.edx_plugin.knowledge_contest.config import ContestConfig, ContestError, DrawRule
from tests.conftest import race

USAGE = "block-v1:TestOrg+T101+2026+type@knowledge_contest+block@race"
THREADS = 8


def config(**kwargs):
    return ContestConfig(course_id="course-v1:TestOrg+T101+2026", usage_id=USAGE, draw_rules=[DrawRule("bank", 4)],
                         max_attempts=3, hours=1, hours_when="finish", **kwargs)


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_submitting_twice_at_once_counts_once(make_bank, make_user):
    make_bank("bank", size=8)
    user = make_user("racer")
    attempt = attempts.start_attempt(user.pk, config())
    for pk in attempt.question_ids:
        question = Question.objects.get(pk=pk)
        attempts.save_answer(user.pk, USAGE, attempt.pk, pk,
                        ["x"] if question.qtype == "fill_blank" else [question.answer[0]])

    def submit():
        return attempts.close_attempt(attempt.pk, timezone.now())[1]
    closed_now, errors = race(submit, THREADS)
    assert not errors, errors
    assert closed_now.count(True) == 1  # exactly one request closed and scored it
    attempt.refresh_from_db()
    assert attempt.status == "submitted"
    result = ContestResult.objects.get(usage_id=USAGE, user=user)
    assert result.attempt_id == attempt.pk and result.attempts == 1 and result.total == attempt.total
    assert HourEntry.objects.filter(user=user).count() == 1
    assert ContestScoreCount.objects.get(usage_id=USAGE, total=result.total).count == 1


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_many_learners_closing_with_the_same_score_are_all_counted(make_bank, make_user):
    make_bank("bank", size=8)
    attempt_ids = iter([attempts.start_attempt(make_user(f"same{n}").pk, config()).pk for n in range(THREADS)])
    lock = threading.Lock()

    def close():
        with lock:
            attempt_id = next(attempt_ids)
        return attempts.close_attempt(attempt_id, timezone.now())[1]
    closed, errors = race(close, THREADS)
    assert not errors and closed == [True] * THREADS, errors
    assert ContestScoreCount.objects.get(usage_id=USAGE, total=0.0).count == THREADS
    leader = leaderboards.leaderboard(USAGE, None)
    assert leader["participants"] == THREADS


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_starting_at_once_opens_one_attempt(make_bank, make_user):
    make_bank("bank", size=8)
    user = make_user("starter")
    started, errors = race(lambda: attempts.start_attempt(user.pk, config()).pk, THREADS)
    assert not errors, errors
    assert len(set(started)) == 1
    assert ContestAttempt.objects.filter(user=user, usage_id=USAGE).count() == 1


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_answers_racing_the_deadline_sweep_are_never_half_counted(make_bank, make_user):
    make_bank("bank", size=8)
    user = make_user("sweeper")
    attempt = attempts.start_attempt(user.pk, config())
    question_id = attempt.question_ids[0]
    response = ["x"] if Question.objects.get(pk=question_id).qtype == "fill_blank" else ["A"]
    calls = iter(range(THREADS))

    def act():
        if next(calls) % 2:
            return attempts.submit_attempt(user.pk, USAGE, attempt.pk).status
        try:
            return attempts.save_answer(user.pk, USAGE, attempt.pk, question_id, response)["saved"]
        except ContestError as exc:
            return exc.code
    outcomes, errors = race(act, THREADS)
    assert not errors, errors
    attempt.refresh_from_db()
    # Whatever the order, the score is the score of the answers stored when the attempt closed.
    stored = sum(a.points for a in attempt.answers.all())
    assert attempt.status == "submitted" and attempt.score == stored
    assert ContestResult.objects.get(usage_id=USAGE, user=user).total == attempt.total
