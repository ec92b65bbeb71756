"""Fixtures of the case discussion tests (case_discussion): blocks in each mode and grouping, a
branch tree with learners in two branches, course staff."""
import pytest
from django.contrib.auth import get_user_model

from party_training.edx_plugin.case_discussion.models import CaseAnalysis, CaseGroup, CaseMember
from tests.conftest import call_handler, load_block

RUBRIC = """
<rubric>
  <criterion name="分析深度"><level name="深入" points="60"/><level name="一般" points="30"/><level name="浅显" points="10"/></criterion>
  <criterion name="联系实际"><level name="紧密" points="40"/><level name="一般" points="20"/></criterion>
</rubric>"""
ANSWERS = ["案例中的问题在于形式主义，要从思想根源上认识。", "结合本支部实际，要把学习成果转化为工作成效。"]


def case_olx(url_name="cd1", mode="post_first", grouping="course", extra="", children="", min_chars=10):
    return (f'<case_discussion url_name="{url_name}" display_name="基层治理案例" mode="{mode}" grouping="{grouping}" '
            f'min_chars="{min_chars}" credit_hours="1.5" {extra}>'
            '<background><![CDATA[<p>某村推进“村规民约”修订的案例。</p>]]></background>'
            '<material url="https://example.com/case.pdf">案例全文</material>'
            '<question>案例反映了什么问题？</question><question>对本支部有何启示？</question>'
            f'{children}</case_discussion>')


def graded_olx(url_name="cdg", **kwargs):
    return case_olx(url_name, extra='graded="true" maximum_score="100"', children=RUBRIC, **kwargs)


def post(usage_id, user, answers=None):
    status, body = call_handler(usage_id, "submit", user, {"answers": answers or ANSWERS})
    assert status == 200, body
    return body


def fill_group(usage_id: str, group: CaseGroup, count: int, prefix: str) -> list[CaseAnalysis]:
    """``count`` learners of ``group`` with an analysis each, written in bulk."""
    User = get_user_model()
    User.objects.bulk_create([User(username=f"{prefix}{n}") for n in range(count)])
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    CaseMember.objects.bulk_create([CaseMember(usage_id=usage_id, user=u, group=group) for u in users])
    members = CaseMember.objects.filter(usage_id=usage_id, user__in=users)
    CaseAnalysis.objects.bulk_create([CaseAnalysis(
        member=m, course_id="c", usage_id=usage_id, group=group, author_id=m.user_id, answers=ANSWERS,
        char_count=40, featured=m.user_id % 97 == 0) for m in members])
    return list(CaseAnalysis.objects.filter(usage_id=usage_id, group=group).order_by("id"))


@pytest.fixture
def tree(make_org):
    root = make_org("C-ROOT", "县委", "committee")
    return {"root": root, "b1": make_org("C-B1", "第一支部", "branch", root),
            "b2": make_org("C-B2", "第二支部", "branch", root)}


@pytest.fixture
def people(make_user, tree):
    return {
        "a": make_user("ann", org=tree["b1"], full_name="安娜"),
        "b": make_user("ben", org=tree["b1"], full_name="本杰"),
        "c": make_user("cai", org=tree["b2"], full_name="蔡明"),
        "staff": make_user("teacher", course_staff=True, full_name="王老师"),
    }


@pytest.fixture
def course_block(db):
    return load_block(case_olx())


@pytest.fixture
def branch_block(db):
    return load_block(case_olx("cdb", grouping="branch"))


@pytest.fixture
def graded_block(db):
    return load_block(graded_olx())
