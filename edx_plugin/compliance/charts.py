"""The charts of the compliance drill-down (compliance), as data for Apache ECharts: coverage per
organisation (bars), the distribution of hours per member (histogram) and hours by source (stacked
bars). The page draws them with the ECharts file shipped in the wheel; the tables beside them hold
the same figures for those who read rather than look (and for screen readers)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from ..core.compliance_tree import ComplianceTree


def row_name(row) -> str:
    return row.organization.name if row.organization is not None else _("Members placed directly here")


def chart_data(tree: ComplianceTree) -> dict:
    names = [row_name(row) for row in tree.rows]
    histogram = tree.histogram()
    return {
        "labels": {"coverage": _("Members meeting the requirement (%)"), "members": _("Members"),
                   "hours": _("Hours"), "histogram": _("Hours per member")},
        "coverage": {"names": names, "values": [row.figures.percent for row in tree.rows]},
        "histogram": {"bins": [label for label, _count in histogram], "counts": [count for _label, count in histogram]},
        "sources": {"names": names, "series": [
            {"name": label, "values": [float(row.figures.by_source.get(kind, 0)) for row in tree.rows]}
            for kind, label in tree.sources()]},
    }
