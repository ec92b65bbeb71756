"""The credit-hours ledger (core): the one place that writes hours. Totals and compliance are
derived from it in ``compliance``, never stored twice."""
from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import HourEntry, HourSource

ZERO = Decimal("0")
MAX_CREDIT = Decimal("1000")
CENT = Decimal("0.01")  # the ledger's precision (HourEntry.hours has two decimal places)
KEY_LENGTH = HourEntry._meta.get_field("idempotency_key").max_length


class HoursError(ValueError):
    """Bad input to the ledger; the message is translated and safe to show."""


def _key(user_id: int, source_kind: str, source_ref: str) -> str:
    """The line's idempotency key: readable when it fits the column, else with the reference hashed,
    so that two long references sharing a prefix never collapse into one key."""
    key = f"{source_kind}:{user_id}:{source_ref}"
    if len(key) <= KEY_LENGTH:
        return key
    return f"{source_kind}:{user_id}:sha256:{hashlib.sha256(source_ref.encode('utf-8')).hexdigest()}"


def credit_hours(
    user, hours, source_kind: str, source_ref: str, *, date: datetime.date | None = None,
    course_id: str = "", usage_id: str = "", recorded_by=None, note: str = "",
) -> tuple[HourEntry, bool]:
    """Credit ``hours`` to ``user`` for one source. Idempotent per (user, source_kind, source_ref):
    a second call, even concurrent, returns the existing line and ``created=False``."""
    try:
        hours = Decimal(str(hours)).quantize(CENT)
        in_range = ZERO < hours <= MAX_CREDIT
    except InvalidOperation as exc:  # not a number, NaN or infinite
        raise HoursError(_("Hours must be a number.")) from exc
    if not in_range:
        raise HoursError(_("Hours must be greater than 0 and at most 1000."))
    if source_kind not in HourSource.values or source_kind == HourSource.CORRECTION:
        raise HoursError(_("Unknown source of hours."))
    if not source_ref:
        raise HoursError(_("A source reference is required so that hours are never credited twice."))
    date = date or timezone.localdate()
    key = _key(user.pk, source_kind, source_ref)
    # No read first: a first credit is one INSERT (and the yearly hours' upsert); a repeated one fails
    # on the unique key and reads the line it found.
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
        existing = _committed_line(key)  # a concurrent request credited the same source first
        if existing is None:
            raise  # another constraint failed (e.g. the user was deleted)
        return existing, False


def _committed_line(key: str) -> HourEntry | None:
    """The line another transaction committed under ``key``.

    On MySQL/MariaDB a plain read inside a caller's REPEATABLE READ transaction would use a snapshot
    that predates that line; a locking read sees it. The lock is shared: racing losers already hold
    shared locks on the key from their failed inserts, and exclusive ones would deadlock them.
    """
    if connection.vendor == "mysql":
        table = connection.ops.quote_name(HourEntry._meta.db_table)
        lines = HourEntry.objects.raw(f"SELECT * FROM {table} WHERE idempotency_key = %s LOCK IN SHARE MODE", [key])
        return next(iter(lines), None)
    return HourEntry.objects.filter(idempotency_key=key).first()


def reverse_entry(entry: HourEntry, *, recorded_by=None, note: str = "") -> HourEntry:
    """Cancel a line with a reversing line (the ledger is append-only). A line is reversed once."""
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


def ledger_lines(user_id: int, year: int | None = None) -> QuerySet[HourEntry]:
    """A member's ledger lines, newest first; corrections show the line they reverse."""
    lines = HourEntry.objects.filter(user_id=user_id).select_related("recorded_by", "reverses")
    if year is not None:
        lines = lines.filter(year=year)
    return lines.order_by("-date", "-id")


def course_hours(user_id: int, course_id: str) -> Decimal:
    """The hours a member earned in one course (all years, corrections included; one query)."""
    total = HourEntry.objects.filter(user_id=user_id, course_id=course_id).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")
