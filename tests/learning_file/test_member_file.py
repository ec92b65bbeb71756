"""Another member's learning file (learning_file): an organisation admin opens any member of their
subtree, 404 outside it (and for learners); any year; the print page (学时证明) and the XLSX; ledger
lines name and link their activity; the page costs the same queries whatever the member's history."""
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from party_training.edx_plugin.core.ledger import credit_hours
from party_training.edx_plugin.core.models import OrganizationAdmin

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year
UNIT = "block-v1:Org+C1+2026+type@knowledge_contest+block@quiz"


@pytest.fixture
def tree(make_org, make_user):
    committee = make_org("C", "机关党委", kind="committee")
    inside, outside = make_org("B1", "第一党支部", parent=committee), make_org("B2", "第二党支部")
    member = make_user("sun", org=inside, full_name="孙七")
    credit_hours(member, 6, "contest", UNIT, course_id="course-v1:Org+C1+2026", usage_id=UNIT,
                 date=datetime.date(YEAR, 3, 1), note="党史知识竞赛")
    credit_hours(member, 5, "writing", "writing:x", date=datetime.date(YEAR - 1, 3, 1), note="读书笔记一")
    admin = make_user("adm")
    OrganizationAdmin.objects.create(user=admin, organization=committee)
    return {"member": member, "admin": admin, "stranger": make_user("zhou", org=outside),
            "site": make_user("site", staff=True)}


def test_org_admin_opens_a_member_of_the_subtree(client, tree):
    client.force_login(tree["admin"])
    html = client.get("/party-training/file/sun/").content.decode()
    assert "孙七 的学习档案" in html and "第一党支部" in html
    # The contest line names the contest and links its unit.
    assert '<a href="/courses/course-v1:Org+C1+2026/jump_to/' in html and "党史知识竞赛" in html
    last_year = client.get("/party-training/file/sun/", {"year": YEAR - 1}).content.decode()
    assert "读书笔记一" in last_year and "党史知识竞赛" not in last_year
    assert "加入记录" not in html  # only the member keeps their log


@pytest.mark.parametrize("who", ["stranger", "admin_outside", "anonymous_name"])
def test_outside_the_subtree_is_404(client, tree, make_user, make_org, who):
    if who == "admin_outside":
        other = make_user("adm2")
        OrganizationAdmin.objects.create(user=other, organization=make_org("B9"))
        client.force_login(other)
        name = "sun"
    elif who == "stranger":
        client.force_login(tree["stranger"])
        name = "sun"
    else:
        client.force_login(tree["admin"])
        name = "nobody"
    for suffix in ("", "print/", "file.xlsx"):
        assert client.get(f"/party-training/file/{name}/{suffix}").status_code == 404


def test_site_admin_and_bad_year(client, tree):
    client.force_login(tree["site"])
    assert client.get("/party-training/file/sun/").status_code == 200
    assert client.get("/party-training/file/sun/", {"year": "20x6"}).status_code == 400


def test_print_page_is_a4_with_organisation_and_signature(client, tree):
    client.force_login(tree["member"])
    html = client.get("/party-training/my/print/").content.decode()
    assert f"{YEAR} 年度学时证明" in html and "书记签字" in html and "党组织（盖章）" in html
    assert "size: A4" in html and "第一党支部" in html


def test_xlsx_holds_the_file(client, tree):
    client.force_login(tree["admin"])
    response = client.get("/party-training/file/sun/file.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert {"学时", "学时记录", "自学记录"} <= set(book.sheetnames)
    ledger = [row for row in book["学时记录"].iter_rows(values_only=True)]
    assert any(row[2] == "党史知识竞赛" and row[3] == 6 for row in ledger)


def test_queries_do_not_grow_with_history(client, tree):
    client.force_login(tree["member"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/party-training/my/").status_code == 200
        return len(queries)

    before = count()
    for n in range(40):
        credit_hours(tree["member"], 1, "party_class", f"pc{n}", date=datetime.date(YEAR, 4, 1), note=f"党课{n}")
    assert count() == before
