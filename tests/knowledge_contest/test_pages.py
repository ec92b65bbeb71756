"""Plugin pages: bank management and import, live view, results export, reset; role checks."""
import csv
import io

import pytest
from openpyxl import load_workbook

from party_training.edx_plugin.knowledge_contest.models import ContestAttempt, QuestionBank
from party_training.edx_plugin.core.models import CourseRole
from tests.conftest import COURSE_ID, call_handler, load_block

from .conftest import contest_olx

BANKS = "/party-training/contest/banks/"


@pytest.fixture
def teacher(make_user):
    user = make_user("teacher")
    CourseRole.objects.create(user=user, course_id=COURSE_ID)
    return user


@pytest.fixture
def contest(make_bank):
    make_bank("bank", size=8, course_id=COURSE_ID)
    return load_block(contest_olx(count=4))


def csv_upload(rows, encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["type", "stem", "option_a", "option_b", "answer", "category"])
    writer.writerows(rows)
    data = io.BytesIO(out.getvalue().encode(encoding))
    data.name = "q.csv"
    return data


@pytest.mark.django_db
def test_learner_and_other_course_staff_are_refused(client, make_user, contest):
    bank = QuestionBank.objects.get(code="bank")
    learner = make_user("learner")
    other = make_user("other")
    CourseRole.objects.create(user=other, course_id="course-v1:Other+X+1")
    live = f"/party-training/contest/{contest}/live/"
    client.force_login(learner)
    for url in (BANKS, f"{BANKS}{bank.pk}/", f"{BANKS}{bank.pk}/export.xlsx", f"{BANKS}template.xlsx", live,
                f"/party-training/contest/{contest}/live.json", f"/party-training/contest/{contest}/results.xlsx"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/party-training/contest/{contest}/reset/", {"username": "x"}).status_code == 403
    assert client.post(BANKS, {"code": "new", "name": "n", "course_id": COURSE_ID}).status_code == 403
    client.force_login(other)
    assert client.get(f"{BANKS}{bank.pk}/").status_code == 403
    assert client.get(live).status_code == 403
    client.logout()
    assert client.get(BANKS).status_code == 302  # to the sign-in page


@pytest.mark.django_db
def test_course_staff_manage_their_bank_and_import(client, teacher, contest):
    bank = QuestionBank.objects.get(code="bank")
    client.force_login(teacher)
    page = client.get(BANKS).content.decode()
    assert "Bank bank" in page
    response = client.post(BANKS, {"code": "mine", "name": "<b>我的题库</b>", "course_id": COURSE_ID})
    mine = QuestionBank.objects.get(code="mine")
    assert response.status_code == 302 and mine.name == "<b>我的题库</b>"
    assert "&lt;b&gt;我的题库&lt;/b&gt;" in client.get(f"{BANKS}{mine.pk}/").content.decode()
    bad = client.post(f"{BANKS}{mine.pk}/import/", {"file": csv_upload([["single", "题", "甲", "乙", "C", ""]])})
    assert bad.status_code == 400 and mine.questions.count() == 0
    checked = client.post(f"{BANKS}{mine.pk}/import/", {"file": csv_upload([["single", "题", "甲", "乙", "B", ""]]),
                                                        "dry_run": "1"})
    assert checked.status_code == 200 and mine.questions.count() == 0
    good = client.post(f"{BANKS}{mine.pk}/import/", {"file": csv_upload(
        [["single", "<script>alert(1)</script>题", "甲", "乙", "B", "分类"]], "gb18030")})
    assert good.status_code == 200 and mine.questions.count() == 1
    html = client.get(f"{BANKS}{mine.pk}/?category=分类").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;题" in html and "<script>alert(1)" not in html
    question = mine.questions.get()
    client.post(f"{BANKS}{mine.pk}/", {"question": question.pk, "action": "retire"})
    question.refresh_from_db()
    assert not question.active
    assert client.post(f"{BANKS}{mine.pk}/", {"question": "x", "action": "retire"}).status_code == 400
    exported = client.get(f"{BANKS}{bank.pk}/export.xlsx")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(exported.content)).active.max_row == 9
    assert client.get(f"{BANKS}template.xlsx").status_code == 200


@pytest.mark.django_db
def test_live_view_export_and_reset(client, teacher, make_user, contest):
    learner = make_user("player")
    _, state = call_handler(contest, "start", learner, {})
    first = state["active"]["questions"][0]
    call_handler(contest, "answer", learner, {"attempt": state["active"]["id"], "question": first["id"],
                                              "response": [first["options"][0]["key"]] if first["options"] else ["x"]})
    call_handler(contest, "submit", learner, {"attempt": state["active"]["id"]})
    client.force_login(teacher)
    assert client.get(f"/party-training/contest/{contest}/live/").status_code == 200
    data = client.get(f"/party-training/contest/{contest}/live.json").json()
    assert data["participants"] == 1 and data["finished"] == 1 and sum(m["answers"] for m in data["per_minute"]) == 1
    book = load_workbook(io.BytesIO(client.get(f"/party-training/contest/{contest}/results.xlsx").content))
    assert book.worksheets[0]["B2"].value == "player"
    response = client.post(f"/party-training/contest/{contest}/reset/", {"username": "player"})
    assert response.status_code == 200 and not ContestAttempt.objects.filter(user=learner).exists()
    assert client.post(f"/party-training/contest/{contest}/reset/", {"username": "ghost"}).status_code == 404
    assert client.get("/party-training/contest/block-v1:TestOrg+T101+2026+type@html+block@x/live/").status_code == 404


@pytest.mark.django_db
def test_large_contest_results_export_runs_in_the_background(client, teacher, make_user, contest, settings, tmp_path,
                                                             django_capture_on_commit_callbacks):
    settings.PARTY_TRAINING = {**settings.PARTY_TRAINING, "EXPORT_SYNC_LIMIT": 1}
    settings.MEDIA_ROOT = str(tmp_path)
    for name in ("big1", "big2"):
        learner = make_user(name)
        _, state = call_handler(contest, "start", learner, {})
        call_handler(contest, "submit", learner, {"attempt": state["active"]["id"]})
    client.force_login(teacher)
    results = f"/party-training/contest/{contest}/results.xlsx"
    assert client.get(results).status_code == 302  # too big to build in the request: go to the live view
    live = client.get(f"/party-training/contest/{contest}/live/").content.decode()
    assert "kc-export" in live and 'data-item-analysis="in-export"' in live
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(results).status_code == 302
    state = client.get(f"/party-training/contest/{contest}/live.json").json()["export"]
    assert state["status"] == "done" and state["total"] == 2 and state["url"]
    book = load_workbook(io.BytesIO(b"".join(client.get(state["url"]).streaming_content)))
    assert {row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)} == {"big1", "big2"}
    client.force_login(make_user("nosy"))
    assert client.get(state["url"]).status_code == 403
    assert client.post(results).status_code == 403
