"""Leaderboards by person and branch, and the staff statistics."""
import datetime

import pytest
from django.core.cache import cache

from party_training.edx_plugin.knowledge_contest.models import ContestAnswer, ContestAttempt, ContestResult
from party_training.edx_plugin.knowledge_contest import exports, item_analysis, leaderboards, scoring

from .conftest import make_question

USAGE = "block-v1:TestOrg+T101+2026+type@knowledge_contest+block@board"
T0 = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.timezone.utc)


def add_result(user, total, seconds, org=None, number=1, max_score=10.0, answers=()):
    attempt = ContestAttempt.objects.create(
        user=user, course_id="c", usage_id=USAGE, number=number, status="submitted", open_slot=None, started=T0,
        deadline=T0 + datetime.timedelta(minutes=10), finished=T0 + datetime.timedelta(seconds=seconds),
        score=total, max_score=max_score, duration_ms=seconds * 1000,
        question_ids=[q.pk for q, _right in answers],
    )
    for question, right in answers:
        ContestAnswer.objects.create(attempt=attempt, question=question, usage_id=USAGE, response=["A"],
                                     is_correct=right, points=1.0 if right else 0.0, answered=T0)
    result = ContestResult.objects.create(user=user, course_id="c", usage_id=USAGE, attempt=attempt, total=total,
                                          max_score=max_score, duration_ms=seconds * 1000, organization=org)
    scoring.rebuild_score_counts(USAGE)  # results made here bypass the service that keeps the counts
    return result


@pytest.mark.django_db
def test_ranks_ties_and_my_rank_outside_the_top(make_user, make_org):
    org = make_org("B1", "一支部")
    people = {name: make_user(name, org=org, full_name=f"姓名{name}") for name in "abcdef"}
    add_result(people["a"], 9, 100, org)
    add_result(people["b"], 9, 80, org)    # same score, faster: ahead of a
    add_result(people["c"], 9, 80, org)    # same score and time as b: shares the rank
    add_result(people["d"], 7, 10, org)
    add_result(people["e"], 5, 10, org)
    add_result(people["f"], 3, 10, org)
    board = leaderboards.leaderboard(USAGE, people["f"].pk, top_n=4)
    assert [(row["rank"], row["total"]) for row in board["top"]] == [(1, 9), (1, 9), (3, 9), (4, 7)]
    assert board["top"][0]["name"].startswith("姓名") and board["top"][0]["branch"] == "一支部"
    assert board["me"]["rank"] == 6 and board["participants"] == 6
    assert leaderboards.leaderboard(USAGE, people["c"].pk)["me"]["rank"] == 1
    assert leaderboards.leaderboard(USAGE, make_user("nobody").pk)["me"] is None


@pytest.mark.django_db
def test_leaderboard_queries_do_not_grow_with_participants(make_user, make_org, django_assert_max_num_queries):
    org = make_org("B1")
    users = [make_user(f"u{i}", org=org) for i in range(60)]
    for i, user in enumerate(users):
        add_result(user, i % 10, 100 + i, org)
    with django_assert_max_num_queries(4):
        leaderboards.leaderboard(USAGE, users[-1].pk, top_n=20)
    with django_assert_max_num_queries(3):
        leaderboards.branch_leaderboard(USAGE, "average", users[-1].pk)


@pytest.mark.django_db
def test_branch_leaderboard_by_average_and_total(make_user, make_org):
    root = make_org("ROOT", "党委", kind="committee")
    small = make_org("S", "小支部", parent=root)
    big = make_org("L", "大支部", parent=root)
    add_result(make_user("s1", org=small), 10, 50, small)
    for n in range(3):
        add_result(make_user(f"l{n}", org=big), 6, 50, big)
    me = make_user("me", org=big)
    by_average = leaderboards.branch_leaderboard(USAGE, "average", me.pk)
    assert [(row["name"], row["score"]) for row in by_average["top"]] == [("小支部", 10.0), ("大支部", 6.0)]
    assert by_average["me"]["rank"] == 2
    cache.clear()
    by_total = leaderboards.branch_leaderboard(USAGE, "total", me.pk)
    assert [(row["name"], row["score"], row["participants"]) for row in by_total["top"]] == [
        ("大支部", 18.0, 3), ("小支部", 10.0, 1)]
    assert by_total["me"]["rank"] == 1


@pytest.mark.django_db
def test_live_stats_and_item_analysis(make_user, make_org, make_bank):
    bank = make_bank("bank", size=0)
    easy = make_question(bank, "true_false", index=1)
    hard = make_question(bank, "true_false", index=2)
    org = make_org("B1")
    # Strong learners get both right, weak learners only the easy one: the hard question discriminates.
    for n in range(4):
        add_result(make_user(f"strong{n}", org=org), 2, 60, org, answers=((easy, True), (hard, True)))
    for n in range(4):
        add_result(make_user(f"weak{n}", org=org), 1, 60, org, answers=((easy, True), (hard, False)))
    items = {row["question_id"]: row for row in item_analysis.item_analysis(USAGE)}
    assert items[easy.pk]["difficulty"] == 1.0 and items[easy.pk]["discrimination"] == 0.0
    assert items[hard.pk]["difficulty"] == 0.5 and items[hard.pk]["discrimination"] == 1.0
    stats = item_analysis.live_stats(USAGE, now=T0 + datetime.timedelta(seconds=30))
    assert stats["participants"] == 8 and stats["finished"] == 8 and stats["active"] == 0
    assert sum(m["answers"] for m in stats["per_minute"]) == 16
    assert [b["count"] for b in stats["distribution"]][1] == 4 and stats["distribution"][2]["count"] == 4
    assert stats["hardest"][0]["question_id"] == hard.pk and stats["hardest"][0]["correct_rate"] == 50.0


@pytest.mark.django_db
def test_results_workbook_lists_ranked_results(make_user, make_org):
    from io import BytesIO

    from openpyxl import load_workbook
    org = make_org("B1", "一支部")
    add_result(make_user("x1", org=org, full_name="=HYPERLINK(1)"), 8, 30, org)
    add_result(make_user("x2", org=org, full_name="李四"), 9, 40, org)
    book = load_workbook(BytesIO(exports.results_workbook(USAGE)))
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[4]) for r in rows] == [(1, "x2", 9), (2, "x1", 8)]
    assert book.worksheets[0]["C3"].data_type == "s"  # a name never becomes a formula
    assert [sheet.title for sheet in book.worksheets] == ["成绩", "试题分析"]


@pytest.mark.django_db
def test_results_workbook_keeps_the_maximum_true_with_a_speed_bonus(make_user, make_org):
    """Issue 14 defect 4: 16 of 16 with a 1.95 bonus was exported as "17.95 / 16", 112.2 %."""
    from io import BytesIO

    from openpyxl import load_workbook
    result = add_result(make_user("fast", org=make_org("B1", "一支部")), 16, 30, max_score=16.0)
    ContestAttempt.objects.filter(pk=result.attempt_id).update(bonus=1.95)
    ContestResult.objects.filter(pk=result.pk).update(total=17.95)
    book = load_workbook(BytesIO(exports.results_workbook(USAGE)))
    header = [cell.value for cell in book.worksheets[0][1]]
    row = dict(zip(header, next(book.worksheets[0].iter_rows(min_row=2, values_only=True))))
    assert (row["得分"], row["满分"], row["得分率（%）"]) == (16, 16, 100)
    assert row["加分"] == 1.95 and row["含加分总分"] == 17.95


@pytest.mark.django_db
def test_anonymous_board_names_my_row_once(make_user):
    """Issue 14 defect 7: the page added "(You)" to a row the server had already named "You"; the board
    now says it is anonymous, and the page adds nothing then (knowledge_contest.js)."""
    me = make_user("me")
    add_result(me, 5, 30)
    add_result(make_user("other"), 6, 30)
    board = leaderboards.leaderboard(USAGE, me.pk, anonymous=True)
    assert board["anonymous"] is True
    assert [row["name"] for row in board["top"]] == ["参赛者", "我"]
    assert leaderboards.leaderboard(USAGE, me.pk)["anonymous"] is False
