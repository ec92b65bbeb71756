"""Writing assignments (writing_assignment):
drafts, submission, the three grading flows, claims, hours, grades to edx-submissions."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from submissions import api as submissions_api

from demo.models import BlockEvent
from party_training.edx_plugin.core.models import HourEntry
from party_training.edx_plugin.writing_assignment.models import RubricAssessment, WritingAssignment, WritingStatus, WritingSubmission, WritingVersion
from party_training.edx_plugin.core.text import count_chars
from party_training.edx_plugin.writing_assignment import grading
from party_training.edx_plugin.writing_assignment import judges as panel
from party_training.edx_plugin.writing_assignment.errors import WritingError
from tests.conftest import COURSE_ID, call_handler, handler_queries, load_block, run_together

from .conftest import TEXT, render, writing_olx
from .helpers import claim_and_grade, submit

pytestmark = pytest.mark.django_db


def test_characters_are_counted_as_a_chinese_reader_counts_them():
    # core's one counting rule: spaces and line breaks do not count (it counted the line break before)
    assert count_chars("中文\r\n测试") == 4
    assert count_chars("  党课，学习！\n") == 6  # punctuation counts, blanks do not
    assert count_chars("𠀀字") == 2  # outside the BMP: still one character


def test_draft_autosave_detects_a_second_tab_and_keeps_both_texts(single_block, people):
    alice = people["alice"]
    status, first = call_handler(single_block, "save_draft", alice, {"title": "", "text": "第一稿", "revision": 0})
    assert status == 200 and first["saved"] and first["revision"] == 1
    # A second tab still at revision 0 must not overwrite revision 1.
    status, stale = call_handler(single_block, "save_draft", alice, {"title": "", "text": "另一个标签页", "revision": 0})
    assert status == 200 and stale["conflict"] and not stale["saved"]
    assert stale["text"] == "第一稿" and stale["revision"] == 1
    # The learner chose to keep the second tab's text.
    status, forced = call_handler(single_block, "save_draft", alice,
                                  {"title": "", "text": "另一个标签页", "revision": 0, "force": True})
    assert forced["saved"] and forced["revision"] == 2
    assert "另一个标签页" in render(single_block, alice)  # the draft is there after a reload


@pytest.mark.django_db(transaction=True)
def test_an_autosave_runs_at_most_five_queries(single_block, people):
    """The whole request, as in production: the session with the user and role (one query), the block's fields,
    the plugin's copy of its settings, the learner's submission (may they still edit?) and one write:
    the first save an INSERT, a later one the UPDATE conditional on the revision (no read back)."""
    alice = people["alice"]
    render(single_block, alice)  # the learner opened the page (the plugin's copy of the settings exists)
    for revision, text in ((0, "第一稿"), (1, "第一稿，改过")):
        status, queries = handler_queries(single_block, "save_draft", alice,
                                          {"title": "", "text": text, "revision": revision})
        assert status == 200 and len(queries) <= 5, "\n".join(queries)
    status, body = call_handler(single_block, "save_draft", alice, {"title": "", "text": "x", "revision": 2})
    assert body["saved"] and body["revision"] == 3


def test_bad_draft_input_is_refused(single_block, people):
    status, body = call_handler(single_block, "save_draft", people["alice"], {"text": "x", "revision": "a"})
    assert status == 400 and body["error"]
    status, body = call_handler(single_block, "save_draft", people["alice"], "not json")
    assert status == 400


def test_submission_checks_length_and_reaches_edx_submissions(single_block, people):
    alice = people["alice"]
    status, body = call_handler(single_block, "submit", alice, {"text": "太短"})
    assert status == 400 and "10" in body["error"]
    sub = submit(single_block, alice, TEXT)
    assert sub.status == WritingStatus.SUBMITTED and sub.char_count == count_chars(TEXT)
    stored = submissions_api.get_submissions({"student_id": str(alice.pk), "course_id": COURSE_ID,
                                              "item_id": single_block, "item_type": "writing_assignment"})
    assert stored[0]["answer"]["text"] == TEXT
    status, body = call_handler(single_block, "submit", alice, {"text": TEXT})
    assert status == 409
    status, body = call_handler(single_block, "save_draft", alice, {"text": "改", "revision": 1})
    assert status == 409  # a submitted piece is not edited until it is returned


def test_due_date_closes_submissions(people):
    usage = load_block(writing_olx("wa_due", extra='due="2020-01-01T00:00:00Z"'))
    status, body = call_handler(usage, "submit", people["alice"], {"text": TEXT})
    assert status == 403


def test_single_grader_releases_and_credits_hours_once(single_block, people):
    alice, grader = people["alice"], people["grader"]
    sub = submit(single_block, alice, TEXT)
    with pytest.raises(WritingError):  # no claim, no grading
        grading.grade(sub.pk, COURSE_ID, grader, selections={"0": 0, "1": 0}, comment="", action="grade")
    claim_and_grade(sub, grader, levels=("0", "1"))  # 40 + 30
    sub.refresh_from_db()
    assert sub.status == WritingStatus.GRADED and sub.score == Decimal("70") and sub.passed
    score = submissions_api.get_latest_score_for_submission(sub.submission_uuid)
    assert (score["points_earned"], score["points_possible"]) == (70, 100)
    entries = HourEntry.objects.filter(user=alice, source_kind="writing")
    assert [e.hours for e in entries] == [Decimal("2.00")]
    # The learner sees the grade; the grade event goes to the LMS once, not on every view.
    html = render(single_block, alice)
    assert "70" in html and "很好" in html
    render(single_block, alice)
    events = BlockEvent.objects.filter(user=alice, event_type="grade")
    assert [(e.data["value"], e.data["max_value"]) for e in events] == [(70.0, 100.0)]


def test_failing_work_earns_no_hours(single_block, people):
    sub = submit(single_block, people["alice"], TEXT)
    claim_and_grade(sub, people["grader"], levels=("2", "2"))  # 5 + 10 < 60
    sub.refresh_from_db()
    assert sub.status == WritingStatus.GRADED and not sub.passed
    assert not HourEntry.objects.filter(user=people["alice"]).exists()


def test_return_for_revision_then_resubmit(single_block, people):
    alice, grader = people["alice"], people["grader"]
    sub = submit(single_block, alice, TEXT)
    with pytest.raises(WritingError):  # returning needs a comment
        claim_and_grade(sub, grader, levels=(), comment="", action="return")
    claim_and_grade(sub, grader, levels=("1",), comment="请联系本职工作展开", action="return")
    sub.refresh_from_db()
    assert sub.status == WritingStatus.RETURNED
    html = render(single_block, alice)
    assert "请联系本职工作展开" in html and "textarea" in html
    status, body = call_handler(single_block, "save_draft", alice, {"text": TEXT + "修改", "revision": 1})
    assert status == 200 and body["saved"]
    sub = submit(single_block, alice, TEXT + "修改后的内容")
    assert sub.status == WritingStatus.RESUBMITTED and sub.attempt == 2
    assert WritingVersion.objects.filter(submission=sub).count() == 2
    claim_and_grade(sub, grader, levels=("0", "0"))
    sub.refresh_from_db()
    assert sub.score == Decimal("100")


def test_two_stage_flow_needs_another_persons_approval(two_stage_block, people):
    alice, grader, approver = people["alice"], people["grader"], people["approver"]
    sub = submit(two_stage_block, alice, TEXT)
    claim_and_grade(sub, grader, levels=("0", "0"), comment="优秀")
    sub.refresh_from_db()
    assert sub.status == WritingStatus.PROPOSED and sub.score is None
    html = render(two_stage_block, alice)
    assert "waiting for approval" in html or "等待审核" in html
    assert "优秀" not in html  # the proposal's comment is not released yet
    with pytest.raises(WritingError) as refused:
        grading.approve(sub.pk, COURSE_ID, grader)
    assert refused.value.status == 403
    grading.send_back(sub.pk, COURSE_ID, approver, "请再斟酌文字表达一项")
    sub.refresh_from_db()
    assert sub.status == WritingStatus.SUBMITTED and sub.review_note
    claim_and_grade(sub, grader, levels=("0", "1"), comment="良好")
    grading.approve(sub.pk, COURSE_ID, approver)
    sub.refresh_from_db()
    assert sub.status == WritingStatus.GRADED and sub.score == Decimal("70") and sub.released_by == approver
    assert "良好" in render(two_stage_block, alice)
    with pytest.raises(WritingError):
        grading.approve(sub.pk, COURSE_ID, approver)  # released once


def test_claims_expire_and_exclude_a_second_grader(single_block, people):
    sub = submit(single_block, people["alice"], TEXT)
    grading.claim(sub.pk, people["grader"])
    with pytest.raises(WritingError) as taken:
        grading.claim(sub.pk, people["grader2"])
    assert taken.value.status == 409 and "grader" in taken.value.message
    with pytest.raises(WritingError):
        grading.grade(sub.pk, COURSE_ID, people["grader2"], selections={"0": 0, "1": 0}, comment="", action="grade")
    WritingSubmission.objects.filter(pk=sub.pk).update(claim_expires=timezone.now() - datetime.timedelta(minutes=1))
    assert grading.claim(sub.pk, people["grader2"]).claimed_by == people["grader2"]


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_two_graders_racing_cannot_both_claim(make_user, make_org):
    from party_training.edx_plugin.core.models import CourseRole  # pylint: disable=import-outside-toplevel
    usage = load_block(writing_olx("wa_race"))
    org = make_org("RACE", "支部", "branch")
    learners = [make_user(f"race_l{i}", org=org) for i in range(10)]
    graders = [make_user(f"race_g{i}", course_staff=True) for i in range(4)]
    for grader in graders:
        CourseRole.objects.create(user=grader, course_id=COURSE_ID)
    pieces = [submit(usage, learner, TEXT) for learner in learners]
    winners: dict[int, list[int]] = {p.pk: [] for p in pieces}
    def claim_all(grader):
        def claim():
            for piece in pieces:
                try:
                    grading.claim(piece.pk, grader)
                    winners[piece.pk].append(grader.pk)
                except WritingError:
                    pass
        return claim

    _, errors = run_together([claim_all(grader) for grader in graders])
    assert not errors, errors
    assert all(len(w) == 1 for w in winners.values()), winners
    for piece in pieces:
        piece.refresh_from_db()
        assert piece.claimed_by_id == winners[piece.pk][0]


def test_contest_final_score_drops_highest_and_lowest_with_five_judges():
    assert panel.final_score([Decimal(x) for x in (80, 90)]) == Decimal("85.00")
    assert panel.final_score([Decimal(x) for x in (50, 80, 85, 90, 100)]) == Decimal("85.00")
    assert panel.final_score([Decimal(x) for x in (60, 70, 70, 80, 90, 95)]) == Decimal("77.50")
    assert panel.final_score([]) is None


def test_contest_judging_ranking_awards_and_publication(people, make_user, branch_tree):
    from party_training.edx_plugin.core.models import CourseRole  # pylint: disable=import-outside-toplevel
    usage = load_block(writing_olx("wa_contest", "contest", "contest_essay",
                                   children='<awards><award tier="first" count="1"/><award tier="second" count="1"/>'
                                            '<award tier="third" count="0"/>'
                                            '<award tier="honourable" count="1"/></awards>'))
    render(usage, people["alice"])
    assignment = WritingAssignment.objects.get(usage_id=usage)
    judges = [people["grader"], people["grader2"], people["approver"]]
    for i in range(2):
        judge = make_user(f"judge{i}", course_staff=True)
        CourseRole.objects.create(user=judge, course_id=COURSE_ID)
        judges.append(judge)
    panel.set_judges(assignment, judges)
    authors = [people["alice"], people["bob"]] + [make_user(f"c{i}", org=branch_tree["b1"]) for i in range(3)]
    status, body = call_handler(usage, "submit", authors[0], {"text": TEXT})
    assert status == 400  # a contest essay needs a title
    subs = [submit(usage, author, TEXT + str(i), title=f"征文{i}") for i, author in enumerate(authors)]
    # levels per essay: (criterion 0, criterion 1) -> 40/20/5 + 60/30/10
    plan = {0: ("0", "0"), 1: ("0", "1"), 2: ("0", "1"), 3: ("1", "1"), 4: ("2", "2")}
    outsider = make_user("outsider", course_staff=True)
    with pytest.raises(WritingError) as refused:
        panel.judge(subs[0].pk, COURSE_ID, outsider, selections={"0": 0, "1": 0}, comment="")
    assert refused.value.status == 403
    for number, sub in enumerate(subs):
        for judge in judges[: 5 if number else 4]:
            levels = plan[number]
            panel.judge(sub.pk, COURSE_ID, judge, selections={"0": levels[0], "1": levels[1]}, comment="评语")
    # One judge is extreme on the first essay; with 5 judges the extremes are dropped.
    panel.judge(subs[1].pk, COURSE_ID, judges[0], selections={"0": "2", "1": "2"}, comment="")
    progress = {row["judge"].username: row["scored"] for row in panel.judge_progress(assignment)}
    assert progress["judge1"] == 4 and progress["grader"] == 5
    standings = {s.submission.pk: s for s in panel.contest_standings(assignment)}
    assert standings[subs[0].pk].final == Decimal("100.00") and standings[subs[0].pk].rank == 1
    assert standings[subs[1].pk].final == Decimal("70.00")  # (15, 70, 70, 70, 70) trimmed
    assert standings[subs[1].pk].rank == standings[subs[2].pk].rank == 2  # a tie shares the rank
    assert standings[subs[1].pk].award == standings[subs[2].pk].award == "second"
    assert standings[subs[3].pk].rank == 4 and standings[subs[3].pk].award == ""  # third: 0, honourable: rank <= 3
    assert panel.publish_contest(assignment, people["grader"]) == 5
    first = WritingSubmission.objects.get(pk=subs[0].pk)
    assert first.status == WritingStatus.GRADED and first.rank == 1 and first.award == "first"
    html = render(usage, people["alice"])
    assert "100" in html and "评语" in html
    with pytest.raises(WritingError):
        panel.judge(subs[4].pk, COURSE_ID, judges[0], selections={"0": 0, "1": 0}, comment="")
    assert RubricAssessment.objects.filter(role="judge").count() == 4 + 4 * 5
