"""Compliance (core): a member's yearly total against the requirement of their categories, and the
summary of an organisation subtree, both derived from the ledger in one aggregate."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from .ledger import ZERO
from .models import HourEntry, HourSource, MemberCategory, MemberProfile, Organization
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


def compliance_summary(year: int, root: Organization | None = None) -> dict[int, ComplianceRow]:
    """Per organisation of the tree (or of ``root``'s subtree), counting its whole subtree: members, and
    members whose total for ``year`` reaches the highest yearly requirement of their categories.

    Three queries whatever the size. The database does the per-member work in one aggregate: the
    year's totals come from the covering index on (year, user, hours), are compared with each member's
    requirement, and are counted per organisation. Python only rolls those per-organisation counts up
    the materialized paths, so memory grows with the organisations, never with members or lines.
    """
    orgs = Organization.objects.all() if root is None else Organization.objects.filter(path__startswith=root.path)
    org_paths = dict(orgs.values_list("id", "path"))
    yearly = [(category.pk, category.yearly_hours) for category in MemberCategory.objects.all()]

    result: dict[int, ComplianceRow] = {pk: ComplianceRow(pk) for pk in org_paths}
    root_depth = len(ancestor_ids_from_path(root.path)) - 1 if root is not None else 0
    with connection.cursor() as cursor:
        cursor.execute(*_compliance_sql(year, yearly, root.path if root is not None else None))
        for org_id, members, compliant in cursor.fetchall():
            path = org_paths.get(org_id)
            if path is None:
                continue  # moved into the subtree after the organisations were read
            for ancestor_id in ancestor_ids_from_path(path)[root_depth:]:
                row = result[ancestor_id]
                row.members += members
                row.compliant += int(compliant)
    return result


def _compliance_sql(year: int, yearly: list[tuple[int, Decimal]], root_path: str | None) -> tuple[str, list]:
    """Members and compliant members per organisation, as one aggregate over derived tables.

    Raw SQL because the ORM cannot join a grouped subquery. Derived tables rather than correlated
    subqueries: MariaDB runs a correlated subquery once per member (3.3 s for 100,000 members) but
    groups a derived table in one index scan. Under a root, the totals are restricted to the subtree's
    members in the derived table itself, which keeps the lookups on the covering (year, user) index.
    """
    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    profiles, orgs, entries = table(MemberProfile), table(Organization), table(HourEntry)
    links = table(MemberProfile.categories.through)
    # Per-category yearly figures come from the model (rounded as members see them), as parameters.
    whens = " ".join("WHEN %s THEN CAST(%s AS DECIMAL(9, 1))" for _category in yearly)
    requirement = f"MAX(CASE membercategory_id {whens} ELSE 0 END)" if yearly else "0"
    requirement_params = [value for category_id, hours in yearly for value in (category_id, str(hours))]
    if root_path is None:
        members_join = entries_join = ""
        members_params = entries_params = []
    else:
        members_join = f"JOIN {orgs} o ON o.id = p.organization_id AND o.path LIKE %s"
        entries_join = (f"JOIN {profiles} p2 ON p2.user_id = e.user_id "
                        f"JOIN {orgs} o2 ON o2.id = p2.organization_id AND o2.path LIKE %s")
        members_params = entries_params = [root_path + "%"]
    sql = f"""
        SELECT p.organization_id, COUNT(*),
               SUM(CASE WHEN COALESCE(t.total, 0) >= COALESCE(r.required, 0) THEN 1 ELSE 0 END)
        FROM {profiles} p
        {members_join}
        LEFT JOIN (
            SELECT memberprofile_id, {requirement} AS required FROM {links} GROUP BY memberprofile_id
        ) r ON r.memberprofile_id = p.id
        LEFT JOIN (
            SELECT e.user_id, SUM(e.hours) AS total FROM {entries} e {entries_join}
            WHERE e.year = %s GROUP BY e.user_id
        ) t ON t.user_id = p.user_id
        GROUP BY p.organization_id
    """
    return sql, [*members_params, *requirement_params, *entries_params, year]
