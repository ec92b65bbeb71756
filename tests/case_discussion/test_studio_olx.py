"""Authoring a case discussion (case_discussion): the Studio form (rows, not JSON) saves what the
block's checks accept and names what they refuse; OLX round-trips every field and refuses bad
values naming the block, the attribute and the value."""
import pytest
from lxml import etree

from tests.conftest import call_handler, export_olx, get_block, load_block
from tests.case_discussion.conftest import RUBRIC, case_olx

pytestmark = pytest.mark.django_db

FULL = case_olx("full", grouping="auto", extra=(
    'group_size="5" deadline="2027-01-31T16:00:00+00:00" edit_window_minutes="45" graded="true" '
    'maximum_score="20.0"'), children='<organization code="C-ROOT"/>' + RUBRIC)


def test_the_studio_view_is_a_form_with_rows(make_user, client):
    load_block(FULL, unit="studio")
    client.force_login(make_user("author", course_staff=True))
    html = client.get("/courses/course-v1:TestOrg+T101+2026/unit/studio/?view=studio").content.decode()
    assert 'data-field="questions" data-kind="rows"' in html and 'data-field="rubric" data-kind="rows"' in html
    assert "PartyStudioEditor" in html and "<textarea" not in html.split('data-field="rubric"')[1]  # no raw JSON box


def test_studio_saves_rows_and_refuses_bad_ones(make_user):
    usage_id = load_block(case_olx("ed"))
    author = make_user("author2", course_staff=True)
    good = {"display_name": "新案例", "questions": [" 问题一 ", "问题二"], "graded": True, "maximum_score": "50",
            "rubric": [{"name": "深度", "levels": [{"name": "好", "points": 5}, {"name": "差", "points": 1}]}],
            "materials": [{"title": "附件", "url": "https://example.com/a.docx"}], "organizations": ["C-ROOT"],
            "group_size": "8", "background": "<p>背景</p><script>alert(1)</script>", "deadline": "2027-03-01T09:00"}
    status, body = call_handler(usage_id, "studio_submit", author, {"values": good})
    assert status == 200, body
    block = get_block(usage_id)
    assert block.questions == ["问题一", "问题二"] and block.rubric[0]["levels"][1]["points"] == 1
    assert block.background == "<p>背景</p>" and block.maximum_score == 50.0 and block.group_size == 8
    bad = {"questions": ["", "问题"], "graded": True, "rubric": [{"name": "深度", "levels": [{"name": "好", "points": "x"}]}],
           "materials": [{"title": "坏链接", "url": "javascript:alert(1)"}], "group_size": "1", "mode": "secret",
           "maximum_score": "0"}
    status, body = call_handler(usage_id, "studio_submit", author, {"values": bad})
    assert status == 400
    assert set(body["fields"]) >= {"questions", "rubric", "materials", "group_size", "mode", "maximum_score"}
    assert get_block(usage_id).questions == ["问题一", "问题二"]  # nothing half-written


def test_olx_round_trips_every_field():
    first = export_olx(load_block(FULL))
    node = etree.fromstring(first)
    node.set("url_name", "full2")
    second = export_olx(load_block(etree.tostring(node, encoding="unicode")))
    assert first.replace("full2", "full") == second.replace("full2", "full")
    block = get_block(load_block(first.replace('url_name="full"', 'url_name="full3"')))
    assert block.grouping == "auto" and block.group_size == 5 and block.edit_window_minutes == 45
    assert block.organizations == ["C-ROOT"] and len(block.rubric) == 2 and block.materials[0]["title"] == "案例全文"
    assert block.questions == ["案例反映了什么问题？", "对本支部有何启示？"] and block.credit_hours == 1.5


@pytest.mark.parametrize("attribute, value", [("group_size", "1"), ("mode", "secret"), ("graded", "maybe"),
                                              ("edit_window_minutes", "-5"), ("maximum_score", "abc")])
def test_olx_refuses_bad_values_naming_them(attribute, value):
    olx = case_olx("bad", mode=value) if attribute == "mode" else \
        case_olx("bad").replace("<case_discussion ", f'<case_discussion {attribute}="{value}" ', 1)
    with pytest.raises(ValueError) as refused:
        load_block(olx)
    assert attribute in str(refused.value) and value in str(refused.value)


def test_olx_refuses_rubric_points_that_are_not_whole():
    with pytest.raises(ValueError) as refused:
        load_block(case_olx("badrubric", children='<rubric><criterion name="x"><level name="a" points="2.5"/>'
                                                  '</criterion></rubric>'))
    assert "rubric" in str(refused.value)
