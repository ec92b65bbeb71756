"""Units as the Learning MFE shows them (issue 14): the unit page holds each component in an iframe of
a render_xblock view. A learner signs in to a party class inside the frame, the frame's height follows
its content, links leave the frame, and staff download the attendance workbook from inside it."""
import pytest
from django.core.management import call_command

from demo.models import CourseUnit
from party_training.edx_plugin.core import lms, sign_in_code
from party_training.edx_plugin.party_class import projector
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


def _fits(page, element) -> bool:
    """The frame is as tall as its content: the page followed the frame's resize message."""
    return page.evaluate("f => Math.abs(f.getBoundingClientRect().height"
                         " - f.contentDocument.documentElement.scrollHeight) <= 2", element)


def test_qr_landing_reaches_the_framed_unit_and_the_frame_follows_its_content(browser, live_server):
    """The QR code's page (outside the MFE) signs the learner in, then lands on the unit, where the class
    shows in its frame; the frame's height follows the content when it changes (no scroll bar inside)."""
    ensure_member_categories()
    call_command("demo_setup", verbosity=0)
    unit, usage_id = _party_class_unit()
    code = sign_in_code.current_code(usage_id, 30)[0]
    # The address the projector's QR code carries (the unit to go on to: the LMS's jump_to).
    landing = projector.sign_in_url(usage_id, "", live_server.url + "/", lms.unit_url(unit.course_id, usage_id), code)
    errors = []
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", units="frame")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "learner", "demo1234")
    page.goto(landing)
    page.wait_for_url(f"**/courses/{unit.course_id}/unit/{unit.url_name}/", timeout=15000)
    element = page.locator("iframe.demo-unit-frame").first.element_handle()
    frame = page.frame_locator("iframe.demo-unit-frame").first
    frame.locator(".pc-signin-status").wait_for()
    assert "签到" in frame.locator(".pc-signin-status").inner_text()
    page.wait_for_function("f => f.getBoundingClientRect().height > 300", arg=element)
    assert _fits(page, element)
    before = element.bounding_box()["height"]
    # Content grows inside the frame (as a block's own script does when it shows more): the frame follows.
    element.content_frame().evaluate("document.querySelector('main').insertAdjacentHTML('beforeend',"
                                     " '<div style=\"height: 700px\"></div>')")
    page.wait_for_function("([f, h]) => f.getBoundingClientRect().height >= h + 690", arg=[element, before])
    assert _fits(page, element)
    screenshot(page, "framed_qr_landing_phone")
    context.close()
    assert not errors, errors


def test_links_to_plugin_pages_leave_the_frame(browser, live_server):
    """A component's link to a plugin page (the writing block's grading queue) opens in the whole window,
    not inside the component's frame."""
    ensure_member_categories()
    call_command("demo_setup", verbosity=0)
    unit = next(u for u in CourseUnit.objects.all() if any("writing_assignment" in c for c in u.children))
    errors = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", units="frame")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "instructor", "demo1234")
    page.goto(f"{live_server.url}/courses/{unit.course_id}/unit/{unit.url_name}/")
    frame = page.frame_locator("iframe.demo-unit-frame").first
    frame.locator(".party-writing__staff a").click()
    page.wait_for_url("**/party-training/**")
    assert page.locator("iframe.demo-unit-frame").count() == 0 and len(page.frames) == 1
    assert "评阅" in page.content()
    context.close()
    assert not errors, errors
