"""Core's file service: encodings detected rather than guessed, CSV read with row and column in
every refusal, CSV written so that no cell is a formula."""
import codecs

import pytest
from django.utils import translation

from party_training.edx_plugin.core.files import FileRefused, csv_cell, csv_rows, csv_text, decode_text
from party_training.edx_plugin.core.text import excerpt, plain_text

ROSTER = "用户名,姓名,所属组织编码\nzhangsan,张三,SW001\nlisi,李四,SW001\n"
TRADITIONAL = "username,full_name\nchen,陳大文\nwong,黃國強\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("data", "text"), [
    (ROSTER.encode("utf-8"), ROSTER),
    (codecs.BOM_UTF8 + ROSTER.encode("utf-8"), ROSTER),
    (codecs.BOM_UTF16_LE + ROSTER.encode("utf-16-le"), ROSTER),
    (ROSTER.encode("gb18030"), ROSTER),
    ("姓名\n乙\n".encode("gb18030"), "姓名\n乙\n"),
    (TRADITIONAL.encode("big5"), TRADITIONAL),
])
def test_each_encoding_a_spreadsheet_writes_is_read(data, text):
    assert decode_text(data) == text


def test_big5_read_as_gb18030_would_hold_private_use_characters():
    # What the first codec that does not raise made of it: "朝\ue610ゅ".
    assert "\ue610" in "陳大文".encode("big5").decode("gb18030")
    assert decode_text(TRADITIONAL.encode("big5")) == TRADITIONAL


@pytest.mark.parametrize("data", [bytes(range(256)), "José".encode("latin-1"), "x,陳\n".encode("big5")])
def test_unsure_or_undecodable_text_is_refused(data):
    with pytest.raises(FileRefused):
        decode_text(data)


def test_a_cell_longer_than_a_spreadsheet_holds_names_row_and_column():
    text = 'a,b,c\n1,2,3\n4,"x,' + "y" * 200_000 + '",6\n'
    with pytest.raises(FileRefused, match="Row 3, column B"):
        list(csv_rows(text))
    with pytest.raises(FileRefused, match="Row 2, column C"):
        list(csv_rows("a;b;c\n1;2;" + "z" * 40_000 + "\n", delimiter=";"))


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("党员", "党员"), (-1, "-1"), (2.5, "2.5"), (None, ""), ("a\x00b\x1b", "ab"),
])
def test_csv_cells_never_start_a_formula(value, cell):
    assert csv_cell(value) == cell


def test_csv_text_has_a_bom_and_safe_cells():
    assert csv_text([["=HYPERLINK(1)", 3]]) == "\ufeff'=HYPERLINK(1),3\r\n"


def test_excerpt_and_plain_text():
    assert excerpt("长" * 100) == "长" * 40 + "…" and excerpt("短") == "短"
    assert plain_text(" <b>a</b>\r\n ", 10) == "<b>a</b>"
    with pytest.raises(ValueError, match="11"):
        plain_text("x" * 11, 10)
