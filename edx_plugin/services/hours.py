"""The credit-hours ledger: the one place that writes hours, and the derived totals."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from ..models import HourEntry, HourSource, MemberCategory, MemberProfile, Organization
from .organizations import ancestor_ids_from_path

ZERO = Decimal("0")


class HoursError(ValueError):
    """Bad input to the ledger; the message is translated and safe to show."""


def _key(user_id: int, source_kind: str, source_ref: str) -> str:
    return f"{source_kind}:{user_id}:{source_ref}"[:255]


def credit_hours(
    user, hours, source_kind: str, source_ref: str, *, date: datetime.date | None = None,
    course_id: str = "", usage_id: str = "", recorded_by=None, note: str = "",
) -> tuple[HourEntry, bool]:
    """Credit ``hours`` to ``user`` for one source. Idempotent per (user, source_kind, source_ref):
    a second call, even concurrent, returns the existing line and ``created=False``."""
    from django.utils.translation import gettext as _  # pylint: disable=import-outside-toplevel

    hours = Decimal(str(hours))
    if hours <= 0 or hours > Decimal("1000"):
        raise HoursError(_("Hours must be greater than 0 and at most 1000."))
    if source_kind not in HourSource.values or source_kind == HourSource.CORRECTION:
        raise HoursError(_("Unknown source of hours."))
    if not source_ref:
        raise HoursError(_("A source reference is required so that hours are never credited twice."))
    date = date or timezone.localdate()
    key = _key(user.pk, source_kind, source_ref)
    existing = HourEntry.objects.filter(idempotency_key=key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            entry = HourEntry(
                user=user, year=date.year, hours=hours, source_kind=source_kind, source_ref=source_ref[:255],
                course_id=course_id, usage_id=usage_id, date=date, recorded_by=recorded_by, note=note[:500],
                idempotency_key=key,
            )
            entry.save()
            return entry, True
    except IntegrityError:
        # A concurrent request credited the same source first.
        return HourEntry.objects.get(idempotency_key=key), False


def reverse_entry(entry: HourEntry, *, recorded_by=None, note: str = "") -> HourEntry:
    """Cancel a line with a reversing line (the ledger is append-only). A line is reversed once."""
    from django.utils.translation import gettext as _  # pylint: disable=import-outside-toplevel

    if entry.reverses_id is not None:
        raise HoursError(_("A correction cannot itself be reversed."))
    try:
        with transaction.atomic():
            reversal = HourEntry(
                user_id=entry.user_id, year=entry.year, hours=-entry.hours, source_kind=HourSource.CORRECTION,
                source_ref=entry.source_ref, course_id=entry.course_id, usage_id=entry.usage_id,
                date=timezone.localdate(), recorded_by=recorded_by, note=note[:500], reverses=entry,
                idempotency_key=f"reverse:{entry.pk}",
            )
            reversal.save()
            return reversal
    except IntegrityError as exc:
        raise HoursError(_("This entry has already been reversed.")) from exc


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


def summary_for_user(user, year: int | None = None) -> HoursSummary:
    """This year's hours by source against the member's requirement (two queries)."""
    year = year or timezone.localdate().year
    rows = (
        HourEntry.objects.filter(user=user, year=year).values("source_kind").annotate(total=Sum("hours"))
    )
    totals = {r["source_kind"]: r["total"] or ZERO for r in rows}
    # Corrections are shown against the source they correct.
    corrections = (
        HourEntry.objects.filter(user=user, year=year, source_kind=HourSource.CORRECTION)
        .values("reverses__source_kind").annotate(total=Sum("hours"))
    )
    totals.pop(HourSource.CORRECTION, None)
    for row in corrections:
        kind = row["reverses__source_kind"]
        totals[kind] = totals.get(kind, ZERO) + (row["total"] or ZERO)
    profile = MemberProfile.objects.filter(user=user).prefetch_related("categories").first()
    by_source = [(kind, str(label), totals[kind]) for kind, label in HourSource.choices if totals.get(kind)]
    total = sum((h for _, _, h in by_source), ZERO)
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
    """Per organisation (counting its whole subtree): members, members meeting the yearly requirement.

    Three streamed queries whatever the size: members of the subtree, their categories'
    requirement, their yearly totals. Roll-up along materialized paths happens in Python,
    holding one small row per organisation and one number per member.
    """
    members = MemberProfile.objects.all()
    orgs = Organization.objects.all()
    if root is not None:
        members = members.filter(organization__path__startswith=root.path)
        orgs = orgs.filter(path__startswith=root.path)
    org_paths = dict(orgs.values_list("id", "path").iterator(chunk_size=5000))

    required: dict[int, Decimal] = {}
    req_rows = MemberCategory.objects.filter(members__isnull=False)
    if root is not None:
        req_rows = req_rows.filter(members__organization__path__startswith=root.path)
    req_rows = req_rows.values_list("members__user_id", "required_hours", "period_years")
    for user_id, hours, period in req_rows.iterator(chunk_size=5000):
        yearly = hours / period
        if yearly > required.get(user_id, ZERO):
            required[user_id] = yearly

    entries = HourEntry.objects.filter(year=year)
    if root is not None:
        entries = entries.filter(user__party_profile__organization__path__startswith=root.path)
    totals = dict(entries.values("user_id").annotate(t=Sum("hours")).values_list("user_id", "t").iterator(chunk_size=5000))

    result: dict[int, ComplianceRow] = {pk: ComplianceRow(pk) for pk in org_paths}
    root_depth = len(ancestor_ids_from_path(root.path)) - 1 if root is not None else 0
    for user_id, org_id in members.values_list("user_id", "organization_id").iterator(chunk_size=5000):
        path = org_paths.get(org_id)
        if path is None:
            continue
        met = (totals.get(user_id) or ZERO) >= required.get(user_id, ZERO)
        for ancestor_id in ancestor_ids_from_path(path)[root_depth:]:
            row = result[ancestor_id]
            row.members += 1
            row.compliant += met
    return result
