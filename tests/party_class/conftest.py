"""Fixtures of the party class tests: a fully configured block loaded from OLX, an organisation
tree with members, and helpers to read a block's state and the events it published."""
from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from demo.models import BlockEvent
from party_training.edx_plugin.core import sign_in_code
from tests.conftest import call_handler, load_block

# The class is on now (from half an hour ago for two hours): on-site sign-in is taken only around it.
SESSION_START = (timezone.now() - datetime.timedelta(minutes=30)).replace(second=0, microsecond=0)
SESSION_END = SESSION_START + datetime.timedelta(hours=2)
FULL_OLX = f"""
<party_class url_name="pc1" display_name="专题党课：学党章"
    lecturer_name="王建国" lecturer_position="党委书记" lecturer_organization="示范党委"
    schedule="live" session_start="{SESSION_START.isoformat()}" session_end="{SESSION_END.isoformat()}"
    video_url="https://player.bilibili.com/player.html?bvid=BV1xx" credit_hours="2.5"
    require_signin="true" require_content="true" require_reflection="true"
    reflection_min_chars="20" reflection_graded="true" reflection_max_score="50.0"
    questions_enabled="true" answers_need_publish="true" allow_anonymous="true"
    online_signin="false" onsite_signin="true" onsite_code_period="30">
  <body><p>党章是<strong>根本大法</strong>。</p><script>alert(1)</script></body>
  <key_point>第一点</key_point>
  <key_point>第二点</key_point>
  <material url="https://www.12371.cn/a.pdf">党章全文</material>
  <reflection_prompt>谈谈你的体会。</reflection_prompt>
  <expected_organization code="PC"/>
</party_class>
"""


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(make_org):
    root = make_org("PC", "示范党委", kind="committee")
    return {"root": root, "b1": make_org("PC-B1", "第一支部", parent=root), "b2": make_org("PC-B2", "第二支部", parent=root)}


@pytest.fixture
def people(make_user, tree):
    return {
        "staff": make_user("lecturer", course_staff=True, org=tree["b1"], full_name="王老师"),
        "a": make_user("alice", org=tree["b1"], full_name="张一"),
        "b": make_user("bob", org=tree["b1"], full_name="李二"),
        "c": make_user("carol", org=tree["b2"], full_name="赵三"),
        "outsider": make_user("dave", full_name="孙四", org=None),
    }


@pytest.fixture
def block_id(db):
    return load_block(FULL_OLX)


def events(user, usage_id, event_type):
    return list(BlockEvent.objects.filter(user=user, usage_id=usage_id, event_type=event_type).order_by("id"))


def sign_in_on_site(usage_id: str, user, period: int = 30):
    """``user`` signs in with the code on the projector now (the way into a class held on site)."""
    return call_handler(usage_id, "sign_in", user, {"method": "onsite",
                                                    "code": sign_in_code.current_code(usage_id, period)[0]})
