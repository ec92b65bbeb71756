"""Row checks of a roster import (roster): each cell of each row, before the database is asked.

A row's problems are all reported (not only the first), with the file and the row number
Excel shows. What needs the database (parents, cycles, e-mails of other users) is checked
by ``plan.Plan``, which extends these checks.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl.utils.datetime import from_excel

from ..core.models import OrganizationKind
from ..core.text import excerpt
from .columns import (CATEGORY_LABELS, CATEGORY_SEPARATORS, DATE_EXAMPLES, HEADERS, KIND_LABELS, ORGANIZATIONS,
                      canonical_labels, category_for, kind_for)
from .tables import RowError, Table

_DATE_PATTERNS = (
    # 2015-07-01, 2015/7/1, 2015.7.1, optionally with the midnight time spreadsheet exports add.
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0?0:00(?::00)?)?"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
)
# Nobody joined the party before it was founded; an earlier date is a typing error (or a bare year).
FIRST_JOIN_YEAR = 1921
_username_validator = UnicodeUsernameValidator()
# Parameters of row errors that quote a cell.
QUOTED_PARAMS = {"value", "code", "username", "email"}


@dataclass(slots=True)
class OrgRow:
    """An organisation row as the file gives it; ``key`` and ``parent_key`` compare codes case-insensitively."""

    source: str
    row: int
    code: str
    name: str
    kind: str  # "" when the cell is invalid
    parent_code: str
    key: str = field(init=False)
    parent_key: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.key, self.parent_key = self.code.casefold(), self.parent_code.casefold() or None


@dataclass(slots=True)
class MemberRow:
    """A member row as the file gives it, categories already turned into ids; ``key`` is the user name's."""

    source: str
    row: int
    username: str
    full_name: str
    email: str
    org_code: str
    category_ids: set[int]
    join_date: datetime.date | None
    position: str
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = self.username.casefold()


class RowChecks:
    """The rows of an import's tables, by code and user name key, and the problems of their cells.

    Codes and user names are compared case-insensitively, as MySQL's collation compares them,
    so an import behaves the same on SQLite and MySQL.
    """

    def __init__(self, tables: list[Table], categories: dict[str, int]):
        self.errors: list[RowError] = []
        self.categories = categories  # code -> pk
        self.org_rows: dict[str, OrgRow] = {}  # by code key
        self.member_rows: dict[str, MemberRow] = {}  # by user name key
        for table in tables:
            for number, cells in table.rows:
                if table.kind == ORGANIZATIONS:
                    self._add_org_row(table.source, number, cells)
                else:
                    self._add_member_row(table.source, number, cells)

    def _error(self, source: str, row: int | None, message, /, **params) -> None:
        # A cell quoted in a message is quoted short: a 10,000-character name does not come back whole.
        quoted = {key: excerpt(value) if key in QUOTED_PARAMS else value for key, value in params.items()}
        self.errors.append(RowError(source, row, message, quoted))

    def _add_org_row(self, source: str, number: int, cells: dict) -> None:
        code, name, parent_code = cell_text(cells["code"]), cell_text(cells["name"]), cell_text(cells.get("parent"))
        kind_text = cell_text(cells["kind"])
        self._required(source, number, code=code, name=name, kind=kind_text)
        self._max_length(source, number, code=(code, 64), name=(name, 200), kind=(kind_text, 20),
                         parent=(parent_code, 64))
        kind = kind_for(kind_text) or (kind_text.casefold() if kind_text.casefold() in OrganizationKind.values
                                              else "")
        if kind_text and not kind:
            self._error(source, number, _("Unknown organisation kind %(value)s; use one of %(labels)s."),
                        value=kind_text, labels="、".join(canonical_labels(KIND_LABELS)))
        if not code:
            return
        row = OrgRow(source, number, code, name, kind, parent_code)
        first = self.org_rows.get(row.key)
        if first:
            self._error(source, number, _("The organisation code %(code)s is already used in %(source)s, row %(row)d."),
                        code=code, source=first.source, row=first.row)
            return
        self.org_rows[row.key] = row

    def _add_member_row(self, source: str, number: int, cells: dict) -> None:
        username, full_name = cell_text(cells["username"]), cell_text(cells["full_name"])
        org_code, categories_text = cell_text(cells["organization"]), cell_text(cells["categories"])
        email, position = cell_text(cells.get("email")), cell_text(cells.get("position"))
        self._required(source, number, username=username, full_name=full_name, organization=org_code,
                       categories=categories_text.strip(CATEGORY_SEPARATORS + " "))
        self._max_length(source, number, username=(username, 150), full_name=(full_name, 100), email=(email, 254),
                         organization=(org_code, 64), categories=(categories_text, 200), position=(position, 100))
        if username:
            try:
                _username_validator(username)
            except ValidationError:
                self._error(source, number, _(
                    "The user name %(value)s may contain only letters, digits and the characters @ . + - _"),
                    value=username)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self._error(source, number, _("%(value)s is not a valid email address."), value=email)
        join_date = self._join_date(source, number, cells.get("join_date"))
        category_ids = self._category_ids(source, number, categories_text)
        if not username:
            return
        row = MemberRow(source, number, username, full_name, email, org_code, category_ids, join_date, position)
        first = self.member_rows.get(row.key)
        if first:
            self._error(source, number, _("The user name %(username)s is already used in %(source)s, row %(row)d."),
                        username=username, source=first.source, row=first.row)
            return
        self.member_rows[row.key] = row

    def _required(self, source: str, number: int, **values: str) -> None:
        for key, value in values.items():
            if not value:
                self._error(source, number, _("%(column)s is required."), column=HEADERS[key])

    def _max_length(self, source: str, number: int, **cells: tuple[str, int]) -> None:
        for key, (value, limit) in cells.items():
            if len(value) > limit:
                self._error(source, number, _("%(column)s is longer than %(limit)d characters (%(count)d): %(value)s"),
                            column=HEADERS[key], value=value, limit=limit, count=len(value))

    def _join_date(self, source: str, number: int, value: object) -> datetime.date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parsed = cell_date(value)
        if parsed is None:
            self._error(source, number, _("%(value)s is not a valid date; write it as one of %(examples)s."),
                        value=cell_text(value), examples=DATE_EXAMPLES)
        elif parsed > timezone.localdate():
            self._error(source, number, _("The date of joining the party %(value)s is in the future."),
                        value=parsed.isoformat())
        elif parsed.year < FIRST_JOIN_YEAR:
            self._error(source, number, _("The date of joining the party %(value)s is before %(year)d."),
                        value=parsed.isoformat(), year=FIRST_JOIN_YEAR)
        return parsed

    def _category_ids(self, source: str, number: int, text: str) -> set[int]:
        ids = set()
        for label in filter(None, (part.strip() for part in re.split(f"[{CATEGORY_SEPARATORS}]", text))):
            code = category_for(label) or label.casefold()
            if code in self.categories:
                ids.add(self.categories[code])
            else:
                self._error(source, number, _("Unknown member category %(value)s; use %(labels)s."),
                            value=label, labels="、".join(canonical_labels(CATEGORY_LABELS)))
        return ids


def cell_text(value: object) -> str:
    """A cell as text: spreadsheet numbers lose the ".0" they get when a code or name is typed as a number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_date(value: object) -> datetime.date | None:
    """A date from a date cell, an Excel serial number or the usual written forms; None if it is none of these."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell that lost its date format shows Excel's serial day number.
        try:
            return from_excel(value).date()
        except (ValueError, OverflowError):
            return None
    text = cell_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None
