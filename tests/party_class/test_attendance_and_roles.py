"""Attendance by organisation (who signed in, who is missing), its XLSX export, and the role
check of every handler: learners are refused the staff handlers, anonymous users everything."""
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from party_training.xblocks.party_class import PartyClassBlock
from tests.conftest import call_handler, load_block
from tests.party_class.conftest import sign_in_on_site


def handlers():
    return {name: getattr(PartyClassBlock, name) for name in dir(PartyClassBlock)
            if getattr(getattr(PartyClassBlock, name), "_is_xblock_handler", False)}


@pytest.mark.django_db
def test_attendance_by_branch(block_id, people):
    sign_in_on_site(block_id, people["a"])
    sign_in_on_site(block_id, people["outsider"])
    status, report = call_handler(block_id, "attendance", people["staff"], method="GET")
    assert status == 200
    assert (report["signed_total"], report["expected_total"], report["missing_total"]) == (2, 4, 3)
    rows = {row["name"]: row for row in report["rows"]}
    assert [p["name"] for p in rows["第一支部"]["signed"]] == ["张一"]
    assert sorted(p["name"] for p in rows["第一支部"]["missing"]) == ["李二", "王老师"]
    assert [p["name"] for p in rows["第二支部"]["missing"]] == ["赵三"]
    # Someone outside the expected organisations who signed in is still listed.
    assert any(p["username"] == "dave" for row in report["rows"] for p in row["signed"])


@pytest.mark.django_db
def test_attendance_reports_unknown_codes(people):
    usage_id = load_block('<party_class url_name="u"><expected_organization code="NOPE"/></party_class>')
    report = call_handler(usage_id, "attendance", people["staff"], method="GET")[1]
    assert report["unknown_codes"] == ["NOPE"] and report["expected_total"] == 0


@pytest.mark.django_db
def test_attendance_queries_do_not_grow_with_the_roster(block_id, people, make_user, tree):
    client = Client()
    client.force_login(people["staff"])
    url = f"/xblock/{block_id}/handler/attendance"
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(30):
        user = make_user(f"m{n}", org=tree["b2"])
        if n % 2:
            sign_in_on_site(block_id, user)
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big) == len(small)


@pytest.mark.django_db
def test_attendance_xlsx_export(block_id, people):
    sign_in_on_site(block_id, people["a"])
    client = Client()
    client.force_login(people["staff"])
    response = client.get(f"/xblock/{block_id}/handler/attendance_xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    summary, signed, missing = workbook.worksheets
    assert summary["A1"].value.startswith("专题党课：学党章")
    assert [c.value for c in signed[2]][:3] == ["第一支部", "张一", "alice"]
    assert sorted(row[1].value for row in missing.iter_rows(min_row=2)) == sorted(["李二", "王老师", "赵三"])
    client.force_login(people["a"])
    assert client.get(f"/xblock/{block_id}/handler/attendance_xlsx").status_code == 403


@pytest.mark.django_db
def test_every_handler_checks_its_role(block_id, people):
    found = handlers()
    assert {"sign_in", "vote", "ask", "moderate", "projector", "attendance_xlsx", "score"} <= set(found)
    for name, handler in found.items():
        role = handler.required_role
        assert role in {"learner", "staff"}, name
        for method in ("GET", "POST"):
            status, _ = call_handler(block_id, name, None, {}, method=method)
            assert status == 403, f"{name} {method} let an anonymous user in"
            if role == "staff":
                status, _ = call_handler(block_id, name, people["a"], {}, method=method)
                assert status == 403, f"{name} {method} let a learner in"


@pytest.mark.django_db
def test_bad_json_is_refused_with_a_message(block_id, people):
    status, body = call_handler(block_id, "sign_in", people["a"], "{not json")
    assert status == 400 and body["error"]
    status, body = call_handler(block_id, "ask", people["a"], "[1, 2]")
    assert status == 400 and body["error"]


@pytest.mark.django_db
def test_staff_record_a_learner_present_and_completion_follows(people):
    from party_training.edx_plugin.core.models import HourEntry  # pylint: disable=import-outside-toplevel
    from .conftest import events  # pylint: disable=import-outside-toplevel
    usage_id = load_block('<party_class url_name="rec" require_signin="true" require_content="false" '
                          'credit_hours="1.0"><expected_organization code="PC"/></party_class>')
    status, body = call_handler(usage_id, "record_sign_in", people["staff"], {"username": "bob"})
    assert status == 200 and body["created"] and body["signed_total"] == 1
    assert call_handler(usage_id, "record_sign_in", people["staff"], {"username": "bob"})[1]["created"] is False
    assert call_handler(usage_id, "record_sign_in", people["staff"], {"username": "nobody"})[0] == 404
    assert call_handler(usage_id, "record_sign_in", people["a"], {"username": "alice"})[0] == 403
    # Nothing is published on the staff member's behalf; the learner's next visit completes.
    assert events(people["staff"], usage_id, "completion") == []
    state = call_handler(usage_id, "state", people["b"], method="GET")[1]
    assert state["requirements"]["completed"] and state["signin"]["method"] == "staff"
    call_handler(usage_id, "state", people["b"], method="GET")
    assert len(events(people["b"], usage_id, "completion")) == 1
    assert HourEntry.objects.filter(user=people["b"], usage_id=usage_id).count() == 1
