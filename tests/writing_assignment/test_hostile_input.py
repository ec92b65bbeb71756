"""Hostile writing input (writing_assignment): a title over 200 characters is refused with a message
instead of being cut silently; a draft larger than a request may carry gets the JSON error the
block's other refusals get, not Django's HTML "RequestDataTooBig" page."""
import json

import pytest
from django.test import Client

from party_training.edx_plugin.writing_assignment.models import WritingDraft, WritingSubmission
from tests.conftest import call_handler

from .conftest import TEXT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("handler", ["save_draft", "submit"])
def test_a_title_over_200_characters_is_refused_not_cut(single_block, people, handler):
    status, body = call_handler(single_block, handler, people["alice"],
                                {"title": "题" * 201, "text": TEXT, "revision": 0, "showcase_choice": "named"})
    assert status == 400
    assert body["error"] == "标题过长：201 个字符，最多 200 个。"
    assert not WritingDraft.objects.exists() and not WritingSubmission.objects.exists()
    status, _ = call_handler(single_block, handler, people["alice"],
                             {"title": "题" * 200, "text": TEXT, "revision": 0, "showcase_choice": "named"})
    assert status == 200


def test_a_1_mb_draft_gets_a_json_error(single_block, people, settings):
    client = Client()
    client.force_login(people["alice"])
    body = json.dumps({"title": "", "text": "长" * 1_000_000, "revision": 0}, ensure_ascii=False).encode()
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(f"/xblock/{single_block}/handler/save_draft", body, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["error"] == "提交的内容过大（最多 2.5 MB），未保存任何内容。请缩短后重试。"
    assert not WritingDraft.objects.exists()
