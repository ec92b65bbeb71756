"""The knowledge_contest Studio editor (issue 14, defect 12): draw rules as rows and points per
question type as real form fields, errors that name the rule and the field; the limit the block
states is the one the clock keeps (defect 6)."""
import json

import pytest

from party_training.edx_plugin.knowledge_contest.models import QuestionBank
from tests.conftest import call_handler, get_block, load_block

from .conftest import contest_olx


@pytest.mark.django_db
def test_editor_shows_rows_banks_and_points_not_json(make_bank, make_user):
    make_bank("bank", size=4)
    QuestionBank.objects.create(code="other-course", name="别的课程题库", course_id="course-v1:Other+X+1")
    usage_id = load_block(contest_olx(count=2))
    staff = make_user("author", course_staff=True)
    block = get_block(usage_id, staff)
    html = block.studio_view().body_html()
    # The shared row editor builds the rows from this schema (core.js PartyTraining.rows): banks to choose,
    # the points one number per question type; no JSON box.
    assert 'data-field="draw_rules" data-kind="rows"' in html and 'data-field="points" data-kind="keyed"' in html
    assert '"key": "bank"' in html and '"key": "count"' in html and "<textarea" not in html.split("draw_rules")[1]
    assert "Bank bank (bank)" in html and "别的课程题库" not in html  # the course's and the site's banks
    assert '"single"' in html.split('data-field="points"')[1] and "<textarea" not in html.split('data-field="points"')[1]


@pytest.mark.django_db
def test_errors_name_the_rule_and_the_field(make_bank, make_user):
    make_bank("bank", size=4)
    usage_id = load_block(contest_olx(count=2))
    staff = make_user("author", course_staff=True)
    status, body = call_handler(usage_id, "studio_submit", staff, {"values": {
        "draw_rules": json.dumps([{"bank": "bank", "count": "2", "difficulty": ""},
                                  {"bank": "", "count": "0", "difficulty": "extreme"}]),
        "points": json.dumps({"single": 1, "multiple": 200, "true_false": None, "fill_blank": 2})}})
    assert status == 400
    rules = body["fields"]["draw_rules"]
    # The shared row checks name the field, the row and the column (xblocks/studio_rows.py).
    assert "“抽题规则”第 2 行：请填写“题库”。" in rules and "“抽题规则”第 2 行：“题数”须为 1 到 200 之间的整数。" in rules
    assert "“抽题规则”第 2 行：“难度”没有“extreme”这一项" in rules and "第 1 行" not in rules
    assert "“多选题”须为 0 到 100 之间的数字。" in body["fields"]["points"] and "“判断题”" in body["fields"]["points"]
    assert "单选题" not in body["fields"]["points"]
    # Nothing was half-saved.
    assert get_block(usage_id).draw_rules == [{"bank": "bank", "category": "", "difficulty": "", "count": 2}]
    status, _body = call_handler(usage_id, "studio_submit", staff, {"values": {
        "draw_rules": json.dumps([{"bank": "bank", "count": "3", "difficulty": "medium", "category": ""}]),
        "points": json.dumps({"single": 1, "multiple": 3, "true_false": 1, "fill_blank": 2})}})
    assert status == 200
    block = get_block(usage_id)
    assert block.draw_rules == [{"bank": "bank", "category": "", "difficulty": "medium", "count": 3}]
    assert block.points["multiple"] == 3


@pytest.mark.django_db
def test_the_limit_shown_is_the_clock_limit(make_bank, make_user):
    make_bank("bank", size=12)
    usage_id = load_block(contest_olx(url_name="quick", count=10, time_limit_minutes=5, question_seconds=18))
    learner = make_user("quick")
    html = get_block(usage_id, learner).student_view().body_html()
    assert "限时 3 分钟" in html and "5 分钟" not in html  # 10 × 18 s, as the deadline will be
    status, state = call_handler(usage_id, "start", learner, {})
    active = state["active"]
    assert 170 <= active["remaining_seconds"] <= 180
