"""What a new user meets (issue 14): the home page per role, the course outline (title, completion
marks, hours), the staff dashboard and its course tab, the compliance page, refusals translated and
without a traceback, Django's own strings in Chinese, readable recorded events, favicon, jump_to."""
import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.core.management import call_command
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import translation
from django.utils.formats import date_format

from demo.models import BlockEvent, CourseUnit
from party_training.edx_plugin.core.models import CourseRole
from party_training.edx_plugin.tabs import StaffDashboardTab

pytestmark = pytest.mark.django_db
COURSE = "course-v1:PartySchool+DJ101+2026"
TITLE = "2026年度党员集中学习"


@pytest.fixture
def demo(db):  # pylint: disable=unused-argument
    call_command("demo_setup", verbosity=0)


def _login(client, username):
    assert client.login(username=username, password="demo1234")
    return client


def test_home_says_what_the_site_is_to_a_visitor(demo, client):  # pylint: disable=unused-argument
    html = client.get("/").content.decode()
    assert "党员教育培训" in html and "学习档案" in html and 'href="/login/"' in html


def test_home_of_a_learner_continues_the_course_by_its_title(demo, client):  # pylint: disable=unused-argument
    html = _login(client, "learner").get("/").content.decode()
    assert TITLE in html and COURSE not in html.replace(f"/{COURSE}/", "")
    assert "继续学习：" in html and "查看我的学习档案" in html and "本课程已获 6 学时" in html
    assert "/party-training/course/" not in html and "/party-training/compliance/" not in html


def test_home_of_staff_and_of_an_organisation_admin(demo, client):  # pylint: disable=unused-argument
    html = _login(client, "instructor").get("/").content.decode()
    assert f"/party-training/course/{COURSE}/staff/" in html
    html = _login(client, "orgadmin").get("/").content.decode()
    assert "/party-training/compliance/" in html and f"/party-training/course/{COURSE}/staff/" not in html


def test_outline_shows_title_completion_and_hours(demo, client):  # pylint: disable=unused-argument
    learner = get_user_model().objects.get(username="learner")
    contest = CourseUnit.objects.get(course_id=COURSE, url_name="contest_unit") \
        if CourseUnit.objects.filter(course_id=COURSE, url_name="contest_unit").exists() else \
        next(u for u in CourseUnit.objects.filter(course_id=COURSE) if any("knowledge_contest" in c for c in u.children))
    for usage_id in contest.children:
        BlockEvent.objects.create(user=learner, usage_id=usage_id, event_type="completion", data={"completion": 1.0})
    html = _login(client, "learner").get(f"/courses/{COURSE}/").content.decode()
    assert f"<h1>{TITLE}</h1>" in html and "本课程已获学时：6" in html
    assert html.count('class="demo-done"') == 1
    done_line = html[html.index('class="demo-done"'):].split("</li>")[0]
    assert contest.title in done_line


def test_staff_dashboard_lists_every_tool_with_counts_in_bounded_queries(demo, client):  # pylint: disable=unused-argument
    _login(client, "instructor").get(f"/courses/{COURSE}/")  # the outline records the staff role, as the tab does
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/party-training/course/{COURSE}/staff/")
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("party_class", "knowledge_contest_banks", "knowledge_contest_live", "writing_assignment",
                "case_discussion", "menu_selection"):
        assert f'data-tool="{key}"' in html, key
    assert "党课：投屏签到与考勤" in html and "实时看板" in html and "待评阅：" in html and "成绩表（XLSX）" in html
    assert "/contest/block-v1" in html and "/live/" in html
    assert len(queries) <= 20, [q["sql"][:120] for q in queries]


def test_staff_dashboard_refuses_learners_with_the_translated_page_and_no_traceback(demo, client, caplog):  # pylint: disable=unused-argument
    _login(client, "learner")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        for url in (f"/party-training/course/{COURSE}/staff/", f"/party-training/writing/{COURSE}/",
                    f"/party-training/class/course/{COURSE}/", "/party-training/compliance/"):
            response = client.get(url)
            assert response.status_code == 403, url
            html = response.content.decode()
            assert "无权访问" in html and "Forbidden" not in html, url
    assert caplog.records and all(record.exc_info is None for record in caplog.records)


def test_course_tab_is_shown_to_course_staff_only(demo):  # pylint: disable=unused-argument
    class Course:  # pylint: disable=too-few-public-methods
        id = COURSE

    users = get_user_model().objects
    assert StaffDashboardTab.is_enabled(Course(), users.get(username="learner")) is False
    instructor = users.get(username="instructor")
    assert StaffDashboardTab.is_enabled(Course(), instructor) is False  # the LMS has not said so yet
    CourseRole.objects.create(user=instructor, course_id=COURSE)
    assert StaffDashboardTab.is_enabled(Course(), instructor) is True
    assert StaffDashboardTab.is_enabled(Course(), users.get(username="admin")) is True
    tab = StaffDashboardTab({})
    assert tab.link_func(Course(), reverse) == f"/party-training/course/{COURSE}/staff/"
    assert StaffDashboardTab.title == "Party training tools"
    with translation.override("zh-cn"):
        assert translation.gettext(StaffDashboardTab.title) == "党建培训管理"


def test_course_tab_entry_point_is_registered():
    from importlib.metadata import entry_points  # pylint: disable=import-outside-toplevel

    found = {ep.name: ep for ep in entry_points(group="openedx.course_tab")}
    assert found["party_training_staff"].load() is StaffDashboardTab


def test_compliance_page_of_an_organisation_admin(demo, client):  # pylint: disable=unused-argument
    html = _login(client, "orgadmin").get("/party-training/compliance/").content.decode()
    assert "年度学时达标情况" in html and "<td" in html and "%" in html


def test_django_admin_and_dates_are_chinese(demo, client):  # pylint: disable=unused-argument
    html = _login(client, "admin").get("/admin/").content.decode()
    assert "Django administration" not in html and "Django 管理" in html
    html = client.get("/admin/auth/user/add/").content.decode()
    assert "保存并增加另一个" in html and "Save and add another" not in html
    with translation.override("zh-cn"):
        assert date_format(datetime.date(2026, 12, 1)) == "2026年12月1日"
    with translation.override("en"):
        assert translation.gettext("Save and add another") == "Save and add another"


def test_favicon_and_jump_to(demo, client):  # pylint: disable=unused-argument
    assert client.get("/favicon.ico").status_code == 200
    unit = CourseUnit.objects.filter(course_id=COURSE).exclude(children=[]).first()
    response = _login(client, "learner").get(f"/courses/{COURSE}/jump_to/{unit.children[0]}")
    assert response.status_code == 302 and response["Location"].endswith(f"/unit/{unit.url_name}/")


def test_units_in_frames_of_render_xblock_as_the_mfe(demo, client, settings):  # pylint: disable=unused-argument
    settings.DEMO_UNITS = "frame"
    unit = next(u for u in CourseUnit.objects.filter(course_id=COURSE) if any("party_class" in c for c in u.children))
    usage_id = next(c for c in unit.children if "party_class" in c)
    html = _login(client, "learner").get(f"/courses/{COURSE}/unit/{unit.url_name}/").content.decode()
    assert f'<iframe class="demo-unit-frame" src="/xblock/{usage_id}"' in html and "pc-code" not in html
    assert "pc-code" in client.get(f"/courses/{COURSE}/unit/{unit.url_name}/?inline=1").content.decode()
    framed = client.get(f"/xblock/{usage_id}")
    assert framed.status_code == 200 and framed["X-Frame-Options"] == "SAMEORIGIN"
    assert "pc-code" in framed.content.decode() and '<base target="_top">' in framed.content.decode()
    gated = next((u for u in CourseUnit.objects.filter(course_id=COURSE) if u.group_access), None)
    if gated is not None:  # a unit the learner may not open: nor may its components be rendered alone
        assert client.get(f"/xblock/{gated.children[0]}").status_code == 404
    client.logout()
    assert client.get(f"/xblock/{usage_id}").status_code == 302
