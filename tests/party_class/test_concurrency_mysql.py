"""Concurrent requests on MariaDB (threads, each with its own connection, through the handler
endpoint): a second sign-in or vote changes nothing, many voters lose no vote and deadlock
nothing, and completion is published and credited once."""
import pytest

from party_training.edx_plugin.core.models import HourEntry
from party_training.edx_plugin.party_class.models import PartyClassQuestion, PartyClassSignIn, PartyClassVote
from party_training.edx_plugin.core import sign_in_code
from party_training.edx_plugin.party_class import sign_in
from tests.conftest import load_block, race_handlers

from .conftest import FULL_OLX, events

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]
THREADS = 8


@pytest.fixture
def usage_id():
    return load_block(FULL_OLX)


def test_concurrent_sign_ins_of_one_learner_make_one_row(usage_id, people):
    code = sign_in_code.current_code(usage_id, 30)[0]
    results = race_handlers([(people["a"], usage_id, "sign_in", {"method": "onsite", "code": code})] * THREADS)
    assert all(status == 200 for status, _ in results), results
    assert sum(body["created"] for _, body in results) == 1
    assert PartyClassSignIn.objects.filter(usage_id=usage_id, user=people["a"]).count() == 1


def test_concurrent_votes_of_one_learner_count_once(usage_id, people):
    question = PartyClassQuestion.objects.create(course_id="c", usage_id=usage_id, author=people["a"], tag="hot",
                                                 text="问题")
    results = race_handlers([(people["b"], usage_id, "vote", {"question_id": question.pk})] * THREADS)
    assert all(status == 200 for status, _ in results), results
    assert sum(body["created"] for _, body in results) == 1
    question.refresh_from_db()
    assert question.votes == 1 == PartyClassVote.objects.filter(question=question).count()


def test_many_voters_at_once_lose_no_vote(usage_id, make_user, people):
    question = PartyClassQuestion.objects.create(course_id="c", usage_id=usage_id, author=people["a"], tag="hot",
                                                 text="问题")
    voters = [make_user(f"voter{n}") for n in range(THREADS * 2)]
    results = race_handlers([(voter, usage_id, "vote", {"question_id": question.pk}) for voter in voters])
    assert all(status == 200 and body["created"] for status, body in results), results
    question.refresh_from_db()
    assert question.votes == len(voters) == PartyClassVote.objects.filter(question=question).count()


def test_concurrent_completion_is_published_and_credited_once(people):
    usage_id = load_block('<party_class url_name="cc" require_signin="true" require_content="true" '
                          'credit_hours="3.0"/>')
    learner = people["a"]
    sign_in.sign_in(learner, "c", usage_id, sign_in.SignInRules(onsite=False), method="online")
    results = race_handlers([(learner, usage_id, "content_done", {})] * THREADS)
    assert all(status == 200 and body["requirements"]["completed"] for status, body in results), results
    assert len(events(learner, usage_id, "completion")) == 1
    assert HourEntry.objects.filter(user=learner, usage_id=usage_id).count() == 1


def test_concurrent_drafts_and_submission_leave_one_reflection(usage_id, people):
    text = "学习党章的体会：" + "坚定理想信念，" * 5
    calls = [(people["a"], usage_id, "save_draft", {"text": text})] * (THREADS - 2)
    calls += [(people["a"], usage_id, "submit_reflection", {"text": text})] * 2
    results = race_handlers(calls)
    assert all(status in (200, 409) for status, _ in results), results
    from party_training.edx_plugin.party_class.models import PartyClassReflection  # pylint: disable=import-outside-toplevel
    assert PartyClassReflection.objects.filter(usage_id=usage_id, user=people["a"]).count() == 1
