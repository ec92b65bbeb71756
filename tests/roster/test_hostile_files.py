"""Hostile roster files (roster import page, command and rules): a single cell larger than any
spreadsheet holds, Big5 text, a header with no rows, over-long values. Each gets one clear
error naming the row (and the column), and nothing is written."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from party_training.edx_plugin.core.models import MemberProfile, Organization

from .conftest import MEMBER_HEADER, counts, csv_bytes, run
from .test_admin import IMPORT_URL, _client, importer  # noqa: F401  pylint: disable=unused-import
from .test_command import _exit_code, keep_connection  # noqa: F401  pylint: disable=unused-import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ENGLISH_HEADER = "username,full_name,email,organization,categories\n"


@pytest.fixture
def branch():
    return Organization.objects.create(code="SW001", name="示范支部", kind="branch", path="0001")


def _one_line_of(size: int) -> bytes:
    """A header and one row whose third cell is ``size`` bytes: no line break anywhere in it."""
    return (ENGLISH_HEADER + "zhangsan,张三," + "x" * size + ",SW001,member\n").encode()


def test_a_5_mb_cell_is_refused_naming_row_and_column(branch):
    before = counts()
    result = run(_one_line_of(5 * 1024 * 1024))
    assert [(e.row, e.reason) for e in result.errors] == [(None, (
        "Row 2, column C: the cell is longer than 32767 characters, more than a spreadsheet holds. "
        "Nothing was imported."))]
    assert counts() == before


def test_a_cell_just_too_long_for_a_spreadsheet_is_refused_too(branch):
    result = run(_one_line_of(40_000))
    assert "Row 2, column C" in result.errors[0].reason
    assert not MemberProfile.objects.exists()


def test_the_import_page_answers_a_5_mb_line_with_the_error(branch, importer):  # noqa: F811
    before = counts()
    response = _client(importer).post(IMPORT_URL, {
        "files": SimpleUploadedFile("huge.csv", _one_line_of(5 * 1024 * 1024)), "dry_run": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Row 2, column C: the cell is longer than 32767 characters" in page
    assert len(page) < 100_000
    assert counts() == before


def test_the_command_answers_a_5_mb_line_with_the_error(branch, tmp_path, capsys):
    huge = tmp_path / "huge.csv"
    huge.write_bytes(_one_line_of(5 * 1024 * 1024))
    assert _exit_code(str(huge)) == 1
    assert "Row 2, column C: the cell is longer than 32767 characters" in capsys.readouterr().err
    assert not MemberProfile.objects.exists()


def test_big5_is_read_as_big5(branch):
    data = (ENGLISH_HEADER + "chen,陳大文,,SW001,member\nwong,黃國強,,SW001,member\n").encode("big5")
    result = run(data)
    assert result.ok, [str(e) for e in result.errors]
    assert sorted(MemberProfile.objects.values_list("full_name", flat=True)) == ["陳大文", "黃國強"]


def test_bytes_that_read_equally_well_as_gb18030_and_big5_are_refused(branch):
    # "陳" alone: both readings are one common character; guessing would be a coin toss.
    result = run((ENGLISH_HEADER + "chen,陳,,SW001,member\n").encode("big5"))
    assert [e.reason for e in result.errors] == [
        "The encoding of the file could not be recognised with confidence: save it as CSV UTF-8 (or as .xlsx) "
        "and upload it again."]
    assert not MemberProfile.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_header_without_rows_is_an_error(encoding):
    before = counts()
    result = run(csv_bytes(MEMBER_HEADER, [], encoding), "members.csv")
    assert [(e.source, e.row, e.reason) for e in result.errors] == [
        ("members.csv", None, "The file has no data rows below its header; nothing was imported.")]
    assert counts() == before


def test_over_long_values_name_the_column_and_are_quoted_short(branch, importer):  # noqa: F811
    name = "长" * 10_000
    result = run(csv_bytes(MEMBER_HEADER, [["zhangsan", name, "", "SW001", "党员", "", ""],
                                           ["lisi", "李四", "", "X" * 500, "党员", "", ""]]))
    reasons = [e.reason for e in result.errors]
    assert f"姓名 is longer than 100 characters (10000): {'长' * 40}…" in reasons
    assert f"所属组织编码 is longer than 64 characters (500): {'X' * 40}…" in reasons
    assert all(len(reason) < 200 for reason in reasons)
    response = _client(importer).post(IMPORT_URL, {"files": SimpleUploadedFile("m.csv", csv_bytes(
        MEMBER_HEADER, [["zhangsan", name, "", "SW001", "党员", "", ""]])), "dry_run": "1"})
    assert response.status_code == 200 and len(response.content) < 30_000
    assert not MemberProfile.objects.exists()


def test_an_unknown_value_is_quoted_short():
    result = run(csv_bytes(["组织编码", "组织名称", "组织类型"], [["A1", "甲", "委" * 5000]]))
    assert any(reason.startswith(f"Unknown organisation kind {'委' * 40}…") for reason in
               (e.reason for e in result.errors))


def test_a_big5_roster_in_traditional_characters_is_understood(branch):
    """Headers, kinds and categories written in traditional characters (a Hong Kong office's Big5 file)
    mean what their simplified forms mean."""
    header = "用戶名,姓名,郵箱,所屬組織編碼,黨員類別,入黨日期,職務\n"
    rows = "chen,陳大文,,SW001,黨員；支部書記,2015-07-01,書記\nwong,黃國強,,SW001,入黨積極分子,,科員\n"
    result = run((header + rows).encode("big5"))
    assert result.ok, [str(e) for e in result.errors]
    chen = MemberProfile.objects.get(full_name="陳大文")
    assert sorted(chen.categories.values_list("code", flat=True)) == ["branch_secretary", "member"]
    assert list(MemberProfile.objects.get(full_name="黃國強").categories.values_list("code", flat=True)) == ["activist"]


def test_traditional_organisation_kinds_are_understood(branch):
    header = "組織編碼,組織名稱,組織類型,上級組織編碼\n"
    result = run((header + "HK01,香港工委,黨委,\nHK02,第一黨支部,黨支部,HK01\n").encode("big5"), "organizations.csv")
    assert result.ok, [str(e) for e in result.errors]
    assert dict(Organization.objects.filter(code__startswith="HK").values_list("code", "kind")) == {
        "HK01": "committee", "HK02": "branch"}
