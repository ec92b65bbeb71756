"""Roster files: reading CSV and XLSX into tables of rows, and writing the downloadable templates.

The column headers, the kind and category labels and the template's example rows are the
vocabulary of the files Chinese training centres fill in: they are data, not interface text,
so they stay Chinese whatever the language of the page (English aliases are accepted too).
"""
from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from ..core.models import MemberCategoryCode, OrganizationKind
from ..core.files import decode_text

ORGANIZATIONS, MEMBERS = "organizations", "members"
# A title row or two ("XX党委党员名册") above the header is common: look this far for it.
HEADER_SCAN_ROWS = 10
# Several categories in one cell.
CATEGORY_SEPARATORS = "；;、，,"
# How a join date may be written (besides a date cell).
DATE_EXAMPLES = "2015-07-01, 2015/7/1, 2015年7月1日"


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


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header of the template
    aliases: tuple[str, ...]  # English headers accepted too (compared case-insensitively)
    required: bool
    help: Promise
    example: str


ORGANIZATION_COLUMNS = (
    Column("code", "组织编码", ("code", "organization_code", "organisation_code", "org_code"), True,
           _("Unique code of the organisation; a re-import updates the organisation with this code."), "SW001"),
    Column("name", "组织名称", ("name", "organization_name", "organisation_name", "org_name"), True,
           _("Full name of the organisation."), "示例市委机关党委"),
    Column("kind", "组织类型", ("kind", "type"), True,
           _("One of %(labels)s (or the codes %(codes)s)."), "党委"),
    Column("parent", "上级组织编码", ("parent", "parent_code"), False,
           _("Code of the parent organisation, in this file or already imported; blank for a root."), ""),
)
MEMBER_COLUMNS = (
    Column("username", "用户名", ("username", "user"), True,
           _("Login name of the member; a re-import updates the member with this user name."), "zhangsan"),
    Column("full_name", "姓名", ("full_name", "name"), True, _("Full name of the member."), "张三"),
    Column("email", "邮箱", ("email", "e_mail"), False, _("Email address (optional)."), "zhangsan@example.com"),
    Column("organization", "所属组织编码", ("organization", "organisation", "organization_code",
                                        "organisation_code", "org_code"), True,
           _("Code of the member's organisation, in this import or already imported."), "SW001"),
    Column("categories", "党员类别", ("categories", "category"), True,
           _("One or more of %(labels)s, separated by %(separator)s"), "党员；青年党员"),
    Column("join_date", "入党日期", ("join_date",), False,
           _("Date of joining the party, written as one of %(examples)s (blank for activists)."), "2015-07-01"),
    Column("position", "职务", ("position", "title"), False, _("Position (optional)."), "科员"),
)
COLUMNS = {ORGANIZATIONS: ORGANIZATION_COLUMNS, MEMBERS: MEMBER_COLUMNS}
SHEET_NAMES = {ORGANIZATIONS: ("组织", "organizations", "organisations"), MEMBERS: ("党员", "members")}

# Labels accepted for kinds and categories, the first one of each code being the one the template shows.
KIND_LABELS = {"党委": OrganizationKind.COMMITTEE, "党总支": OrganizationKind.GENERAL_BRANCH,
               "党支部": OrganizationKind.BRANCH}
CATEGORY_LABELS = {
    "领导干部": MemberCategoryCode.LEADING_CADRE, "县处级以上领导干部": MemberCategoryCode.LEADING_CADRE,
    "一般干部": MemberCategoryCode.GENERAL_CADRE, "县处级以下干部": MemberCategoryCode.GENERAL_CADRE,
    "党员": MemberCategoryCode.MEMBER, "普通党员": MemberCategoryCode.MEMBER,
    "新党员": MemberCategoryCode.NEW_MEMBER, "新发展党员": MemberCategoryCode.NEW_MEMBER,
    "青年党员": MemberCategoryCode.YOUNG_MEMBER,
    "农村党员": MemberCategoryCode.RURAL_MEMBER,
    "离退休党员": MemberCategoryCode.RETIRED_MEMBER, "退休党员": MemberCategoryCode.RETIRED_MEMBER,
    "基层党组织书记": MemberCategoryCode.BRANCH_SECRETARY, "支部书记": MemberCategoryCode.BRANCH_SECRETARY,
    "党支部书记": MemberCategoryCode.BRANCH_SECRETARY,
    "入党积极分子": MemberCategoryCode.ACTIVIST, "积极分子": MemberCategoryCode.ACTIVIST,
}


def canonical_labels(labels: dict[str, str]) -> list[str]:
    """The first label of each code, in the order of the mapping."""
    seen: dict[str, str] = {}
    for label, code in labels.items():
        seen.setdefault(code, label)
    return list(seen.values())


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
    text = decode_text(data)
    if text is None:
        return [], [RowError(filename, None, _(
            "The file could not be decoded as UTF-8 or GB18030 text: save it as CSV (UTF-8) or as .xlsx."))]
    first_line = text.split("\n", 1)[0]
    # Excel's "Unicode text" export is tab-separated.
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    rows = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
    table, errors = _read_rows(rows, filename, (MEMBERS, ORGANIZATIONS), budget)
    return ([table] if table else []), errors


def _read_xlsx(data: bytes, filename: str, budget: RowBudget) -> tuple[list[Table], list[RowError]]:
    tables: list[Table] = []
    errors: list[RowError] = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            named = [(sheet, kind) for sheet in workbook.worksheets for kind, names in SHEET_NAMES.items()
                     if sheet.title.strip().casefold() in names]
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
    return text.casefold().replace(" ", "_").replace("-", "_")


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


# Templates ----------------------------------------------------------------------------------------


def _column_help(column: Column) -> str:
    params = {}
    if column.key == "kind":
        params = {"labels": "、".join(canonical_labels(KIND_LABELS)), "codes": ", ".join(OrganizationKind.values)}
    elif column.key == "categories":
        params = {"labels": "、".join(canonical_labels(CATEGORY_LABELS)), "separator": CATEGORY_SEPARATORS[0]}
    elif column.key == "join_date":
        params = {"examples": DATE_EXAMPLES}
    return str(column.help) % params


def template_xlsx() -> bytes:
    """The XLSX template: both sheets with the Chinese headers and an example row, and a notes sheet."""
    workbook = Workbook()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F4CCCC")
    workbook.remove(workbook.active)
    for kind in (ORGANIZATIONS, MEMBERS):
        sheet = workbook.create_sheet(SHEET_NAMES[kind][0])
        columns = COLUMNS[kind]
        sheet.append([c.header for c in columns])
        sheet.append([datetime.date.fromisoformat(c.example) if c.key == "join_date" else c.example
                      for c in columns])
        for index, column in enumerate(columns, start=1):
            header = sheet.cell(row=1, column=index)
            header.font = bold
            if column.required:
                header.fill = fill
            sheet.column_dimensions[header.column_letter].width = 18
        for cell in sheet[2]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(gettext("Notes"))
    notes.append([gettext("Sheet"), gettext("Column"), gettext("English header"), gettext("Required"),
                  gettext("Description")])
    for cell in notes[1]:
        cell.font = bold
    for kind in (ORGANIZATIONS, MEMBERS):
        for column in COLUMNS[kind]:
            notes.append([SHEET_NAMES[kind][0], column.header, column.aliases[0],
                          gettext("Yes") if column.required else gettext("No"), _column_help(column)])
    notes.append([])
    for line in (_("Required columns are shaded. Fill the organisations sheet, the members sheet, or both."),
                 _("The import checks every row first and saves nothing if any row has an error."),
                 _("Importing the same codes and user names again updates the existing records.")):
        notes.append([str(line)])
    for letter, width in zip("ABCDE", (10, 16, 18, 8, 80)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(kind: str) -> bytes:
    """A CSV template in UTF-8 with a BOM, which Excel needs to open UTF-8 correctly."""
    return rows_csv(kind, [[c.example for c in COLUMNS[kind]]])


def rows_csv(kind: str, rows: Iterable[list[str]]) -> bytes:
    """A roster CSV (header plus ``rows``) in UTF-8 with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS[kind]])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
