"""Every accepted file format imports the same roster: CSV in UTF-8, UTF-8 with BOM, GB18030,
Excel's tab-separated UTF-16 text, and XLSX (named sheets, a lone unnamed sheet, date cells)."""
import codecs
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook

from party_training.edx_plugin.core.models import MemberProfile, Organization

from .conftest import MEMBER_HEADER, ORG_HEADER, counts, csv_bytes, fixture_bytes, run, run_many

pytestmark = pytest.mark.django_db


def _assert_demo_roster():
    assert Organization.objects.count() == 16 and MemberProfile.objects.count() == 320
    root = Organization.objects.get(code="DEMO")
    b01 = Organization.objects.get(code="DEMO-B01")
    assert root.parent is None and root.name == "演示市委党校机关党委" and root.kind == "committee"
    assert b01.kind == "branch" and b01.parent.code == "DEMO-G01" and b01.depth == 2
    assert b01.path.startswith(root.path) and b01.path.startswith(b01.parent.path)
    first = MemberProfile.objects.select_related("user", "organization").get(user__username="dm0001")
    assert first.full_name == "郭春秋" and first.organization.code == "DEMO" and first.position == "副处长"
    assert first.join_date == datetime.date(2025, 7, 26)  # written 2025年7月26日
    assert sorted(first.categories.values_list("code", flat=True)) == ["leading_cadre", "member", "new_member"]
    assert first.user.email == "dm0001@demo.example.cn" and not first.user.has_usable_password()
    third = MemberProfile.objects.get(user__username="dm0003")
    assert third.join_date == datetime.date(2021, 11, 11)  # written 2021/11/11
    activist = MemberProfile.objects.get(user__username="dm0002")
    assert activist.join_date is None and list(activist.categories.values_list("code", flat=True)) == ["activist"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_import_the_same_roster(encoding):
    organizations = fixture_bytes("demo_organizations.csv").decode("utf-8").encode(encoding)
    members = fixture_bytes("demo_members.csv").decode("utf-8").encode(encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            organizations.decode("utf-8")  # really not UTF-8, so the fallback is exercised
    orgs = run(organizations, "组织.csv")
    assert orgs.ok, [str(e) for e in orgs.errors]
    assert (orgs.organizations_created, orgs.organizations_updated) == (16, 0)
    members_result = run(members, "党员.csv")
    assert members_result.ok, [str(e) for e in members_result.errors]
    assert (members_result.members_created, members_result.members_updated) == (320, 0)
    _assert_demo_roster()


def test_xlsx_with_both_sheets_imports_the_demo_roster():
    result = run(fixture_bytes("demo_roster.xlsx"), "demo_roster.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert (result.organizations_created, result.members_created) == (16, 320)
    _assert_demo_roster()


def test_xlsx_and_csv_give_identical_databases():
    run_many((fixture_bytes("demo_organizations.csv"), "o.csv"), (fixture_bytes("demo_members.csv"), "m.csv"))
    from_csv = counts()
    # The same content again from the workbook changes nothing.
    result = run(fixture_bytes("demo_roster.xlsx"), "demo_roster.xlsx")
    assert (result.organizations_updated, result.members_updated) == (16, 320)
    assert counts() == from_csv


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_typed_by_excel():
    """Date cells, serial day numbers, numbers typed into code and name columns, English sheet names."""
    data = _workbook({
        "organizations": [["code", "name", "kind", "parent_code"], [1001, "一支部", "branch", 100],
                          [100, "机关党委", "committee", None]],
        "Members": [["Username", "Full name", "Email", "Org code", "Categories", "Join date", "Position"],
                    [13800000001, "王芳", None, 1001, "member、young_member", datetime.datetime(2012, 3, 5), None],
                    ["li.lei", "李雷", "li.lei@example.com", 1001.0, "党员", 41000, "  科员  "]],
    })
    result = run(data, "roster.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    branch = Organization.objects.get(code="1001")
    assert branch.parent.code == "100"
    wang = MemberProfile.objects.get(user__username="13800000001")
    assert wang.join_date == datetime.date(2012, 3, 5) and wang.organization == branch
    assert sorted(wang.categories.values_list("code", flat=True)) == ["member", "young_member"]
    li = MemberProfile.objects.get(user__username="li.lei")
    assert li.join_date == datetime.date(2012, 4, 1) and li.position == "科员"  # serial 41000, whitespace stripped


def test_lone_unnamed_sheet_is_recognised_by_its_header_and_title_rows_are_skipped():
    data = _workbook({"Sheet1": [["某某党委党员名册"], [], ORG_HEADER, ["A1", "机关党委", "党委", ""]]})
    result = run(data, "名册.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert Organization.objects.filter(code="A1").exists()


def test_excel_unicode_text_is_tab_separated_utf16():
    text = "\t".join(ORG_HEADER) + "\r\n" + "\t".join(["T1", "机关党委", "党委", ""]) + "\r\n"
    result = run(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "roster.txt")
    assert result.ok, [str(e) for e in result.errors]
    assert Organization.objects.get(code="T1").name == "机关党委"


def test_header_aliases_any_column_order_and_extra_columns():
    data = csv_bytes(["备注", "Kind", "NAME", "Parent code", "Code*"], [["", "党委", "机关党委", "", "X"]])
    assert run(data).ok
    assert Organization.objects.get(code="X").kind == "committee"


def test_member_categories_and_separators():
    run(csv_bytes(ORG_HEADER, [["B", "一支部", "党支部", ""]]))
    rows = [["u1", "甲", "", "B", "党员；青年党员", "", ""], ["u2", "乙", "", "B", "党员;支部书记", "", ""],
            ["u3", "丙", "", "B", "member，retired_member", "", ""], ["u4", "丁", "", "B", "入党积极分子", "", ""]]
    assert run(csv_bytes(MEMBER_HEADER, rows)).ok
    codes = {p.user.username: sorted(p.categories.values_list("code", flat=True))
             for p in MemberProfile.objects.select_related("user")}
    assert codes == {"u1": ["member", "young_member"], "u2": ["branch_secretary", "member"],
                     "u3": ["member", "retired_member"], "u4": ["activist"]}


def test_existing_user_without_profile_keeps_password_and_gets_a_profile():
    user = get_user_model().objects.create_user("wang", "wang@example.com", "secret")
    run(csv_bytes(ORG_HEADER, [["B", "一支部", "党支部", ""]]))
    result = run(csv_bytes(MEMBER_HEADER, [["wang", "王五", "", "B", "党员", "2001-07-01", ""]]))
    assert result.ok and (result.members_created, result.members_updated) == (1, 0)
    user.refresh_from_db()
    assert user.check_password("secret") and user.email == "wang@example.com"  # blank email keeps the old one
    assert user.party_profile.full_name == "王五"


def test_new_keys_are_read_back_where_bulk_inserts_return_none(monkeypatch):
    """MySQL (unlike SQLite and MariaDB) returns no keys from bulk inserts: the import reads them back."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    result = run(fixture_bytes("demo_roster.xlsx"), "demo_roster.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    _assert_demo_roster()
