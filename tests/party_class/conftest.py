"""Fixtures of the party class tests: a fully configured block loaded from OLX, an organisation
tree with members, and helpers to read a block's state and the events it published."""
from __future__ import annotations

import pytest
from django.core.cache import cache

from demo.models import BlockEvent
from tests.conftest import load_block

FULL_OLX = """
<party_class url_name="pc1" display_name="专题党课：学党章"
    lecturer_name="王建国" lecturer_position="党委书记" lecturer_organization="示范党委"
    schedule="live" session_start="2026-12-01T09:00:00+08:00" session_end="2026-12-01T11:00:00+08:00"
    video_url="https://player.bilibili.com/player.html?bvid=BV1xx" credit_hours="2.5"
    require_signin="true" require_content="true" require_reflection="true"
    reflection_min_chars="20" reflection_graded="true" reflection_max_score="50.0"
    questions_enabled="true" answers_need_publish="true" allow_anonymous="true"
    online_signin="true" onsite_signin="true" onsite_code_period="30">
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
