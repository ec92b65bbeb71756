"""Units as the Learning MFE shows them (issue 14): the unit page holds each component in an iframe of
a render_xblock view. A learner signs in to a party class inside the frame, the frame's height follows
its content, links leave the frame, and staff download the attendance workbook from inside it."""
import pytest
from django.core.management import call_command

from demo.models import CourseUnit
from party_training.edx_plugin.core import sign_in_code
from tests.conftest import ensure_member_categories, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _party_class_unit():
    unit = next(u for u in CourseUnit.objects.all() if any("party_class" in c for c in u.children))
    return unit, next(c for c in unit.children if "party_class" in c)


def test_party_class_inside_the_frame(browser, live_server):
    ensure_member_categories()
    call_command("demo_setup", verbosity=0)
    unit, usage_id = _party_class_unit()
    url = f"{live_server.url}/courses/{unit.course_id}/unit/{unit.url_name}/"
    errors = []

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", units="frame")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "learner", "demo1234")
    page.goto(url)
    frame_element = page.locator("iframe.demo-unit-frame").first
    assert page.locator(".pc-code").count() == 0, "the block is not inline"
    frame = page.frame_locator("iframe.demo-unit-frame").first
    frame.locator(".pc-code").wait_for()
    page.wait_for_function("document.querySelector('iframe.demo-unit-frame').offsetHeight > 600")
    before = frame_element.bounding_box()["height"]
    inner = frame_element.element_handle().content_frame()
    assert inner.evaluate("document.documentElement.scrollHeight") <= before + 2, "no scroll bar inside the frame"
    frame.locator(".pc-code").fill(sign_in_code.current_code(usage_id, 30)[0])
    frame.locator(".pc-onsite-form button[type=submit]").click()
    frame.locator(".pc-signin-forms").wait_for(state="hidden")
    assert "签到" in frame.locator(".pc-signin-status").inner_text()
    # Links leave the frame for the whole window, as in the MFE.
    assert inner.evaluate("document.querySelector('base').target") == "_top"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "framed_party_class_phone")
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", units="frame")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "instructor", "demo1234")
    page.goto(url)
    frame = page.frame_locator("iframe.demo-unit-frame").first
    frame.locator('.pc-tab[data-tab="attendance"]').click()
    with page.expect_download() as download:
        frame.locator(".pc-export-link").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    context.close()
    assert not errors, errors
