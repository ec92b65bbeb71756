"""Checks and saving: every bad row is reported and nothing is written; re-imports update;
dry runs write nothing; parents may come later; cycles and impossible trees are refused."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from party_training.edx_plugin.core.models import MemberProfile, Organization
from party_training.edx_plugin.core.organizations import save_organization

from .conftest import MEMBER_HEADER, ORG_HEADER, counts, csv_bytes, fixture_bytes, run, run_many

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _errors(result) -> set[tuple[int | None, str]]:
    return {(error.row, error.reason) for error in result.errors}


def test_reimport_updates_instead_of_duplicating(demo_tree):
    members = fixture_bytes("demo_members.csv")
    assert run(members).members_created == 320
    before = counts()
    again = run(members)
    assert again.ok and (again.members_created, again.members_updated) == (0, 320)
    orgs_again = run(fixture_bytes("demo_organizations.csv"))
    assert (orgs_again.organizations_created, orgs_again.organizations_updated) == (0, 16)
    assert counts() == before

    # A changed file moves, renames and re-categorises; new rows are added.
    organizations = csv_bytes(ORG_HEADER, [["DEMO-B01", "马克思主义学院党支部", "党支部", "DEMO"]])
    assert run(organizations).organizations_updated == 1
    changed = csv_bytes(MEMBER_HEADER, [
        ["dm0001", "郭春秋", "guo@example.cn", "DEMO-B02", "党员", "2025-07-26", "处长"],
        ["dm9999", "新同志", "", "DEMO-B02", "新党员", "2026-01-05", ""],
    ])
    result = run(changed)
    assert result.ok and (result.members_created, result.members_updated) == (1, 1)
    guo = MemberProfile.objects.select_related("user", "organization").get(user__username="dm0001")
    assert guo.organization.code == "DEMO-B02" and guo.position == "处长" and guo.user.email == "guo@example.cn"
    assert list(guo.categories.values_list("code", flat=True)) == ["member"]
    b01 = Organization.objects.get(code="DEMO-B01")
    assert b01.name == "马克思主义学院党支部" and b01.parent.code == "DEMO" and b01.depth == 1
    assert MemberProfile.objects.count() == 321 and get_user_model().objects.count() == 321


def test_dry_run_writes_nothing_and_reports_what_it_would_do(demo_tree):
    before = counts()
    result = run(fixture_bytes("demo_members.csv"), dry_run=True)
    assert result.ok and result.dry_run and (result.members_created, result.members_updated) == (320, 0)
    assert "Dry run" in result.summary()
    assert counts() == before
    both = run_many((fixture_bytes("demo_organizations.csv"), "o.csv"), (fixture_bytes("demo_members.csv"), "m.csv"),
                    dry_run=True)
    assert (both.organizations_updated, both.members_created) == (16, 320)
    assert counts() == before


def test_every_bad_row_is_reported_and_nothing_changes(demo_tree):
    run(csv_bytes(MEMBER_HEADER, [["taken", "占用", "taken@example.cn", "DEMO-B01", "党员", "", ""]]))
    before = counts()
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    organizations = csv_bytes(ORG_HEADER, [
        ["N1", "新党委", "党委", ""],                   # 2: fine
        ["N1", "重复", "党委", ""],                     # 3: duplicate code
        ["N2", "", "党小组", "NOWHERE"],                # 4: name missing, bad kind, unknown parent
        ["N3", "支部下的支部", "党支部", "DEMO-B01"],    # 5: a branch under a branch
        ["", "无编码", "党委", ""],                      # 6: code missing
    ])
    members = csv_bytes(MEMBER_HEADER, [
        ["ok1", "正常", "", "N1", "党员", "2001-07-01", ""],                # 2: fine
        ["bad name", "张三", "not-an-email", "N1", "党员", "2001-13-01", ""],  # 3: user name, email, date
        ["ok1", "重复", "", "N1", "党员", "", ""],                           # 4: duplicate user name
        ["u5", "李四", "", "NOWHERE", "党员；团员", future, ""],                # 5: org, category, future date
        ["u6", "", "", "", "", "", ""],                                      # 6: name, org, categories missing
        ["u7", "王五", "taken@example.cn", "N1", "党员", "1900-01-01", ""],   # 7: email of another user, old date
        ["u8", "赵六", "same@example.cn", "N1", "党员", "", ""],              # 8: fine
        ["u9", "钱七", "SAME@example.cn", "N1", "党员", "", ""],              # 9: email already in row 8
    ])
    result = run_many((organizations, "orgs.csv"), (members, "members.csv"))
    assert not result.ok
    orgs = {(e.row, e.reason) for e in result.errors if e.source == "orgs.csv"}
    assert orgs == {
        (3, "The organisation code N1 is already used in orgs.csv, row 2."),
        (4, "组织名称 is required."),
        (4, "Unknown organisation kind 党小组; use one of 党委、党总支、党支部."),
        (4, "Unknown parent organisation NOWHERE: it is neither in the import nor on the site."),
        (5, "A Party branch cannot be placed under a Party branch."),
        (6, "组织编码 is required."),
    }
    member_errors = {(e.row, e.reason) for e in result.errors if e.source == "members.csv"}
    assert {row for row, _ in member_errors} == {3, 4, 5, 6, 7, 9}
    reasons = "\n".join(f"{row}: {reason}" for row, reason in sorted(member_errors))
    for expected in (
        "3: The user name bad name may contain only letters",
        "3: not-an-email is not a valid email address.",
        "3: 2001-13-01 is not a valid date",
        "4: The user name ok1 is already used in members.csv, row 2.",
        "5: Unknown organisation NOWHERE",
        "5: Unknown member category 团员",
        f"5: The date of joining the party {future} is in the future.",
        "6: 姓名 is required.", "6: 所属组织编码 is required.", "6: 党员类别 is required.",
        "7: The email taken@example.cn belongs to another user (taken).",
        "7: The date of joining the party 1900-01-01 is before 1921.",
        "9: The email SAME@example.cn is already used in members.csv, row 8.",
    ):
        assert expected in reasons
    assert str(result.errors[0]) == "orgs.csv, row 3: The organisation code N1 is already used in orgs.csv, row 2."
    assert result.summary() == f"{len(result.errors)} errors found; nothing was imported."
    assert counts() == before


def test_parent_defined_later_in_the_file():
    rows = [["B1", "第一党支部", "党支部", "G1"], ["G1", "党总支", "党总支", "ROOT"], ["ROOT", "党委", "党委", ""]]
    result = run(csv_bytes(ORG_HEADER, rows))
    assert result.ok and result.organizations_created == 3
    b1 = Organization.objects.get(code="B1")
    root = Organization.objects.get(code="ROOT")
    assert b1.depth == 2 and b1.parent.parent == root and b1.path.startswith(root.path)


def test_cycles_in_the_file_are_refused():
    rows = [["A", "甲", "党委", "C"], ["B", "乙", "党委", "A"], ["C", "丙", "党委", "B"], ["D", "丁", "党委", "D"],
            ["E", "戊", "党委", "A"]]
    result = run(csv_bytes(ORG_HEADER, rows))
    assert _errors(result) == {
        (2, "The parent codes form a cycle (A → C → B → A): an organisation cannot be placed under itself."),
        (3, "The parent codes form a cycle (B → A → C → B): an organisation cannot be placed under itself."),
        (4, "The parent codes form a cycle (C → B → A → C): an organisation cannot be placed under itself."),
        (5, "The parent codes form a cycle (D → D): an organisation cannot be placed under itself."),
    }
    assert not Organization.objects.exists()


def test_cycle_through_existing_organisations_is_refused(make_org):
    root = make_org("R", kind="committee")
    middle = make_org("M", kind="committee", parent=root)
    make_org("L", kind="committee", parent=middle)
    # R is not in the file: placing it under its grandchild L closes a loop through M.
    result = run(csv_bytes(ORG_HEADER, [["R", "根", "党委", "L"]]))
    assert _errors(result) == {
        (2, "The parent codes form a cycle (R → L → M → R): an organisation cannot be placed under itself."),
    }
    assert Organization.objects.get(code="R").parent is None


def test_moving_an_existing_subtree_keeps_paths_right(make_org):
    root = make_org("R", kind="committee")
    other = make_org("O", kind="committee", parent=root)
    general = make_org("G", kind="general_branch", parent=root)
    branch = make_org("B", kind="branch", parent=general)
    # G moves under O; its branch B (not in the file) follows; a new branch joins G.
    rows = [["N", "新支部", "党支部", "G"], ["G", "总支", "党总支", "O"]]
    result = run(csv_bytes(ORG_HEADER, rows))
    assert result.ok and (result.organizations_created, result.organizations_updated) == (1, 1)
    other.refresh_from_db()
    general.refresh_from_db()
    branch.refresh_from_db()
    new = Organization.objects.get(code="N")
    assert general.path == other.path + f"{general.pk:08d}/" and general.depth == 2
    assert branch.path == general.path + f"{branch.pk:08d}/" and branch.depth == 3
    assert new.path == general.path + f"{new.pk:08d}/" and new.depth == 3


def test_codes_and_user_names_are_matched_without_regard_to_case(demo_tree):
    result = run(csv_bytes(MEMBER_HEADER, [["Zhang", "张三", "", "DEMO-B01", "党员", "", ""],
                                           ["zhang", "张三", "", "DEMO-B01", "党员", "", ""]]))
    assert _errors(result) == {(3, "The user name zhang is already used in roster.csv, row 2.")}
    dup = run(csv_bytes(ORG_HEADER, [["x1", "甲", "党委", ""], ["X1", "乙", "党委", ""]]))
    assert _errors(dup) == {(3, "The organisation code X1 is already used in roster.csv, row 2.")}


@override_settings(PARTY_TRAINING={"ROSTER_MAX_ROWS": 5})
def test_too_many_rows_stops_the_import(demo_tree):
    before = counts()
    result = run(fixture_bytes("demo_members.csv"))
    assert _errors(result) == {(7, "Too many rows: one import takes at most 5 rows. Split the file and import the "
                                   "parts one after the other.")}
    assert counts() == before


@pytest.mark.parametrize(("data", "name", "reason"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls",
     "Excel 97-2003 files (.xls) are not supported: save the file as .xlsx or as CSV."),
    (b"PK\x03\x04 broken", "broken.xlsx", "The file is not a valid XLSX workbook."),
    (b"not a zip", "renamed.xlsx", "The file is not a valid XLSX workbook."),
    (b"\x81\x30\xff\xfe\x80", "binary.csv",
     "The file is not text in UTF-8, GB18030 or Big5: save it as CSV UTF-8 or as .xlsx."),
    (b"", "empty.csv", "No header row found in the first 10 rows; the required columns are "
                       "用户名、姓名、所属组织编码、党员类别 / 组织编码、组织名称、组织类型."),
])
def test_unreadable_files_get_one_clear_error(data, name, reason):
    result = run(data, name)
    assert [(e.source, e.row, e.reason) for e in result.errors] == [(name, None, reason)]


def test_header_problems_name_the_row_and_columns():
    missing = run(csv_bytes(["组织编码", "组织名称"], [["A", "甲"]]))
    assert _errors(missing) == {(1, "Required columns are missing: 组织类型.")}
    twice = run(csv_bytes(["组织编码", "code", "组织名称", "组织类型"], [["A", "A", "甲", "党委"]]))
    assert _errors(twice) == {(1, "The column code appears more than once.")}


def test_existing_org_kinds_are_checked_against_new_children(make_org):
    make_org("GB", kind="general_branch")
    result = run(csv_bytes(ORG_HEADER, [["C", "党委", "党委", "GB"], ["B", "支部", "党支部", "GB"]]))
    assert _errors(result) == {(2, "A Party committee cannot be placed under a General party branch.")}


def test_a_code_taken_between_the_checks_and_the_writes_rolls_everything_back(monkeypatch):
    """A code created by someone else between the checks and the writes is reported, not crashed on."""
    from party_training.edx_plugin.roster.plan import Plan  # pylint: disable=import-outside-toplevel

    original = Plan.write

    def concurrent_then_write(plan):
        save_organization(Organization(code="RACE", name="并发", kind="committee"))
        original(plan)

    monkeypatch.setattr(Plan, "write", concurrent_then_write)
    result = run(csv_bytes(ORG_HEADER, [["RACE", "导入", "党委", ""], ["OTHER", "其他", "党委", ""]]))
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert "nothing was saved" in result.errors[0].reason
    assert not Organization.objects.exists()  # the whole transaction, the intruder included, rolled back
