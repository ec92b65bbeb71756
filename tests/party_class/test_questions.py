"""Questions to the lecturer: tags, sanitizing, windows, anonymity, one vote per learner,
hidden and merged questions, answers visible only once published; staff-only moderation."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from party_training.edx_plugin.party_class.models import PartyClassQuestion, PartyClassVote
from tests.conftest import call_handler, load_block


def ask(usage_id, user, text="为什么要坚持民主集中制？", tag="hot", **extra):
    return call_handler(usage_id, "ask", user, {"text": text, "tag": tag, **extra})


def board(usage_id, staff):
    return call_handler(usage_id, "board", staff, method="GET")[1]["questions"]


def learner_view(usage_id, user):
    return call_handler(usage_id, "state", user, method="GET")[1]["questions"]


@pytest.mark.django_db
def test_ask_stores_the_question_as_typed_and_checks_the_tag(block_id, people):
    # Plain text: a learner quoting markup keeps it; the page shows it as text (textContent, autoescape).
    typed = '问题1：<script>alert(1)</script><b>如何</b>理解 a < b？'
    status, body = ask(block_id, people["a"], text=typed)
    assert status == 200
    question = PartyClassQuestion.objects.get()
    assert question.text == typed
    assert body["questions"][0]["text"] == typed and body["questions"][0]["mine"]
    assert ask(block_id, people["a"], tag="gossip")[0] == 400
    assert ask(block_id, people["a"], text="   ")[0] == 400
    assert ask(block_id, people["a"], text="长" * 501)[0] == 400


@pytest.mark.django_db
def test_question_window_and_anonymity_rules(people):
    closed = load_block('<party_class url_name="qc" questions_close="2000-01-01T00:00:00+00:00"/>')
    assert ask(closed, people["a"])[0] == 400
    later = load_block('<party_class url_name="qo" questions_open="2099-01-01T00:00:00+00:00"/>')
    assert ask(later, people["a"])[0] == 400
    off = load_block('<party_class url_name="qf" questions_enabled="false"/>')
    assert ask(off, people["a"])[0] == 400
    named = load_block('<party_class url_name="qn" allow_anonymous="false"/>')
    assert ask(named, people["a"], anonymous=True)[0] == 400


@pytest.mark.django_db
def test_anonymous_questions_hide_the_author_from_everyone(block_id, people):
    ask(block_id, people["a"], anonymous=True)
    assert learner_view(block_id, people["b"])[0]["author"] not in {"张一", "alice"}
    assert board(block_id, people["staff"])[0]["author"] not in {"张一", "alice"}
    assert learner_view(block_id, people["a"])[0]["mine"] is True


@pytest.mark.django_db
def test_one_vote_per_learner_and_none_for_own_question(block_id, people):
    ask(block_id, people["a"])
    qid = PartyClassQuestion.objects.get().pk
    status, body = call_handler(block_id, "vote", people["b"], {"question_id": qid})
    assert status == 200 and body["created"] and body["votes"] == 1
    status, body = call_handler(block_id, "vote", people["b"], {"question_id": qid})
    assert status == 200 and not body["created"] and body["votes"] == 1
    assert call_handler(block_id, "vote", people["a"], {"question_id": qid})[0] == 400
    assert call_handler(block_id, "vote", people["c"], {"question_id": "x"})[0] == 400
    assert call_handler(block_id, "vote", people["c"], {"question_id": 99999})[0] == 404
    assert PartyClassQuestion.objects.get().votes == 1 == PartyClassVote.objects.count()
    assert learner_view(block_id, people["b"])[0]["voted"] is True


@pytest.mark.django_db
def test_questions_sorted_by_votes(block_id, people):
    ask(block_id, people["a"], text="第一个问题")
    ask(block_id, people["b"], text="第二个问题")
    second = PartyClassQuestion.objects.get(text="第二个问题").pk
    call_handler(block_id, "vote", people["c"], {"question_id": second})
    assert [q["text"] for q in learner_view(block_id, people["a"])] == ["第二个问题", "第一个问题"]
    assert [q["text"] for q in board(block_id, people["staff"])] == ["第二个问题", "第一个问题"]


@pytest.mark.django_db
def test_answers_visible_only_when_published(block_id, people):
    ask(block_id, people["a"])
    qid = PartyClassQuestion.objects.get().pk
    staff = people["staff"]
    status, _ = call_handler(block_id, "moderate", staff, {"question_id": qid, "action": "answer",
                                                           "answer": "<i>因为</i>这是根本组织原则。"})
    assert status == 200
    assert learner_view(block_id, people["b"])[0]["answer"] == ""
    assert board(block_id, staff)[0]["answer"] == "<i>因为</i>这是根本组织原则。"
    call_handler(block_id, "moderate", staff, {"question_id": qid, "action": "publish"})
    assert learner_view(block_id, people["b"])[0]["answer"] == "<i>因为</i>这是根本组织原则。"
    call_handler(block_id, "moderate", staff, {"question_id": qid, "action": "unpublish"})
    assert learner_view(block_id, people["b"])[0]["answer"] == ""


@pytest.mark.django_db
def test_answers_shown_at_once_when_publishing_is_not_required(people):
    usage_id = load_block('<party_class url_name="np" answers_need_publish="false"/>')
    ask(usage_id, people["a"])
    qid = PartyClassQuestion.objects.get().pk
    call_handler(usage_id, "moderate", people["staff"], {"question_id": qid, "action": "answer", "answer": "好的"})
    assert learner_view(usage_id, people["b"])[0]["answer"] == "好的"


@pytest.mark.django_db
def test_publishing_needs_an_answer(block_id, people):
    ask(block_id, people["a"])
    qid = PartyClassQuestion.objects.get().pk
    assert call_handler(block_id, "moderate", people["staff"], {"question_id": qid, "action": "publish"})[0] == 400
    assert call_handler(block_id, "moderate", people["staff"], {"question_id": qid, "action": "dance"})[0] == 400


@pytest.mark.django_db
def test_hidden_questions_never_reach_learners(block_id, people):
    ask(block_id, people["a"], text="不当言论")
    qid = PartyClassQuestion.objects.get().pk
    call_handler(block_id, "moderate", people["staff"], {"question_id": qid, "action": "hide"})
    assert learner_view(block_id, people["a"]) == [] and learner_view(block_id, people["b"]) == []
    assert call_handler(block_id, "vote", people["b"], {"question_id": qid})[0] == 404
    assert board(block_id, people["staff"])[0]["hidden"] is True
    call_handler(block_id, "moderate", people["staff"], {"question_id": qid, "action": "unhide"})
    assert len(learner_view(block_id, people["b"])) == 1


@pytest.mark.django_db
def test_merge_duplicates_moves_voters_and_author(block_id, people):
    ask(block_id, people["a"], text="原问题")
    ask(block_id, people["b"], text="重复的问题")
    original = PartyClassQuestion.objects.get(text="原问题")
    duplicate = PartyClassQuestion.objects.get(text="重复的问题")
    call_handler(block_id, "vote", people["c"], {"question_id": duplicate.pk})
    call_handler(block_id, "vote", people["c"], {"question_id": original.pk})
    call_handler(block_id, "vote", people["a"], {"question_id": duplicate.pk})  # the original's author
    status, body = call_handler(block_id, "moderate", people["staff"], {
        "question_id": duplicate.pk, "action": "merge", "target_id": original.pk})
    assert status == 200
    original.refresh_from_db()
    duplicate.refresh_from_db()
    # c voted both (one vote), b wrote the duplicate (now backs the original), a wrote the original (no self-vote).
    assert original.votes == 2 == PartyClassVote.objects.filter(question=original).count()
    assert duplicate.merged_into_id == original.pk
    assert [q["text"] for q in learner_view(block_id, people["c"])] == ["原问题"]
    assert call_handler(block_id, "moderate", people["staff"], {
        "question_id": original.pk, "action": "merge", "target_id": original.pk})[0] == 400
    assert call_handler(block_id, "moderate", people["staff"], {
        "question_id": original.pk, "action": "merge", "target_id": duplicate.pk})[0] == 400


@pytest.mark.django_db
def test_question_lists_run_a_bounded_number_of_queries(block_id, people, make_user):
    for n in range(15):
        ask(block_id, make_user(f"asker{n}"), text=f"问题{n}")
    client = Client()
    client.force_login(people["staff"])
    for handler in ("state", "board"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/xblock/{block_id}/handler/{handler}").status_code == 200
        assert len(queries) <= 16, (handler, len(queries))


@pytest.mark.django_db
def test_moderation_is_staff_only(block_id, people):
    ask(block_id, people["a"])
    qid = PartyClassQuestion.objects.get().pk
    for action in ("answer", "publish", "hide", "merge"):
        status, _ = call_handler(block_id, "moderate", people["b"], {"question_id": qid, "action": action,
                                                                     "answer": "x", "target_id": qid})
        assert status == 403
    assert call_handler(block_id, "board", people["b"], method="GET")[0] == 403
    assert PartyClassQuestion.objects.get().hidden is False


