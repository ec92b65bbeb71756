"""Roster import (roster): party organisations and members from XLSX or CSV files.

Every row of every file is checked first and all problems are reported together; only a
clean import is saved, in one transaction. Organisations are matched by code and members by
user name, so importing a file again updates instead of duplicating. The files are read into
tables (``tables``), each row checked (``checks``), checked against the database as a whole
(``plan``) and written in batches (``writes``).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from ..core import conf
from ..core.permissions import is_site_admin
from .plan import Plan
from .tables import RowBudget, RowError, Table, TooManyRows, read_tables
from .writes import PROGRESS_EVERY, Progress, WriteProgress, WriteRefused

__all__ = ["Progress", "RosterResult", "RowError", "can_import_roster", "import_roster", "import_roster_files",
           "rows_exceed"]


def can_import_roster(user) -> bool:
    """Site admins who may also create and change organisations, members and users in the admin."""
    user_opts = get_user_model()._meta
    return is_site_admin(user) and user.has_perms([
        "party_training.add_organization", "party_training.change_organization",
        "party_training.add_memberprofile", "party_training.change_memberprofile",
        f"{user_opts.app_label}.add_{user_opts.model_name}", f"{user_opts.app_label}.change_{user_opts.model_name}",
    ])


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
    if not result.errors and budget.used == 0:
        # A header and nothing below it is a wrong file (or an unsaved one), not a successful import.
        result.errors += [RowError(name, None, _("The file has no data rows below its header; nothing was imported."))
                          for name in sources]
        return result
    if progress:
        progress(budget.used, 0)
    try:
        with transaction.atomic():
            plan = Plan(tables, WriteProgress(budget.used, progress))
            tables.clear()  # the plan holds what it needs: let the raw cells go before the writes
            result.errors += plan.errors
            result.organizations_created, result.organizations_updated = plan.organization_counts()
            result.members_created, result.members_updated = plan.member_counts()
            if result.errors or dry_run:
                return _sorted(result, sources)
            plan.write()
    except WriteRefused as exc:
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


def _sorted(result: RosterResult, sources: list[str]) -> RosterResult:
    """Errors in file order, then row order (a row's own errors keep the order they were found in)."""
    def key(error: RowError) -> tuple[int, int]:
        file_index = next((i for i, name in enumerate(sources) if error.source.startswith(name)), len(sources))
        return file_index, error.row or 0

    result.errors.sort(key=key)
    return result
