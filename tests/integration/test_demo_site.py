"""The demo site as `make demo` prepares it: users, roster, course, hours; every unit renders
for a learner and, with the Studio editor, for course staff."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.models import CourseUnit
from party_training.edx_plugin.core.models import MemberProfile, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):  # pylint: disable=unused-argument
    call_command("demo_setup", verbosity=0)


def test_setup_is_repeatable_and_loads_everything(demo):  # pylint: disable=unused-argument,redefined-outer-name
    counts = (Organization.objects.count(), MemberProfile.objects.count(), CourseUnit.objects.count())
    call_command("demo_setup", verbosity=0)
    assert (Organization.objects.count(), MemberProfile.objects.count(), CourseUnit.objects.count()) == counts
    assert counts[1] >= 200 and counts[2] >= 1
    assert get_user_model().objects.filter(username__in=["learner", "learner2", "instructor", "orgadmin", "admin"]).count() == 5


def test_learner_sees_chinese_learning_file_and_every_unit(demo, client):  # pylint: disable=unused-argument,redefined-outer-name
    assert client.login(username="learner", password="demo1234")
    html = client.get("/party-training/my/").content.decode()
    assert "我的学习档案" in html and "张学员" in html and "课程结业" in html
    for unit in CourseUnit.objects.all():
        response = client.get(f"/courses/{unit.course_id}/unit/{unit.url_name}/")
        # Units gated by a menu choice (group_access) open only to learners who got the option.
        assert response.status_code == (404 if unit.group_access else 200), unit.url_name
        assert "Traceback" not in response.content.decode()


def test_instructor_gets_studio_editor_and_learner_does_not(demo, client):  # pylint: disable=unused-argument,redefined-outer-name
    unit = CourseUnit.objects.exclude(url_name="welcome").first() or CourseUnit.objects.first()
    url = f"/courses/{unit.course_id}/unit/{unit.url_name}/?view=studio"
    assert client.login(username="learner", password="demo1234")
    assert "party-studio-form" not in client.get(url).content.decode()
    assert client.login(username="instructor", password="demo1234")
    response = client.get(url)
    assert response.status_code == 200
    if unit.url_name != "welcome":
        assert "party-studio-form" in response.content.decode()


def test_course_staff_find_the_tools_every_area_registered(demo, client):  # pylint: disable=unused-argument,redefined-outer-name
    course_id = CourseUnit.objects.first().course_id
    url = f"/courses/{course_id}/"
    dashboard = f"/party-training/course/{course_id}/staff/"
    assert client.login(username="learner", password="demo1234")
    assert dashboard not in client.get(url).content.decode()
    refused = client.get(dashboard)
    assert refused.status_code == 403 and "无权" in refused.content.decode()
    assert client.login(username="instructor", password="demo1234")
    assert dashboard in client.get(url).content.decode()
    html = client.get(dashboard).content.decode()
    for name in ("评阅队列", "题库管理", "案例研讨", "菜单式选学", "党课", "知识竞赛"):
        assert name in html, name
    assert f'href="/party-training/writing/{course_id}/"' in html
    assert "2026年度党员集中学习" in html and course_id not in html.replace(f"/{course_id}/", "")


def test_published_grades_and_completion_are_recorded_and_shown(demo, client):  # pylint: disable=unused-argument,redefined-outer-name
    from opaque_keys.edx.keys import UsageKey  # pylint: disable=import-outside-toplevel

    from demo.models import BlockEvent  # pylint: disable=import-outside-toplevel
    from demo.runtime import DemoRuntime  # pylint: disable=import-outside-toplevel

    learner = get_user_model().objects.get(username="learner")
    unit = CourseUnit.objects.get(url_name="welcome")
    key = UsageKey.from_string(unit.children[0])
    runtime = DemoRuntime(learner, key.context_key)
    block = runtime.get_block(key)
    runtime.publish(block, "grade", {"value": 8, "max_value": 10})
    runtime.publish(block, "completion", {"completion": 1.0})
    assert BlockEvent.objects.filter(user=learner, usage_id=str(key)).count() == 2
    assert client.login(username="learner", password="demo1234")
    html = client.get(f"/courses/{unit.course_id}/unit/welcome/").content.decode()
    assert "平台记录的成绩与完成情况" in html and "成绩：8 / 10" in html and "已完成" in html
    assert "max_value" not in html and "{" not in html.split("平台记录的成绩与完成情况")[1].split("</section>")[0]


def test_user_service_gives_the_lms_attributes(demo):  # pylint: disable=unused-argument,redefined-outer-name
    from demo.runtime import DemoUserService  # pylint: disable=import-outside-toplevel

    instructor = get_user_model().objects.get(username="instructor")
    attrs = DemoUserService(instructor).get_current_user().opt_attrs
    assert attrs["edx-platform.user_id"] == instructor.pk
    assert attrs["edx-platform.username"] == "instructor"
    assert attrs["edx-platform.user_is_staff"] is True and attrs["edx-platform.user_role"] == "instructor"
    learner = get_user_model().objects.get(username="learner")
    assert DemoUserService(learner).get_current_user().opt_attrs["edx-platform.user_is_staff"] is False


def test_block_init_arguments_cannot_close_the_script_element():
    from django.contrib.auth.models import AnonymousUser  # pylint: disable=import-outside-toplevel
    from opaque_keys.edx.keys import UsageKey  # pylint: disable=import-outside-toplevel
    from web_fragments.fragment import Fragment  # pylint: disable=import-outside-toplevel

    from demo.runtime import DemoRuntime  # pylint: disable=import-outside-toplevel
    from tests.conftest import load_block  # pylint: disable=import-outside-toplevel

    key = UsageKey.from_string(load_block('<party_class url_name="wrap"/>'))
    runtime = DemoRuntime(AnonymousUser(), key.context_key)
    frag = Fragment("<p>body</p>")
    frag.initialize_js("Init", {"text": '</script><script>alert("x")</script> & more'})
    html = runtime.wrap_xblock(runtime.get_block(key), "student_view", frag, {}).body_html()
    assert "</script><script>" not in html and html.count("</script>") == 1
    assert '\\u003c/script\\u003e' in html and 'data-init="Init"' in html


def test_the_benchmarks_bare_handler_exists_only_for_the_benchmarks(settings, client):
    """The second reference of the load harness (``demo.bench_block``): with DEMO_BENCH its handler writes
    the bare view's row in three queries (session with user, the block's fields, the INSERT); without,
    its type is not installed and the handler URL answers 404 like any unknown block."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    from demo.models import BlockEvent  # pylint: disable=import-outside-toplevel
    from tests.benchmarks.bench_data import BARE_HANDLER_URL  # pylint: disable=import-outside-toplevel

    user = get_user_model().objects.create_user("bench_learner")
    client.force_login(user)
    settings.DEMO_BENCH = False
    assert client.post(BARE_HANDLER_URL, "{}", content_type="application/json").status_code == 404
    settings.DEMO_BENCH = True
    with CaptureQueriesContext(connection) as queries:
        response = client.post(BARE_HANDLER_URL, "{}", content_type="application/json")
    assert response.status_code == 200 and response.json() == {"saved": True}
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert BlockEvent.objects.filter(user=user, event_type="bench").count() == 1
