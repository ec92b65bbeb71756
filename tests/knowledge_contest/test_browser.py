"""A timed contest in headless Chromium: start, answer, reload and resume, submit, see the rank; a
second learner's time runs out and the server closes the attempt; staff open the live view. Learners
meet the contest in its Learning MFE frame (render_xblock)."""
import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from party_training.edx_plugin.knowledge_contest.models import ContestAttempt, ContestResult, QuestionBank
from party_training.edx_plugin.core.models import CourseRole
from party_training.edx_plugin.knowledge_contest.bank_files import load_bank_fixtures
from tests.conftest import COURSE_ID, load_block, login, screenshot, unit_frame

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "question_banks"
OLX = ('<knowledge_contest url_name="browser_contest" display_name="党章知识竞赛" time_limit_minutes="10" '
       'max_attempts="2" speed_bonus="2" leaderboard_branch="average" hours="1" hours_when="finish">'
       '<intro>限时10分钟，共6题。</intro><draw bank="party-constitution" count="6"/></knowledge_contest>')
UNIT = f"/courses/{COURSE_ID}/unit/contest/"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def answer_current(page):
    """Answer the question on screen (first option, or a text) and wait until the server saved it."""
    card = page.locator(".kc-card")
    if card.locator(".kc-blank").count():
        card.locator(".kc-blank").fill("共产主义")
        card.locator(".kc-blank").press("Tab")
    else:
        card.locator(".kc-option").first.click()
    page.wait_for_selector(".kc-save--ok")


def open_unit(browser, live_server, username, viewport, errors):
    """The contest's unit as the Learning MFE shows it: the page, and the block's render_xblock frame."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", units="frame")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, username)
    assert page.goto(f"{live_server.url}{UNIT}").status == 200
    block = unit_frame(page)
    block.wait_for_selector(".kc-app .party-button, .kc-card")
    return context, page, block


def test_timed_contest_resume_submit_rank_and_server_closes_overdue(browser, live_server, make_user, make_org):
    load_bank_fixtures(FIXTURES)
    usage_id = load_block(OLX, unit="contest")
    branch = make_org("B01", "第一党支部")
    make_user("learner", org=branch, full_name="张学员")
    second = make_user("learner2", org=branch, full_name="李学员")
    teacher = make_user("teacher", course_staff=True)
    CourseRole.objects.create(user=teacher, course_id=COURSE_ID)
    errors = []

    # First learner: start, answer two questions, reload mid-way and resume.
    context, page, block = open_unit(browser, live_server, "learner", DESKTOP, errors)
    block.click(".kc-app .party-button--primary")
    block.wait_for_selector(".kc-card")
    answer_current(block)
    block.locator(".kc-actions .party-button--primary").first.click()
    answer_current(block)
    clock_before = block.inner_text(".kc-clock")
    page.reload()
    block = unit_frame(page)
    block.wait_for_selector(".kc-card")
    assert block.locator(".kc-dot--done").count() == 2  # both answers came back from the server
    assert block.locator(".kc-dot--current").inner_text() == "2"  # resumed on the question the learner left
    assert block.inner_text(".kc-clock") <= clock_before  # the deadline did not move on reload
    screenshot(page, "knowledge_contest_resumed_desktop")
    for index in range(6):
        block.locator(".kc-dot").nth(index).click()
        if "kc-dot--done" not in block.locator(".kc-dot").nth(index).get_attribute("class"):
            answer_current(block)
    assert block.locator(".kc-dot--done").count() == 6
    page.once("dialog", lambda dialog: dialog.accept())
    block.locator(".kc-actions button").last.click()  # submit, on the last question
    block.wait_for_selector(".kc-result")
    assert block.locator(".kc-board tr.kc-me td").first.inner_text() == "1"  # my rank on the leaderboard
    assert block.locator(".kc-review li").count() == 6
    screenshot(page, "knowledge_contest_result_desktop")
    context.close()

    # The result on a phone: nothing wider than the screen.
    context, page, block = open_unit(browser, live_server, "learner", PHONE, errors)
    block.wait_for_selector(".kc-result")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "knowledge_contest_result_phone")
    context.close()

    # Second learner on a phone: starts, then runs out of time; the server closes the attempt.
    context, page, block = open_unit(browser, live_server, "learner2", PHONE, errors)
    block.click(".kc-app .party-button--primary")
    block.wait_for_selector(".kc-card")
    answer_current(block)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "knowledge_contest_question_phone")
    attempt = ContestAttempt.objects.get(user=second, usage_id=usage_id)
    # Let the clock run down: the deadline is now four seconds away.
    ContestAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + datetime.timedelta(seconds=4))
    page.reload()
    block = unit_frame(page)
    block.wait_for_selector(".kc-result", timeout=20000)
    attempt.refresh_from_db()
    assert attempt.status == "expired" and attempt.answers.count() == 1
    assert block.locator(".kc-block > .party-message--error").inner_text()  # "time is up"
    assert ContestResult.objects.filter(usage_id=usage_id).count() == 2
    screenshot(page, "knowledge_contest_time_up_phone")
    context.close()

    # Staff: the live view shows both participants.
    context, page, _block = open_unit(browser, live_server, "teacher", DESKTOP, errors)
    assert page.goto(f"{live_server.url}/party-training/contest/{usage_id}/live/").status == 200
    assert page.inner_text('[data-figure="participants"]') == "2"
    # Named by its title (the teacher saw the block), never by its id (issue 14, defect 5).
    assert page.inner_text(".kc-live-title") == "党章知识竞赛" and "block-v1:" not in page.inner_text("main")
    screenshot(page, "knowledge_contest_live_view")
    context.close()
    context, page, _block = open_unit(browser, live_server, "teacher", PHONE, errors)
    assert page.goto(f"{live_server.url}/party-training/contest/{usage_id}/live/").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "knowledge_contest_live_view_phone")
    context.close()

    # Staff on a phone: a bank of the course, a file with a bad row is refused row by row.
    bank = QuestionBank.objects.create(code="course-bank", name="课程题库", course_id=COURSE_ID)
    context, page, _block = open_unit(browser, live_server, "teacher", PHONE, errors)
    assert page.goto(f"{live_server.url}/party-training/contest/banks/{bank.pk}/").status == 200
    page.set_input_files("#kc-file", files=[{"name": "题库.csv", "mimeType": "text/csv", "buffer": (
        "type,stem,option_a,option_b,answer\nsingle,好题,甲,乙,B\nsingle,坏题,甲,乙,E\n").encode("gb18030")}])
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector(".kc-errors")
    assert page.locator(".kc-errors tbody tr").count() == 1 and bank.questions.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "knowledge_contest_bank_import_phone")
    context.close()
    assert not errors, errors


def test_time_per_question_moves_on_and_closes(browser, live_server, make_user):
    load_bank_fixtures(FIXTURES)
    usage_id = load_block('<knowledge_contest url_name="quick" display_name="快问快答" time_limit_minutes="5" '
                          'question_seconds="3"><draw bank="party-constitution" count="2"/></knowledge_contest>',
                          unit="contest")
    user = make_user("quick")
    errors = []
    context, page, block = open_unit(browser, live_server, "quick", PHONE, errors)
    # The limit shown is the one the clock keeps: 2 questions × 3 s, not the 5 minutes per attempt.
    rules = block.inner_text(".kc-rules")
    assert "6 秒" in rules and "5 分钟" not in rules
    block.click(".kc-app .party-button--primary")
    block.wait_for_selector(".kc-card")
    assert block.locator(".kc-clock--question").count() == 1 and block.locator(".kc-nav").count() == 0
    first = block.inner_text(".kc-stem")
    answer_current(block)
    # The first question's three seconds run out: the second one comes without a click.
    block.wait_for_function("s => document.querySelector('.kc-stem').textContent !== s", arg=first, timeout=8000)
    screenshot(page, "knowledge_contest_per_question_phone")
    # The second one's run out too: the attempt is over and closed by the server.
    block.wait_for_selector(".kc-result", timeout=10000)
    attempt = ContestAttempt.objects.get(user=user, usage_id=usage_id)
    assert attempt.status == "expired" and attempt.answers.count() == 1
    context.close()
    assert not errors, errors
