"""Authoring: every field round-trips through OLX, unsafe markup and video hosts are refused,
the Studio editor validates, and the learner and staff views render (also for anonymous users)."""
import datetime

import pytest
from django.test import override_settings
from lxml import etree

from party_training.edx_plugin.party_class.lecture import video_embed
from party_training.xblocks.party_class import PartyClassBlock
from tests.conftest import COURSE_ID, call_handler, export_olx, get_block, load_block

from .conftest import FULL_OLX, SESSION_START

# A non-default value for every editable field: a new field without OLX support fails here.
EVERY_FIELD = {
    "display_name": "专题党课", "lecturer_id": "7", "lecturer_name": "王建国", "lecturer_position": "书记", "lecturer_organization": "市委",
    "schedule": "recorded",
    "session_start": datetime.datetime(2026, 12, 1, 1, 0, tzinfo=datetime.timezone.utc),
    "session_end": datetime.datetime(2026, 12, 1, 3, 30, tzinfo=datetime.timezone.utc),
    "video_url": "https://cdn.example.com/lecture.mp4", "body": "<p>正文 <strong>重点</strong> &amp; 更多</p>",
    "key_points": ["要点一", "要点 <二>"], "materials": [{"title": "材料 & 附件", "url": "https://example.com/a.pdf?x=1&y=2"}],
    "credit_hours": 1.5, "require_signin": False, "require_content": False, "require_reflection": True,
    "reflection_prompt": "谈谈\n体会", "reflection_min_chars": 123, "reflection_graded": True,
    "reflection_max_score": 20.0, "questions_enabled": False,
    "questions_open": datetime.datetime(2026, 11, 30, 0, 0, tzinfo=datetime.timezone.utc),
    "questions_close": datetime.datetime(2026, 12, 2, 0, 0, tzinfo=datetime.timezone.utc),
    "answers_need_publish": False, "allow_anonymous": False, "online_signin": True,
    "online_signin_start": datetime.datetime(2026, 12, 1, 0, 30, tzinfo=datetime.timezone.utc),
    "online_signin_end": datetime.datetime(2026, 12, 1, 4, 0, tzinfo=datetime.timezone.utc),
    "onsite_signin": False, "onsite_code_period": 45, "expected_organizations": ["PC-B1", "PC-B2"],
}


def test_every_field_is_covered():
    assert set(EVERY_FIELD) == set(PartyClassBlock.editable_fields)
    for name, value in EVERY_FIELD.items():
        assert value != PartyClassBlock.fields[name].default, name


@pytest.mark.django_db
def test_every_field_round_trips_through_olx():
    usage_id = load_block('<party_class url_name="rt"/>')
    block = get_block(usage_id)
    for name, value in EVERY_FIELD.items():
        setattr(block, name, value)
    block.save()
    first = export_olx(usage_id)
    node = etree.fromstring(first)
    node.set("url_name", "rt2")
    copy = get_block(load_block(etree.tostring(node, encoding="unicode")))
    for name, value in EVERY_FIELD.items():
        assert getattr(copy, name) == value, name
    assert export_olx(str(copy.scope_ids.usage_id)) == first


@pytest.mark.django_db
def test_olx_import_sanitizes_body_and_reads_local_times():
    block = get_block(load_block(FULL_OLX))
    assert "<script>" not in block.body and "<strong>根本大法</strong>" in block.body
    assert block.session_start == SESSION_START
    assert block.key_points == ["第一点", "第二点"] and block.expected_organizations == ["PC"]


@pytest.mark.django_db
def test_bad_olx_values_are_reported():
    with pytest.raises(ValueError, match="onsite_code_period"):
        load_block('<party_class url_name="bad" onsite_code_period="soon"/>')
    with pytest.raises(ValueError, match="require_signin"):
        load_block('<party_class url_name="bad2" require_signin="maybe"/>')


@override_settings(PARTY_TRAINING={"VIDEO_IFRAME_HOSTS": ["player.bilibili.com"]})
def test_video_allow_list():
    assert video_embed("https://player.bilibili.com/player.html?bvid=1")["kind"] == "iframe"
    assert video_embed("http://player.bilibili.com/player.html")["kind"] == "blocked"  # iframes only over https
    assert video_embed("https://evil.example.com/player.html")["kind"] == "blocked"
    assert video_embed("https://player.bilibili.com.evil.example/x")["kind"] == "blocked"
    assert video_embed("javascript:alert(1)//a.mp4")["kind"] == "blocked"
    assert video_embed("https://cdn.example.com/v/lecture.MP4")["kind"] == "html5"
    assert video_embed("/asset-v1:Org+C+R+type@asset+block@v.webm")["kind"] == "html5"
    assert video_embed("")["kind"] == ""


@pytest.mark.django_db
def test_learner_view_shows_iframe_and_sanitized_text(block_id, people, client):
    client.force_login(people["a"])
    html = client.get(f"/courses/{COURSE_ID}/unit/unit1/").content.decode()
    assert 'src="https://player.bilibili.com/player.html?bvid=BV1xx"' in html
    assert "<strong>根本大法</strong>" in html and "alert(1)" not in html
    assert "王建国" in html and 'class="pc-onsite-form"' in html and 'class="pc-reflection-form"' in html
    assert 'class="pc-staff"' not in html, "learners must not get the staff tools"


@pytest.mark.django_db
def test_disallowed_video_host_is_not_embedded(people, client):
    load_block('<party_class url_name="v" video_url="https://evil.example.com/embed/1"/>')
    client.force_login(people["a"])
    html = client.get(f"/courses/{COURSE_ID}/unit/unit1/").content.decode()
    assert "evil.example.com" not in html and "<iframe" not in html


@pytest.mark.django_db
def test_staff_view_has_tools_and_anonymous_view_has_no_forms(block_id, people, client):
    client.force_login(people["staff"])
    html = client.get(f"/courses/{COURSE_ID}/unit/unit1/").content.decode()
    assert 'class="pc-staff"' in html and "pc-projector-link" in html
    block = get_block(block_id)
    anonymous = block.runtime.render(block, "student_view", {}).body_html()
    assert 'class="pc-onsite-form"' not in anonymous and "王建国" in anonymous


@pytest.mark.django_db
def test_student_view_data_has_no_learner_data(block_id):
    data = get_block(block_id).student_view_data()
    assert data["video"]["kind"] == "iframe" and data["credit_hours"] == 2.5
    assert "<script>" not in data["body"]


@pytest.mark.django_db
def test_studio_editor_validates_and_sanitizes(block_id, people):
    staff = people["staff"]
    status, body = call_handler(block_id, "studio_submit", staff, {"values": {
        "video_url": "https://evil.example.com/x", "onsite_code_period": "3", "session_end": "2026-12-01T00:00",
        "require_signin": False, "require_content": False, "require_reflection": False,
        "materials": '[{"title": "x", "url": "javascript:alert(1)"}]', "credit_hours": "-1",
    }})
    assert status == 400
    assert set(body["fields"]) >= {"video_url", "onsite_code_period", "session_end", "require_content", "materials",
                                   "credit_hours"}
    status, body = call_handler(block_id, "studio_submit", staff, {"values": {
        "body": '<p onclick="x()">好</p><iframe src="https://evil.example.com"></iframe>', "onsite_code_period": "60",
        "key_points": '["甲", "乙"]', "expected_organizations": '["PC-B1"]',
    }})
    assert status == 200, body
    block = get_block(block_id)
    assert block.body == "<p>好</p>" and block.onsite_code_period == 60 and block.key_points == ["甲", "乙"]
    status, _ = call_handler(block_id, "studio_submit", people["a"], {"values": {"display_name": "x"}})
    assert status == 403


@pytest.mark.django_db
def test_lecturer_from_the_pool_is_shown_and_the_lecture_recorded(block_id, people):
    """A class names its lecturer from the pool (an unknown id is refused); the class then shows the
    pool's name and counts as a lecture of that lecturer, in the learning file of a member who lectures."""
    from party_training.edx_plugin.core.lecturers import lectures_given  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.models import LectureRecord, Lecturer  # pylint: disable=import-outside-toplevel
    lecturer = Lecturer.objects.create(name="李教授", title="党校教授", user=people["staff"])
    status, body = call_handler(block_id, "studio_submit", people["staff"], {"values": {"lecturer_id": "999999"}})
    assert status == 400 and "lecturer_id" in body["fields"]
    status, body = call_handler(block_id, "studio_submit", people["staff"], {"values": {
        "lecturer_id": str(lecturer.pk), "session_start": "2026-12-01T09:00", "session_end": "2026-12-01T11:00"}})
    assert status == 200, body
    block = get_block(block_id, people["a"])
    html = block.runtime.render(block, "student_view", {}).body_html()
    assert "李教授" in html and "党校教授" in html and "王建国" not in html
    status, projected = call_handler(block_id, "projector", people["staff"], method="GET")
    assert status == 200 and "李教授" in projected
    assert [r.title for r in lectures_given(people["staff"], 2026)] == [str(block.display_name)]
    call_handler(block_id, "studio_submit", people["staff"], {"values": {"lecturer_id": ""}})
    assert not LectureRecord.objects.exists()


@pytest.mark.django_db
def test_an_imported_or_rerun_course_records_its_lectures(tmp_path, people):
    """A course imported (or re-run) never passes through the Studio editor: its party classes naming a
    pool lecturer are recorded as lectures when the platform says the import (or re-run) completed."""
    from openedx_events.content_authoring.data import CourseData  # pylint: disable=import-outside-toplevel
    from openedx_events.content_authoring.signals import COURSE_RERUN_COMPLETED  # pylint: disable=import-outside-toplevel
    from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel

    from demo.olx import load_course  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.models import LectureRecord, Lecturer  # pylint: disable=import-outside-toplevel

    lecturer = Lecturer.objects.create(name="李教授", title="党校教授", user=people["staff"])
    course = tmp_path / "course.xml"
    course.write_text(f"""<course org="IMP" course="C1" url_name="2026" display_name="导入的课程">
      <chapter url_name="c" display_name="第一章"><sequential url_name="s"><vertical url_name="v" display_name="党课">
        <party_class url_name="pc1" display_name="学习党章" lecturer_id="{lecturer.pk}"
                     session_start="2026-06-01T09:00:00+08:00" credit_hours="2"/>
        <party_class url_name="pc2" display_name="无讲师的党课"/>
      </vertical></sequential></chapter></course>""", encoding="utf-8")
    course_id = load_course(course)
    record = LectureRecord.objects.get()
    assert (record.lecturer, record.title, record.course_id, str(record.date)) == (
        lecturer, "学习党章", course_id, "2026-06-01")
    # A re-run is the same content under a new course id (the demo stands in for the copied blocks).
    LectureRecord.objects.all().delete()
    COURSE_RERUN_COMPLETED.send_event(course=CourseData(course_key=CourseKey.from_string(course_id)))
    assert LectureRecord.objects.get().title == "学习党章"
