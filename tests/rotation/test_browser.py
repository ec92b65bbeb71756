"""Rotation training (rotation) in Chromium: an admin runs a needs survey (its demand chart drawn by
ECharts), creates a program from it for a branch, adds a class and enrols the branch, adds a session
starting now and shows the rotating code; a learner on a 390 px phone signs in with the code and rates
the session; the roll call, the ledger and the learner's learning file show the hours. Desktop and
phone screenshots."""
import datetime

import pytest
from django.utils import timezone

from party_training.edx_plugin.core.models import HourEntry, HourSource
from party_training.edx_plugin.rotation.models import Attendance, NeedsSurvey, SessionRating, TrainingProgram
from party_training.edx_plugin.rotation.needs_surveys import answer
from tests.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state("networkidle")


def test_survey_program_enrolment_sign_in_on_a_phone_rating_and_hours(browser, live_server, make_user, make_org):
    root = make_org("RB-ROOT", "县委党校", "committee")
    branch = make_org("RB-B1", "城关支部", "branch", root)
    make_user("rot_admin_b", staff=True)
    learner = make_user("rot_learner", org=branch, full_name="张学员")
    make_user("rot_peer", org=branch, full_name="李学员")
    today = timezone.localdate()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = desk.new_page()
    login(page, live_server.url, "rot_admin_b")
    page.goto(f"{live_server.url}/party-training/rotation/surveys/")
    page.fill("#rot-title", "冬训需求调研")
    page.fill("#rot-topics", "党章党规\n党史学习\n乡村振兴")
    page.select_option("#rot-org", label="城关支部")
    page.fill("#rot-year", str(today.year))
    submit(page, "form.party-rotation-form button.party-button--primary")
    survey = NeedsSurvey.objects.get()
    topics = {t.title: t.pk for t in survey.topics.all()}
    answer(survey, learner, [topics["党史学习"], topics["党章党规"]], "多讲案例")
    page.reload()
    page.wait_for_selector("#rot-demand-chart canvas")  # ECharts drew the demand
    assert "党史学习" in page.text_content("table.party-table")
    screenshot(page, "rotation_survey_desktop")

    # A program from the two topics most in demand (checked by default), for the survey's branch.
    page.fill("#rot-name", "冬训·党员轮训")
    page.fill("#rot-hours", "3")
    page.fill("#rot-starts", today.isoformat())
    page.fill("#rot-ends", (today + datetime.timedelta(days=30)).isoformat())
    submit(page, "form:has(input[value=create_program]) button.party-button--primary")
    program = TrainingProgram.objects.get()
    assert program.sessions.count() == 3 and "轮训计划已创建" in page.content()
    page.fill("#rot-class-name", "第一期")
    page.fill("#rot-class-cap", "40")
    submit(page, "form:has(input[value=add_class]) button")
    submit(page, "button[value=assign]")
    assert program.seats.count() == 2 and "已编班 2 人" in page.content()
    start = timezone.localtime() - datetime.timedelta(minutes=5)
    page.fill("#rot-s-topic", "党章党规专题辅导")
    page.fill("#rot-s-starts", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#rot-s-ends", (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#rot-s-place", "党校报告厅")
    submit(page, "form:has(input[value=add_session]) button.party-button--primary")
    screenshot(page, "rotation_program_desktop")
    session = program.sessions.get(topic="党章党规专题辅导")
    page.goto(f"{live_server.url}/party-training/rotation/session/{session.pk}/roll-call/")
    page.click(".party-rotation-code__show")
    page.wait_for_function("/^\\d{6}$/.test(document.querySelector('.party-rotation-code__digits').textContent)")
    code = page.text_content(".party-rotation-code__digits")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                device_scale_factor=2, locale="zh-CN")
    mobile = phone.new_page()
    login(mobile, live_server.url, "rot_learner")
    mobile.goto(f"{live_server.url}/party-training/rotation/my/")
    with mobile.expect_navigation():
        mobile.click("text=党章党规专题辅导")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows the phone
    mobile.fill("#rot-code", code)
    submit(mobile, ".party-rotation-signin button")
    assert "签到成功" in mobile.content()
    mobile.check("input[name=score][value='5']")
    mobile.fill("#rot-comment", "<b>讲得透彻</b>")
    submit(mobile, ".party-rotation-rate button")
    assert "感谢您的评价" in mobile.content()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(mobile, "rotation_sign_in_phone")
    mobile.goto(f"{live_server.url}/party-training/my/")
    file_text = mobile.text_content("main")
    assert "集中轮训课次" in file_text and "党章党规专题辅导" in file_text
    screenshot(mobile, "rotation_learning_file_phone")

    assert Attendance.objects.get(user=learner).status == "present"
    assert SessionRating.objects.get().comment == "<b>讲得透彻</b>"
    assert list(HourEntry.objects.filter(user=learner, source_kind=HourSource.ROTATION)
                .values_list("hours", flat=True)) == [3]
    # The roll call marks the other learner on the desktop without a reload.
    page.reload()
    peer_row = page.locator(".party-rotation-roll__row", has_text="李学员")
    peer_row.locator("button[value=late]").click()
    page.wait_for_function("document.querySelector('.party-rotation-roll__row:last-child .is-current') !== null"
                           " || document.querySelectorAll('.party-rotation-status.is-current').length >= 2")
    assert "已记 1.5 学时" in peer_row.text_content()
    screenshot(page, "rotation_roll_call_desktop")
    page.goto(f"{live_server.url}/party-training/rotation/lecturers/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_a_long_organisation_list_is_searched(browser, live_server, make_user, make_org, monkeypatch):
    """The forms list only the first organisations (1,000); the search box above the list finds the
    others by name or code and keeps what was chosen."""
    from party_training.edx_plugin.rotation.views import programs  # pylint: disable=import-outside-toplevel

    monkeypatch.setattr(programs, "ORGANIZATIONS_LISTED", 2)
    root = make_org("RS-ROOT", "县委党校", "committee")
    make_org("RS-A", "城关支部", "branch", root)
    far = make_org("RS-Z9", "远山村支部", "branch", root)
    make_user("rot_admin_s", staff=True)
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    login(page, live_server.url, "rot_admin_s")
    page.goto(f"{live_server.url}/party-training/rotation/")
    assert page.locator("#rot-roots option", has_text="远山村支部").count() == 0
    page.select_option("#rot-roots", label="城关支部")
    page.fill("input[aria-controls=rot-roots]", "Z9")  # by code
    page.wait_for_selector("#rot-roots option:has-text('远山村支部')")
    assert page.locator("#rot-roots option", has_text="城关支部").count() == 1  # the chosen one stays
    page.select_option("#rot-roots", label=["城关支部", "远山村支部"])
    page.fill("input[aria-controls=rot-org]", "县委")
    page.wait_for_selector("text=找到 1 项。")
    page.select_option("#rot-org", label="县委党校")
    page.fill("#rot-name", "远山冬训")
    page.fill("#rot-hours", "3")
    today = timezone.localdate()
    page.fill("#rot-starts", today.isoformat())
    page.fill("#rot-ends", (today + datetime.timedelta(days=30)).isoformat())
    page.fill("#rot-year", str(today.year))
    screenshot(page, "rotation_org_search_phone")
    submit(page, "form.party-rotation-form button.party-button--primary")
    program = TrainingProgram.objects.get(name="远山冬训")
    assert {o.code for o in program.roots.all()} == {"RS-A", far.code}
