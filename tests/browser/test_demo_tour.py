"""A tour of the demo site as `make demo` sets it up, in headless Chromium: a learner walks
through every unit of the demo course and the learning file, an instructor opens a block's
Studio editor. No page error, no server error; screenshots for the README."""
import pytest
from django.core.management import call_command

from demo.models import CourseUnit
from tests.conftest import ensure_member_categories, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_tour(browser, live_server):
    ensure_member_categories()
    call_command("demo_setup", verbosity=0)
    units = list(CourseUnit.objects.all())
    errors = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "learner", "demo1234")
    page.goto(f"{live_server.url}/courses/{units[0].course_id}/")
    assert "课程大纲" in page.inner_text("body")
    screenshot(page, "demo_course_outline")
    for unit in units:
        response = page.goto(f"{live_server.url}/courses/{unit.course_id}/unit/{unit.url_name}/")
        # Units gated by a menu choice open only once the learner got the option.
        assert response.status == (404 if unit.group_access else 200), unit.url_name
        page.wait_for_load_state("networkidle")
        screenshot(page, f"demo_unit_{unit.url_name}")
    page.goto(f"{live_server.url}/party-training/my/")
    assert "我的学习档案" in page.inner_text("body")
    screenshot(page, "demo_learning_file")
    # The language switch turns the site to English and back.
    page.goto(f"{live_server.url}/courses/{units[0].course_id}/")
    with page.expect_navigation():
        page.select_option("#demo-language", "en")
    assert "Course outline" in page.inner_text("body")
    page.goto(f"{live_server.url}/party-training/my/")
    assert "My learning file" in page.inner_text("body")
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, "instructor", "demo1234")
    editable = [u for u in units if u.url_name != "welcome"]
    for unit in editable[:1]:
        page.goto(f"{live_server.url}/courses/{unit.course_id}/unit/{unit.url_name}/?view=studio")
        page.wait_for_selector(".party-studio-form")
        screenshot(page, f"demo_studio_{unit.url_name}")
    context.close()
    assert not errors, errors
