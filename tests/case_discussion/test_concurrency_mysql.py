"""Concurrent requests on MariaDB (case_discussion; threads, each with its own connection, through
the handler endpoint): likes and replies at the same moment are never lost nor doubled, a double
click likes once, two first visitors form the automatic groups once, two tabs post one analysis."""
import pytest

from party_training.edx_plugin.case_discussion.models import (
    CaseAnalysis, CaseDiscussion, CaseGroup, CaseLike, CaseMember, CaseReply,
)
from party_training.edx_plugin.core.models import HourEntry
from tests.conftest import call_handler, load_block, race_handlers
from tests.case_discussion.conftest import ANSWERS, case_olx, post

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]
THREADS = 8


@pytest.fixture
def crowd(make_user, tree):
    return [make_user(f"crowd{n}", org=tree["b1"]) for n in range(THREADS)]


@pytest.fixture
def target(people, crowd):
    usage_id = load_block(case_olx("race"))
    post(usage_id, people["a"])
    for user in crowd:
        post(usage_id, user)
    return usage_id, CaseAnalysis.objects.get(usage_id=usage_id, author=people["a"]).pk


def test_likes_and_replies_at_once_are_neither_lost_nor_doubled(target, crowd):
    usage_id, analysis = target
    calls = [(user, usage_id, "like", {"analysis_id": analysis}) for user in crowd]
    calls += [(user, usage_id, "reply", {"analysis_id": analysis, "text": f"回复{n}"}) for n, user in enumerate(crowd)]
    results = race_handlers(calls)
    assert all(status == 200 for status, _ in results), results
    row = CaseAnalysis.objects.get(pk=analysis)
    assert row.like_count == THREADS == CaseLike.objects.filter(analysis=row).count()
    assert row.reply_count == THREADS == CaseReply.objects.filter(analysis=row).count()


def test_a_double_click_likes_once(target, crowd):
    usage_id, analysis = target
    results = race_handlers([(crowd[0], usage_id, "like", {"analysis_id": analysis})] * THREADS)
    assert sorted(status for status, _ in results) == [200] + [409] * (THREADS - 1), results
    assert CaseAnalysis.objects.get(pk=analysis).like_count == 1 == CaseLike.objects.filter(analysis=analysis).count()


def test_two_tabs_post_one_analysis_and_credit_hours_once(people):
    usage_id = load_block(case_olx("tabs"))
    call_handler(usage_id, "state", people["a"], method="GET")
    results = race_handlers([(people["a"], usage_id, "submit", {"answers": ANSWERS})] * THREADS)
    assert sorted(status for status, _ in results) == [200] + [409] * (THREADS - 1), results
    assert CaseAnalysis.objects.filter(usage_id=usage_id).count() == 1
    assert HourEntry.objects.filter(user=people["a"], source_kind="case_discussion").count() == 1


def test_first_visitors_at_once_form_one_grouping(make_user, tree):
    members = [make_user(f"early{n}", org=tree["b1"] if n % 2 else tree["b2"]) for n in range(12)]
    usage_id = load_block(case_olx("form", grouping="auto", extra='group_size="4"',
                                   children='<organization code="C-ROOT"/>'))
    results = race_handlers([(user, usage_id, "state", {}) for user in members[:THREADS]])
    assert all(status == 200 for status, _ in results), results
    discussion = CaseDiscussion.objects.get(usage_id=usage_id)
    assert CaseGroup.objects.filter(discussion=discussion).count() == 3
    assert CaseMember.objects.filter(usage_id=usage_id).count() == 12
    assert sorted(CaseMember.objects.filter(usage_id=usage_id).values_list("group__number", flat=True)) == \
        [1] * 4 + [2] * 4 + [3] * 4
