"""A live game in one headless Chromium: the host's projector page and two phones. Join, answer,
reload a phone mid-game, see the distribution chart and the podium; screenshots of both."""
from pathlib import Path

import pytest

from party_training.edx_plugin.core.models import CourseRole
from party_training.edx_plugin.knowledge_contest.bank_files import load_bank_fixtures
from party_training.edx_plugin.knowledge_contest.models import ContestResult, LiveGame
from tests.conftest import COURSE_ID, load_block, login, screenshot, unit_frame

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "question_banks"
OLX = ('<knowledge_contest url_name="live_contest" display_name="党章现场知识竞赛" leaderboard_branch="average" '
       'hours="1" hours_when="finish"><draw bank="party-constitution" count="2"/></knowledge_contest>')
UNIT = f"/courses/{COURSE_ID}/unit/live/"
PHONE = {"width": 390, "height": 800}


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def phone(browser, live_server, username, errors):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, username)
    return page


def answer_first(page):
    page.wait_for_selector(".kc-game-choice:not([disabled]), .kc-game-blank input")
    if page.locator(".kc-game-blank input").count():
        page.fill(".kc-game-blank input", "共产主义")
        page.click(".kc-game-blank button")
    else:
        page.locator(".kc-game-choice").first.click()
        if page.locator(".kc-game-send").count():
            page.click(".kc-game-send")
    page.wait_for_selector(".kc-game-wait")


def test_host_and_two_phones_play_a_game(browser, live_server, make_user, make_org):
    load_bank_fixtures(FIXTURES)
    load_block(OLX, unit="live")
    make_user("p1", org=make_org("B01", "第一党支部"), full_name="张学员")
    make_user("p2", org=make_org("B02", "第二党支部"), full_name="李学员")
    host = make_user("host", course_staff=True)
    CourseRole.objects.create(user=host, course_id=COURSE_ID)
    errors = []

    # The host opens the game from the block's staff tools, in the block's MFE frame; the projector page
    # opens in a tab of its own, not inside the frame.
    host_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", units="frame")
    host_page = host_context.new_page()
    host_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(host_page, live_server.url, "host")
    host_page.goto(f"{live_server.url}{UNIT}")
    block = unit_frame(host_page)
    block.locator(".kc-staff summary").click()
    block.click(".kc-game-open button[type=submit]")
    block.wait_for_selector(".kc-game-host-link a")
    game = LiveGame.objects.get()
    with host_context.expect_page() as opened:  # a tab of its own for the projector
        block.click(".kc-game-host-link a")
    host_page = opened.value
    host_page.on("pageerror", lambda exc: errors.append(str(exc)))
    assert len(host_page.frames) == 1
    host_page.wait_for_selector(".kc-projector-pin")
    assert host_page.inner_text(".kc-projector-pin") == game.pin

    first = phone(browser, live_server, "p1", errors)
    polls = []
    first.on("request", lambda request: polls.append(request.url) if "state.json" in request.url else None)
    first.goto(f"{live_server.url}/party-training/contest/join/")
    first.fill("#kc-join-pin", game.pin)
    first.click(".kc-join-form button")
    first.wait_for_selector(".kc-game-join")
    first.click(".kc-game-join")
    first.wait_for_selector(".kc-game-wait")
    second = phone(browser, live_server, "p2", errors)
    second.goto(f"{live_server.url}/party-training/contest/join/?pin={game.pin}")
    second.click(".kc-game-join")
    host_page.wait_for_function("document.querySelector('.kc-projector-status').textContent.includes('2')")
    screenshot(host_page, "knowledge_contest_live_lobby_projector")

    host_page.click("[data-action=next]")
    host_page.wait_for_selector(".kc-projector-clock")
    answer_first(first)
    first.reload()  # a phone reloads mid-game: back in the game, the answer kept
    first.wait_for_selector(".kc-game-wait")
    answer_first(second)
    screenshot(second, "knowledge_contest_live_phone_question")
    assert no_overflow(second)
    host_page.click("[data-action=skip]")
    host_page.wait_for_selector(".kc-projector-chart svg")
    first.wait_for_selector(".kc-game-verdict")
    screenshot(host_page, "knowledge_contest_live_reveal_projector")
    screenshot(first, "knowledge_contest_live_phone_reveal")

    host_page.click("[data-action=next]")
    host_page.wait_for_selector(".kc-projector-clock")
    answer_first(second)
    # The skip's reply is held back: the projector's poll shows the reveal and its button first, and
    # that button must be disabled (not deaf to a click) until the skip's own round trip ends.
    held = []
    host_page.route("**/live_control*", lambda route: held.append((route, route.fetch())))
    host_page.click("[data-action=skip]")
    host_page.wait_for_selector("[data-action=next]")
    assert host_page.is_disabled("[data-action=next]")
    route, reply = held.pop()
    route.fulfill(response=reply)
    host_page.unroute("**/live_control*")
    host_page.click("[data-action=next]")  # after the last question: the podium
    host_page.wait_for_selector(".kc-projector-winner")
    first.wait_for_selector(".kc-game-podium")
    screenshot(host_page, "knowledge_contest_live_podium_projector")
    screenshot(first, "knowledge_contest_live_phone_podium")
    assert no_overflow(first)
    assert ContestResult.objects.filter(usage_id=game.usage_id).count() == 2
    # The results job ran after the end; the projector says so.
    host_page.wait_for_function("document.querySelector('.kc-projector-results').textContent.includes('成绩已写入')")
    # The phone polled the plugin's view with its token (no session needed there).
    assert polls and all("t=" in url for url in polls), polls[:3]
    assert not errors, errors
