"""What a user may do with a writing assignment (writing_assignment): the one access rule that the
block, the handlers and the grading pages share; the editor read-only once contest results are
published; OLX values refused by name; old ``hours=`` OLX and stored hours; counting rule; what
the area registers (ledger link, learning-file section, staff tool)."""
import datetime

import pytest
from django.utils import timezone

from party_training.edx_plugin.core.models import CourseRole, HourEntry
from party_training.edx_plugin.core.registry import Registry
from party_training.edx_plugin.writing_assignment import grading, registration
from party_training.edx_plugin.writing_assignment import judges as panel
from party_training.edx_plugin.writing_assignment.access import (
    CLOSED_DUE, CLOSED_RESULTS, assignment_access, piece_access,
)
from party_training.edx_plugin.writing_assignment.models import WritingAssignment, WritingSubmission
from party_training.xblocks.olx import OLXError
from tests.conftest import COURSE_ID, call_handler, export_olx, get_block, load_block

from .conftest import TEXT, render, writing_olx
from .helpers import claim_and_grade, submit

pytestmark = pytest.mark.django_db


def _assignment(usage_id):
    return WritingAssignment.objects.get(usage_id=usage_id)


def test_the_access_rule_follows_the_piece_and_the_assignment(single_block, people):
    alice = people["alice"]
    render(single_block, alice)
    assignment = _assignment(single_block)
    fresh = assignment_access(alice, assignment)
    assert fresh.may_edit and fresh.may_submit and not fresh.closed
    assert not assignment_access(None, assignment).may_edit
    sub = submit(single_block, alice, TEXT)
    submitted = assignment_access(alice, assignment)
    assert submitted.in_grading and not submitted.may_edit and not submitted.may_submit
    claim_and_grade(sub, people["grader"], levels=("1",), comment="再改改", action="return")
    returned = assignment_access(alice, assignment)
    assert returned.returned and returned.may_edit
    WritingAssignment.objects.filter(pk=assignment.pk).update(due=timezone.now() - datetime.timedelta(hours=1))
    assert assignment_access(alice, _assignment(single_block)).closed == CLOSED_DUE
    WritingAssignment.objects.filter(pk=assignment.pk).update(results_published=timezone.now())
    closed = assignment_access(alice, _assignment(single_block))
    assert closed.closed == CLOSED_RESULTS and not closed.may_edit and closed.closed_message


def test_the_editor_is_read_only_once_contest_results_are_published(people, make_user):
    """The defect: after publication the editor stayed editable although submitting was refused."""
    usage = load_block(writing_olx("wa_closed", "contest", "contest_essay"))
    alice, bob = people["alice"], people["bob"]
    status, body = call_handler(usage, "save_draft", alice, {"title": "未完成", "text": "我的征文草稿", "revision": 0})
    assert status == 200 and body["saved"]
    sub = submit(usage, bob, TEXT, title="征文")
    assignment = _assignment(usage)
    judge = make_user("judge_x", course_staff=True)
    CourseRole.objects.create(user=judge, course_id=COURSE_ID)
    panel.set_judges(assignment, [judge])
    panel.judge(sub.pk, COURSE_ID, judge, selections={"0": "0", "1": "0"}, comment="")
    assert "<textarea" in render(usage, alice)  # open until the results are out
    panel.publish_contest(assignment, judge)

    html = render(usage, alice)
    assert "<textarea" not in html and 'data-action="submit"' not in html
    assert "我的征文草稿" in html  # the draft is still there, to read
    assert ("submissions are closed" in html) or ("提交已截止" in html) or ("party-writing__closed" in html)
    status, body = call_handler(usage, "save_draft", alice, {"text": "再改一下", "revision": 1})
    assert status == 403 and body["error"]
    status, body = call_handler(usage, "submit", alice, {"title": "迟到的征文", "text": TEXT})
    assert status == 403 and body["error"]
    assert not WritingSubmission.objects.filter(usage_id=usage, user=alice).exists()


def test_a_past_due_date_makes_the_editor_read_only_and_refuses_drafts(people):
    usage = load_block(writing_olx("wa_late", extra='due="2020-01-01T00:00:00Z"'))
    html = render(usage, people["alice"])
    assert "<textarea" not in html and "party-writing__closed" in html
    assert call_handler(usage, "save_draft", people["alice"], {"text": "晚了", "revision": 0})[0] == 403


def test_piece_access_gives_the_grading_page_its_buttons(single_block, two_stage_block, people):
    grader, grader2, approver = people["grader"], people["grader2"], people["approver"]
    sub = submit(single_block, people["alice"], TEXT)
    assert piece_access(grader, sub).may_claim and not piece_access(grader, sub).may_grade
    grading.claim(sub.pk, grader)
    sub = WritingSubmission.objects.select_related("assignment", "claimed_by").get(pk=sub.pk)
    mine, theirs = piece_access(grader, sub), piece_access(grader2, sub)
    assert mine.holds_claim and mine.may_grade and mine.claim_held_by is None
    assert not theirs.may_claim and not theirs.may_grade and theirs.claim_held_by == grader
    proposed = submit(two_stage_block, people["alice"], TEXT)
    claim_and_grade(proposed, grader)
    proposed = WritingSubmission.objects.select_related("assignment").get(pk=proposed.pk)
    assert not piece_access(grader, proposed).may_approve  # not one's own proposal
    assert piece_access(approver, proposed).may_approve and piece_access(approver, proposed).may_send_back
    assert piece_access(approver, proposed).proposal.assessor == grader


def test_the_grading_page_disables_the_claim_held_by_another_grader(client, single_block, people):
    sub = submit(single_block, people["alice"], TEXT)
    grading.claim(sub.pk, people["grader"])
    client.force_login(people["grader2"])
    html = client.get(f"/party-training/writing/{COURSE_ID}/piece/{sub.pk}/").content.decode()
    assert 'value="claim" class="party-button party-button--primary" disabled' in html
    assert "grader" in html


def test_a_bad_olx_value_is_refused_naming_the_field_and_the_value(db):
    bad = {'max_chars="2000"': ("max_chars", "lots"), 'pass_percent="60"': ("pass_percent", "150"),
           'grading_flow="single"': ("grading_flow", "committee"), 'hours="2"': ("hours", "-3"),
           'points="40"': ("rubric", "forty")}
    for number, (good, (field, value)) in enumerate(bad.items()):
        olx = writing_olx(f"wa_bad{number}").replace(good, f'{good.split("=")[0]}="{value}"')
        with pytest.raises(OLXError) as refused:  # before, a bad value silently kept the default
            load_block(olx)
        assert field in str(refused.value) and value in str(refused.value)


def test_old_hours_olx_and_stored_hours_keep_crediting(people):
    usage = load_block(writing_olx("wa_hours"))  # hours="2", as courses were authored before credit_hours
    block = get_block(usage)
    assert block.credit_hours == 2.0
    exported = export_olx(usage)
    assert 'credit_hours="2.0"' in exported and ' hours=' not in exported
    sub = submit(usage, people["alice"], TEXT)
    claim_and_grade(sub, people["grader"], levels=("0", "0"))
    assert [e.hours for e in HourEntry.objects.filter(user=people["alice"], source_kind="writing")] == [2]

    # A block stored under the old field name (no credit_hours set) keeps its hours too.
    legacy = load_block(writing_olx("wa_legacy").replace('hours="2" ', ""))
    block = get_block(legacy)
    block.hours = 3.0
    block.save()
    block = get_block(legacy)
    assert float(block.credit_hours_value()) == 3.0
    assert 'credit_hours="3.0"' in export_olx(legacy)
    render(legacy, people["alice"])
    assert _assignment(legacy).hours == 3


def test_studio_bounds_come_from_the_fields_and_cross_checks_stay(single_block, people):
    grader = people["grader"]
    status, body = call_handler(single_block, "studio_submit", grader, {"values": {"pass_percent": 150}})
    assert status == 400 and "pass_percent" in body["fields"]
    status, body = call_handler(single_block, "studio_submit", grader, {"values": {"credit_hours": 101}})
    assert status == 400 and "credit_hours" in body["fields"]
    status, body = call_handler(single_block, "studio_submit", grader, {"values": {"min_chars": 50, "max_chars": 40}})
    assert status == 400 and "min_chars" in body["fields"]
    status, body = call_handler(single_block, "studio_submit", grader, {"values": {"credit_hours": 4.5}})
    assert status == 200, body
    assert _assignment(single_block).hours == 4.5


def test_lengths_follow_the_one_counting_rule(single_block, people):
    spaced = "一 二 三\n四 五 六\n七 八 九"  # 9 characters by the rule (17 with spaces and line breaks)
    status, body = call_handler(single_block, "submit", people["alice"], {"text": spaced})
    assert status == 400 and "9" in body["error"]
    sub = submit(single_block, people["alice"], spaced + " 十")
    assert sub.char_count == 10


def test_registration_links_the_ledger_lists_the_year_and_counts_the_queue(single_block, people):
    registry = Registry()
    registration.register(registry)
    alice = people["alice"]
    sub = submit(single_block, alice, TEXT, title="我的体会")
    submit(single_block, people["bob"], TEXT)
    tool = registry.staff_tools()[0]
    assert tool.url(COURSE_ID).startswith("/party-training/writing/") and tool.count(COURSE_ID) == 2
    claim_and_grade(sub, people["grader"])
    entry = HourEntry.objects.get(user=alice, source_kind="writing")
    link = registry.ledger_source("writing").link(entry)
    assert link.startswith("/courses/course-v1:TestOrg+T101+2026/jump_to/") and "wa_single" in link
    section = registry.learning_file_sections()[0]
    columns, rows = section.rows(alice, timezone.localdate().year)
    assert len(columns) == len(rows[0]) and len(rows) == 1
    assert "我的体会" in rows[0] and "70" in rows[0]
    assert section.rows(alice, 2000) == (columns, [])
