"""Pages of rotation training (rotation): every page refuses the roles below it (anonymous to sign-in,
learners 403, another subtree's admin 404), staff create a program, classes, sessions and mark the roll
call; learners sign in and rate on their session page; XSS payloads in every user-written field come
back escaped; page queries stay bounded whatever the program's size."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from party_training.edx_plugin.core.models import Lecturer
from party_training.edx_plugin.core.sign_in_code import current_code
from party_training.edx_plugin.rotation import classes, sessions
from party_training.edx_plugin.rotation.models import Attendance, NeedsSurvey, SessionRating, TrainingProgram
from party_training.edx_plugin.rotation.needs_surveys import create_survey

from .conftest import XSS, program_data, session_times

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    """A time as a datetime-local field sends it: the site's local time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _setup(program, people):
    klass = classes.create_class(program, "一班", 10)
    for name in ("alice", "bob", "carol"):
        classes.seat(program, people[name].pk, klass.pk)
    start, end = session_times()
    session = sessions.save_session(program, {"topic": "学习党章", "starts": start.isoformat(), "ends": end.isoformat(),
                                              "hours": "2"})
    survey = create_survey(people["orgadmin"], {**program_data({"root": program.organization}), "title": "需求调研",
                                                "topics": "党史\n党规"})
    lecturer = Lecturer.objects.create(name="王教授", owner=program.organization)
    return session, survey, lecturer


def staff_urls(program, session, survey, lecturer):
    return [("/party-training/rotation/", "get"), (f"/party-training/rotation/program/{program.pk}/", "get"),
            (f"/party-training/rotation/program/{program.pk}/export.xlsx", "get"),
            (f"/party-training/rotation/program/{program.pk}/action/", "post"),
            (f"/party-training/rotation/session/{session.pk}/roll-call/", "get"),
            (f"/party-training/rotation/session/{session.pk}/mark/", "post"),
            (f"/party-training/rotation/session/{session.pk}/code/", "get"),
            (f"/party-training/rotation/session/{session.pk}/attendance.xlsx", "get"),
            ("/party-training/rotation/surveys/", "get"), (f"/party-training/rotation/survey/{survey.pk}/", "get"),
            (f"/party-training/rotation/survey/{survey.pk}/export.xlsx", "get"),
            ("/party-training/rotation/lecturers/", "get"), ("/party-training/rotation/lecturers/export.xlsx", "get"),
            (f"/party-training/rotation/lecturers/{lecturer.pk}/", "get")]


def test_roles_on_every_staff_page(client, program, people):
    urls = staff_urls(program, *_setup(program, people))
    for url, method in urls:
        assert getattr(client, method)(url).status_code == 302, url  # anonymous: to the sign-in page
    client.force_login(people["alice"])
    for url, method in urls:
        assert getattr(client, method)(url, {"user": people["bob"].pk, "status": "present"}).status_code == 403, url
    assert not Attendance.objects.exists()
    client.force_login(people["outsider_admin"])  # an admin of another committee
    for url, method in urls:
        if "/program/" in url or "/session/" in url or "/survey/" in url:
            assert getattr(client, method)(url).status_code == 404, url
    client.force_login(people["orgadmin"])
    for url, method in urls:
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_learner_pages_refuse_those_not_expected(client, program, people):
    session, survey, _lecturer = _setup(program, people)
    client.force_login(people["far"])
    assert client.get(f"/party-training/rotation/session/{session.pk}/").status_code == 403
    assert client.post(f"/party-training/rotation/session/{session.pk}/",
                       {"action": "sign_in", "code": "123456"}).status_code == 403
    assert client.get(f"/party-training/rotation/survey/{survey.pk}/answer/").status_code == 403
    assert client.get("/party-training/rotation/my/").status_code == 200


def test_staff_build_a_program_and_a_learner_signs_in_and_rates(client, tree, people):
    client.force_login(people["orgadmin"])
    response = client.post("/party-training/rotation/", program_data(tree, name="冬训"))
    assert response.status_code == 302
    program = TrainingProgram.objects.get(name="冬训")
    action = f"/party-training/rotation/program/{program.pk}/action/"
    assert client.post(action, {"action": "add_class", "name": "一班", "capacity": "50"}).status_code == 302
    assert client.post(action, {"action": "add_class", "name": "", "capacity": "50"}).status_code == 400
    assert client.post(action, {"action": "assign"}).status_code == 302
    start, end = session_times()
    assert client.post(action, {"action": "add_session", "topic": "党史", "starts": local(start),
                                "ends": local(end), "hours": "3", "mode": "on_site"}).status_code == 302
    assert client.post(action, {"action": "add_session", "topic": "党史", "starts": "yesterday", "ends": "",
                                "hours": "3"}).status_code == 400
    session = program.sessions.get()
    code = client.get(f"/party-training/rotation/session/{session.pk}/code/").json()
    assert len(code["code"]) == 6 and "<svg" in code["qr"] and code["window"] == "open"
    client.force_login(people["alice"])
    page = f"/party-training/rotation/session/{session.pk}/"
    assert "党史" in client.get("/party-training/rotation/my/").content.decode()
    wrong = "000000" if code["code"] != "000000" else "111111"
    response = client.post(page, {"action": "sign_in", "code": wrong})
    assert response.status_code == 400 and "签到码不正确" in response.content.decode()
    code_now = current_code(sessions.code_subject(session), sessions.CODE_PERIOD)[0]
    assert client.post(page, {"action": "sign_in", "code": code_now}).status_code == 302
    html = client.get(page + "?done=sign_in").content.decode()
    assert "您的考勤：<strong>出勤</strong>" in html and "签到成功" in html
    assert client.post(page, {"action": "rate", "score": "5", "comment": "好"}).status_code == 302
    assert client.post(page, {"action": "rate", "score": "4"}).status_code == 409
    assert SessionRating.objects.get().score == 5
    # Staff correct Bob's status on the roll call (JSON for the script).
    client.force_login(people["orgadmin"])
    response = client.post(f"/party-training/rotation/session/{session.pk}/mark/",
                           {"user": people["bob"].pk, "status": "excused", "reason": "出差"},
                           HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200 and response.json()["status"] == "excused"
    response = client.post(f"/party-training/rotation/session/{session.pk}/mark/",
                           {"user": people["bob"].pk, "status": "excused", "reason": ""},
                           HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 400
    workbook = load_workbook(io.BytesIO(client.get(f"/party-training/rotation/program/{program.pk}/export.xlsx").content))
    assert workbook.sheetnames == ["班次", "支部", "成员", "课次"]


def test_xss_payloads_are_stored_as_typed_and_escaped(client, tree, people):
    client.force_login(people["orgadmin"])
    client.post("/party-training/rotation/", program_data(tree, name=XSS))
    program = TrainingProgram.objects.get()
    assert program.name == XSS
    action = f"/party-training/rotation/program/{program.pk}/action/"
    client.post(action, {"action": "add_class", "name": XSS, "capacity": "50"})
    client.post(action, {"action": "assign"})
    start, end = session_times()
    client.post(action, {"action": "add_session", "topic": XSS, "place": XSS, "lecturer_name": XSS, "hours": "3",
                         "starts": local(start), "ends": local(end)})
    session = program.sessions.get()
    client.post(f"/party-training/rotation/session/{session.pk}/mark/",
                {"user": people["alice"].pk, "status": "excused", "reason": XSS})
    client.post("/party-training/rotation/lecturers/", {"name": XSS, "title": XSS, "organization": XSS, "topics": XSS,
                                                        "bio": XSS, "owner": tree["root"].pk})
    lecturer = Lecturer.objects.get()
    assert lecturer.bio == XSS
    client.post("/party-training/rotation/surveys/", {**program_data(tree), "title": XSS, "topics": XSS})
    survey = NeedsSurvey.objects.get()
    client.force_login(people["alice"])
    topic = survey.topics.get()
    assert client.post(f"/party-training/rotation/survey/{survey.pk}/answer/",
                       {f"rank_{topic.pk}": "1", "suggestion": XSS}).status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.reason == XSS
    client.force_login(people["orgadmin"])
    for url in (f"/party-training/rotation/program/{program.pk}/", f"/party-training/rotation/session/{session.pk}/roll-call/",
                "/party-training/rotation/lecturers/", f"/party-training/rotation/lecturers/{lecturer.pk}/",
                f"/party-training/rotation/survey/{survey.pk}/", "/party-training/rotation/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert" in html, url


def test_program_page_queries_are_bounded(client, program, people, make_user, tree):
    session, _survey, _lecturer = _setup(program, people)
    client.force_login(people["orgadmin"])
    url = f"/party-training/rotation/program/{program.pk}/"
    roll = f"/party-training/rotation/session/{session.pk}/roll-call/"
    counts = []
    for extra in (0, 30):
        for i in range(extra):
            user = make_user(f"m{i}", org=tree["b2"])
            classes.seat(program, user.pk, program.classes.get().pk if program.classes.get().seated < 10 else None)
        program.classes.update(capacity=100)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
            assert client.get(roll).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_staff_change_a_session_and_its_lecturer_is_recorded(client, program, people):
    session, _survey, lecturer = _setup(program, people)
    client.force_login(people["orgadmin"])
    page = f"/party-training/rotation/program/{program.pk}/"
    html = client.get(page + f"?edit={session.pk}").content.decode()
    assert 'value="edit_session"' in html and 'value="学习党章"' in html
    start, end = session_times(minutes_ago=-60)
    response = client.post(page + "action/", {"action": "edit_session", "session": session.pk, "topic": "学习党章（二）",
                                              "starts": local(start), "ends": local(end), "hours": "2.5",
                                              "place": "二楼会议室", "lecturer": lecturer.pk})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.topic, session.place, session.lecturer, float(session.hours)) == ("学习党章（二）", "二楼会议室",
                                                                                    lecturer, 2.5)
    assert lecturer.lectures.get().hours == 2.5
    assert client.post(page + "action/", {"action": "edit_session", "session": 999999, "topic": "x"}).status_code == 404
    client.force_login(people["outsider_admin"])
    assert client.post(page + "action/", {"action": "edit_session", "session": session.pk}).status_code == 404


def test_staff_change_a_program_and_a_class(client, program, people, tree):
    client.force_login(people["orgadmin"])
    page = client.get(f"/party-training/rotation/program/{program.pk}/").content.decode()
    # The form shows the program as it is: its name, target organisation chosen, its credit rules.
    assert 'name="name" maxlength="200" value="2026年党员集中轮训"' in page
    assert f'<option value="{tree["root"].pk}" selected>' in page and 'name="credit_late" min="0" max="100" value="50"' in page
    action = f"/party-training/rotation/program/{program.pk}/action/"
    data = program_data(tree, name="冬训（修订）", action="edit_program", roots=[str(tree["b1"].pk)],
                        categories=["member"], credit_late="80", required_hours="8")
    assert client.post(action, data).status_code == 302
    program.refresh_from_db()
    assert (program.name, program.credit_late, program.required_hours) == ("冬训（修订）", 80, 8)
    assert list(program.roots.all()) == [tree["b1"]] and [c.code for c in program.categories.all()] == ["member"]
    # Bad input changes nothing and says which field.
    response = client.post(action, {**data, "name": "新名字", "required_hours": "lots"})
    assert response.status_code == 400 and "应修学时" in response.content.decode()
    program.refresh_from_db()
    assert program.name == "冬训（修订）"
    # Another committee's organisation cannot be targeted.
    assert client.post(action, {**data, "roots": [str(tree["ob"].pk)]}).status_code == 403
    # A class's capacity never goes below the members seated in it.
    _setup(program, people)
    klass = program.classes.get()
    assert client.post(action, {"action": "edit_class", "training_class": klass.pk, "name": "一班（新）",
                                "capacity": "2"}).status_code == 409  # three members are seated
    assert client.post(action, {"action": "edit_class", "training_class": klass.pk, "name": "一班（新）",
                                "capacity": "30"}).status_code == 302
    klass.refresh_from_db()
    assert (klass.name, klass.capacity) == ("一班（新）", 30)
    assert client.post(action, {"action": "edit_class", "training_class": 0, "name": "x",
                                "capacity": "3"}).status_code == 404


def test_credit_rules_stay_once_attendance_is_recorded(client, program, people, tree):
    session, _survey, _lecturer = _setup(program, people)
    Attendance.objects.create(session=session, user=people["alice"], status="present")
    client.force_login(people["orgadmin"])
    action = f"/party-training/rotation/program/{program.pk}/action/"
    response = client.post(action, program_data(tree, action="edit_program", credit_late="90"))
    assert response.status_code == 409 and "已有考勤记录" in response.content.decode()
    program.refresh_from_db()
    assert program.credit_late == 50
    renamed = program_data(tree, action="edit_program", name="新名称")
    assert client.post(action, renamed).status_code == 302
    program.refresh_from_db()
    assert program.name == "新名称"


def test_choice_searches_are_for_staff_and_stay_in_their_subtree(client, program, people, tree):
    Lecturer.objects.create(name="王教授", title="党校教授", owner=program.organization)
    url, lecturers_url = "/party-training/rotation/choices/organizations/", "/party-training/rotation/choices/lecturers/"
    assert client.get(url).status_code == 302
    client.force_login(people["alice"])
    assert client.get(url, {"q": "支部"}).status_code == 403 and client.get(lecturers_url).status_code == 403
    client.force_login(people["orgadmin"])
    found = client.get(url, {"q": "支部"}).json()["results"]
    assert {row["label"] for row in found} == {"第一支部", "第二支部", "第三支部"}  # not the other committee's
    assert [row["label"] for row in client.get(url, {"q": "r-b2"}).json()["results"]] == ["第二支部"]
    assert client.get(lecturers_url, {"q": "王"}).json()["results"][0]["label"] == "王教授（党校教授）"
    assert client.get(url, {"q": "<script>"}).json()["results"] == []
