"""The contest rules in the service: draw, clock, answers, scoring, counting, hours, sweep."""
import datetime
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from party_training.edx_plugin.knowledge_contest.models import (
    ContestAttempt, ContestResult, ContestScoreCount, Question,
)
from party_training.edx_plugin.core.models import HourEntry
from party_training.edx_plugin.knowledge_contest import attempts, payloads
from party_training.edx_plugin.knowledge_contest.config import (
    ContestConfig, ContestError, DrawRule, check_draw_rules, draw_questions,
)
from party_training.edx_plugin.knowledge_contest.tasks import close_overdue_contest_attempts

from .conftest import make_question

USAGE = "block-v1:TestOrg+T101+2026+type@knowledge_contest+block@svc"
T0 = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English here; the Chinese ones are the catalog's business."""
    with translation.override("en"):
        yield


def config(**kwargs):
    base = {"course_id": "course-v1:TestOrg+T101+2026", "usage_id": USAGE,
            "draw_rules": [DrawRule("bank", 4)], "time_limit_minutes": 10, "max_attempts": 2}
    base.update(kwargs)
    return ContestConfig(**base)


def correct_response(question):
    return [question.answer[0]] if question.qtype == "fill_blank" else list(question.answer)


def answer_all(user, attempt, now, right=True):
    for pk in attempt.question_ids:
        question = Question.objects.get(pk=pk)
        if right:
            response = correct_response(question)
        else:
            response = ["wrong"] if question.qtype == "fill_blank" else (
                ["F"] if question.qtype == "true_false" else ["D"])
        attempts.save_answer(user.pk, USAGE, attempt.pk, pk, response, now)


@pytest.mark.django_db
def test_draw_rules_respect_category_difficulty_and_never_repeat(make_bank):
    bank = make_bank("bank", size=0)
    for i in range(6):
        make_question(bank, "single", category="纪律", difficulty=3, index=i)
    for i in range(6, 20):
        make_question(bank, "true_false", category="总纲", difficulty=1, index=i)
    rules = [DrawRule("bank", 3, category="纪律", difficulty=3), DrawRule("bank", 10)]
    ids, orders, max_score = draw_questions(config(draw_rules=rules), random.Random(5))
    assert len(ids) == len(set(ids)) == 13
    drawn = Question.objects.in_bulk(ids)
    assert sum(1 for q in drawn.values() if q.category == "纪律") >= 3
    # Option orders are permutations, only for choice questions.
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders.values())
    assert all(drawn[int(pk)].qtype == "single" for pk in orders)
    assert max_score == sum(1.0 for _ in ids)
    assert check_draw_rules([DrawRule("bank", 7, category="纪律")])  # only 6 exist
    assert check_draw_rules([DrawRule("nope", 1)])
    assert not check_draw_rules(rules)


@pytest.mark.django_db
def test_start_fixes_questions_and_deadline_and_resumes(make_bank, make_user):
    make_bank("bank", size=10)
    user = make_user("a1")
    window_end = T0 + datetime.timedelta(minutes=5)
    attempt = attempts.start_attempt(user.pk, config(window_end=window_end), now=T0)
    assert attempt.deadline == window_end  # the window closes before the time limit runs out
    assert len(attempt.question_ids) == 4
    again = attempts.start_attempt(user.pk, config(window_end=window_end), now=T0 + datetime.timedelta(minutes=1))
    assert again.pk == attempt.pk and again.question_ids == attempt.question_ids
    assert ContestAttempt.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_window_and_attempt_limits(make_bank, make_user):
    make_bank("bank", size=8)
    user = make_user("a2")
    with pytest.raises(ContestError, match="not started"):
        attempts.start_attempt(user.pk, config(window_start=T0 + datetime.timedelta(hours=1)), now=T0)
    with pytest.raises(ContestError, match="over"):
        attempts.start_attempt(user.pk, config(window_end=T0), now=T0)
    for minute in (0, 20):
        attempt = attempts.start_attempt(user.pk, config(), now=T0 + datetime.timedelta(minutes=minute))
        attempts.submit_attempt(user.pk, USAGE, attempt.pk, T0 + datetime.timedelta(minutes=minute + 1))
    with pytest.raises(ContestError, match="all your attempts"):
        attempts.start_attempt(user.pk, config(), now=T0 + datetime.timedelta(minutes=40))


@pytest.mark.django_db
def test_grading_of_every_type_and_blank_normalization(make_bank, make_user):
    bank = make_bank("bank", size=0)
    single = make_question(bank, "single", index=1)
    multiple = make_question(bank, "multiple", index=2)
    truth = make_question(bank, "true_false", index=3)
    blank = make_question(bank, "fill_blank", index=4)
    user = make_user("g1")
    attempt = attempts.start_attempt(user.pk, config(), now=T0)
    now = T0 + datetime.timedelta(seconds=30)
    attempts.save_answer(user.pk, USAGE, attempt.pk, single.pk, ["B"], now)
    attempts.save_answer(user.pk, USAGE, attempt.pk, multiple.pk, ["C", "A", "A"], now)
    attempts.save_answer(user.pk, USAGE, attempt.pk, truth.pk, ["F"], now)
    # Full-width letters, ideographic and doubled spaces, other case: all the same answer.
    attempts.save_answer(user.pk, USAGE, attempt.pk, blank.pk, ["  mixed   case "], now)
    result = {a.question_id: (a.is_correct, a.points) for a in attempt.answers.all()}
    assert result == {single.pk: (True, 1.0), multiple.pk: (True, 2.0), truth.pk: (False, 0.0),
                      blank.pk: (True, 2.0)}
    attempts.save_answer(user.pk, USAGE, attempt.pk, blank.pk, ["ＢＬＡＮＫＳＥＣＲＥＴ４"], now)
    assert attempt.answers.get(question=blank).is_correct
    attempts.save_answer(user.pk, USAGE, attempt.pk, blank.pk, [], now)  # clearing an answer removes it
    assert not attempt.answers.filter(question=blank).exists()
    for bad in (["Z"], ["A", "B"], "B", [1]):
        with pytest.raises(ContestError):
            attempts.save_answer(user.pk, USAGE, attempt.pk, single.pk, bad, now)
    other = make_question(bank, "single", index=9)
    with pytest.raises(ContestError, match="not part"):
        attempts.save_answer(user.pk, USAGE, attempt.pk, other.pk, ["A"], now)
    closed = attempts.submit_attempt(user.pk, USAGE, attempt.pk, now)
    assert (closed.score, closed.max_score, closed.correct_count) == (3.0, 6.0, 2)
    assert closed.status == "submitted" and closed.duration_ms == 30000


@pytest.mark.django_db
def test_answers_after_the_deadline_are_refused_and_close_the_attempt(make_bank, make_user):
    make_bank("bank", size=4)
    user = make_user("d1")
    attempt = attempts.start_attempt(user.pk, config(time_limit_minutes=1), now=T0)
    first = attempt.question_ids[0]
    attempts.save_answer(user.pk, USAGE, attempt.pk, first, correct_response(Question.objects.get(pk=first)),
                    T0 + datetime.timedelta(seconds=59))
    with pytest.raises(ContestError) as info:
        attempts.save_answer(user.pk, USAGE, attempt.pk, attempt.question_ids[1], ["A"],
                             T0 + datetime.timedelta(seconds=60))
    assert info.value.code == "closed"
    attempt.refresh_from_db()
    assert attempt.status == "expired" and attempt.open_slot is None
    assert attempt.answers.count() == 1 and attempt.score > 0
    assert attempt.finished == attempt.deadline  # a late close never counts extra time
    with pytest.raises(ContestError) as again:
        attempts.save_answer(user.pk, USAGE, attempt.pk, first, ["A"], T0 + datetime.timedelta(seconds=61))
    assert again.value.code == "closed"


@pytest.mark.django_db
def test_overdue_attempt_closed_lazily_on_any_access_and_by_the_sweep(make_bank, make_user):
    make_bank("bank", size=4)
    lazy, swept = make_user("lazy"), make_user("swept")
    a1 = attempts.start_attempt(lazy.pk, config(), now=T0)
    a2 = attempts.start_attempt(swept.pk, config(), now=T0)
    later = T0 + datetime.timedelta(minutes=11)
    state = payloads.learner_state(lazy.pk, config(), now=later)
    assert state["active"] is None and state["last"]["status"] == "expired"
    a1.refresh_from_db()
    assert a1.status == "expired"
    assert attempts.close_overdue_attempts(now=later) == 1
    a2.refresh_from_db()
    assert a2.status == "expired"
    assert ContestResult.objects.filter(usage_id=USAGE).count() == 2


@pytest.mark.django_db
def test_management_command_and_celery_task_sweep_overdue_attempts(make_bank, make_user):
    make_bank("bank", size=4)
    old = timezone.now() - datetime.timedelta(minutes=5)
    by_command = attempts.start_attempt(make_user("cmd").pk, config(time_limit_minutes=1), now=old)
    call_command("close_overdue_contest_attempts")
    by_command.refresh_from_db()
    assert by_command.status == "expired"
    by_task = attempts.start_attempt(make_user("task").pk, config(time_limit_minutes=1), now=old)
    current = attempts.start_attempt(make_user("current").pk, config())
    assert close_overdue_contest_attempts.delay().get() == 1
    by_task.refresh_from_db()
    current.refresh_from_db()
    assert by_task.status == "expired" and current.status == "active"


@pytest.mark.django_db
def test_best_and_last_counting_and_speed_bonus(make_bank, make_user):
    make_bank("bank", size=4)
    user = make_user("c1")
    best = config(max_attempts=0, speed_bonus=10)
    good = attempts.start_attempt(user.pk, best, now=T0)
    answer_all(user, good, T0 + datetime.timedelta(minutes=1))
    good = attempts.submit_attempt(user.pk, USAGE, good.pk, T0 + datetime.timedelta(minutes=2))
    # 8 of 10 minutes left, all points won: 10 * 0.8 * 1.0
    assert good.bonus == 8.0 and good.total == good.score + 8.0
    poor = attempts.start_attempt(user.pk, best, now=T0 + datetime.timedelta(minutes=5))
    attempts.submit_attempt(user.pk, USAGE, poor.pk, T0 + datetime.timedelta(minutes=6))
    result = ContestResult.objects.get(user=user, usage_id=USAGE)
    assert result.attempt_id == good.pk and result.attempts == 2
    last = config(max_attempts=0, counting="last")
    third = attempts.start_attempt(user.pk, last, now=T0 + datetime.timedelta(minutes=10))
    attempts.submit_attempt(user.pk, USAGE, third.pk, T0 + datetime.timedelta(minutes=11))
    result.refresh_from_db()
    assert result.attempt_id == third.pk and result.total == 0 and result.attempts == 3
    # The per-score counts behind "my rank" moved with the counted result.
    assert list(ContestScoreCount.objects.filter(usage_id=USAGE, count__gt=0).values_list("total", "count")) == [
        (0.0, 1)]


@pytest.mark.django_db
def test_hours_credited_once_when_passing(make_bank, make_user):
    make_bank("bank", size=4)
    user = make_user("h1")
    rules = config(hours=1.5, hours_when="pass", pass_percent=60, max_attempts=3)
    failed = attempts.start_attempt(user.pk, rules, now=T0)
    answer_all(user, failed, T0, right=False)
    attempts.submit_attempt(user.pk, USAGE, failed.pk, T0 + datetime.timedelta(minutes=1))
    assert not HourEntry.objects.filter(user=user).exists()
    for minute in (10, 20):
        attempt = attempts.start_attempt(user.pk, rules, now=T0 + datetime.timedelta(minutes=minute))
        answer_all(user, attempt, T0 + datetime.timedelta(minutes=minute))
        attempts.submit_attempt(user.pk, USAGE, attempt.pk, T0 + datetime.timedelta(minutes=minute + 1))
    entries = HourEntry.objects.filter(user=user)
    assert entries.count() == 1
    assert entries[0].hours == Decimal("1.50") and entries[0].source_kind == "contest" and entries[0].usage_id == USAGE


@pytest.mark.django_db
def test_hours_on_finish_need_at_least_one_answer(make_bank, make_user):
    make_bank("bank", size=4)
    user = make_user("h2")
    rules = config(hours=1, hours_when="finish", max_attempts=2)
    empty = attempts.start_attempt(user.pk, rules, now=T0)
    attempts.submit_attempt(user.pk, USAGE, empty.pk, T0 + datetime.timedelta(minutes=1))
    assert not HourEntry.objects.filter(user=user).exists()
    attempt = attempts.start_attempt(user.pk, rules, now=T0 + datetime.timedelta(minutes=2))
    answer_all(user, attempt, T0 + datetime.timedelta(minutes=2), right=False)
    attempts.submit_attempt(user.pk, USAGE, attempt.pk, T0 + datetime.timedelta(minutes=3))
    assert HourEntry.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_time_limit_per_question_moves_on_by_the_clock(make_bank, make_user):
    make_bank("bank", size=6, types=("true_false",))
    user = make_user("q1")
    rules = config(question_seconds=20, draw_rules=[DrawRule("bank", 4)])
    attempt = attempts.start_attempt(user.pk, rules, now=T0)
    assert attempt.deadline == T0 + datetime.timedelta(seconds=80)
    payload = payloads.attempt_payload(attempt, T0 + datetime.timedelta(seconds=5))
    assert payload["position"] == 0 and len(payload["questions"]) == 1  # later questions stay unseen
    assert payload["question_remaining"] == 15
    ids = attempt.question_ids
    attempts.save_answer(user.pk, USAGE, attempt.pk, ids[0], ["T"], T0 + datetime.timedelta(seconds=5))
    # 25 s later the first question's time is over: the second is on screen without any request.
    with pytest.raises(ContestError, match="time for this question"):
        attempts.save_answer(user.pk, USAGE, attempt.pk, ids[0], ["F"], T0 + datetime.timedelta(seconds=25))
    attempts.save_answer(user.pk, USAGE, attempt.pk, ids[1], ["T"], T0 + datetime.timedelta(seconds=25))
    assert attempts.next_question(user.pk, USAGE, attempt.pk, T0 + datetime.timedelta(seconds=30)) == 2
    attempt.refresh_from_db()
    payload = payloads.attempt_payload(attempt, T0 + datetime.timedelta(seconds=31))
    assert payload["position"] == 2 and [q["locked"] for q in payload["questions"]] == [True, True, False]


@pytest.mark.django_db
def test_review_is_held_back_until_the_window_closes_when_configured(make_bank, make_user):
    make_bank("bank", size=4)
    user = make_user("r1")
    rules = config(show_explanations="after_window", window_end=T0 + datetime.timedelta(hours=1))
    attempt = attempts.start_attempt(user.pk, rules, now=T0)
    closed = attempts.submit_attempt(user.pk, USAGE, attempt.pk, T0 + datetime.timedelta(minutes=1))
    during = payloads.result_payload(closed, rules, T0 + datetime.timedelta(minutes=2))
    assert during["review"] is None and during["review_from"]
    after = payloads.result_payload(closed, rules, T0 + datetime.timedelta(hours=2))
    assert len(after["review"]) == 4 and all("explanation" in item for item in after["review"])


@pytest.mark.django_db
def test_reset_learner_allows_a_fresh_start(make_bank, make_user):
    make_bank("bank", size=4)
    user = make_user("reset")
    rules = config(max_attempts=1)
    attempt = attempts.start_attempt(user.pk, rules, now=T0)
    answer_all(user, attempt, T0)
    attempts.submit_attempt(user.pk, USAGE, attempt.pk, T0 + datetime.timedelta(minutes=1))
    assert ContestScoreCount.objects.get(usage_id=USAGE).count == 1
    assert attempts.reset_learner(USAGE, user) == 1
    assert ContestScoreCount.objects.get(usage_id=USAGE).count == 0
    assert not ContestAttempt.objects.filter(user=user).exists()
    assert not ContestResult.objects.filter(user=user).exists()
    assert attempts.start_attempt(user.pk, rules, now=T0 + datetime.timedelta(minutes=2)).number == 1
