"""Writing a checked roster import (roster): organisations, users, member profiles, categories.

Everything is written in batches (a bounded number of queries per thousand rows, never per
row), except that new or moved organisations go through ``core.organizations.save_organization``,
which keeps the materialized paths right. The caller holds the import's transaction.
"""
from __future__ import annotations

import datetime
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model

from ..core.models import MemberProfile, Organization
from ..core.organizations import save_organization
from .checks import MemberRow
from .tables import RowError

if TYPE_CHECKING:
    from .plan import Plan

# Rows per INSERT: small enough for MySQL's max_allowed_packet, big enough that 100,000 rows
# take a few hundred statements (SQLite's parameter limit makes its batches smaller still).
BATCH_SIZE = 1000
# Rows per bulk UPDATE (see bulk_update).
UPDATE_BATCH_SIZE = 200
# Rows between two progress reports: a report may write to the database, a row must not.
PROGRESS_EVERY = 1000
T = TypeVar("T")
K = TypeVar("K")
# progress(rows read, rows written). Rows are read before the import's transaction begins and
# written inside it, so a report of written rows comes from inside that transaction.
Progress = Callable[[int, int], None]


class Profile(NamedTuple):
    """An existing member profile, as far as the import compares it."""

    pk: int
    organization_id: int
    full_name: str
    join_date: datetime.date | None
    position: str


PROFILE_FIELDS = Profile._fields[1:]


class WriteProgress:
    """Counts the rows written (organisations, then members) and reports every ``PROGRESS_EVERY``."""

    def __init__(self, rows_read: int, progress: Progress | None):
        self.rows_read, self.progress, self.written, self.reported = rows_read, progress, 0, 0

    def add(self, rows: int) -> None:
        self.written += rows
        if self.progress and self.written - self.reported >= PROGRESS_EVERY:
            self.reported = self.written
            self.progress(self.rows_read, self.written)


class WriteRefused(Exception):
    """A write the checks could not foresee failed; the transaction is rolled back."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


def write_plan(plan: Plan) -> None:
    """Save a plan without errors: organisations (parents first), then members."""
    _write_organizations(plan)
    plan.progress.add(len(plan.org_rows))
    _write_members(plan)


def _write_organizations(plan: Plan) -> None:
    orgs = dict(plan.existing)
    renamed = []
    # Parents before children: a new organisation's parent must exist before it.
    for key in sorted(plan.org_rows, key=plan.depths.__getitem__):
        row = plan.org_rows[key]
        parent = orgs[row.parent_key] if row.parent_key else None
        org = orgs.get(key)
        if org is None or org.parent_id != (parent.pk if parent else None):
            org = org or Organization(code=row.code)
            org.name, org.kind, org.parent = row.name, row.kind, parent
            try:
                orgs[key] = save_organization(org)
            except ValidationError as exc:
                # Moving an organisation can push its (unlisted) descendants too deep.
                raise WriteRefused(RowError(row.source, row.row, " ".join(exc.messages))) from exc
        elif (org.name, org.kind) != (row.name, row.kind):
            org.name, org.kind = row.name, row.kind
            renamed.append(org)
    bulk_update(Organization, renamed, "name", "kind")
    plan.existing = orgs


def _write_members(plan: Plan) -> None:
    """Users, then profiles, then category links; a member counts as written with its profile."""
    User = get_user_model()
    rows = list(plan.member_rows.values())
    # What make_password(None) makes (a random unusable password), a hundred times faster.
    new_users = (User(username=row.username, email=row.email,
                      password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30))
                 for row in rows if row.key not in plan.users)
    created = bulk_create(User, new_users, keep=lambda user: (user.pk, user.username, user.email))
    if not connection.features.can_return_rows_from_bulk_insert:
        # MySQL does not return the new keys: read them back.
        created = [user for chunk in chunks([username for _pk, username, _email in created])
                   for user in User.objects.filter(username__in=chunk).values_list("pk", "username", "email")]
    plan.users.update({username.casefold(): (pk, email) for pk, username, email in created})
    changed_emails = [User(pk=plan.users[row.key][0], email=row.email) for row in rows
                      if row.email and plan.users[row.key][1] != row.email]
    bulk_update(User, changed_emails, "email")

    new_profiles, changed_profiles = [], defaultdict(list)
    for row in rows:
        user_id = plan.users[row.key][0]
        values = dict(zip(PROFILE_FIELDS, (plan.existing[row.org_code.casefold()].pk, row.full_name,
                                           row.join_date, row.position)))
        profile = plan.profiles.get(user_id)
        if profile is None:
            new_profiles.append((user_id, values))
            continue
        changed = tuple(name for name in PROFILE_FIELDS if getattr(profile, name) != values[name])
        if changed:
            changed_profiles[changed].append(MemberProfile(pk=profile.pk, user_id=user_id, **values))
    new_profile_ids = dict(bulk_create(
        MemberProfile, (MemberProfile(user_id=user_id, **values) for user_id, values in new_profiles),
        keep=lambda profile: (profile.user_id, profile.pk), written=plan.progress.add))
    if not connection.features.can_return_rows_from_bulk_insert:
        new_profile_ids = dict(pair for chunk in chunks(list(new_profile_ids))
                               for pair in MemberProfile.objects.filter(user_id__in=chunk).values_list(
                                   "user_id", "pk"))
    for fields, profiles in changed_profiles.items():
        bulk_update(MemberProfile, profiles, *fields)
    plan.progress.add(len(rows) - len(new_profiles))
    _write_categories(plan, rows, new_profile_ids)


def _write_categories(plan: Plan, rows: Sequence[MemberRow], new_profile_ids: dict[int, int]) -> None:
    """Make each member's categories those of the file: insert the missing links, delete the others."""
    through = MemberProfile.categories.through
    wanted = {}
    for row in rows:
        user_id = plan.users[row.key][0]
        profile_id = new_profile_ids.get(user_id) or plan.profiles[user_id].pk
        wanted[profile_id] = row.category_ids
    stale, current = [], {}
    for chunk in chunks(sorted(profile.pk for profile in plan.profiles.values() if profile.pk in wanted)):
        for link_id, profile_id, category_id in through.objects.filter(memberprofile_id__in=chunk).values_list(
                "pk", "memberprofile_id", "membercategory_id"):
            if category_id in wanted[profile_id]:
                current.setdefault(profile_id, set()).add(category_id)
            else:
                stale.append(link_id)
    for chunk in chunks(stale):
        through.objects.filter(pk__in=chunk).delete()
    bulk_create(through, (through(memberprofile_id=profile_id, membercategory_id=category_id)
                           for profile_id, category_ids in wanted.items()
                           for category_id in sorted(category_ids - current.get(profile_id, set()))))


def bulk_create(model, objects: Iterable[Model], keep: Callable[[Model], K] | None = None,
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


def bulk_update(model, objects: list, *fields: str) -> None:
    """bulk_update of only the fields that changed, in small batches: each batch is an UPDATE with one
    CASE per field, whose cost grows with the square of the batch size."""
    model.objects.bulk_update(objects, fields, batch_size=UPDATE_BATCH_SIZE)


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """Slices small enough for one ``IN (...)`` (SQLite allows 999 parameters per statement)."""
    size = connection.features.max_query_params or 5000
    for start in range(0, len(items), size):
        yield items[start:start + size]
