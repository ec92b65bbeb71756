"""REST API v1 of rotation training (rotation): programs, classes, sessions and attendance; roles (a learner
cannot create or mark, sees only their own; another subtree's admin gets 404), sign-in with the code."""
import pytest
from rest_framework.test import APIClient

from party_training.edx_plugin.core.sign_in_code import current_code
from party_training.edx_plugin.rotation import classes, sessions
from party_training.edx_plugin.rotation.models import Attendance, TrainingProgram

from .conftest import program_data, session_times

pytestmark = pytest.mark.django_db
BASE = "/party-training/api/v1/rotation/"


@pytest.fixture
def api():
    return APIClient()


def _session(program, people):
    klass = classes.create_class(program, "一班", 10)
    for name in ("alice", "bob"):
        classes.seat(program, people[name].pk, klass.pk)
    start, end = session_times()
    return sessions.save_session(program, {"topic": "党史", "starts": start.isoformat(), "ends": end.isoformat(),
                                           "hours": "2"})


def test_anonymous_refused(api, program):
    for url in ("programs/", "classes/", "sessions/", "attendance/"):
        assert api.get(BASE + url).status_code in (401, 403)


def test_staff_create_list_and_mark(api, tree, people, program):
    session = _session(program, people)
    api.force_authenticate(people["orgadmin"])
    response = api.post(BASE + "programs/", {**program_data(tree, name="春训"), "roots": [tree["b1"].pk],
                                             "organization": tree["root"].pk, "year": 2026}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["roots"] == [tree["b1"].pk]
    bad = api.post(BASE + "programs/", {**program_data(tree), "ends": "2000-01-01", "organization": tree["root"].pk,
                                        "year": 2026}, format="json")
    assert bad.status_code == 400 and "error" in bad.json()
    assert {p["name"] for p in api.get(BASE + "programs/").json()["results"]} == {"春训", program.name}
    assert api.get(BASE + f"classes/?program={program.pk}").json()["results"][0]["seated"] == 2
    assert api.get(BASE + f"sessions/?program={program.pk}").json()["results"][0]["topic"] == "党史"
    marked = api.post(BASE + "attendance/", {"session": session.pk, "username": "bob", "status": "late"}, format="json")
    assert marked.status_code == 201 and marked.json()["credited"] == "1.00"
    assert api.post(BASE + "attendance/", {"session": session.pk, "username": "far", "status": "late"},
                    format="json").status_code == 400
    summary = api.get(BASE + f"programs/{program.pk}/summary/").json()
    assert summary["held"] == 1 and {"name", "members", "expected", "attended", "rate"} <= set(summary["classes"][0])
    # A change keeps what it does not name; bad input names the field and changes nothing.
    changed = api.patch(BASE + f"programs/{program.pk}/", {"name": "冬训（修订）", "late_after": 20}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["late_after"], changed.json()["roots"]) == (
        "冬训（修订）", 20, [tree["root"].pk])
    # Bob's attendance is recorded: the credit rules stay as they were.
    assert api.patch(BASE + f"programs/{program.pk}/", {"credit_late": 40}, format="json").status_code == 409
    bad = api.patch(BASE + f"programs/{program.pk}/", {"required_hours": "many"}, format="json")
    assert bad.status_code == 400 and "应修学时" in bad.json()["error"]
    assert TrainingProgram.objects.get(pk=program.pk).required_hours == program.required_hours
    # Another committee's admin sees none of it.
    api.force_authenticate(people["outsider_admin"])
    assert api.get(BASE + f"programs/{program.pk}/").status_code == 404
    assert api.post(BASE + "attendance/", {"session": session.pk, "username": "bob", "status": "present"},
                    format="json").status_code == 404
    assert api.post(BASE + "programs/", {**program_data(tree), "organization": tree["root"].pk, "year": 2026},
                    format="json").status_code == 400
    assert api.patch(BASE + f"programs/{program.pk}/", {"name": "x"}, format="json").status_code == 404


def test_learner_sees_own_signs_in_and_cannot_mark(api, tree, people, program):
    session = _session(program, people)
    api.force_authenticate(people["alice"])
    assert api.post(BASE + "programs/", {**program_data(tree), "organization": tree["root"].pk, "year": 2026},
                    format="json").status_code == 403
    assert api.post(BASE + "attendance/", {"session": session.pk, "username": "bob", "status": "present"},
                    format="json").status_code == 403
    assert api.get(BASE + f"programs/{program.pk}/summary/").status_code == 403
    assert api.patch(BASE + f"programs/{program.pk}/", {"name": "x"}, format="json").status_code == 403
    assert [p["id"] for p in api.get(BASE + "programs/").json()["results"]] == [program.pk]
    code = current_code(sessions.code_subject(session), sessions.CODE_PERIOD)[0]
    response = api.post(BASE + f"sessions/{session.pk}/sign-in/", {"code": code}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "present"
    assert [a["username"] for a in api.get(BASE + "attendance/").json()["results"]] == ["alice"]
    api.force_authenticate(people["far"])
    assert api.get(BASE + "programs/").json()["results"] == []
    assert api.post(BASE + f"sessions/{session.pk}/sign-in/", {"code": code}, format="json").status_code == 404
    assert Attendance.objects.count() == 1 and TrainingProgram.objects.count() == 1
