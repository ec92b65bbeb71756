"""Compliance (core): a member's yearly total against the requirement of their categories, and the
summary of an organisation subtree, both derived from the ledger in one aggregate."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from .ledger import ZERO
from .models import HourEntry, HourSource, MemberCategory, MemberProfile, MemberYearHours, Organization
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
# grouped ledger (0.9 s), depending on the ``split_materialized`` switch. So:
#
# 1. the ledger is summed once, when a line is written: ``MemberYearHours`` holds a member's hours of a
#    year by source, updated in the transaction of each line (an upsert, safe under concurrency); at
#    most one row per source, so at most nine rows per member and year, read from a covering index;
# 2. the query reads members, not lines: ``member_sql`` is one row per member (profile → organisation
#    by primary key → that member's year rows by index range → the requirement, the highest of the
#    member's categories, from the category links by primary key), grouped by the member;
# 3. the outer query groups that derived table, which is its only table: with nothing to join it to,
#    there is no lateral split to choose, and no correlated lookup into the ledger. Under a root the
#    members come from the organisation path index (``path LIKE 'root%'``), so one branch reads its own
#    members only.
# Every step is a full scan of the members or a primary-key/index-range lookup per member: linear in
# the members asked about, whatever the optimiser decides (EXPLAIN in tests/benchmarks/bench_compliance.py).
SOURCE_KINDS = [kind for kind in HourSource.values if kind != HourSource.CORRECTION]


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def member_sql(year: int, *, root_path: str | None, prefix_length: int, category_id: int | None,
                organization_id: int | None = None) -> tuple[str, list]:
    """One row per member (of the subtree of ``root_path``, of ``category_id``, directly in
    ``organization_id``): user id, profile id, organisation id, the organisation path cut to
    ``prefix_length`` (which row of a drill-down the member counts in), the year's total, the hours
    of each source in ``SOURCE_KINDS`` order, and the yearly requirement."""
    profiles, orgs, year_hours = table(MemberProfile), table(Organization), table(MemberYearHours)
    links = table(MemberProfile.categories.through)
    yearly = [(category.pk, category.yearly_hours) for category in MemberCategory.objects.all()]
    whens = " ".join("WHEN %s THEN CAST(%s AS DECIMAL(9, 1))" for _category in yearly)
    requirement = (f"(SELECT MAX(CASE l.membercategory_id {whens} ELSE 0 END) FROM {links} l "
                   "WHERE l.memberprofile_id = p.id)") if yearly else "0"
    requirement_params = [value for category_id_, hours in yearly for value in (category_id_, str(hours))]
    by_source = ", ".join(f"COALESCE(SUM(CASE WHEN h.source_kind = %s THEN h.hours END), 0) AS s{n}"
                          for n in range(len(SOURCE_KINDS)))
    where, where_params = [], []
    if root_path is not None:
        where.append("o.path LIKE %s")
        where_params.append(root_path + "%")
    if organization_id is not None:
        where.append("p.organization_id = %s")
        where_params.append(organization_id)
    category_join = ""
    if category_id is not None:
        # (memberprofile_id, membercategory_id) is unique: the join never multiplies a member's rows.
        category_join = f"JOIN {links} lc ON lc.memberprofile_id = p.id AND lc.membercategory_id = %s"
    sql = f"""
        SELECT p.user_id AS user_id, p.id AS profile_id, p.organization_id AS org_id,
               SUBSTR(o.path, 1, %s) AS branch, COALESCE(SUM(h.hours), 0) AS total, {by_source},
               {requirement} AS required
        FROM {profiles} p
        JOIN {orgs} o ON o.id = p.organization_id
        {category_join}
        LEFT JOIN {year_hours} h ON h.user_id = p.user_id AND h.year = %s
        {"WHERE " + " AND ".join(where) if where else ""}
        GROUP BY p.id, p.user_id, p.organization_id, o.path
    """
    params = [prefix_length, *SOURCE_KINDS, *requirement_params,
              *([category_id] if category_id is not None else []), year, *where_params]
    return sql, params


def compliance_summary(year: int, root: Organization | None = None) -> dict[int, ComplianceRow]:
    """Per organisation of the tree (or of ``root``'s subtree), counting its whole subtree: members, and
    members whose total for ``year`` reaches the highest yearly requirement of their categories.

    Three queries whatever the size (organisations, categories, the aggregate; see the design above).
    Python only rolls the per-organisation counts up the materialized paths, so memory grows with the
    organisations, never with members or lines.
    """
    orgs = Organization.objects.all() if root is None else Organization.objects.filter(path__startswith=root.path)
    org_paths = dict(orgs.values_list("id", "path"))
    result: dict[int, ComplianceRow] = {pk: ComplianceRow(pk) for pk in org_paths}
    root_depth = len(ancestor_ids_from_path(root.path)) - 1 if root is not None else 0
    members_sql, params = member_sql(year, root_path=root.path if root is not None else None, prefix_length=0,
                                      category_id=None)
    sql = f"""SELECT m.org_id, COUNT(*), SUM(CASE WHEN m.total >= COALESCE(m.required, 0) THEN 1 ELSE 0 END)
              FROM ({members_sql}) m GROUP BY m.org_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for org_id, members, compliant in cursor.fetchall():
            path = org_paths.get(org_id)
            if path is None:
                continue  # moved into the subtree after the organisations were read
            for ancestor_id in ancestor_ids_from_path(path)[root_depth:]:
                row = result[ancestor_id]
                row.members += members
                row.compliant += int(compliant)
    return result


def rebuild_member_year_hours() -> None:
    """Recompute every ``MemberYearHours`` row from the ledger (after a bulk load that bypassed
    ``HourEntry.save``; the migration that added the table runs the same SQL)."""
    entries, year_hours = table(HourEntry), table(MemberYearHours)
    sql = f"""INSERT INTO {year_hours} (user_id, year, source_kind, hours)
              SELECT e.user_id, e.year, CASE WHEN e.source_kind = 'correction' THEN r.source_kind
                                             ELSE e.source_kind END AS kind, SUM(e.hours)
              FROM {entries} e LEFT JOIN {entries} r ON r.id = e.reverses_id
              GROUP BY e.user_id, e.year, kind"""
    with transaction.atomic():
        with connection.cursor() as own:
            own.execute(f"DELETE FROM {year_hours}")
            own.execute(sql)
