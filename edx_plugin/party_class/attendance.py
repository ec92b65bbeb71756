"""Attendance of a party class (party_class) by organisation: who of the expected branches signed
in and who is missing, in a bounded number of queries, and the same report as an XLSX workbook
(through ``core.xlsx``)."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.models import MemberProfile, Organization
from ..core.organizations import subtree_of_many
from ..core.xlsx import Sheet, workbook_bytes
from .learners import display_name, profile_of
from .models import PartyClassSignIn
from .sign_in import method_label


@dataclass
class BranchRow:
    """One organisation of the report: how many were expected, who signed in, who is missing."""

    organization_id: int | None
    name: str
    depth: int = 0
    expected: int = 0
    signed: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)


@dataclass
class Attendance:
    rows: list[BranchRow]
    signed_total: int
    expected_total: int
    missing_total: int
    unknown_codes: list[str]

    def as_dict(self) -> dict:
        return {
            "signed_total": self.signed_total, "expected_total": self.expected_total,
            "missing_total": self.missing_total, "unknown_codes": self.unknown_codes,
            "rows": [{"organization_id": r.organization_id, "name": r.name, "depth": r.depth, "expected": r.expected,
                      "signed": r.signed, "missing": r.missing} for r in self.rows],
        }


def _person(user, profile) -> dict:
    return {"name": display_name(user, profile), "username": user.get_username(),
            "position": profile.position if profile else ""}


def expected_codes(values) -> list[str]:
    """The organisation codes an author listed, without blanks and non-texts."""
    return [str(c) for c in values if isinstance(c, str) and c.strip()]


def expected_count(codes: list[str]) -> int:
    """Members of the expected organisations and their subtrees (two queries; 0 when none is set)."""
    roots = list(Organization.objects.filter(code__in=codes)) if codes else []
    return MemberProfile.objects.filter(organization__in=subtree_of_many(roots)).count() if roots else 0


def attendance(usage_id: str, codes: list[str]) -> Attendance:
    """Who signed in and who is missing, by organisation (four queries whatever the size).

    Expected are the members of the organisations ``codes`` names, with their subtrees;
    learners who signed in without being expected are listed under their own organisation."""
    roots = list(Organization.objects.filter(code__in=codes)) if codes else []
    unknown = sorted(set(codes) - {o.code for o in roots})
    signins = list(PartyClassSignIn.objects.filter(usage_id=usage_id)
                   .select_related("user__party_profile__organization").order_by("created"))
    expected = []
    if roots:
        expected = list(MemberProfile.objects.filter(organization__in=subtree_of_many(roots))
                        .select_related("user", "organization").order_by("organization__path", "full_name"))
    rows: dict[int | None, BranchRow] = {}

    def row_for(org: Organization | None) -> BranchRow:
        key = org.pk if org else None
        if key not in rows:
            rows[key] = BranchRow(key, org.name if org else _("No organisation"), org.depth if org else 0)
        return rows[key]

    signed_ids = set()
    for signin in signins:
        profile = profile_of(signin.user)
        signed_ids.add(signin.user_id)
        person = _person(signin.user, profile)
        person.update({"method": signin.method, "method_label": method_label(signin.method),
                       "time": timezone.localtime(signin.created).strftime("%Y-%m-%d %H:%M:%S")})
        row_for(profile.organization if profile else None).signed.append(person)
    missing_total = 0
    for profile in expected:
        row = row_for(profile.organization)
        row.expected += 1
        if profile.user_id not in signed_ids:
            row.missing.append(_person(profile.user, profile))
            missing_total += 1
    order = {p.organization_id: p.organization.path for p in expected}
    ordered = sorted(rows.values(), key=lambda r: (r.organization_id is None, order.get(r.organization_id, "~"),
                                                   r.name))
    return Attendance(rows=ordered, signed_total=len(signins), expected_total=len(expected),
                      missing_total=missing_total, unknown_codes=unknown)


def attendance_xlsx(report: Attendance, title: str) -> bytes:
    """The attendance report as an XLSX workbook: summary by organisation, signed in, missing."""
    summary = [[row.name, row.expected, len(row.signed), len(row.missing)] for row in report.rows]
    summary.append([_("Total"), report.expected_total, report.signed_total, report.missing_total])
    signed = [[row.name, p["name"], p["username"], p["position"], p["method_label"], p["time"]]
              for row in report.rows for p in row.signed]
    missing = [[row.name, p["name"], p["username"], p["position"]] for row in report.rows for p in row.missing]
    people_widths = {1: 36, 2: 16, 3: 16}
    return workbook_bytes([
        Sheet(_("Summary"), [_("Organisation"), _("Expected"), _("Signed in"), _("Missing")], summary,
              widths={1: 36}, caption=title),
        Sheet(_("Signed in"), [_("Organisation"), _("Name"), _("User name"), _("Position"), _("Method"), _("Time")],
              signed, widths=people_widths),
        Sheet(_("Missing"), [_("Organisation"), _("Name"), _("User name"), _("Position")], missing,
              widths=people_widths),
    ])

