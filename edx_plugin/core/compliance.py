"""Compliance (core): a member's yearly total against the requirement of their categories, and the
summary of an organisation subtree, both derived from the ledger in one aggregate."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from .ledger import ZERO
from .models import (YEAR_HOURS_SOURCES, HourEntry, HourSource, MemberCategory, MemberProfile, MemberYearHours,
                     Organization)
from .organizations import ancestor_ids_from_path


def yearly_requirement(profile: MemberProfile | None) -> Decimal:
    """Hours a member must reach in one year: the highest of their categories' yearly figures."""
    if profile is None:
        return ZERO
    return max((c.yearly_hours for c in profile.categories.all()), default=ZERO)


@dataclass
class HoursSummary:
    year: int
    total: Decimal
    required: Decimal
    by_source: list[tuple[str, str, Decimal]]  # (kind, label, hours)

    @property
    def percent(self) -> int:
        if self.required <= 0:
            return 100
        return min(100, int(self.total * 100 / self.required))

    @property
    def met(self) -> bool:
        return self.total >= self.required

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.required - self.total)


_NOT_LOADED = object()


def summary_for_user(user, year: int | None = None, profile=_NOT_LOADED) -> HoursSummary:
    """This year's hours by source against the member's requirement (three queries; one when the
    caller passes the member's profile with its categories already loaded)."""
    year = year or timezone.localdate().year
    rows = (
        HourEntry.objects.filter(user=user, year=year).order_by()
        .values("source_kind", "reverses__source_kind").annotate(total=Sum("hours"))
    )
    totals: dict[str, Decimal] = {}
    for row in rows:
        # Corrections are shown against the source they correct.
        kind = row["reverses__source_kind"] if row["source_kind"] == HourSource.CORRECTION else row["source_kind"]
        totals[kind] = totals.get(kind, ZERO) + (row["total"] or ZERO)
    if profile is _NOT_LOADED:
        profile = MemberProfile.objects.filter(user=user).prefetch_related("categories").first()
    by_source = [(kind, str(label), totals[kind]) for kind, label in HourSource.choices if totals.get(kind)]
    total = sum((hours for _kind, _label, hours in by_source), ZERO)
    return HoursSummary(year=year, total=total, required=yearly_requirement(profile), by_source=by_source)


@dataclass
class ComplianceRow:
    organization_id: int
    members: int = 0
    compliant: int = 0

    @property
    def percent(self) -> float:
        return round(self.compliant * 100.0 / self.members, 1) if self.members else 0.0


# --- the compliance query --------------------------------------------------------------------------
# Design (issue 16): the query must cost the same whatever plan the optimiser picks. Aggregating the
# ledger (2,000,000 lines) per member inside the query gave MariaDB a choice: a LATERAL DERIVED table
# with one index dive per member over the ledger's 370 MiB index (3.8 s), or materialising the
# grouped ledger (0.9 s), depending on the ``split_materialized`` switch. Measured alternatives with the
# ledger summed ahead (below) still spent most of their time in MariaDB's GROUP BY temporary tables
# (1.8 s for the whole tree's drill-down grouped in SQL against 0.4 s streamed; tests/benchmarks). So:
#
# 1. the ledger is summed once, when a line is written: ``MemberYearHours`` holds a member's hours of a
#    year, in total and by source, in one row updated in the transaction of each line (an upsert, safe
#    under concurrency);
# 2. the query reads members, not lines, and neither groups nor joins a derived table: profile → the
#    member's row of the year (unique key, at most one row) → the requirement, the highest of the
#    member's categories (a lookup on the category links' unique key). With nothing to group, split or
#    materialise there is no plan to choose between: a scan of the members asked about (all of them, or
#    those of a subtree through the organisation path index) and unique-key lookups per member;
# 3. figures come back as whole hundredths (integers, cheap to read) in chunks, and Python adds them up
#    per organisation row: memory holds one chunk and one counter per (row, distinct total), never the
#    members or the lines.
# EXPLAIN of the query is printed by tests/benchmarks/bench_compliance.py.
SOURCE_KINDS = YEAR_HOURS_SOURCES
CHUNK = 5000


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _cents(expression: str) -> str:
    """``expression`` (hours) as a whole number of hundredths."""
    integer = "SIGNED" if connection.vendor == "mysql" else "INTEGER"
    return f"CAST(ROUND(({expression}) * 100) AS {integer})"


def member_sql(year: int, *, root_path: str | None = None, category_id: int | None = None,
               organization_id: int | None = None, sources: bool = False, names: bool = False,
               order: str = "") -> tuple[str, list]:
    """One row per member (of the subtree of ``root_path``, of ``category_id``, directly in
    ``organization_id``): organisation id, the year's total and the yearly requirement (hundredths of
    an hour), then with ``sources`` the hours of each source in ``SOURCE_KINDS`` order (hundredths),
    then with ``names`` the user name, full name and organisation name."""
    profiles, orgs, year_hours = table(MemberProfile), table(Organization), table(MemberYearHours)
    links = table(MemberProfile.categories.through)
    yearly = [(category.pk, int(category.yearly_hours * 100)) for category in MemberCategory.objects.all()]
    whens = " ".join("WHEN %s THEN %s" for _category in yearly)
    requirement = (f"COALESCE((SELECT MAX(CASE l.membercategory_id {whens} ELSE 0 END) FROM {links} l "
                   "WHERE l.memberprofile_id = p.id), 0)") if yearly else "0"
    columns = ["p.organization_id", _cents("COALESCE(y.hours, 0)") + " AS total", requirement + " AS required"]
    params: list = [value for pair in yearly for value in pair]
    if sources:
        columns += [_cents(f"COALESCE(y.{kind}, 0)") for kind in SOURCE_KINDS]
    joins, join_params, where, where_params = [], [], [], []
    if names:
        columns += ["u.username", "p.full_name", "o.name"]
        joins.append(f"JOIN {table(MemberProfile.user.field.related_model)} u ON u.id = p.user_id")
    if names or root_path is not None or order:
        joins.append(f"JOIN {orgs} o ON o.id = p.organization_id")
    if category_id is not None:
        # (memberprofile_id, membercategory_id) is unique: the join never multiplies a member's rows.
        joins.append(f"JOIN {links} lc ON lc.memberprofile_id = p.id AND lc.membercategory_id = %s")
        join_params.append(category_id)
    if root_path is not None:
        where.append("o.path LIKE %s")
        where_params.append(root_path + "%")
    if organization_id is not None:
        where.append("p.organization_id = %s")
        where_params.append(organization_id)
    sql = (f"SELECT {', '.join(columns)} FROM {profiles} p {' '.join(joins)} "
           f"LEFT JOIN {year_hours} y ON y.user_id = p.user_id AND y.year = %s "
           f"{'WHERE ' + ' AND '.join(where) if where else ''} {order}")
    return sql, [*params, *join_params, year, *where_params]


def member_figures(sql: str, params: list):
    """The rows of ``member_sql``, streamed in chunks."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(CHUNK)
            if not rows:
                return
            yield from rows


def compliance_summary(year: int, root: Organization | None = None) -> dict[int, ComplianceRow]:
    """Per organisation of the tree (or of ``root``'s subtree), counting its whole subtree: members, and
    members whose total for ``year`` reaches the highest yearly requirement of their categories.

    Three queries whatever the size (organisations, categories, the members; see the design above).
    Python counts per organisation, then rolls the counts up the materialized paths.
    """
    orgs = Organization.objects.all() if root is None else Organization.objects.filter(path__startswith=root.path)
    org_paths = dict(orgs.values_list("id", "path"))
    result: dict[int, ComplianceRow] = {pk: ComplianceRow(pk) for pk in org_paths}
    root_depth = len(ancestor_ids_from_path(root.path)) - 1 if root is not None else 0
    counts: dict[int, list[int]] = {}
    for org_id, total, required in member_figures(*member_sql(year, root_path=root.path if root else None)):
        count = counts.get(org_id)
        if count is None:
            counts[org_id] = count = [0, 0]
        count[0] += 1
        if total >= required:
            count[1] += 1
    for org_id, (members, compliant) in counts.items():
        path = org_paths.get(org_id)
        if path is None:
            continue  # moved into the subtree after the organisations were read
        for ancestor_id in ancestor_ids_from_path(path)[root_depth:]:
            row = result[ancestor_id]
            row.members += members
            row.compliant += compliant
    return result


def year_hours_select(entries: str) -> str:
    """The SELECT that sums a ledger table into ``MemberYearHours`` rows (corrections count against the
    source of the line they reverse); also used by the migration that added the table."""
    kind = "CASE WHEN e.source_kind = 'correction' THEN r.source_kind ELSE e.source_kind END"
    sums = ", ".join(f"SUM(CASE WHEN {kind} = '{source}' THEN e.hours ELSE 0 END)" for source in SOURCE_KINDS)
    return (f"SELECT e.user_id, e.year, SUM(e.hours), {sums} FROM {entries} e "
            f"LEFT JOIN {entries} r ON r.id = e.reverses_id GROUP BY e.user_id, e.year")


def rebuild_member_year_hours() -> None:
    """Recompute every ``MemberYearHours`` row from the ledger (after a bulk load that bypassed
    ``HourEntry.save``)."""
    year_hours = table(MemberYearHours)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {year_hours}")
        cursor.execute(f"INSERT INTO {year_hours} (user_id, year, hours, {', '.join(SOURCE_KINDS)}) "
                       + year_hours_select(table(HourEntry)))
