"""Roster files (roster) read into tables: CSV and XLSX, recognised from their content.

A title row or two above the header is skipped; the header (Chinese or the English aliases)
decides what a table holds. CSV is decoded and read by ``core.files`` (``decode_text``,
``csv_rows``), the one reader of uploaded CSV. Every data row read counts against the import's row budget.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..core.files import FileRefused, csv_rows, decode_text
from .columns import COLUMNS, MEMBERS, ORGANIZATIONS, SHEET_NAMES, simplified

# A title row or two ("XX党委党员名册") above the header is common: look this far for it.
HEADER_SCAN_ROWS = 10


@dataclass(frozen=True)
class RowError:
    """One problem of an import. ``source`` is the file (CSV) or "file/sheet" (XLSX); ``row`` is
    the row number Excel shows (the header is usually row 1), None for a problem of the whole file."""

    source: str
    row: int | None
    message: Promise | str
    params: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return str(self.message) % self.params

    def __str__(self) -> str:
        if self.row is None:
            return gettext("%(source)s: %(reason)s") % {"source": self.source, "reason": self.reason}
        return gettext("%(source)s, row %(row)d: %(reason)s") % {
            "source": self.source, "row": self.row, "reason": self.reason,
        }


class TooManyRows(Exception):
    """The import is over ``ROSTER_MAX_ROWS``; reading stops at the first row over the limit."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


@dataclass
class Table:
    """The data rows of one CSV file or one sheet, as {column key: raw cell value}."""

    source: str
    kind: str
    rows: list[tuple[int, dict[str, object]]]


class RowBudget:
    """Counts data rows across all the files of one import against ``ROSTER_MAX_ROWS``."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def take(self, source: str, row: int) -> None:
        self.used += 1
        if self.used > self.limit:
            raise TooManyRows(RowError(source, row, _(
                "Too many rows: one import takes at most %(limit)d rows. Split the file and import the parts "
                "one after the other."), {"limit": self.limit}))


def read_tables(fileobj: BinaryIO, filename: str, budget: RowBudget) -> tuple[list[Table], list[RowError]]:
    """Read one uploaded file (XLSX or CSV, recognised from its content) into tables."""
    data = fileobj.read()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, filename, budget)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return [], [RowError(filename, None, _(
            "Excel 97-2003 files (.xls) are not supported: save the file as .xlsx or as CSV."))]
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return [], [RowError(filename, None, _("The file is not a valid XLSX workbook."))]
    try:
        text = decode_text(data)
        first_line = text.split("\n", 1)[0]
        # Excel's "Unicode text" export is tab-separated.
        delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
        table, errors = _read_rows(enumerate(csv_rows(text, delimiter=delimiter), start=1), filename,
                                   (MEMBERS, ORGANIZATIONS), budget)
    except FileRefused as exc:  # undecodable, damaged, or a cell longer than a spreadsheet holds
        return [], [RowError(filename, None, "%(reason)s", {"reason": exc.message})]
    return ([table] if table else []), errors


def _read_xlsx(data: bytes, filename: str, budget: RowBudget) -> tuple[list[Table], list[RowError]]:
    tables: list[Table] = []
    errors: list[RowError] = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            named = [(sheet, kind) for sheet in workbook.worksheets for kind, names in SHEET_NAMES.items()
                     if simplified(sheet.title.strip()).casefold() in names]
            if not named and len(workbook.worksheets) == 1:
                # A single sheet left as "Sheet1": its header says what it holds, as for a CSV file.
                named = [(workbook.worksheets[0], None)]
            if not named:
                errors.append(RowError(filename, None, _(
                    "The workbook has no sheet named %(organizations)s or %(members)s."),
                    {"organizations": SHEET_NAMES[ORGANIZATIONS][0], "members": SHEET_NAMES[MEMBERS][0]}))
            for sheet, kind in named:
                rows = enumerate(sheet.iter_rows(values_only=True), start=1)
                kinds = (kind,) if kind else (MEMBERS, ORGANIZATIONS)
                table, sheet_errors = _read_rows(rows, f"{filename}/{sheet.title}", kinds, budget)
                errors += sheet_errors
                if table:
                    tables.append(table)
        finally:
            workbook.close()
    # openpyxl reports a damaged workbook through any of these, depending on the damaged part.
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        return [], [RowError(filename, None, _("The file is not a valid XLSX workbook."))]
    return tables, errors


def _normalise_header(value: object) -> str:
    text = "" if value is None else str(value).strip().rstrip("*＊").strip()
    return simplified(text).casefold().replace(" ", "_").replace("-", "_")


@cache
def _header_map(kind: str) -> dict[str, str]:
    """Normalised header -> column key, for the Chinese headers and the English aliases."""
    mapping = {}
    for column in COLUMNS[kind]:
        for name in (column.header, *column.aliases):
            mapping[_normalise_header(name)] = column.key
    return mapping


def _is_blank(cells: Iterable[object]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _read_rows(rows: Iterator[tuple[int, tuple]], source: str, kinds: tuple[str, ...],
               budget: RowBudget) -> tuple[Table | None, list[RowError]]:
    """Find the header among the first rows (it decides the kind among ``kinds``), then read the data rows."""
    best: tuple[int, int, str, set[str]] | None = None  # (matched columns, row, kind, matched keys)
    found = None
    for number, cells in rows:
        if number > HEADER_SCAN_ROWS:
            break
        names = [_normalise_header(cell) for cell in cells]
        for kind in kinds:
            mapping = _header_map(kind)
            columns: dict[str, int] = {}
            for index, name in enumerate(names):
                key = mapping.get(name)
                if key is None:
                    continue
                if key in columns:
                    return None, [RowError(source, number, _("The column %(column)s appears more than once."),
                                           {"column": str(cells[index]).strip()})]
                columns[key] = index
            required = {c.key for c in COLUMNS[kind] if c.required}
            if required <= columns.keys():
                found = (number, kind, columns)
                break
            if columns and (best is None or len(columns) > best[0]):
                best = (len(columns), number, kind, set(columns))
        if found:
            break
    if found is None:
        if best is not None:
            number, kind, matched = best[1:]
            missing = [c.header for c in COLUMNS[kind] if c.required and c.key not in matched]
            return None, [RowError(source, number, _("Required columns are missing: %(columns)s."),
                                   {"columns": "、".join(missing)})]
        expected = " / ".join("、".join(c.header for c in COLUMNS[kind] if c.required) for kind in kinds)
        return None, [RowError(source, None, _(
            "No header row found in the first %(count)d rows; the required columns are %(columns)s."),
            {"count": HEADER_SCAN_ROWS, "columns": expected})]

    kind, columns = found[1:]
    data = []
    for number, cells in rows:
        if _is_blank(cells):
            continue
        budget.take(source, number)
        data.append((number, {key: cells[index] if index < len(cells) else None
                              for key, index in columns.items()}))
    return Table(source, kind, data), []
