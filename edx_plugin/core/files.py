"""The one file service of the plugin for CSV: the text of the files centres upload (rosters,
question banks), whatever Excel or WPS wrote, read into rows; and the CSV files the plugin writes,
whose cells can never become formulas. (XLSX is ``core.xlsx``.)

Every import reads through here, so a wrong encoding, a cell too long for any spreadsheet or a
damaged file is refused with one clear message naming the row and the column, before anything is
written."""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import numbers
import re
from collections.abc import Iterable, Iterator

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .errors import RuleError

# The longest cell Excel holds: no file a spreadsheet wrote has a longer one.
MAX_CELL_CHARS = 32767
# Characters a spreadsheet reads as the start of a formula (and tab / carriage return, which some
# programs strip before looking), so a cell starting with one is written behind an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

# Legacy CJK encodings a spreadsheet program writes: GB18030 (mainland Excel and WPS), Big5 (Hong Kong
# and Taiwan). Strict UTF-8 is tried before them: it is never valid by accident.
CJK_ENCODINGS = ("gb18030", "big5")
# Never in a roster or a bank, always in a wrong reading: private-use and surrogate code points, C0
# controls other than tab and line breaks, and scripts a GB18030 reading of Big5 bytes produces
# (kana, Greek, Cyrillic, box drawing, bopomofo, Hangul, compatibility ideographs).
_WRONG_READING = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\uf8ff\U000f0000-\U0010ffff]")
_UNLIKELY = re.compile("[\u0370-\u04ff\u2500-\u257f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\uac00-\ud7af"
                       "\uf900-\ufaff\uff66-\uff9f]")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")
# charset-normalizer's "mess" of a reading above which the guess is not trusted.
MAX_CHAOS = 0.2
_SAMPLE_IDEOGRAPHS = 2000


class FileRefused(RuleError):
    """A whole uploaded file refused (encoding, damaged CSV, a cell too long): a translated message."""


# --- decoding --------------------------------------------------------------------------------------
def decode_text(data: bytes) -> str:
    """The text of an uploaded CSV file. A BOM decides (UTF-8, or UTF-16 from Excel's "Unicode text");
    otherwise strict UTF-8; otherwise the CJK encoding the bytes are, detected rather than the first
    codec that does not raise (GB18030 decodes almost any bytes). Refused when no reading is
    plausible or two are equally so."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise _undecodable() from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    readings = {}
    for encoding in CJK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _WRONG_READING.search(text):
            readings[encoding] = text
    if not readings:
        raise _undecodable()
    encoding = _likeliest(readings)
    if encoding is None or from_bytes(data, cp_isolation=[encoding], threshold=MAX_CHAOS).best() is None:
        raise FileRefused(_("The encoding of the file could not be recognised with confidence: save it as "
                            "CSV UTF-8 (or as .xlsx) and upload it again."))
    return readings[encoding]


def _undecodable() -> FileRefused:
    return FileRefused(_("The file is not text in UTF-8, GB18030 or Big5: save it as CSV UTF-8 or as .xlsx."))


def _likeliest(readings: dict[str, str]) -> str | None:
    """The one reading clearly more plausible than the others: fewer characters of scripts no
    Chinese roster holds, then more of its ideographs among the encoding's common ones (GB2312 for
    GB18030, Big5's level 1 for Big5: a wrong reading lands on rare characters). None on a tie."""
    def score(item):
        encoding, text = item
        return (-len(_UNLIKELY.findall(text)), _common_share(encoding, text))
    ranked = sorted(readings.items(), key=score, reverse=True)
    if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]):
        return None
    return ranked[0][0]


def _common_share(encoding: str, text: str) -> float:
    ideographs = _IDEOGRAPH.findall(text[:200_000])[:_SAMPLE_IDEOGRAPHS]
    if not ideographs:
        return 1.0
    return sum(_is_common(encoding, char) for char in ideographs) / len(ideographs)


def _is_common(encoding: str, char: str) -> bool:
    try:
        if encoding == "big5":
            return 0xA4 <= char.encode("big5")[0] <= 0xC6  # level 1: the 5,401 frequent characters
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


# --- reading CSV ---------------------------------------------------------------------------------
def csv_rows(text: str, dialect=csv.excel, delimiter: str | None = None) -> Iterator[list[str]]:
    """The records of CSV text, lazily. A cell longer than a spreadsheet holds, or a damaged record,
    stops the reading with ``FileRefused`` naming the row (and the column)."""
    options = {"delimiter": delimiter} if delimiter else {}
    reader = csv.reader(io.StringIO(text, newline=""), dialect, **options)
    number, lines_read = 0, 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            record = _lines(text, lines_read, reader.line_num)
            column = _long_cell_column(record, reader.dialect.delimiter, reader.dialect.quotechar or '"')
            if column is not None:
                raise cell_too_long(number, column) from exc
            raise FileRefused(_("Row %(row)d is not valid CSV (%(error)s).") % {"row": number, "error": exc}) from exc
        lines_read = reader.line_num
        if cells and max(map(len, cells)) > MAX_CELL_CHARS:
            raise cell_too_long(number, next(i for i, cell in enumerate(cells, 1) if len(cell) > MAX_CELL_CHARS))
        yield cells


def _lines(text: str, start: int, stop: int) -> str:
    """Physical lines ``start`` (from 0) to ``stop`` of the text: the record csv failed on."""
    return "".join(itertools.islice(io.StringIO(text, newline=""), start, stop))


def cell_too_long(row: int, column: int) -> FileRefused:
    return FileRefused(_("Row %(row)d, column %(column)s: the cell is longer than %(max)d characters, more than a "
                         "spreadsheet holds. Nothing was imported.") % {
        "row": row, "column": get_column_letter(column), "max": MAX_CELL_CHARS})


def _long_cell_column(record: str, delimiter: str, quote: str) -> int | None:
    """The column (from 1) of the first cell of a raw record longer than ``MAX_CELL_CHARS``."""
    column, length, quoted, index = 1, 0, False, 0
    while index < len(record):
        char = record[index]
        index += 1
        if quoted:
            if char == quote:
                if record[index:index + 1] != quote:
                    quoted = False
                    continue
                index += 1
        elif char == quote and length == 0:
            quoted = True
            continue
        elif char == delimiter:
            column, length = column + 1, 0
            continue
        length += 1
        if length > MAX_CELL_CHARS:
            return column
    return None


# --- writing CSV ---------------------------------------------------------------------------------
def csv_cell(value) -> str:
    """A value as a CSV cell that no spreadsheet evaluates: text starting like a formula is written
    behind an apostrophe (Excel shows the text, without the apostrophe); numbers stay numbers;
    control characters (but tabs and line breaks) are dropped, as the XLSX writer drops them."""
    if value is None:
        return ""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return str(value)
    text = _CONTROL_CHARS.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CsvWriter:
    """The one CSV writer: ``csv.writer`` whose every cell goes through ``csv_cell``."""

    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([csv_cell(value) for value in row])


def csv_text(rows: Iterable[Iterable]) -> str:
    """Rows as CSV text (a BOM first, so that spreadsheet programs read the Chinese as UTF-8)."""
    out = io.StringIO()
    out.write(BOM)
    writer = CsvWriter(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
