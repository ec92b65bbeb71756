"""The party class in headless Chromium, as the issue tells it: the lecturer opens the sign-in
screen, a learner signs in on a phone with the code shown there and asks a question, another
learner arrives through the QR code's address and upvotes it, the lecturer answers and publishes,
and the learners see the answer, each in the block's MFE frame (render_xblock). Screenshots go to test-artifacts/ (desktop and phone width)."""
import re

import pytest

from tests.conftest import COURSE_ID, load_block, login, screenshot, unit_frame
from tests.party_class.conftest import SESSION_END, SESSION_START

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
ALLOWED_LATIN = {"English", "QR"}

OLX = f"""
<party_class url_name="pc_browser" display_name="专题党课：学党章 守党规 做合格党员"
    lecturer_name="王建国" lecturer_position="党委书记" lecturer_organization="示范党委"
    schedule="live" session_start="{SESSION_START.isoformat()}" session_end="{SESSION_END.isoformat()}"
    credit_hours="2.0" require_signin="true" require_content="true" require_reflection="true"
    reflection_min_chars="30" onsite_code_period="60">
  <body><p>党章是党的根本大法，是全党必须共同遵守的根本行为规范。</p></body>
  <key_point>对照党员八项义务查找差距</key_point>
  <reflection_prompt>谈谈你对做合格党员的认识。</reflection_prompt>
  <expected_organization code="PC"/>
</party_class>
"""


def untranslated_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED_LATIN}


def new_page(browser, viewport, errors):
    """A page that shows units as the Learning MFE does: each component in its render_xblock frame."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", units="frame")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page


def assert_fits(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_sign_in_question_vote_answer(browser, live_server, people):
    load_block(OLX, unit="pc_unit")
    unit_url = f"{live_server.url}/courses/{COURSE_ID}/unit/pc_unit/"
    errors: list[str] = []

    # The lecturer opens the sign-in screen from the block's staff tools.
    lecturer_ctx, lecturer = new_page(browser, DESKTOP, errors)
    login(lecturer, live_server.url, "lecturer")
    lecturer.goto(unit_url)
    with lecturer_ctx.expect_page() as opened:  # the projector opens outside the frame, in its own tab
        unit_frame(lecturer).click(".pc-projector-link")
    projector = opened.value
    projector.set_viewport_size({"width": 1600, "height": 900})
    projector.wait_for_selector(".pc-code-big")
    code = projector.get_attribute(".pc-code-big", "data-code")
    assert re.fullmatch(r"\d{6}", code)
    assert projector.locator(".pc-projector-qr svg").count() == 1
    assert projector.inner_text(".pc-count") == "0"
    screenshot(projector, "party_class_projector")

    # Learner A types the code shown there on a phone, then asks a question.
    a_ctx, learner_a = new_page(browser, PHONE, errors)
    login(learner_a, live_server.url, "alice")
    learner_a.goto(unit_url)
    a_block = unit_frame(learner_a)
    a_block.fill(".pc-code", projector.get_attribute(".pc-code-big", "data-code"))
    a_block.click(".pc-onsite-form button[type=submit]")
    a_block.wait_for_selector(".pc-signin-forms", state="hidden")
    assert "签到成功" in a_block.inner_text(".pc-signin-status")
    assert a_block.locator('.pc-req[data-req="signin"].pc-req--done').count() == 1
    a_block.check('input[type=radio][value="difficult"]')
    a_block.fill(".pc-ask-text", "如何把党章要求落实到基层日常工作中？")
    a_block.click(".pc-ask-form button[type=submit]")
    a_block.wait_for_selector(".pc-q[data-question] .pc-tag--difficult")
    assert "如何把党章要求落实到基层日常工作中？" in a_block.inner_text(".pc-question-list")
    block_text = a_block.inner_text(".party-class")
    assert not untranslated_words(block_text), untranslated_words(block_text)
    assert_fits(learner_a, PHONE)
    screenshot(learner_a, "party_class_learner_phone")

    # The projector's live count follows.
    projector.wait_for_function("document.querySelector('.pc-count').textContent === '1'", timeout=10000)

    # Learner B scans the QR code before signing in to the site: the plugin's sign-in page (outside the
    # Learning MFE's iframe) sends them to log in, comes back, signs them in and goes on to the unit.
    b_ctx, learner_b = new_page(browser, PHONE, errors)
    qr_url = projector.get_attribute(".pc-projector-qr", "data-url")
    assert "/party-training/class/" in qr_url and "party_code=" in qr_url
    learner_b.goto(qr_url)
    assert "/login/" in learner_b.url
    learner_b.fill("#id_username", "bob")
    learner_b.fill("#id_password", "pw")
    learner_b.click("button[type=submit]")
    learner_b.wait_for_url(lambda url: "/unit/pc_unit/" in url, timeout=30000, wait_until="commit")
    b_block = unit_frame(learner_b)
    b_block.wait_for_selector(".pc-signin-status")
    assert "签到（现场签到码）" in b_block.inner_text(".pc-signin-status")
    b_block.click(".pc-q[data-question] .pc-vote")
    b_block.wait_for_selector(".pc-vote.pc-vote--on")
    assert "1 人赞同" in b_block.inner_text(".pc-vote")
    projector.wait_for_function("document.querySelector('.pc-count').textContent === '2'", timeout=10000)
    screenshot(projector, "party_class_projector_count")

    # The lecturer answers on the question board and publishes the answer.
    lecturer.goto(unit_url)
    board = unit_frame(lecturer)
    board.click('.pc-tab[data-tab="board"]')
    board.wait_for_selector(".pc-board-item")
    assert "1 人赞同" in board.inner_text(".pc-board-item .pc-q-votes")
    board.fill(".pc-board-item .pc-answer-input", "要把党章学习同履职尽责结合起来，从具体事做起。")
    board.click(".pc-board-item >> text=公开答复")
    board.wait_for_selector(".pc-board-item .pc-badge--ok")
    board.locator(".pc-staff").scroll_into_view_if_needed()
    screenshot(lecturer, "party_class_question_board")
    board.click('.pc-tab[data-tab="attendance"]')
    board.wait_for_selector(".pc-att-table")
    assert "已签到 2" in board.inner_text(".pc-att-summary")
    screenshot(lecturer, "party_class_attendance")

    # Both learners now see the published answer.
    for page, name in ((learner_b, "party_class_answer_phone"), (learner_a, None)):
        page.reload()
        block = unit_frame(page)
        block.wait_for_selector(".pc-answer")
        assert "从具体事做起" in block.inner_text(".pc-answer")
        assert_fits(page, PHONE)
        if name:
            screenshot(page, name)

    for context in (lecturer_ctx, a_ctx, b_ctx):
        context.close()
    assert not errors, errors
