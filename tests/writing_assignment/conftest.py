"""Fixtures of the writing assignment tests (writing_assignment): blocks of each grading flow, a branch tree,
learners and course staff known to the plugin's pages."""
import pytest

from party_training.edx_plugin.core.models import CourseRole
from tests.conftest import COURSE_ID, get_block, load_block

RUBRIC = """
<rubric>
  <criterion name="思想认识">
    <level name="深刻" points="40"/><level name="一般" points="20"/><level name="不足" points="5"/>
  </criterion>
  <criterion name="文字表达">
    <level name="流畅" points="60"/><level name="通顺" points="30"/><level name="欠通顺" points="10"/>
  </criterion>
</rubric>"""


def writing_olx(url_name="wa1", flow="single", kind="reflection", extra="", children=""):
    return (f'<writing_assignment url_name="{url_name}" display_name="心得体会" kind="{kind}" min_chars="10" '
            f'max_chars="2000" grading_flow="{flow}" pass_percent="60" hours="2" {extra}>'
            f'<prompt><![CDATA[<p>谈谈体会</p>]]></prompt>{RUBRIC}{children}</writing_assignment>')


def render(usage_id, user):
    """Render the block as the user (syncs the plugin's copy of its settings)."""
    block = get_block(usage_id, user)
    return block.runtime.render(block, "student_view", {}).body_html()


@pytest.fixture
def branch_tree(make_org):
    root = make_org("W-ROOT", "市委党校", "committee")
    return {"root": root, "b1": make_org("W-B1", "第一支部", "branch", root),
            "b2": make_org("W-B2", "第二支部", "branch", root)}


@pytest.fixture
def people(make_user, branch_tree):
    def staff(name):
        user = make_user(name, course_staff=True, full_name=name)
        CourseRole.objects.create(user=user, course_id=COURSE_ID)
        return user
    return {
        "alice": make_user("alice", org=branch_tree["b1"], full_name="张三"),
        "bob": make_user("bob", org=branch_tree["b2"], full_name="李四"),
        "grader": staff("grader"), "grader2": staff("grader2"), "approver": staff("approver"),
    }


@pytest.fixture
def single_block(db):
    return load_block(writing_olx("wa_single", "single"))


@pytest.fixture
def two_stage_block(db):
    return load_block(writing_olx("wa_two", "two_stage"))


TEXT = "学习党的二十大精神，我深刻认识到必须坚持以人民为中心的发展思想。\n结合本职工作，要做到学思用贯通、知信行统一。"
