"""What menu selection (menu_selection) registers: the course's staff tool (with the number of menus),
a section of the learning file listing the member's electives, and the allocation job kind."""
import pytest
from django.utils import timezone

from party_training.edx_plugin.core.registry import registry
from party_training.edx_plugin.menu_selection.models import MenuAllocation
from tests.conftest import COURSE_ID, call_handler

from .conftest import load_menu, option_olx

pytestmark = pytest.mark.django_db


def test_staff_tool_learning_file_section_and_job_kind(people, client):
    usage_id = load_menu(option_olx("a", "甲", hours=2.5, extra='topic="policy"') + option_olx("b", "乙", capacity=1))
    call_handler(usage_id, "pick", people["alice"], {"option": "a"})
    call_handler(usage_id, "pick", people["bob"], {"option": "b"})
    call_handler(usage_id, "pick", people["alice"], {"option": "b"})  # waiting
    tool = next(t for t in registry.staff_tools_for(COURSE_ID) if t["key"] == "menu_selection")
    assert tool["label"] == "菜单式选学" and tool["count"] == 1 and client.get(tool["url"]).status_code == 302
    section = next(s for s in registry.learning_file_sections() if s.key == "menu_selection")
    columns, rows = section.rows(people["alice"], timezone.localdate().year)
    assert columns[:2] == ["选学菜单", "选项"]
    assert rows == [["专题选学", "甲", "政策法规", "2.5", "已获名额"], ["专题选学", "乙", "", "2", "候补中"]]
    assert registry.job_kind(MenuAllocation._meta.label_lower).model is MenuAllocation
    client.force_login(people["alice"])
    html = client.get("/party-training/my/").content.decode()
    assert "菜单式选学" in html and "政策法规" in html
