"""The admin's "Import roster" page: role check, upload with dry run, row errors, template downloads."""
import codecs
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from party_training.edx_plugin.core.models import MemberProfile, Organization
from party_training.edx_plugin.roster.columns import MEMBERS, ORGANIZATIONS
from party_training.edx_plugin.roster.templates import template_csv, template_xlsx

from .conftest import MEMBER_HEADER, counts, csv_bytes, fixture_bytes, run, run_many

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
IMPORT_URL = "/admin/party_training/organization/import/"
CHANGELIST_URL = "/admin/party_training/organization/"
PERMISSIONS = [("party_training", "add_organization"), ("party_training", "change_organization"),
               ("party_training", "add_memberprofile"), ("party_training", "change_memberprofile"),
               ("auth", "add_user"), ("auth", "change_user")]


def _client(user) -> Client:
    """A signed-in client that chose English (the demo site is Chinese unless the language cookie says otherwise)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _grant(user, permissions):
    for app_label, codename in permissions:
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


@pytest.fixture
def importer(make_user):
    """A staff member with just the permissions the import needs."""
    user = make_user("importer", staff=True)
    _grant(user, PERMISSIONS)
    return user


def test_learners_and_staff_without_the_permissions_are_refused(make_user):
    assert Client().get(IMPORT_URL).status_code == 302  # anonymous: to the admin login
    learner = _client(make_user("learner"))
    for url in (IMPORT_URL, IMPORT_URL + "template/xlsx"):
        response = learner.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert learner.post(IMPORT_URL, {"files": SimpleUploadedFile("o.csv", fixture_bytes(
        "demo_organizations.csv"))}).status_code == 302
    partial = make_user("partial", staff=True)
    _grant(partial, [p for p in PERMISSIONS if p[1] != "add_user"] + [("party_training", "view_organization")])
    client = _client(partial)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(IMPORT_URL + "template/xlsx").status_code == 403
    changelist = client.get(CHANGELIST_URL)
    assert changelist.status_code == 200 and IMPORT_URL not in changelist.content.decode()
    assert not Organization.objects.exists()


def test_changelist_links_to_the_import_page(importer):
    client = _client(importer)
    assert IMPORT_URL in client.get(CHANGELIST_URL).content.decode()
    page = client.get(IMPORT_URL).content.decode()
    for name in ("xlsx", "organizations.csv", "members.csv"):
        assert f'href="{IMPORT_URL}template/{name}"' in page
    assert 'type="file"' in page and "multiple" in page and 'name="dry_run"' in page


def test_dry_run_then_import_two_files_together(importer):
    client = _client(importer)

    def upload(dry_run: bool):
        files = [SimpleUploadedFile("组织.csv", fixture_bytes("demo_organizations.csv")),
                 SimpleUploadedFile("党员.csv", fixture_bytes("demo_members.csv"))]
        return client.post(IMPORT_URL, {"files": files, **({"dry_run": "on"} if dry_run else {})})

    response = upload(dry_run=True)
    assert response.status_code == 200
    assert "Dry run, nothing was saved. Organisations: 16 to create" in response.content.decode()
    assert not Organization.objects.exists()
    response = upload(dry_run=False)
    assert "Import done. Organisations: 16 created, 0 updated; members: 320 created" in response.content.decode()
    assert MemberProfile.objects.count() == 320


def test_errors_are_listed_in_a_table_with_row_numbers(importer, demo_tree):
    before = counts()
    bad = csv_bytes(MEMBER_HEADER, [["ok", "甲", "", "DEMO-B01", "党员", "", ""],
                                    ["x y", "乙", "", "DEMO-B01", "<b>党员</b>", "", ""]])
    response = _client(importer).post(IMPORT_URL, {"files": SimpleUploadedFile("m.csv", bad), "dry_run": ""})
    page = response.content.decode()
    assert "2 errors found; nothing was imported." in page
    assert '<table id="roster-errors">' in page
    assert "<td>m.csv</td><td>3</td><td>The user name x y may contain only letters" in page
    assert "Unknown member category &lt;b&gt;党员&lt;/b&gt;" in page  # escaped
    assert counts() == before


def test_a_post_without_files_shows_the_form_error(importer):
    response = _client(importer).post(IMPORT_URL, {"dry_run": "on"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_templates_download_and_import_cleanly(importer):
    client = _client(importer)
    xlsx = client.get(IMPORT_URL + "template/xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="party_roster_template.xlsx"' in xlsx["Content-Disposition"]
    organizations = client.get(IMPORT_URL + "template/organizations.csv").content
    members = client.get(IMPORT_URL + "template/members.csv").content
    assert organizations.startswith(codecs.BOM_UTF8) and members.startswith(codecs.BOM_UTF8)
    assert organizations.decode("utf-8-sig").splitlines()[0] == "组织编码,组织名称,组织类型,上级组织编码"
    assert client.get(IMPORT_URL + "template/other.csv").status_code == 404

    from_csv = run_many((organizations, "o.csv"), (members, "m.csv"))
    assert from_csv.ok and (from_csv.organizations_created, from_csv.members_created) == (1, 1), from_csv.errors
    from_xlsx = run(xlsx.content, "template.xlsx")
    assert from_xlsx.ok and (from_xlsx.organizations_updated, from_xlsx.members_updated) == (1, 1), from_xlsx.errors
    member = MemberProfile.objects.select_related("organization").get()
    assert member.organization.code == "SW001" and member.full_name == "张三"


def test_xlsx_template_has_both_sheets_and_notes_in_the_page_language():
    from openpyxl import load_workbook  # pylint: disable=import-outside-toplevel
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == ["组织", "党员", "Notes"]
    assert [c.value for c in workbook["党员"][1]] == MEMBER_HEADER
    notes = "\n".join(str(c.value) for row in workbook["Notes"].iter_rows() for c in row if c.value)
    assert "党委、党总支、党支部" in notes and "入党积极分子" in notes
    assert template_csv(ORGANIZATIONS) != template_csv(MEMBERS)
