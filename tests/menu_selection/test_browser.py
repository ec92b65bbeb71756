"""Menu selection (menu_selection) in Chromium, on the demo course's menu: a learner picks, is
refused by a rule (overlapping schedules, then confirming too early), succeeds, and the unit gated
by her choice appears in the outline; a second learner on a 390 px phone is wait-listed and promoted
when the first drops. Learners meet the menu in its Learning MFE frame (render_xblock). Desktop and
phone screenshots."""
from pathlib import Path

import pytest

from demo.olx import load_course
from party_training.edx_plugin.core.models import CourseRole
from party_training.edx_plugin.menu_selection import picks
from party_training.edx_plugin.menu_selection.models import MenuOption, MenuPick, PickStatus
from tests.conftest import login, screenshot, unit_frame

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COURSE_XML = Path(__file__).resolve().parents[2] / "fixtures" / "demo_course" / "course.xml"
HISTORY_UNIT = "专题：党史学习"


def option(page, key):
    return page.locator(f".party-menu__option[data-key={key}]")


def click_and_reload(block, button):
    """A pick or a drop reloads the block's own page (its frame; the course page around it stays)."""
    with block.expect_navigation():
        button.click()
    block.wait_for_load_state("networkidle")


def test_pick_refused_succeed_gated_unit_then_waitlist_and_promotion(browser, live_server, make_user, make_org):
    course_id = load_course(COURSE_XML)
    branch = make_org("MB-B1", "第一支部", "branch")
    make_user("alice_m", org=branch, categories=("member",), full_name="张学员")
    bob = make_user("bob_m", org=branch, categories=("young_member",), full_name="李学员")
    filler = make_user("filler_m", org=branch, categories=("member",))
    menu_url = f"{live_server.url}/courses/{course_id}/unit/menu_choose/"
    outline_url = f"{live_server.url}/courses/{course_id}/"

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, units="frame")
    page = desk.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server.url, "alice_m")
    page.goto(outline_url)
    assert HISTORY_UNIT not in page.content()
    page.goto(menu_url)
    block = unit_frame(page)
    click_and_reload(block, option(block, "party_history").locator("[data-action=pick]"))
    assert "您已获得“党史学习专题”的名额" in block.text_content(".party-menu .party-message")
    # Refused by a rule: the theory seminar overlaps the history class.
    option(block, "theory_xi").locator("[data-action=pick]").click()
    block.wait_for_selector(".party-message--error")
    assert "时间冲突" in block.text_content(".party-menu .party-message")
    # Confirming too early names what is missing.
    block.click(".party-menu [data-action=confirm]")
    block.wait_for_function("document.querySelector('.party-menu .party-message').textContent.includes('还差')")
    screenshot(page, "menu_selection_refused_desktop")
    click_and_reload(block, option(block, "digital").locator("[data-action=pick]"))
    click_and_reload(block, option(block, "integrity").locator("[data-action=pick]"))
    click_and_reload(block, block.locator(".party-menu [data-action=confirm]"))
    assert "您的选择已确认" in block.text_content(".party-menu")
    assert "计划学时：7" in block.text_content(".party-menu__summary")
    screenshot(page, "menu_selection_learner_desktop")
    page.goto(outline_url)
    assert HISTORY_UNIT in page.content() and "专题：廉洁自律警示教育" in page.content()
    page.click(f"text={HISTORY_UNIT}")
    assert "仅对选学了“党史学习专题”的学员开放" in unit_frame(page).content()  # the gated block's own notice

    # The second seat goes to someone else; Bob, on a phone, joins the waiting list.
    usage_id = MenuPick.objects.values_list("menu__usage_id", flat=True).first()
    assert picks.pick(usage_id, "party_history", filler).status == PickStatus.SEATED
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                device_scale_factor=2, units="frame")
    mobile = phone.new_page()
    login(mobile, live_server.url, "bob_m")
    mobile.goto(menu_url)
    mobile_block = unit_frame(mobile)
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows the phone
    click_and_reload(mobile_block, option(mobile_block, "party_history").locator("[data-action=pick]"))
    assert "候补第 1 位" in option(mobile_block, "party_history").text_content()
    screenshot(mobile, "menu_selection_waiting_phone")

    page.goto(menu_url)
    block = unit_frame(page)
    click_and_reload(block, option(block, "party_history").locator("[data-action=drop]"))
    assert MenuPick.objects.get(user=bob).status == PickStatus.SEATED
    mobile.goto(menu_url)
    assert "您现在获得了“党史学习专题”的名额" in unit_frame(mobile).text_content(".party-menu__notice")
    screenshot(mobile, "menu_selection_promoted_phone")
    mobile.goto(outline_url)
    assert HISTORY_UNIT in mobile.content()
    page.goto(outline_url)
    assert HISTORY_UNIT not in page.content()

    # Course staff: seats, waiting lists and branches per option, the learners, the moves.
    staff = make_user("teacher_m", course_staff=True)
    CourseRole.objects.create(user=staff, course_id=course_id)
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_page = staff_context.new_page()
    login(staff_page, live_server.url, "teacher_m")
    staff_page.goto(menu_url)
    staff_page.click("text=名额、候补与调整（管理）")
    assert "第一支部：2" in staff_page.content() and "张学员" in staff_page.content()
    screenshot(staff_page, "menu_selection_staff_desktop")
    # The Studio editor: add a row, move it up, save; the menu follows at once.
    staff_page.goto(menu_url + "?view=studio")
    staff_page.locator('[data-field="options"] > button').click()  # the shared rows (core.js)
    row = staff_page.locator('[data-field="options"] > ol > li').last
    row.get_by_label("标题").fill("基层治理案例")
    row.get_by_label("学时").fill("1.5")
    row.locator(".party-rows__actions").get_by_role("button", name="上移").click()
    staff_page.click(".party-studio-form button[type=submit]")
    staff_page.wait_for_selector(".party-message--success")
    titles = list(MenuOption.objects.filter(active=True).order_by("position").values_list("title", flat=True))
    assert titles[-2:] == ["基层治理案例", "数字化办公技能"]
    staff_context.close()
    phone.close()
    desk.close()


def test_ranking_on_a_phone_with_buttons(browser, live_server, make_user, make_org):
    from datetime import timedelta  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.menu_selection.models import MenuRanking  # pylint: disable=import-outside-toplevel
    from tests.conftest import COURSE_ID  # pylint: disable=import-outside-toplevel
    from .conftest import load_menu, option_olx  # pylint: disable=import-outside-toplevel
    closes = (timezone.now() + timedelta(days=3)).isoformat()
    load_menu(option_olx("a", "理论专题") + option_olx("b", "党史专题") + option_olx("c", "政策专题"),
              mode="preference", closes=closes, rank_count=2)
    make_user("ranker_m", org=make_org("MR-B1", "第三支部", "branch"))
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, live_server.url, "ranker_m")
    page.goto(f"{live_server.url}/courses/{COURSE_ID}/unit/unit1/")
    option(page, "a").locator("[data-action=add-rank]").click()
    option(page, "b").locator("[data-action=add-rank]").click()
    option(page, "c").locator("[data-action=add-rank]").click()  # a third is one too many
    assert "最多可填报 2 个志愿" in page.text_content(".party-menu .party-message")
    assert not option(page, "a").locator("[data-action=add-rank]").is_visible()  # already ranked
    assert option(page, "c").locator("[data-action=add-rank]").is_visible()
    page.click("[data-ranked] li:nth-child(2) [data-move=up]")
    assert page.text_content("[data-ranked] li:first-child .party-menu__rank-no") == "第 1 志愿"
    screenshot(page, "menu_selection_ranking_phone")
    click_and_reload(page, page.locator("[data-action=save-ranking]"))
    assert list(MenuRanking.objects.order_by("rank").values_list("option__key", flat=True)) == ["b", "a"]
    assert "党史专题" in page.text_content("[data-ranked] li:first-child")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
