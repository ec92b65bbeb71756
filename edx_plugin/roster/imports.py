"""Roster import: party organisations and members from XLSX or CSV files.

Every row of every file is checked first and all problems are reported together; only a
clean import is saved, in one transaction. Organisations are matched by code and members by
user name, so importing a file again updates instead of duplicating. The database is read
and written in batches (a bounded number of queries per thousand rows, never per row), except
that new or moved organisations go through ``save_organization``, which keeps the
materialized paths right.
"""
from __future__ import annotations

import datetime
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, NamedTuple, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _, ngettext
from openpyxl.utils.datetime import from_excel

from ..core import conf
from ..core.models import MemberCategory, MemberProfile, Organization, OrganizationKind
from ..core.organizations import MAX_DEPTH, ancestor_ids_from_path, save_organization
from .tables import CATEGORY_LABELS, CATEGORY_SEPARATORS, COLUMNS, DATE_EXAMPLES, KIND_LABELS, ORGANIZATIONS, RowBudget, RowError, Table, TooManyRows, canonical_labels, read_tables

__all__ = ["Progress", "RosterResult", "RowError", "import_roster", "import_roster_files", "rows_exceed"]

# Rows per INSERT: small enough for MySQL's max_allowed_packet, big enough that 100,000 rows
# take a few hundred statements (SQLite's parameter limit makes its batches smaller still).
BATCH_SIZE = 1000
# Rows per bulk UPDATE (see _bulk_update).
UPDATE_BATCH_SIZE = 200
# Rows between two progress reports: a report may write to the database, a row must not.
PROGRESS_EVERY = 1000
# A party branch is the basic unit; a general branch holds branches; a committee holds any kind.
ALLOWED_CHILDREN = {
    OrganizationKind.COMMITTEE: {OrganizationKind.COMMITTEE, OrganizationKind.GENERAL_BRANCH, OrganizationKind.BRANCH},
    OrganizationKind.GENERAL_BRANCH: {OrganizationKind.BRANCH},
    OrganizationKind.BRANCH: set(),
}
_DATE_PATTERNS = (
    # 2015-07-01, 2015/7/1, 2015.7.1, optionally with the midnight time spreadsheet exports add.
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0?0:00(?::00)?)?"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
)
# Nobody joined the party before it was founded; an earlier date is a typing error (or a bare year).
FIRST_JOIN_YEAR = 1921
# Depth given to organisations in or under a cycle (nothing is saved then).
IN_CYCLE = -1
_HEADERS = {column.key: column.header for columns in COLUMNS.values() for column in columns}
_username_validator = UnicodeUsernameValidator()
T = TypeVar("T")
K = TypeVar("K")
# progress(rows read, rows written). Rows are read before the import's transaction begins and
# written inside it, so a report of written rows comes from inside that transaction.
Progress = Callable[[int, int], None]


@dataclass
class RosterResult:
    """What an import did (or, on a dry run, would do); nothing is saved when ``errors`` is not empty."""

    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    organizations_created: int = 0
    organizations_updated: int = 0
    members_created: int = 0
    members_updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return ngettext("%(count)d error found; nothing was imported.",
                            "%(count)d errors found; nothing was imported.", len(self.errors)) % {
                "count": len(self.errors)}
        counts = {
            "orgs_created": self.organizations_created, "orgs_updated": self.organizations_updated,
            "members_created": self.members_created, "members_updated": self.members_updated,
        }
        if self.dry_run:
            return gettext(
                "Dry run, nothing was saved. Organisations: %(orgs_created)d to create, %(orgs_updated)d to "
                "update; members: %(members_created)d to create, %(members_updated)d to update.") % counts
        return gettext(
            "Import done. Organisations: %(orgs_created)d created, %(orgs_updated)d updated; members: "
            "%(members_created)d created, %(members_updated)d updated.") % counts


def import_roster(fileobj: BinaryIO, filename: str, *, dry_run: bool = False) -> RosterResult:
    """Import one roster file (XLSX with the sheets 组织 and/or 党员, or one CSV file)."""
    return import_roster_files([(fileobj, filename)], dry_run=dry_run)


def rows_exceed(files: Iterable[tuple[BinaryIO, str]], limit: int) -> bool:
    """Whether the files hold more than ``limit`` data rows, counted as the import counts them.

    Reading stops at the first row over the limit, so asking costs at most ``limit`` rows of
    work. The files are rewound for the import that follows; unreadable files count no rows
    (the import reports them).
    """
    budget = RowBudget(limit)
    try:
        for fileobj, filename in files:
            try:
                read_tables(fileobj, filename, budget)
            finally:
                fileobj.seek(0)
    except TooManyRows:
        return True
    return False


def import_roster_files(files: Iterable[tuple[BinaryIO, str]], *, dry_run: bool = False,
                        progress: Progress | None = None) -> RosterResult:
    """Import several roster files as one: checked together, saved together or not at all.

    Members may refer to organisations of any of the files, so an organisations CSV and a
    members CSV can be checked in one dry run. ``progress`` is called every ``PROGRESS_EVERY``
    rows read and written, and once when all rows are read.
    """
    result = RosterResult(dry_run=dry_run)
    budget = _ProgressBudget(conf.setting("ROSTER_MAX_ROWS"), progress)
    tables: list[Table] = []
    sources: list[str] = []
    try:
        for fileobj, filename in files:
            sources.append(filename)
            file_tables, errors = read_tables(fileobj, filename, budget)
            tables += file_tables
            result.errors += errors
    except TooManyRows as exc:
        result.errors.append(exc.error)
        return result
    if progress:
        progress(budget.used, 0)
    try:
        with transaction.atomic():
            plan = _Plan(tables, _WriteProgress(budget.used, progress))
            tables.clear()  # the plan holds what it needs: let the raw cells go before the writes
            result.errors += plan.errors
            result.organizations_created, result.organizations_updated = plan.organization_counts()
            result.members_created, result.members_updated = plan.member_counts()
            if result.errors or dry_run:
                return _sorted(result, sources)
            plan.write()
    except _Refused as exc:
        result.errors.append(exc.error)
    except IntegrityError as exc:
        result.errors.append(RowError(", ".join(sources), None, _(
            "The database refused the import (%(error)s); nothing was saved. If another import ran at the same "
            "time, try again."), {"error": str(exc)}))
    return _sorted(result, sources)


class _ProgressBudget(RowBudget):
    """The row budget, which sees every row read, also reports the rows read."""

    def __init__(self, limit: int, progress: Progress | None):
        super().__init__(limit)
        self.progress = progress

    def take(self, source: str, row: int) -> None:
        super().take(source, row)
        if self.progress and self.used % PROGRESS_EVERY == 0:
            self.progress(self.used, 0)


class _WriteProgress:
    """Counts the rows written (organisations, then members) and reports every ``PROGRESS_EVERY``."""

    def __init__(self, rows_read: int, progress: Progress | None):
        self.rows_read, self.progress, self.written, self.reported = rows_read, progress, 0, 0

    def add(self, rows: int) -> None:
        self.written += rows
        if self.progress and self.written - self.reported >= PROGRESS_EVERY:
            self.reported = self.written
            self.progress(self.rows_read, self.written)


class _Refused(Exception):
    """A write the checks could not foresee failed; the transaction is rolled back."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


def _sorted(result: RosterResult, sources: list[str]) -> RosterResult:
    """Errors in file order, then row order (a row's own errors keep the order they were found in)."""
    def key(error: RowError) -> tuple[int, int]:
        file_index = next((i for i, name in enumerate(sources) if error.source.startswith(name)), len(sources))
        return file_index, error.row or 0

    result.errors.sort(key=key)
    return result


@dataclass(slots=True)
class _OrgRow:
    source: str
    row: int
    code: str
    name: str
    kind: str  # "" when the cell is invalid
    parent_code: str
    key: str = field(init=False)
    parent_key: str | None = field(init=False)

    def __post_init__(self):
        self.key, self.parent_key = self.code.casefold(), self.parent_code.casefold() or None


@dataclass(slots=True)
class _MemberRow:
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

    def __post_init__(self):
        self.key = self.username.casefold()


class _Profile(NamedTuple):
    """An existing member profile, as far as the import compares it."""

    pk: int
    organization_id: int
    full_name: str
    join_date: datetime.date | None
    position: str


PROFILE_FIELDS = _Profile._fields[1:]


class _Plan:
    """The checked content of an import and the existing rows it touches, then the writes.

    Codes and user names are compared case-insensitively, as MySQL's collation compares them,
    so an import behaves the same on SQLite and MySQL.
    """

    def __init__(self, tables: list[Table], progress: _WriteProgress):
        self.progress = progress
        self.errors: list[RowError] = []
        self.categories = dict(MemberCategory.objects.values_list("code", "pk"))
        self.org_rows: dict[str, _OrgRow] = {}  # by code key
        self.member_rows: dict[str, _MemberRow] = {}  # by user name key
        # Existing rows the import touches; tuples rather than model instances for users and
        # profiles, because a hundred thousand instances cost seconds and hundreds of MB.
        self.existing: dict[str, Organization] = {}  # by code key (after writing, the new ones too)
        self.by_id: dict[int, Organization] = {}
        self.users: dict[str, tuple[int, str]] = {}  # user name key -> (pk, email)
        self.profiles: dict[int, _Profile] = {}  # user pk -> profile
        for table in tables:
            for number, cells in table.rows:
                if table.kind == ORGANIZATIONS:
                    self._add_org_row(table.source, number, cells)
                else:
                    self._add_member_row(table.source, number, cells)
        self._load_organizations()
        self.depths = self._check_tree()
        self._check_members()

    def _error(self, source: str, row: int | None, message, /, **params) -> None:
        self.errors.append(RowError(source, row, message, params))

    # Reading and checking the rows ---------------------------------------------------------------

    def _add_org_row(self, source: str, number: int, cells: dict) -> None:
        code, name, parent_code = _text(cells["code"]), _text(cells["name"]), _text(cells.get("parent"))
        kind_text = _text(cells["kind"])
        self._required(source, number, code=code, name=name, kind=kind_text)
        self._max_length(source, number, (code, 64), (name, 200))
        kind = KIND_LABELS.get(kind_text) or (kind_text.casefold() if kind_text.casefold() in OrganizationKind.values
                                              else "")
        if kind_text and not kind:
            self._error(source, number, _("Unknown organisation kind %(value)s; use one of %(labels)s."),
                        value=kind_text, labels="、".join(canonical_labels(KIND_LABELS)))
        if not code:
            return
        row = _OrgRow(source, number, code, name, kind, parent_code)
        first = self.org_rows.get(row.key)
        if first:
            self._error(source, number, _("The organisation code %(code)s is already used in %(source)s, row %(row)d."),
                        code=code, source=first.source, row=first.row)
            return
        self.org_rows[row.key] = row

    def _add_member_row(self, source: str, number: int, cells: dict) -> None:
        username, full_name = _text(cells["username"]), _text(cells["full_name"])
        org_code, categories_text = _text(cells["organization"]), _text(cells["categories"])
        email, position = _text(cells.get("email")), _text(cells.get("position"))
        self._required(source, number, username=username, full_name=full_name, organization=org_code,
                       categories=categories_text.strip(CATEGORY_SEPARATORS + " "))
        self._max_length(source, number, (username, 150), (full_name, 100), (email, 254), (position, 100))
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
        row = _MemberRow(source, number, username, full_name, email, org_code, category_ids, join_date, position)
        first = self.member_rows.get(row.key)
        if first:
            self._error(source, number, _("The user name %(username)s is already used in %(source)s, row %(row)d."),
                        username=username, source=first.source, row=first.row)
            return
        self.member_rows[row.key] = row

    def _required(self, source: str, number: int, **values: str) -> None:
        for key, value in values.items():
            if not value:
                self._error(source, number, _("%(column)s is required."), column=_HEADERS[key])

    def _max_length(self, source: str, number: int, *pairs: tuple[str, int]) -> None:
        for value, limit in pairs:
            if len(value) > limit:
                self._error(source, number, _("%(value)s is longer than %(limit)d characters."),
                            value=value, limit=limit)

    def _join_date(self, source: str, number: int, value: object) -> datetime.date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parsed = _date(value)
        if parsed is None:
            self._error(source, number, _("%(value)s is not a valid date; write it as one of %(examples)s."),
                        value=_text(value), examples=DATE_EXAMPLES)
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
            code = CATEGORY_LABELS.get(label) or label.casefold()
            if code in self.categories:
                ids.add(self.categories[code])
            else:
                self._error(source, number, _("Unknown member category %(value)s; use %(labels)s."),
                            value=label, labels="、".join(canonical_labels(CATEGORY_LABELS)))
        return ids

    # The organisation tree ----------------------------------------------------------------------

    def _load_organizations(self) -> None:
        """Existing organisations the import names, and all their ancestors (for the cycle check)."""
        codes = set()
        for row in self.org_rows.values():
            codes.update(filter(None, (row.code, row.parent_code)))
        codes.update(row.org_code for row in self.member_rows.values() if row.org_code)
        for chunk in _chunks(sorted(codes)):
            for org in Organization.objects.filter(code__in=chunk):
                self.existing[org.code.casefold()] = org
                self.by_id[org.pk] = org
        missing = {pk for org in self.by_id.values() for pk in ancestor_ids_from_path(org.path)} - self.by_id.keys()
        for chunk in _chunks(sorted(missing)):
            for org in Organization.objects.filter(pk__in=chunk):
                self.by_id[org.pk] = org
                self.existing.setdefault(org.code.casefold(), org)

    def _final_parent(self, key: str) -> str | None:
        """The parent's code key once the import is saved: the file's word, else the database's."""
        row = self.org_rows.get(key)
        if row is not None:
            return row.parent_key if row.parent_key in self.org_rows or row.parent_key in self.existing else None
        parent = self.by_id.get(self.existing[key].parent_id)
        return parent.code.casefold() if parent else None

    def _kind_of(self, key: str) -> str:
        row = self.org_rows.get(key)
        return row.kind if row is not None else self.existing[key].kind

    def _check_tree(self) -> dict[str, int]:
        """Check parents; return each imported organisation's depth in the resulting tree."""
        for row in self.org_rows.values():
            parent_key = row.parent_key
            if parent_key is None:
                continue
            if parent_key not in self.org_rows and parent_key not in self.existing:
                self._error(row.source, row.row, _(
                    "Unknown parent organisation %(code)s: it is neither in the import nor on the site."),
                    code=row.parent_code)
                continue
            parent_kind = self._kind_of(parent_key)
            if row.kind and parent_kind and row.kind not in ALLOWED_CHILDREN[parent_kind]:
                self._error(row.source, row.row, _("A %(kind)s cannot be placed under a %(parent_kind)s."),
                            kind=OrganizationKind(row.kind).label, parent_kind=OrganizationKind(parent_kind).label)
        depths: dict[str, int] = {}
        for start in self.org_rows:
            # Walk up from ``start`` until a root, a node of known depth, or a node already on the walk.
            chain: list[str] = []
            key: str | None = start
            while key is not None and key not in depths and key not in chain:
                chain.append(key)
                key = self._final_parent(key)
            if key is None:
                top = 0
            elif key in chain:
                self._cycle_errors(chain[chain.index(key):])
                top = IN_CYCLE
            else:
                top = IN_CYCLE if depths[key] == IN_CYCLE else depths[key] + 1
            for offset, node in enumerate(reversed(chain)):
                depths[node] = IN_CYCLE if top == IN_CYCLE else top + offset
        for key, row in self.org_rows.items():
            if depths[key] > MAX_DEPTH:
                self._error(row.source, row.row, _("The organisation tree cannot be deeper than %(levels)d levels."),
                            levels=MAX_DEPTH + 1)
        return depths

    def _cycle_errors(self, cycle: list[str]) -> None:
        codes = [self.org_rows[k].code if k in self.org_rows else self.existing[k].code for k in cycle]
        for index, key in enumerate(cycle):
            row = self.org_rows.get(key)
            if row is not None:
                # Shown from the row's own code round to it again.
                around = codes[index:] + codes[:index + 1]
                self._error(row.source, row.row, _(
                    "The parent codes form a cycle (%(cycle)s): an organisation cannot be placed under itself."),
                    cycle=" → ".join(around))

    def _check_members(self) -> None:
        known = self.org_rows.keys() | self.existing.keys()
        for row in self.member_rows.values():
            if row.org_code and row.org_code.casefold() not in known:
                self._error(row.source, row.row, _(
                    "Unknown organisation %(code)s: it is neither in the import nor on the site."), code=row.org_code)
        User = get_user_model()
        for chunk in _chunks(sorted(self.member_rows)):
            users = User.objects.filter(username__in=[self.member_rows[k].username for k in chunk])
            for pk, username, email in users.values_list("pk", "username", "email"):
                self.users[username.casefold()] = (pk, email)
        emails: dict[str, set[str]] = {}
        wanted = sorted({row.email.casefold(): row.email for row in self.member_rows.values() if row.email}.values())
        for chunk in _chunks(wanted):
            for username, email in User.objects.filter(email__in=chunk).values_list("username", "email"):
                emails.setdefault(email.casefold(), set()).add(username)
        seen_emails: dict[str, _MemberRow] = {}
        for row in self.member_rows.values():
            if not row.email:
                continue
            first = seen_emails.setdefault(row.email.casefold(), row)
            if first is not row:
                self._error(row.source, row.row, _("The email %(email)s is already used in %(source)s, row %(row)d."),
                            email=row.email, source=first.source, row=first.row)
            others = sorted(name for name in emails.get(row.email.casefold(), ()) if name.casefold() != row.key)
            if others:
                self._error(row.source, row.row, _("The email %(email)s belongs to another user (%(username)s)."),
                            email=row.email, username=others[0])
        for chunk in _chunks(sorted(pk for pk, _email in self.users.values())):
            for user_id, *values in MemberProfile.objects.filter(user_id__in=chunk).values_list(
                    "user_id", "pk", *PROFILE_FIELDS):
                self.profiles[user_id] = _Profile(*values)

    def organization_counts(self) -> tuple[int, int]:
        updated = sum(1 for key in self.org_rows if key in self.existing)
        return len(self.org_rows) - updated, updated

    def member_counts(self) -> tuple[int, int]:
        updated = sum(1 for key in self.member_rows if key in self.users and self.users[key][0] in self.profiles)
        return len(self.member_rows) - updated, updated

    # Writing ----------------------------------------------------------------------------------

    def write(self) -> None:
        self._write_organizations()
        self.progress.add(len(self.org_rows))
        self._write_members()

    def _write_organizations(self) -> None:
        orgs = dict(self.existing)
        renamed = []
        # Parents before children: a new organisation's parent must exist before it.
        for key in sorted(self.org_rows, key=self.depths.__getitem__):
            row = self.org_rows[key]
            parent = orgs[row.parent_key] if row.parent_key else None
            org = orgs.get(key)
            if org is None or org.parent_id != (parent.pk if parent else None):
                org = org or Organization(code=row.code)
                org.name, org.kind, org.parent = row.name, row.kind, parent
                try:
                    orgs[key] = save_organization(org)
                except ValidationError as exc:
                    # Moving an organisation can push its (unlisted) descendants too deep.
                    raise _Refused(RowError(row.source, row.row, " ".join(exc.messages))) from exc
            elif (org.name, org.kind) != (row.name, row.kind):
                org.name, org.kind = row.name, row.kind
                renamed.append(org)
        _bulk_update(Organization, renamed, "name", "kind")
        self.existing = orgs

    def _write_members(self) -> None:
        """Users, then profiles, then category links; a member counts as written with its profile."""
        User = get_user_model()
        rows = list(self.member_rows.values())
        # What make_password(None) makes (a random unusable password), a hundred times faster.
        new_users = (User(username=row.username, email=row.email,
                          password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30))
                     for row in rows if row.key not in self.users)
        created = _bulk_create(User, new_users, keep=lambda user: (user.pk, user.username, user.email))
        if not connection.features.can_return_rows_from_bulk_insert:
            # MySQL does not return the new keys: read them back.
            created = [user for chunk in _chunks([username for _pk, username, _email in created])
                       for user in User.objects.filter(username__in=chunk).values_list("pk", "username", "email")]
        self.users.update({username.casefold(): (pk, email) for pk, username, email in created})
        changed_emails = [User(pk=self.users[row.key][0], email=row.email) for row in rows
                          if row.email and self.users[row.key][1] != row.email]
        _bulk_update(User, changed_emails, "email")

        new_profiles, changed_profiles = [], defaultdict(list)
        for row in rows:
            user_id = self.users[row.key][0]
            values = dict(zip(PROFILE_FIELDS, (self.existing[row.org_code.casefold()].pk, row.full_name,
                                               row.join_date, row.position)))
            profile = self.profiles.get(user_id)
            if profile is None:
                new_profiles.append((user_id, values))
                continue
            changed = tuple(name for name in PROFILE_FIELDS if getattr(profile, name) != values[name])
            if changed:
                changed_profiles[changed].append(MemberProfile(pk=profile.pk, user_id=user_id, **values))
        new_profile_ids = dict(_bulk_create(
            MemberProfile, (MemberProfile(user_id=user_id, **values) for user_id, values in new_profiles),
            keep=lambda profile: (profile.user_id, profile.pk), written=self.progress.add))
        if not connection.features.can_return_rows_from_bulk_insert:
            new_profile_ids = dict(pair for chunk in _chunks(list(new_profile_ids))
                                   for pair in MemberProfile.objects.filter(user_id__in=chunk).values_list(
                                       "user_id", "pk"))
        for fields, profiles in changed_profiles.items():
            _bulk_update(MemberProfile, profiles, *fields)
        self.progress.add(len(rows) - len(new_profiles))
        self._write_categories(rows, new_profile_ids)

    def _write_categories(self, rows: Sequence[_MemberRow], new_profile_ids: dict[int, int]) -> None:
        """Make each member's categories those of the file: insert the missing links, delete the others."""
        through = MemberProfile.categories.through
        wanted = {}
        for row in rows:
            user_id = self.users[row.key][0]
            profile_id = new_profile_ids.get(user_id) or self.profiles[user_id].pk
            wanted[profile_id] = row.category_ids
        stale, current = [], {}
        for chunk in _chunks(sorted(profile.pk for profile in self.profiles.values() if profile.pk in wanted)):
            for link_id, profile_id, category_id in through.objects.filter(memberprofile_id__in=chunk).values_list(
                    "pk", "memberprofile_id", "membercategory_id"):
                if category_id in wanted[profile_id]:
                    current.setdefault(profile_id, set()).add(category_id)
                else:
                    stale.append(link_id)
        for chunk in _chunks(stale):
            through.objects.filter(pk__in=chunk).delete()
        _bulk_create(through, (through(memberprofile_id=profile_id, membercategory_id=category_id)
                               for profile_id, category_ids in wanted.items()
                               for category_id in sorted(category_ids - current.get(profile_id, set()))))


def _bulk_create(model, objects: Iterable[Model], keep: Callable[[Model], K] | None = None,
                 written: Callable[[int], None] | None = None) -> list[K]:
    """Insert ``objects`` a batch at a time, returning ``keep(obj)`` of each once saved: only one batch of
    model instances is in memory at a time, however many rows the import has. ``written`` is told the
    size of each batch saved."""
    kept: list[K] = []
    batch: list[Model] = []

    def flush() -> None:
        model.objects.bulk_create(batch)
        if written:
            written(len(batch))
        if keep:
            kept.extend(map(keep, batch))
        batch.clear()

    for obj in objects:
        batch.append(obj)
        if len(batch) == BATCH_SIZE:
            flush()
    flush()
    return kept


def _bulk_update(model, objects: list, *fields: str) -> None:
    """bulk_update of only the fields that changed, in small batches: each batch is an UPDATE with one
    CASE per field, whose cost grows with the square of the batch size."""
    model.objects.bulk_update(objects, fields, batch_size=UPDATE_BATCH_SIZE)


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """Slices small enough for one ``IN (...)`` (SQLite allows 999 parameters per statement)."""
    size = connection.features.max_query_params or 5000
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _text(value: object) -> str:
    """A cell as text: spreadsheet numbers lose the ".0" they get when a code or name is typed as a number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: object) -> datetime.date | None:
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
    text = _text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None
