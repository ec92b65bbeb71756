"""Writing assignments (writing_assignment) in Chromium, the learner's block in its MFE frame: a learner writes, reloads (the draft is there), submits; a grader scores with
the rubric and returns it; the learner revises; the grader proposes and the approver releases."""
import pytest

from party_training.edx_plugin.core.models import CourseRole
from party_training.edx_plugin.writing_assignment.models import WritingStatus, WritingSubmission
from tests.conftest import COURSE_ID, load_block, login, screenshot, unit_frame

from .conftest import writing_olx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = "学习党的二十大精神，我深刻认识到，必须坚持以人民为中心的发展思想。"
REVISION = "结合本职工作，我将做到学思用贯通、知信行统一，把学习成果转化为为群众办实事的实际行动。"


def _save_draft(page, block, text):
    with page.expect_response(lambda r: "save_draft" in r.url and r.request.method == "POST") as saved:
        block.fill("textarea[name=text]", text)
    assert saved.value.ok


def test_write_reload_submit_return_revise_approve(browser, live_server, make_user, make_org):
    usage = load_block(writing_olx("wa_browser", "two_stage"), unit="writing_unit")
    org = make_org("BR-B1", "第一支部", "branch")
    learner = make_user("learner_b", org=org, full_name="张学员")
    staff = []
    for name in ("grader_b", "approver_b"):
        user = make_user(name, course_staff=True, full_name=name)
        CourseRole.objects.create(user=user, course_id=COURSE_ID)
        staff.append(user)
    unit_url = f"{live_server.url}/courses/{COURSE_ID}/unit/writing_unit/"
    queue_url = f"{live_server.url}/party-training/writing/{COURSE_ID}/"

    # The learner meets the block as the Learning MFE hosts it: in its render_xblock frame.
    context = browser.new_context(viewport={"width": 1200, "height": 900}, units="frame")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server.url, "learner_b")
    page.goto(unit_url)
    block = unit_frame(page)
    block.fill("input[name=title]", "我的学习体会")
    # Below the minimum length (10) the button says why and stays off: no dialog, then a refusal.
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    block.fill("textarea[name=text]", "太短")
    assert block.is_disabled("button[data-action=submit]")
    assert "字数不足" in block.text_content(".party-writing__count") and dialogs == []
    _save_draft(page, block, DRAFT)
    assert block.is_enabled("button[data-action=submit]")
    page.reload()
    block = unit_frame(page)
    assert block.input_value("textarea[name=text]") == DRAFT  # nothing lost on reload
    assert block.input_value("input[name=title]") == "我的学习体会"
    assert "30" in block.text_content(".party-writing__count") or str(len(DRAFT)) in block.text_content(
        ".party-writing__count")
    screenshot(page, "writing_learner_draft")
    with block.expect_navigation():  # the frame reloads, the course page around it stays
        block.click("button[data-action=submit]")
    block.wait_for_selector(".party-writing__status--submitted")

    grader = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    login(grader, live_server.url, "grader_b")
    grader.goto(queue_url)
    screenshot(grader, "writing_queue")
    grader.click("table.party-table a[href*='/piece/']")
    grader.click("button[value=claim]")
    grader.check("input[name=criterion-0][value='1']")
    grader.check("input[name=criterion-1][value='1']")
    assert "50" in grader.text_content(".party-grade__total")  # live total: 20 + 30
    grader.fill("textarea[name=comment]", "请结合本职工作写得更具体一些。")
    screenshot(grader, "writing_grader_rubric")
    grader.click("button[value=return]")
    grader.wait_for_selector(".party-message--success")
    assert WritingSubmission.objects.get(usage_id=usage).status == WritingStatus.RETURNED

    page.reload()
    block = unit_frame(page)
    assert "请结合本职工作写得更具体一些。" in block.text_content(".party-writing__status")
    _save_draft(page, block, DRAFT + "\n" + REVISION)
    with block.expect_navigation():
        block.click("button[data-action=submit]")
    block.wait_for_selector(".party-writing__status--resubmitted")

    grader.goto(queue_url)
    grader.click("table.party-table a[href*='/piece/']")
    grader.click("button[value=claim]")
    grader.check("input[name=criterion-0][value='0']")
    grader.check("input[name=criterion-1][value='1']")
    grader.fill("textarea[name=comment]", "修改后联系实际，较好。")
    grader.click("button[value=grade]")
    grader.wait_for_selector(".party-message--success")
    assert WritingSubmission.objects.get(usage_id=usage).status == WritingStatus.PROPOSED

    approver = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    login(approver, live_server.url, "approver_b")
    approver.goto(f"{queue_url}?status=proposed")
    approver.click("table.party-table a[href*='/piece/']")
    screenshot(approver, "writing_approver")
    approver.click("button[value=approve]")
    approver.wait_for_selector(".party-message--success")
    piece = WritingSubmission.objects.get(usage_id=usage)
    assert piece.status == WritingStatus.GRADED and piece.score == 70 and piece.released_by.username == "approver_b"

    page.reload()
    block = unit_frame(page)
    assert "70" in block.text_content(".party-writing__score")
    assert "修改后联系实际，较好。" in block.text_content(".party-writing__status")
    screenshot(page, "writing_learner_graded")
    phone = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True, units="frame").new_page()
    login(phone, live_server.url, "learner_b")
    phone.goto(unit_url)
    unit_frame(phone).wait_for_selector(".party-writing__score")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # no sideways scrolling
    screenshot(phone, "writing_learner_phone")
    phone_grader = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True).new_page()
    login(phone_grader, live_server.url, "grader_b")
    phone_grader.goto(f"{queue_url}piece/{piece.pk}/")
    screenshot(phone_grader, "writing_piece_phone")


def test_a_local_copy_is_offered_after_an_offline_edit(browser, live_server, make_user, make_org):
    load_block(writing_olx("wa_offline", "single"), unit="offline_unit")
    make_user("learner_o", org=make_org("BR-O", "支部", "branch"))
    context = browser.new_context(viewport={"width": 375, "height": 800}, units="frame")
    page = context.new_page()
    login(page, live_server.url, "learner_o")
    unit_url = f"{live_server.url}/courses/{COURSE_ID}/unit/offline_unit/"
    page.goto(unit_url)
    block = unit_frame(page)
    # The connection drops for every draft save of this test (aborted requests, as when offline),
    # so nothing written here can reach the server, even a request of a page being closed.
    context.route("**/handler/save_draft*", lambda route: route.abort("internetdisconnected"))
    block.fill("textarea[name=text]", DRAFT)
    block.wait_for_function("document.querySelector('.party-writing__save').textContent.length > 10")
    # The local copy is written and not marked as synced before the page goes away.
    stored = """() => Object.keys(localStorage).some(k => k.startsWith('party-writing:')
        && JSON.parse(localStorage.getItem(k)).text.length > 0 && !JSON.parse(localStorage.getItem(k)).synced)"""
    block.wait_for_function(stored)
    # The page is closed with the save still undelivered: the text lives only in localStorage.
    page.close()
    page = context.new_page()
    page.goto(unit_url)
    block = unit_frame(page)
    block.wait_for_selector(".party-writing__banner--restore:not([hidden])")
    block.click("button[data-action=restore]")
    assert block.input_value("textarea[name=text]") == DRAFT
    screenshot(page, "writing_restore_phone")
