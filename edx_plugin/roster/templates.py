"""The downloadable roster templates (roster): an XLSX workbook and two CSV files.

The workbook is written by ``core.xlsx``, the plugin's one XLSX writer (every text cell as text,
bold headers, frozen header row). That writer has no cell fills, so the required columns are no
longer shaded: the notes sheet's "Required" column says which they are.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from functools import partial

from django.utils.translation import gettext, gettext_lazy as _

from ..core.files import csv_text
from ..core.xlsx import Sheet, workbook_bytes
from .columns import COLUMNS, MEMBERS, ORGANIZATIONS, SHEET_NAMES, column_help

# Width of every column of the organisations and members sheets; then of the notes' columns.
COLUMN_WIDTH = 18
NOTES_WIDTHS = {1: 10, 2: 16, 3: 18, 4: 8, 5: 80}
NOTES = (
    _("Columns marked Yes under Required must be filled. Fill the organisations sheet, the members sheet, or both."),
    _("The import checks every row first and saves nothing if any row has an error."),
    _("Importing the same codes and user names again updates the existing records."),
)


def template_xlsx() -> bytes:
    """The XLSX template: both sheets with the Chinese headers and an example row, and a notes sheet."""
    sheets = []
    for kind in (ORGANIZATIONS, MEMBERS):
        columns = COLUMNS[kind]
        example = [datetime.date.fromisoformat(c.example) if c.key == "join_date" else c.example for c in columns]
        sheets.append(Sheet(SHEET_NAMES[kind][0], [c.header for c in columns], [example],
                            widths={index: COLUMN_WIDTH for index in range(1, len(columns) + 1)}))
    notes = [[SHEET_NAMES[kind][0], column.header, column.aliases[0],
              gettext("Yes") if column.required else gettext("No"), column_help(column)]
             for kind in (ORGANIZATIONS, MEMBERS) for column in COLUMNS[kind]]
    notes += [[], *([str(line)] for line in NOTES)]
    sheets.append(Sheet(gettext("Notes"), [gettext("Sheet"), gettext("Column"), gettext("English header"),
                                           gettext("Required"), gettext("Description")], notes, widths=NOTES_WIDTHS))
    return workbook_bytes(sheets)


def template_csv(kind: str) -> bytes:
    """A CSV template in UTF-8 with a BOM, which Excel needs to open UTF-8 correctly."""
    return rows_csv(kind, [[c.example for c in COLUMNS[kind]]])


def rows_csv(kind: str, rows: Iterable[list[str]]) -> bytes:
    """A roster CSV (header plus ``rows``) in UTF-8 with a BOM, by core's one CSV writer."""
    return csv_text([[c.header for c in COLUMNS[kind]], *rows]).encode("utf-8")


# name in the download URL -> (file name, builder); the page picks the response by the name's suffix.
TEMPLATE_FILES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "xlsx": ("party_roster_template.xlsx", template_xlsx),
    "organizations.csv": ("party_roster_organizations.csv", partial(template_csv, ORGANIZATIONS)),
    "members.csv": ("party_roster_members.csv", partial(template_csv, MEMBERS)),
}


def template_file(name: str) -> tuple[str, bytes] | None:
    """The template a download URL names, as (file name, content); None for an unknown name."""
    if name not in TEMPLATE_FILES:
        return None
    filename, build = TEMPLATE_FILES[name]
    return filename, build()
