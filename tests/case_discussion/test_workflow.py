"""A case discussion from draft to grade (case_discussion): autosaved drafts with revisions,
posting (every question answered, minimum length by core's counting rule, once, before the
deadline), editing within the window (shown as edited), likes once, replies, featuring, the
closing summary, rubric grades published as the block's grade, hours credited once."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from demo.models import BlockEvent
from party_training.edx_plugin.case_discussion.models import CaseAnalysis, CaseLike
from party_training.edx_plugin.core.models import HourEntry
from tests.conftest import call_handler, load_block
from tests.case_discussion.conftest import ANSWERS, case_olx, post

pytestmark = pytest.mark.django_db


def test_drafts_autosave_with_revisions_and_report_a_conflict(course_block, people):
    ann = people["a"]
    status, first = call_handler(course_block, "save_draft", ann, {"answers": ["初稿"], "revision": 0})
    assert status == 200 and first["saved"] and first["revision"] == 1
    assert call_handler(course_block, "save_draft", ann, {"answers": ["第二稿", "二"], "revision": 1})[1]["revision"] == 2
    status, stale = call_handler(course_block, "save_draft", ann, {"answers": ["旧页面"], "revision": 1})
    assert status == 200 and stale["conflict"] and not stale["saved"] and stale["answers"] == ["第二稿", "二"]
    status, forced = call_handler(course_block, "save_draft", ann, {"answers": ["保留本页"], "revision": 1, "force": True})
    assert forced["saved"] and forced["revision"] == 3
    for bad in ({"answers": "x", "revision": 0}, {"answers": ["a", "b", "c"], "revision": 3},
                {"answers": ["a"], "revision": -1}, {"answers": ["a"], "revision": "3"}):
        assert call_handler(course_block, "save_draft", ann, bad)[0] == 400, bad


def test_posting_needs_every_answer_and_the_minimum_length(people):
    usage_id = load_block(case_olx("len", min_chars=40))
    ann = people["a"]
    status, body = call_handler(usage_id, "submit", ann, {"answers": ["只答了一题的内容，足够长足够长足够长足够长足够长足够长"]})
    assert status == 400 and body["error"]
    status, body = call_handler(usage_id, "submit", ann, {"answers": ["太短", "也 短"]})
    assert status == 400 and "4" in body["error"] and "40" in body["error"]  # spaces do not count
    post(usage_id, ann)
    assert call_handler(usage_id, "submit", ann, {"answers": ANSWERS})[0] == 409
    assert CaseAnalysis.objects.filter(usage_id=usage_id).count() == 1
    assert call_handler(usage_id, "save_draft", ann, {"answers": ANSWERS, "revision": 0})[0] == 409


def test_a_past_deadline_refuses_posting_and_editing(people):
    usage_id = load_block(case_olx("late", extra='deadline="2020-01-01T00:00:00Z"'))
    status, body = call_handler(usage_id, "submit", people["a"], {"answers": ANSWERS})
    assert status == 403 and call_handler(usage_id, "state", people["a"], method="GET")[1]["closed"]


def test_the_author_edits_within_the_window_and_the_edit_is_shown(people):
    usage_id = load_block(case_olx("edit", extra='edit_window_minutes="10"'))
    ann, ben = people["a"], people["b"]
    post(usage_id, ann)
    status, body = call_handler(usage_id, "edit", ann, {"answers": ["修改后的第一题回答内容", ANSWERS[1]]})
    assert status == 200 and body["edited"]
    post(usage_id, ben)
    seen = call_handler(usage_id, "state", ben, method="GET")[1]["feed"]["analyses"]
    ann_post = next(a for a in seen if a["author"] == "安娜")
    assert ann_post["edited"] and ann_post["answers"][0]["text"] == "修改后的第一题回答内容"
    CaseAnalysis.objects.filter(author=ann).update(created=timezone.now() - datetime.timedelta(minutes=11))
    assert call_handler(usage_id, "edit", ann, {"answers": ANSWERS})[0] == 403
    assert call_handler(usage_id, "edit", ben, {"answers": ["短"]})[0] == 400
    no_window = load_block(case_olx("noedit", extra='edit_window_minutes="0"'))
    post(no_window, ann)
    assert call_handler(no_window, "edit", ann, {"answers": ANSWERS})[0] == 403


def test_likes_count_once_and_never_ones_own(course_block, people):
    post(course_block, people["a"])
    post(course_block, people["b"])
    ann_post = CaseAnalysis.objects.get(author=people["a"]).pk
    assert call_handler(course_block, "like", people["b"], {"analysis_id": ann_post})[0] == 200
    assert call_handler(course_block, "like", people["b"], {"analysis_id": ann_post})[0] == 409
    assert call_handler(course_block, "like", people["a"], {"analysis_id": ann_post})[0] == 404
    assert CaseAnalysis.objects.get(pk=ann_post).like_count == 1 == CaseLike.objects.count()
    feed = call_handler(course_block, "feed", people["b"], method="GET")[1]
    assert next(a for a in feed["analyses"] if a["id"] == ann_post)["liked"] is True


def test_replies_are_plain_text_and_paged(course_block, people):
    post(course_block, people["a"])
    post(course_block, people["b"])
    target = CaseAnalysis.objects.get(author=people["a"]).pk
    assert call_handler(course_block, "reply", people["b"], {"analysis_id": target, "text": "  "})[0] == 400
    assert call_handler(course_block, "reply", people["b"], {"analysis_id": target, "text": "x" * 2001})[0] == 400
    for n in range(23):
        assert call_handler(course_block, "reply", people["b"], {"analysis_id": target, "text": f"<b>回复{n}</b>"})[0] == 200
    first = call_handler(course_block, "replies", people["a"], {"analysis_id": target}, method="GET")[1]
    assert first["total"] == 23 and first["pages"] == 2 and len(first["replies"]) == 20
    assert first["replies"][0]["text"] == "<b>回复0</b>"  # stored as typed (escaped where shown), oldest first
    last = call_handler(course_block, "replies", people["a"], {"analysis_id": target, "page": "2"}, method="GET")[1]
    assert [r["text"] for r in last["replies"]] == [f"<b>回复{n}</b>" for n in (20, 21, 22)]


def test_featured_analyses_and_the_summary_reach_the_learners_who_posted(course_block, people):
    post(course_block, people["a"])
    target = CaseAnalysis.objects.get(author=people["a"]).pk
    assert call_handler(course_block, "moderate", people["staff"], {"analysis_id": target, "action": "feature"})[0] == 200
    status, body = call_handler(course_block, "summary", people["staff"],
                                {"summary": "<p>总结：<strong>联系实际</strong></p><script>alert(1)</script>"})
    assert status == 200 and "<script" not in body["summary"]
    before = call_handler(course_block, "state", people["b"], method="GET")[1]
    assert before["summary"] == "" and before["feed"] is None
    post(course_block, people["b"])
    after = call_handler(course_block, "state", people["b"], method="GET")[1]
    assert [a["id"] for a in after["feed"]["featured"]] == [target] and "<strong>联系实际</strong>" in after["summary"]
    assert call_handler(course_block, "moderate", people["staff"], {"analysis_id": target, "action": "hide"})[0] == 400
    assert call_handler(course_block, "moderate", people["staff"], {"analysis_id": target, "action": "boost"})[0] == 400


def test_an_ungraded_discussion_credits_its_hours_once_when_posted(course_block, people):
    post(course_block, people["a"])
    call_handler(course_block, "submit", people["a"], {"answers": ANSWERS})
    assert [e.hours for e in HourEntry.objects.filter(user=people["a"], source_kind="case_discussion")] == \
        [Decimal("1.50")]


def test_posting_completes_the_unit_once_and_a_visit_does_not(course_block, people):
    """The block reports its own completion (the LMS would otherwise mark it complete on view)."""
    ann = people["a"]
    call_handler(course_block, "state", ann, {})
    assert not BlockEvent.objects.filter(usage_id=course_block, event_type="completion").exists()
    post(course_block, ann)
    assert call_handler(course_block, "submit", ann, {"answers": ANSWERS})[0] == 409  # posted already
    completions = BlockEvent.objects.filter(usage_id=course_block, event_type="completion")
    assert [(e.user_id, e.data["completion"]) for e in completions] == [(ann.pk, 1.0)]


def test_rubric_grade_is_published_and_hours_credited_once(graded_block, people):
    ann, staff = people["a"], people["staff"]
    post(graded_block, ann)
    assert not HourEntry.objects.filter(user=ann).exists()  # graded: complete when graded
    status, body = call_handler(graded_block, "grade", staff, {"user_id": ann.pk, "selections": {"0": 0}})
    assert status == 400  # every criterion
    status, body = call_handler(graded_block, "grade", staff, {"user_id": ann.pk, "selections": {"0": 0, "1": 1},
                                                               "comment": "分析深入，联系实际不够"})
    assert status == 200 and body["score"] == "80"
    status, body = call_handler(graded_block, "grade", staff, {"user_id": ann.pk, "selections": {"0": 1, "1": 0}})
    assert body["score"] == "70"
    events = BlockEvent.objects.filter(usage_id=graded_block, event_type="grade").order_by("pk")
    assert [(e.user_id, e.data["value"], e.data["max_value"]) for e in events] == [(ann.pk, 80.0, 100.0),
                                                                                   (ann.pk, 70.0, 100.0)]
    assert HourEntry.objects.filter(user=ann, source_kind="case_discussion").count() == 1
    mine = call_handler(graded_block, "state", ann, method="GET")[1]["grade"]
    assert mine["score"] == "70" and [lv["name"] for row in mine["rubric"] for lv in row["levels"] if lv["chosen"]] \
        == ["一般", "紧密"]
    assert call_handler(graded_block, "grade", staff, {"user_id": people["c"].pk, "selections": {"0": 0, "1": 0}})[0] \
        == 404  # never joined
    ungraded = load_block(case_olx("ungraded"))
    post(ungraded, ann)
    assert call_handler(ungraded, "grade", staff, {"user_id": ann.pk, "selections": {"0": 0, "1": 0}})[0] == 409


def test_the_score_is_scaled_to_the_maximum(people):
    usage_id = load_block(case_olx("scaled", extra='graded="true" maximum_score="10"',
                                   children='<rubric><criterion name="质量"><level name="好" points="4"/>'
                                            '<level name="差" points="1"/></criterion></rubric>'))
    post(usage_id, people["a"])
    body = call_handler(usage_id, "grade", people["staff"], {"user_id": people["a"].pk, "selections": {"0": 1}})[1]
    assert body["score"] == "2.5" and body["max_score"] == "10"
