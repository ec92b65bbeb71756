"""Fixtures of the menu selection tests (menu_selection): menus in OLX, a branch tree, learners of
several member categories and course staff known to the plugin's pages."""
import pytest

from party_training.edx_plugin.core.models import CourseRole
from tests.conftest import COURSE_ID, get_block, load_block

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def option_olx(key, title=None, hours=2, capacity=None, extra="", description=""):
    cap = f' capacity="{capacity}"' if capacity is not None else ""
    desc = f"<description><![CDATA[{description}]]></description>" if description else ""
    return f'<option id="{key}" title="{title or key}" hours="{hours}"{cap} {extra}>{desc}</option>'


def menu_olx(url_name="menu1", options="", **rules):
    attrs = {"display_name": "专题选学", "mode": "first_come", "min_picks": "0", "max_picks": "3"}
    attrs.update({k: str(v) for k, v in rules.items()})
    text = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    return f'<menu_selection url_name="{url_name}" {text}>{options}</menu_selection>'


def render(usage_id, user=None):
    """Render the block as the user (syncs the plugin's copy of the menu)."""
    block = get_block(usage_id, user)
    return block.runtime.render(block, "student_view", {}).body_html()


def load_menu(options="", url_name="menu1", **rules) -> str:
    usage_id = load_block(menu_olx(url_name, options, **rules))
    render(usage_id)  # as Studio's preview: the plugin's copy exists
    return usage_id


@pytest.fixture
def branch_tree(make_org):
    root = make_org("M-ROOT", "市委党校", "committee")
    return {"root": root, "b1": make_org("M-B1", "第一支部", "branch", root),
            "b2": make_org("M-B2", "第二支部", "branch", root)}


@pytest.fixture
def people(make_user, branch_tree):
    staff = make_user("menu_staff", course_staff=True, org=branch_tree["b1"], categories=("general_cadre",))
    CourseRole.objects.create(user=staff, course_id=COURSE_ID)
    return {
        "staff": staff,
        "alice": make_user("alice", org=branch_tree["b1"], categories=("member",), full_name="张三"),
        "bob": make_user("bob", org=branch_tree["b2"], categories=("member",), full_name="李四"),
        "carol": make_user("carol", org=branch_tree["b2"], categories=("rural_member",), full_name="王五"),
        "dave": make_user("dave", org=branch_tree["b1"], categories=("new_member",), full_name="赵六"),
    }
