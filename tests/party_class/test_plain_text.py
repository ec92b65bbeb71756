"""Learner text of a party class (party_class: questions, answers, reflections) is plain text:
stored as the learner typed it, markup included, and escaped wherever it is shown."""
import pytest

from party_training.edx_plugin.party_class.models import PartyClassQuestion, PartyClassReflection
from tests.conftest import call_handler, get_block

PAYLOAD = '问题1：</textarea></script><script>alert(1)</script><img src=x onerror=alert(2)>'


def _page(usage_id, user) -> str:
    block = get_block(usage_id, user)
    fragment = block.runtime.render(block, "student_view", {})
    return fragment.body_html() + fragment.foot_html()


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["a", "staff"])
def test_markup_is_kept_as_typed_and_shown_as_text(block_id, people, viewer):
    assert call_handler(block_id, "ask", people["a"], {"text": PAYLOAD, "tag": "hot"})[0] == 200
    question = PartyClassQuestion.objects.get()
    assert question.text == PAYLOAD
    assert call_handler(block_id, "moderate", people["staff"], {
        "question_id": question.pk, "action": "answer", "answer": PAYLOAD, "publish": True})[0] == 200
    assert call_handler(block_id, "save_draft", people["a"], {"text": PAYLOAD})[0] == 200
    assert PartyClassReflection.objects.get().text == PAYLOAD
    status, body = call_handler(block_id, "state", people[viewer], method="GET")
    assert status == 200
    html = _page(block_id, people[viewer])
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "</textarea></script>" not in html
    if viewer == "a":
        assert "问题1：&lt;/textarea&gt;" in html  # the draft, escaped in its textarea
        assert body["reflection"]["text"] == PAYLOAD  # and as data for the script, which sets textContent
