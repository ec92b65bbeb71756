"""Reflections (autosaved drafts, minimum length, submitted once, private to the learner and
staff, scored as the block's grade) and completion (published once, hours credited once)."""
from decimal import Decimal

import pytest

from party_training.edx_plugin.core.models import HourEntry
from party_training.edx_plugin.party_class.models import PartyClassReflection
from party_training.edx_plugin.core import sign_in_code
from tests.conftest import call_handler, get_block, load_block

from .conftest import events
from tests.party_class.conftest import sign_in_on_site

LONG = "通过学习党章，我深刻认识到做一名合格党员必须时刻牢记入党誓词。"


@pytest.mark.django_db
def test_drafts_autosave_and_stay_private(block_id, people):
    status, body = call_handler(block_id, "save_draft", people["a"], {"text": "草稿<script>x</script>一"})
    assert status == 200 and body["length"] == len("草稿<script>x</script>一")
    assert PartyClassReflection.objects.get().text == "草稿<script>x</script>一"  # stored as typed
    status, body = call_handler(block_id, "save_draft", people["a"], {"text": "草稿二"})
    assert status == 200
    assert PartyClassReflection.objects.get().text == "草稿二"
    state = call_handler(block_id, "state", people["a"], method="GET")[1]
    assert state["reflection"]["text"] == "草稿二" and state["reflection"]["status"] == "draft"
    assert call_handler(block_id, "state", people["b"], method="GET")[1]["reflection"]["text"] == ""
    assert call_handler(block_id, "reflections", people["b"], method="GET")[0] == 403
    assert call_handler(block_id, "save_draft", people["a"], {"text": 5})[0] == 400


@pytest.mark.django_db
def test_minimum_length_and_single_submission(block_id, people):
    status, body = call_handler(block_id, "submit_reflection", people["a"], {"text": "太短了"})
    assert status == 400 and "20" in body["error"]
    status, body = call_handler(block_id, "submit_reflection", people["a"], {"text": LONG})
    assert status == 200 and body["reflection"]["submitted"] and body["requirements"]["reflection"] is True
    assert call_handler(block_id, "submit_reflection", people["a"], {"text": LONG + "改"})[0] == 409
    assert call_handler(block_id, "save_draft", people["a"], {"text": "改"})[0] == 409
    assert PartyClassReflection.objects.get().text == LONG


@pytest.mark.django_db
def test_staff_read_reflections_in_one_place_and_score_them(block_id, people):
    call_handler(block_id, "submit_reflection", people["a"], {"text": LONG})
    call_handler(block_id, "save_draft", people["b"], {"text": "还在写"})
    status, body = call_handler(block_id, "reflections", people["staff"], method="GET")
    assert status == 200 and body["drafts"] == 1 and body["graded"] is True
    [item] = body["submitted"]
    assert item["author"] == "张一" and item["organization"] == "第一支部" and item["text"] == LONG
    assert call_handler(block_id, "score", people["staff"], {"reflection_id": item["id"], "score": 51})[0] == 400
    assert call_handler(block_id, "score", people["staff"], {"reflection_id": item["id"], "score": "abc"})[0] == 400
    assert call_handler(block_id, "score", people["a"], {"reflection_id": item["id"], "score": 50})[0] == 403
    status, body = call_handler(block_id, "score", people["staff"], {"reflection_id": item["id"], "score": 42.5})
    assert status == 200 and body["submitted"][0]["score"] == 42.5
    draft_id = PartyClassReflection.objects.get(user=people["b"]).pk
    assert call_handler(block_id, "score", people["staff"], {"reflection_id": draft_id, "score": 1})[0] == 404


@pytest.mark.django_db
def test_score_is_published_as_the_learners_grade_once_per_score(block_id, people):
    call_handler(block_id, "submit_reflection", people["a"], {"text": LONG})
    reflection = PartyClassReflection.objects.get()
    call_handler(block_id, "score", people["staff"], {"reflection_id": reflection.pk, "score": 40})
    # Published at once, in the staff member's request, as the learner's grade (the LMS's user_id).
    assert events(people["staff"], block_id, "grade") == []
    grades = events(people["a"], block_id, "grade")
    assert [g.data for g in grades] == [{"value": 40.0, "max_value": 50.0, "user_id": people["a"].pk}]
    state = call_handler(block_id, "state", people["a"], method="GET")[1]
    assert state["reflection"]["score"] == 40
    assert len(events(people["a"], block_id, "grade")) == 1  # the learner's visit publishes nothing again
    call_handler(block_id, "score", people["staff"], {"reflection_id": reflection.pk, "score": 45})
    call_handler(block_id, "state", people["a"], method="GET")
    assert [g.data["value"] for g in events(people["a"], block_id, "grade")] == [40.0, 45.0]


@pytest.mark.django_db
def test_block_is_scored_only_when_reflections_are_graded(block_id):
    assert get_block(block_id).has_score and get_block(block_id).max_score() == 50.0
    ungraded = get_block(load_block('<party_class url_name="ng"/>'))
    assert not ungraded.has_score and ungraded.max_score() is None


@pytest.mark.django_db
def test_completion_published_and_hours_credited_exactly_once(block_id, people):
    learner = people["a"]
    code = sign_in_code.current_code(block_id, 30)[0]
    call_handler(block_id, "sign_in", learner, {"method": "onsite", "code": code})
    call_handler(block_id, "content_done", learner)
    assert events(learner, block_id, "completion") == []
    status, body = call_handler(block_id, "submit_reflection", learner, {"text": LONG})
    assert body["requirements"] == {"signin": True, "content": True, "reflection": True, "completed": True}
    call_handler(block_id, "content_done", learner)
    sign_in_on_site(block_id, learner)
    assert [e.data for e in events(learner, block_id, "completion")] == [{"completion": 1.0}]
    [entry] = HourEntry.objects.filter(user=learner)
    assert entry.hours == Decimal("2.5") and entry.source_kind == "party_class" and entry.usage_id == block_id
    assert entry.note == "专题党课：学党章"


@pytest.mark.django_db
def test_completion_follows_the_configured_requirements(people):
    usage_id = load_block('<party_class url_name="c2" require_signin="true" require_content="false" '
                          'require_reflection="false" credit_hours="0.0" online_signin="true" onsite_signin="false"/>')
    call_handler(usage_id, "sign_in", people["a"], {"method": "online"})
    assert len(events(people["a"], usage_id, "completion")) == 1
    assert not HourEntry.objects.filter(user=people["a"]).exists(), "0 hours: nothing credited"
    content_only = load_block('<party_class url_name="c3" require_signin="false" require_content="true"/>')
    status, body = call_handler(content_only, "content_done", people["b"])
    assert body["requirements"]["completed"] and body["requirements"]["signin"] is None
    assert len(events(people["b"], content_only, "completion")) == 1
