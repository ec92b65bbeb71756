"""What staff and the learning file get from case discussions (case_discussion): the course page
(staff only, bounded queries), the XLSX export of the whole discussion (user text as text), the
learning-file section and the staff tool registered through core's registry; XSS payloads in
every written field, viewed by the author, a peer and staff."""
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from party_training.edx_plugin.case_discussion.models import CaseAnalysis, CaseDiscussion
from party_training.edx_plugin.core.models import CourseRole
from party_training.edx_plugin.core.registry import registry
from tests.conftest import COURSE_ID, call_handler, load_block
from tests.case_discussion.conftest import case_olx, post

pytestmark = pytest.mark.django_db
PAGE = f"/party-training/case/{COURSE_ID}/"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def busy(graded_block, people):
    """A graded discussion with posts, a reply, a like, a hidden post and a grade."""
    post(graded_block, people["a"], ["=HYPERLINK(\"http://evil\")", "第二题的回答内容"])
    post(graded_block, people["b"])
    ann_post = CaseAnalysis.objects.get(author=people["a"]).pk
    call_handler(graded_block, "reply", people["b"], {"analysis_id": ann_post, "text": "赞同这个观点"})
    call_handler(graded_block, "like", people["b"], {"analysis_id": ann_post})
    call_handler(graded_block, "moderate", people["staff"], {"analysis_id": ann_post, "action": "hide", "reason": "离题"})
    call_handler(graded_block, "grade", people["staff"], {"user_id": people["b"].pk, "selections": {"0": 0, "1": 0},
                                                          "comment": "很好"})
    call_handler(graded_block, "state", people["c"], method="GET")  # joined, not posted
    return graded_block


def test_the_course_page_is_for_course_staff_only(client, busy, people):
    for user in (people["a"], people["staff"]):  # demo staff, but not recorded as staff of this course
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
    CourseRole.objects.create(user=people["staff"], course_id=COURSE_ID)
    discussion = CaseDiscussion.objects.get(usage_id=busy)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{PAGE}?discussion={discussion.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "基层治理案例" in html and "蔡明" in html  # who has not posted
    assert len(queries) <= 14, len(queries)


def test_the_export_holds_the_whole_discussion_as_text(client, busy, people):
    CourseRole.objects.create(user=people["staff"], course_id=COURSE_ID)
    client.force_login(people["staff"])
    discussion = CaseDiscussion.objects.get(usage_id=busy)
    response = client.get(f"{PAGE}{discussion.pk}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 6  # groups, members, analyses, replies, likes, grades
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    analyses = rows[book.sheetnames[2]]
    formula = next(r for r in analyses[1:] if r[2] == "ann")
    assert formula[4] == '=HYPERLINK("http://evil")' and book[book.sheetnames[2]]["E2"].data_type == "s"
    assert formula[10] == "离题"  # hidden, with the reason
    assert any("赞同这个观点" in (r[3] or "") for r in rows[book.sheetnames[3]][1:])
    assert [r[0] for r in rows[book.sheetnames[4]][1:]] == [formula[0]]
    assert [(r[0], r[2]) for r in rows[book.sheetnames[5]][1:]] == [("ben", "100")]
    status, body = call_handler(busy, "export", people["staff"], method="GET")
    assert status == 200 and isinstance(body, str)
    assert call_handler(busy, "export", people["a"], method="GET")[0] == 403


def test_the_learning_file_and_the_staff_tools_know_discussions(client, busy, people):
    section = next(s for s in registry.learning_file_sections() if s.key == "case_discussion")
    import datetime  # pylint: disable=import-outside-toplevel
    columns, rows = section.rows(people["b"], datetime.date.today().year)
    assert len(columns) == 5 and rows[0][1] == "基层治理案例" and rows[0][3] and rows[0][4] == "100"
    tools = {t["key"]: t for t in registry.staff_tools_for(COURSE_ID)}
    assert tools["case_discussion"]["url"] == PAGE and tools["case_discussion"]["count"] == 1
    client.force_login(people["b"])
    assert "基层治理案例" in client.get("/party-training/my/").content.decode()


def test_xss_in_every_field_is_inert_for_author_peer_and_staff(client, people, make_user, tree):
    author = make_user("xss_author", org=tree["b1"], full_name=XSS)
    usage_id = load_block(case_olx("xss", extra='graded="true"', children=(
        '<material url="https://example.com/x">&lt;script&gt;alert(1)&lt;/script&gt;</material>'
        '<rubric><criterion name="&lt;img src=x onerror=alert(1)&gt;"><level name="a" points="1"/>'
        '<level name="b" points="0"/></criterion></rubric>')).replace(
        "案例反映了什么问题？", "&lt;script&gt;alert(1)&lt;/script&gt;").replace(
        "<![CDATA[<p>", f"<![CDATA[{XSS}<p>"), unit="xss")
    call_handler(usage_id, "save_draft", author, {"answers": [XSS, XSS], "revision": 0})
    post(usage_id, people["b"], [XSS + "同组同志的分析", XSS])
    analysis = CaseAnalysis.objects.get(author=people["b"]).pk
    post(usage_id, people["a"])
    call_handler(usage_id, "reply", people["a"], {"analysis_id": analysis, "text": XSS})
    call_handler(usage_id, "moderate", people["staff"], {"analysis_id": analysis, "action": "hide", "reason": XSS})
    call_handler(usage_id, "grade", people["staff"], {"user_id": people["b"].pk, "selections": {"0": 0}, "comment": XSS})
    call_handler(usage_id, "summary", people["staff"], {"summary": XSS + "<p>总结</p>"})
    CourseRole.objects.create(user=people["staff"], course_id=COURSE_ID)
    for viewer in (author, people["b"], people["a"], people["staff"]):
        client.force_login(viewer)
        pages = [client.get(f"/courses/{COURSE_ID}/unit/xss/").content.decode()]
        if viewer == people["staff"]:
            pages.append(client.get(f"/courses/{COURSE_ID}/unit/xss/?view=studio").content.decode())
            pages.append(client.get(f"{PAGE}?discussion={CaseDiscussion.objects.get(usage_id=usage_id).pk}")
                         .content.decode())
        for html in pages:
            assert "<script>alert" not in html and "<img src=x onerror" not in html, viewer
        for handler in ("state", "staff_overview", "staff_posts"):
            status, body = call_handler(usage_id, handler, viewer, {"group_id": "1"}, method="GET")
            if status == 200:  # JSON: scripts put every user text in as text; the summary is sanitised
                assert "<script" not in json.dumps(body.get("summary", ""))


def test_a_large_discussion_is_exported_by_a_background_job_once(client, busy, people, settings, tmp_path,
                                                                   django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.case_discussion.models import CaseExportJob  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.models import JobStatus  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.tasks import run_job  # pylint: disable=import-outside-toplevel
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PARTY_TRAINING = {"EXPORT_SYNC_LIMIT": 2}  # 2 analyses + 1 reply: large
    CourseRole.objects.create(user=people["staff"], course_id=COURSE_ID)
    client.force_login(people["staff"])
    discussion = CaseDiscussion.objects.get(usage_id=busy)
    export_url = f"{PAGE}{discussion.pk}/export.xlsx"
    assert client.get(export_url).status_code == 302  # not at once: to the page that prepares it
    status, _ = call_handler(busy, "export", people["staff"], method="GET")
    assert status == 302
    assert "这个研讨规模较大" in client.get(f"{PAGE}?discussion={discussion.pk}").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(export_url).status_code == 302
    job = CaseExportJob.objects.get()
    assert job.status == JobStatus.DONE and job.total == 3 and default_storage.exists(job.file_name)
    run_job(CaseExportJob._meta.label_lower, job.pk)  # the broker delivers it again: nothing happens
    assert CaseExportJob.objects.get().finished == job.finished
    page = client.get(f"{PAGE}?discussion={discussion.pk}").content.decode()
    download = f"{PAGE}export/{job.pk}/"
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and len(load_workbook(io.BytesIO(b"".join(response.streaming_content)))
                                                .sheetnames) == 6
    client.force_login(people["a"])
    assert client.get(download).status_code == 403
    assert client.get(f"/party-training/case/course-v1:Other+X+1/export/{job.pk}/").status_code == 404
