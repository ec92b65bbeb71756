"""The grading queue pages of writing assignments (writing_assignment):
roles, filters, XSS, bounded queries, XLSX, archive, near-copies,
showcase privacy, OLX round-trip."""
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from party_training.edx_plugin.writing_assignment.models import NearCopyPair, WritingJob, WritingStatus
from party_training.edx_plugin.writing_assignment import near_copies
from party_training.edx_plugin.writing_assignment import grading
from tests.conftest import COURSE_ID, call_handler, export_olx, load_block

from .conftest import TEXT, render, writing_olx
from .helpers import claim_and_grade, submit

pytestmark = pytest.mark.django_db
QUEUE = f"/party-training/writing/{COURSE_ID}/"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_queue_is_for_course_staff_only(client, single_block, people, make_user):
    sub = submit(single_block, people["alice"], TEXT)
    other_course_staff = make_user("elsewhere", course_staff=True)  # staff somewhere, not of this course
    urls = [QUEUE, f"{QUEUE}piece/{sub.pk}/", f"{QUEUE}grades.xlsx"]
    for user in (people["alice"], other_course_staff):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert client.post(f"{QUEUE}piece/{sub.pk}/", {"action": "claim"}).status_code == 403
        assert client.post(f"{QUEUE}jobs/archive/").status_code == 403
    client.logout()
    assert client.get(QUEUE).status_code == 302  # to the sign-in page
    client.force_login(people["grader"])
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_learner_handlers_refuse_anonymous_and_studio_refuses_learners(single_block, people):
    assert call_handler(single_block, "save_draft", None, {"text": "x", "revision": 0})[0] == 403
    assert call_handler(single_block, "submit", None, {"text": TEXT})[0] == 403
    status, _ = call_handler(single_block, "studio_submit", people["alice"], {"values": {"max_chars": 5}})
    assert status == 403


def test_grading_through_the_pages_with_the_rubric(client, single_block, people):
    sub = submit(single_block, people["alice"], TEXT)
    client.force_login(people["grader"])
    page = f"{QUEUE}piece/{sub.pk}/"
    response = client.post(page, {"action": "grade", "criterion-0": "0", "criterion-1": "0", "comment": "x"})
    assert response.status_code == 409  # not claimed
    assert client.post(page, {"action": "claim"}).status_code == 302
    client.force_login(people["grader2"])
    response = client.post(page, {"action": "claim"})
    assert response.status_code == 409 and "grader" in response.content.decode()
    client.force_login(people["grader"])
    response = client.post(page, {"action": "grade", "criterion-0": "0", "comment": "缺一项"})
    assert response.status_code == 400  # every criterion must be scored
    response = client.post(page, {"action": "grade", "criterion-0": "0", "criterion-1": "1", "comment": "好"})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == WritingStatus.GRADED and sub.score == 70
    assert client.post(page, {"action": "showcase_on"}).status_code == 302


def test_filters_by_block_status_and_branch_subtree(client, single_block, two_stage_block, people, branch_tree):
    submit(single_block, people["alice"], TEXT)
    submit(single_block, people["bob"], TEXT)
    submit(two_stage_block, people["alice"], TEXT)
    client.force_login(people["grader"])

    def authors(**params):
        html = client.get(QUEUE, params).content.decode()
        return html.count("张三"), html.count("李四")

    assert authors() == (2, 1)
    assert authors(block=two_stage_block) == (1, 0)
    assert authors(branch=branch_tree["b2"].pk) == (0, 1)
    assert authors(branch=branch_tree["root"].pk) == (2, 1)
    assert authors(status="graded") == (0, 0)


def test_queue_page_runs_a_bounded_number_of_queries(client, single_block, people, make_user, branch_tree,
                                                     django_assert_max_num_queries):
    for i in range(40):
        submit(single_block, make_user(f"q{i}", org=branch_tree["b1"]), TEXT)
    client.force_login(people["grader"])
    with django_assert_max_num_queries(15):
        response = client.get(QUEUE)
    assert response.status_code == 200 and response.content.decode().count("/piece/") == 40


def test_user_text_is_escaped_everywhere(client, single_block, people):
    alice = people["alice"]
    sub = submit(single_block, alice, TEXT + XSS, title=XSS)
    claim_and_grade(sub, people["grader"], comment=XSS)
    grading.set_showcase(sub.pk, COURSE_ID, True)
    pages = [render(single_block, alice), render(single_block, people["bob"])]
    client.force_login(people["grader"])
    pages += [client.get(QUEUE).content.decode(), client.get(f"{QUEUE}piece/{sub.pk}/").content.decode()]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in pages[0]


def test_prompt_html_is_sanitized_on_import_and_in_studio(people):
    usage = load_block('<writing_assignment url_name="wa_x"><prompt><![CDATA[<p onclick="x()">读</p>'
                       '<script>alert(1)</script>]]></prompt></writing_assignment>')
    html = render(usage, people["alice"])
    assert "onclick" not in html and "alert(1)" not in html and "<p>读</p>" in html
    status, body = call_handler(usage, "studio_submit", people["grader"], {"values": {
        "prompt": '<b>好</b><iframe src="//evil"></iframe>', "rubric": '[{"name": "x", "levels": []}]'}})
    assert status == 400 and "rubric" in body["fields"]
    status, body = call_handler(usage, "studio_submit", people["grader"], {"values": {
        "prompt": '<b>好</b><iframe src="//evil"></iframe>',
        "rubric": '[{"name": "内容", "levels": [{"name": "优", "points": 10}, {"name": "差", "points": 0}]}]'}})
    assert status == 200, body
    assert "iframe" not in export_olx(usage)


def test_learners_see_only_their_own_work_and_the_showcase(single_block, people):
    alice, bob = people["alice"], people["bob"]
    sub = submit(single_block, alice, TEXT + "张三的独有内容", choice="anonymous")
    call_handler(single_block, "save_draft", bob, {"text": "李四的草稿", "revision": 0})
    claim_and_grade(sub, people["grader"], comment="评语只给作者")
    assert "张三的独有内容" not in render(single_block, bob)
    assert "李四的草稿" not in render(single_block, alice)
    grading.set_showcase(sub.pk, COURSE_ID, True)
    seen = render(single_block, bob)
    assert "张三的独有内容" in seen
    assert "张三" not in seen.replace("张三的独有内容", "")  # anonymous, as the author chose
    assert "评语只给作者" not in seen and "70" not in seen.split("张三的独有内容")[0][-200:]


def test_olx_round_trip_keeps_rubric_prompt_and_awards(db):
    usage = load_block(writing_olx("wa_olx", "contest", "contest_essay", extra='due="2030-05-01T08:00:00Z"',
                                   children='<awards><award tier="first" count="2"/></awards>'))
    first = export_olx(usage)
    assert 'grading_flow="contest"' in first and "思想认识" in first and 'points="40"' in first
    assert "<![CDATA[<p>谈谈体会</p>]]>" in first and 'tier="first" count="2"' in first
    again = export_olx(load_block(first.replace('url_name="wa_olx"', 'url_name="wa_olx2"')))
    assert again.replace("wa_olx2", "wa_olx") == first


def test_grades_export_to_xlsx(client, single_block, people):
    sub = submit(single_block, people["alice"], TEXT)
    claim_and_grade(sub, people["grader"])
    submit(single_block, people["bob"], TEXT)
    client.force_login(people["grader"])
    response = client.get(f"{QUEUE}grades.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    by_user = {row[0]: row for row in rows[1:]}
    assert by_user["alice"][1] == "张三" and by_user["alice"][2] == "第一支部" and by_user["alice"][9] == 70
    assert by_user["bob"][9] is None  # not graded: no score


def test_archive_is_built_in_the_background_with_progress(client, single_block, people, make_user, branch_tree,
                                                          django_capture_on_commit_callbacks):
    for i in range(5):
        submit(single_block, make_user(f"ar{i}", org=branch_tree["b1"], full_name=f"学员{i}"), TEXT + str(i))
    client.force_login(people["grader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{QUEUE}jobs/archive/")
    assert response.status_code == 302
    job = WritingJob.objects.get()
    status = client.get(f"{QUEUE}job/{job.pk}/").json()
    assert status["status"] == "done" and status["percent"] == 100 and status["total"] == 5
    download = client.get(status["download"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 6 and "index.csv" in names
    assert any("学员3" in name for name in names)
    assert archive.read("index.csv").decode("utf-8-sig").count("\n") == 6
    assert default_storage.exists(job.__class__.objects.get().file_name)


def test_near_copy_scan_flags_pairs_with_a_side_by_side_view(client, single_block, people, make_user, branch_tree,
                                                             django_capture_on_commit_callbacks):
    source = ("党的二十大报告指出，全面建设社会主义现代化国家，必须坚持中国共产党领导。我们要坚持以人民为中心的发展思想，"
              "维护人民根本利益，增进民生福祉，不断实现发展为了人民、发展依靠人民、发展成果由人民共享。") * 3
    copy = source.replace("增进民生福祉", "增进民生福利", 1).replace("，", ",")
    a = submit(single_block, people["alice"], source)
    b = submit(single_block, people["bob"], copy)
    submit(single_block, make_user("own", org=branch_tree["b1"]), "我在社区值班时，遇到一位独居老人反映自来水管漏水，当天联系维修，晚上又回访确认。")
    client.force_login(people["grader"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{QUEUE}jobs/near_copies/")
    pair = NearCopyPair.objects.get()
    assert {pair.first_id, pair.second_id} == {a.pk, b.pk} and pair.similarity >= 0.8
    assert "/near-copy/" in client.get(f"{QUEUE}piece/{a.pk}/").content.decode()
    side = client.get(f"{QUEUE}near-copy/{pair.pk}/").content.decode()
    assert side.count("<mark>") >= 2 and "李四" in side and "张三" in side


def test_near_copy_detection_ignores_punctuation_and_finds_only_close_pairs():
    base = "学习贯彻党的二十大精神要同学习习近平新时代中国特色社会主义思想结合起来" * 20
    assert near_copies.normalize("Ａ，b\n。c") == "abc"
    pieces = [(1, base), (2, base.replace("学习", "学 习，")), (3, base[::-1]), (4, "")]
    found = near_copies.find_near_copies(pieces)
    assert [(p.first, p.second) for p in found] == [(1, 2)]
