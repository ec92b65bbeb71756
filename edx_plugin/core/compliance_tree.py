"""The compliance drill-down (core): for one organisation (or the top of what an admin sees), one row
per child organisation counting its whole subtree — members, members meeting the year's requirement,
the median of hours per member, members behind and how far, hours by source — plus the members
directly in the organisation, the histogram of hours per member, and the registered extra columns
(``ComplianceColumn``). Two queries for the figures whatever the size (see ``compliance`` for the
query's design): the per-member table grouped by (row, total), so Python works on at most one line per
distinct total of a row, never per ledger line."""
from __future__ import annotations

from collections.abc import Iterator
from operator import add
from dataclasses import dataclass, field
from decimal import Decimal

from .compliance import SOURCE_KINDS, member_figures, member_sql
from .ledger import ZERO
from .models import HourSource, Organization
from .organizations import SEGMENT
from .registry import registry

CENT = Decimal("0.01")
BIN_WIDTHS = (1, 2, 4, 8, 16, 32, 64, 128)
MAX_BINS = 12


def hours(value) -> Decimal:
    """A figure of hours as the pages and the API show it: a decimal with two places."""
    return Decimal(str(value or 0)).quantize(CENT)


@dataclass
class Figures:
    """What a row counts over its subtree; ``totals`` is (total, members) per distinct total."""

    members: int = 0
    compliant: int = 0
    shortfall: Decimal = ZERO
    by_source: dict[str, Decimal] = field(default_factory=dict)
    totals: dict[Decimal, int] = field(default_factory=dict)

    def add(self, total: Decimal, members: int, compliant: int, shortfall: Decimal, sources: list) -> None:
        self.members += members
        self.compliant += compliant
        self.shortfall += shortfall
        self.totals[total] = self.totals.get(total, 0) + members
        for kind, value in zip(SOURCE_KINDS, sources):
            if value:
                self.by_source[kind] = self.by_source.get(kind, ZERO) + value

    def merge(self, other: "Figures") -> None:
        self.members += other.members
        self.compliant += other.compliant
        self.shortfall += other.shortfall
        for total, count in other.totals.items():
            self.totals[total] = self.totals.get(total, 0) + count
        for kind, value in other.by_source.items():
            self.by_source[kind] = self.by_source.get(kind, ZERO) + value

    @property
    def behind(self) -> int:
        return self.members - self.compliant

    @property
    def percent(self) -> float:
        return round(self.compliant * 100.0 / self.members, 1) if self.members else 0.0

    @property
    def median(self) -> Decimal:
        """The median of the members' totals (the mean of the two middle ones for an even count)."""
        if not self.members:
            return hours(0)
        middle = [(self.members - 1) // 2, self.members // 2]
        found, seen = [], 0
        for total in sorted(self.totals):
            count = self.totals[total]
            while middle and middle[0] < seen + count:
                found.append(total)
                middle.pop(0)
            seen += count
        return hours(sum(found, ZERO) / len(found))

    @property
    def average_shortfall(self) -> Decimal:
        return hours(self.shortfall / self.behind) if self.behind else hours(0)


@dataclass
class TreeRow:
    organization: Organization | None  # None: the members placed directly in the organisation shown
    figures: Figures
    extra: list = field(default_factory=list)


@dataclass
class ComplianceTree:
    year: int
    node: Organization | None
    rows: list[TreeRow]
    whole: Figures
    columns: list  # registered ComplianceColumn labels, in order

    def histogram(self) -> list[tuple[str, int]]:
        """(label, members) per bin of hours: bins of 1, 2, 4 … hours, at most MAX_BINS."""
        if not self.whole.totals:
            return []
        top = max(self.whole.totals)
        width = next((w for w in BIN_WIDTHS if top / w < MAX_BINS), BIN_WIDTHS[-1])
        bins = [0] * (int(top // width) + 1)
        for total, count in self.whole.totals.items():
            bins[min(len(bins) - 1, int(total // width))] += count
        return [(f"{n * width}–{(n + 1) * width}", count) for n, count in enumerate(bins)]

    def sources(self) -> list[tuple[str, str]]:
        """(kind, label) of the sources with hours somewhere in the rows, in the ledger's order."""
        return [(kind, str(HourSource(kind).label)) for kind in SOURCE_KINDS if kind in self.whole.by_source]


def _grouped(year: int, root_path: str | None, prefix_length: int, category_id: int | None) -> Iterator[tuple]:
    """(row path, total, members, compliant, shortfall, hours per source) per row of the drill-down (an
    organisation path cut to ``prefix_length``) and distinct total: the members streamed from
    ``member_sql`` (see ``compliance`` for the design) and added up here, in hundredths of an hour."""
    orgs = Organization.objects.all() if root_path is None else Organization.objects.filter(path__startswith=root_path)
    row_of = {pk: path[:prefix_length] for pk, path in orgs.values_list("id", "path")}
    groups: dict[tuple[str, int], list[int]] = {}
    by_row: dict[str, list[int]] = {}
    for org_id, total, required, *sources in member_figures(*member_sql(
            year, root_path=root_path, category_id=category_id, sources=True)):
        branch = row_of.get(org_id, "")
        group = groups.get((branch, total))
        if group is None:
            groups[(branch, total)] = group = [0, 0, 0]
        group[0] += 1
        if total >= required:
            group[1] += 1
        else:
            group[2] += required - total
        row = by_row.get(branch)
        by_row[branch] = sources if row is None else list(map(add, row, sources))
    zero = [0] * len(SOURCE_KINDS)
    seen = set()
    for (branch, total), (members, compliant, shortfall) in groups.items():
        # A row's hours by source go with its first group (they add up per row, not per total).
        sources = zero if branch in seen else by_row[branch]
        seen.add(branch)
        yield branch, _hours(total), members, compliant, _hours(shortfall), [_hours(value) for value in sources]


def _hours(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def compliance_tree(year: int, node: Organization | None, tops: list[Organization],
                    category_id: int | None = None) -> ComplianceTree:
    """The drill-down of ``node``'s children, or, when ``node`` is None, of ``tops`` (the roots an admin
    sees: every root for a site admin, the administered organisations for an organisation admin).
    A site admin's top view (``tops`` are all the roots) reads the whole tree in one pass."""
    if node is not None:
        children = list(Organization.objects.filter(parent=node).order_by("name", "pk"))
        passes = [(node.path, len(node.path) + SEGMENT)]
    else:
        children = sorted(tops, key=lambda org: (org.path))
        whole_tree = all(org.parent_id is None for org in children)
        passes = ([(None, SEGMENT)] if whole_tree
                  else [(org.path, len(org.path)) for org in _outermost(children)])
    by_path = {org.path: Figures() for org in children}
    direct = Figures()
    for root_path, prefix_length in passes:
        for branch, total, members, compliant, shortfall, sources in _grouped(year, root_path, prefix_length,
                                                                               category_id):
            target = by_path.get(branch)
            if target is None and node is not None and branch == node.path:
                target = direct
            if target is not None:
                target.add(total, members, compliant, shortfall, sources)
    whole = Figures()
    rows = [TreeRow(organization=org, figures=by_path[org.path]) for org in children]
    for row in rows:
        whole.merge(row.figures)
    if direct.members:
        rows.insert(0, TreeRow(organization=None, figures=direct))
        whole.merge(direct)
    columns = registry.compliance_columns()
    org_ids = [row.organization.pk for row in rows if row.organization is not None]
    for column in columns:
        values = column.values(org_ids, year) if org_ids else {}
        for row in rows:
            row.extra.append(values.get(row.organization.pk) if row.organization is not None else None)
    return ComplianceTree(year=year, node=node, rows=rows, whole=whole, columns=[str(c.label) for c in columns])


def _outermost(orgs: list[Organization]) -> list[Organization]:
    """The organisations not inside another one of the list (an admin of a committee and of one of its
    branches sees the committee's subtree once)."""
    return [org for org in orgs if not any(o is not org and org.path.startswith(o.path) for o in orgs)]


@dataclass
class MemberRow:
    username: str
    full_name: str
    organization: str
    total: Decimal
    required: Decimal
    by_source: dict[str, Decimal]

    @property
    def shortfall(self) -> Decimal:
        return max(hours(0), hours(self.required - self.total))

    @property
    def met(self) -> bool:
        return self.total >= self.required


def member_rows(year: int, *, root_path: str | None = None, organization_id: int | None = None,
                category_id: int | None = None, limit: int | None = None, behind_first: bool = False) -> Iterator[MemberRow]:
    """Members (of a subtree, or directly in one organisation) with their totals, one query, streamed in
    chunks: the export of 100,000 members never holds them all as Python objects."""
    order = ("ORDER BY (required - total) DESC, u.username" if behind_first else "ORDER BY o.path, u.username")
    if limit is not None:
        order += f" LIMIT {int(limit)}"
    sql, params = member_sql(year, root_path=root_path, organization_id=organization_id, category_id=category_id,
                             sources=True, names=True, order=order)
    width = len(SOURCE_KINDS)
    for _org_id, total, required, *rest in member_figures(sql, params):
        by_source, (username, full_name, org_name) = rest[:width], rest[width:]
        yield MemberRow(username=username, full_name=full_name, organization=org_name, total=_hours(total),
                        required=_hours(required),
                        by_source={k: _hours(v) for k, v in zip(SOURCE_KINDS, by_source) if v})
