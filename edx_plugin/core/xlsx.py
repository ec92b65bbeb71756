"""The one XLSX writer of the plugin. Every workbook a page or a job offers goes through it, so
every cell that holds text is written as text: a name starting with "=", "+", "-" or "@" never
becomes a live formula in the centre's Excel, and a sheet title is always one Excel accepts."""
from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .files import MAX_CELL_CHARS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_MAX = 31
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str] | None = None) -> str:
    """A title Excel accepts: without ``[ ] : * ? / \\``, at most 31 characters, unique in the workbook."""
    base = _TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", str(name))).strip().strip("'") or "Sheet"
    title = base[:SHEET_TITLE_MAX]
    number = 2
    while taken is not None and title.lower() in {t.lower() for t in taken}:
        suffix = f" ({number})"
        title = base[:SHEET_TITLE_MAX - len(suffix)] + suffix
        number += 1
    if taken is not None:
        taken.add(title)
    return title


@dataclass
class Sheet:
    """One sheet: a title, a bold header row, the rows (streamed), optional column widths and a
    bold first line above the header (e.g. the report's title)."""

    title: str
    header: list
    rows: Iterable[list]
    widths: dict[int, float] = field(default_factory=dict)
    caption: str = ""


def cell_text(value: str) -> str:
    """Text as a cell can hold it: without the control characters XML forbids, at most the 32,767
    characters Excel holds (a longer value ends with "…" rather than making Excel repair the file)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS - 1] + "…"


def _cell(sheet, value, font=None) -> WriteOnlyCell:
    if hasattr(value, "__html__") or _is_lazy(value):
        value = str(value)
    if isinstance(value, str):
        value = cell_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # text, whatever it starts with
    if font is not None:
        cell.font = font
    return cell


def _is_lazy(value) -> bool:
    return type(value).__name__ == "__proxy__"


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """Write the sheets as one XLSX file, streaming (memory stays flat for large exports)."""
    workbook = Workbook(write_only=True)
    bold, large = Font(bold=True), Font(bold=True, size=14)
    taken: set[str] = set()
    for spec in sheets:
        sheet = workbook.create_sheet(sheet_title(spec.title, taken))
        for column, width in spec.widths.items():
            sheet.column_dimensions[_column_letter(column)].width = width
        header_row = 1
        if spec.caption:
            sheet.append([_cell(sheet, spec.caption, large)])
            header_row = 2
        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.append([_cell(sheet, value, bold) for value in spec.header])
        for row in spec.rows:
            sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter  # pylint: disable=import-outside-toplevel
    return get_column_letter(index)
