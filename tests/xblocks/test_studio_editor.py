"""The shared Studio editor: authors type the site's local time; the block stores UTC."""
import datetime

import pytest

from tests.conftest import call_handler, get_block, load_block

pytestmark = pytest.mark.django_db


def test_datetime_fields_are_edited_in_local_time(make_user, client):
    usage_id = load_block('<party_class url_name="tz"/>')
    staff = make_user("author", course_staff=True)
    status, body = call_handler(usage_id, "studio_submit", staff, {"values": {
        "session_start": "2026-12-01T09:00", "session_end": "2026-12-01T11:00"}})
    assert status == 200, body
    block = get_block(usage_id)
    assert block.session_start == datetime.datetime(2026, 12, 1, 1, 0, tzinfo=datetime.timezone.utc)
    client.force_login(staff)
    html = client.get("/courses/course-v1:TestOrg+T101+2026/unit/unit1/?view=studio").content.decode()
    assert 'value="2026-12-01T09:00"' in html and "Asia/Shanghai" in html


def test_bad_values_are_refused_and_nothing_changes(make_user):
    usage_id = load_block('<party_class url_name="tz2" display_name="原标题"/>')
    staff = make_user("author2", course_staff=True)
    status, body = call_handler(usage_id, "studio_submit", staff, {"values": {
        "display_name": "新标题", "session_start": "not a date", "credit_hours": "many"}})
    assert status == 400 and set(body["fields"]) >= {"session_start", "credit_hours"}
    assert get_block(usage_id).display_name == "原标题"
