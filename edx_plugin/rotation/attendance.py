"""Attendance at rotation-training sessions (rotation): self sign-in with the rotating code, staff
marking (roll call), bulk marking from an XLSX file, and the hours each status credits.

Hours: a status credits ``session.hours`` times the program's percentage for it, once, as a ledger
line whose reference carries the attendance's ``version``. Correcting a status reverses the previous
line (a ``correction`` line) and credits the new status under the next version: the ledger is never
edited. The attendance row is locked while this happens, so simultaneous sign-ins and markings of
one learner give one row and one credited line (the learner's seat row is the lock).
"""
from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.ledger import credit_hours, reverse_entry
from ..core.models import HourSource
from ..core.sign_in_code import verify_typed_code
from ..core.text import plain_text
from .errors import RotationError
from .models import Attendance, AttendanceStatus, ClassSeat, TrainingSession
from .programs import credit_percent
from .sessions import CODE_PERIOD, code_subject, expected_seats, is_expected, window_state

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
CENT = Decimal("0.01")


def hours_for(session: TrainingSession, status: str) -> Decimal:
    return (session.hours * credit_percent(session.program, status) / 100).quantize(CENT)


def _lock_seat(session: TrainingSession, user_id: int) -> bool:
    """Lock the learner's seat in the session's program; False when they have none."""
    return ClassSeat.objects.select_for_update().filter(
        program_id=session.program_id, user_id=user_id).values_list("pk", flat=True).first() is not None


def set_status(session: TrainingSession, user_id: int, status: str, *, method: str, by=None,
               reason: str = "") -> tuple[Attendance, bool]:
    """Give ``user_id`` ``status`` at ``session`` and credit its hours; returns (row, changed). An
    unchanged status and reason change nothing (a second identical request credits nothing)."""
    if status not in AttendanceStatus.values:
        raise RotationError(_("Unknown attendance status."))
    reason = plain_text(reason or "", 500, _("The reason"))
    if status == AttendanceStatus.EXCUSED and not reason:
        raise RotationError(_("Give the reason for the excused absence."))
    with transaction.atomic():
        # The learner's seat in the program is the lock: it exists before any attendance does, so
        # concurrent markings queue on one existing row (locking a missing attendance row would take
        # gap locks on MariaDB, and two inserts behind gap locks deadlock).
        if not _lock_seat(session, user_id):
            raise RotationError(_("This member is not in a class of this program."), status=404)
        mine = Attendance.objects.filter(session=session, user_id=user_id)
        if mine.exists():
            row = mine.select_for_update().get()  # a locking read: the latest committed status
        else:
            try:
                with transaction.atomic():
                    row = Attendance.objects.create(session=session, user_id=user_id, status=status, reason=reason,
                                                    method=method, marked_by=by)
            except IntegrityError:  # committed after this transaction's snapshot was taken
                row = mine.select_for_update().get()
            else:
                _credit(session, row, by)
                _count(session, user_id, row.status in ATTENDED, row.credited)
                return row, True
        if row.status == status and row.reason == reason:
            return row, False
        was_attended, was_credited = row.status in ATTENDED, row.credited
        if row.entry_id is not None:
            reverse_entry(row.entry, recorded_by=by, note=_("Attendance corrected"))
        row.status, row.reason, row.method, row.marked_by = status, reason, method, by
        row.version += 1
        row.entry, row.credited = None, Decimal("0")
        _credit(session, row, by)
        _count(session, user_id, int(row.status in ATTENDED) - int(was_attended), row.credited - was_credited)
        return row, True


def _count(session: TrainingSession, user_id: int, attended: int, credited: Decimal) -> None:
    """Move the seat's counters (its row is locked by the caller)."""
    if attended or credited:
        ClassSeat.objects.filter(program_id=session.program_id, user_id=user_id).update(
            attended=F("attended") + int(attended), credited=F("credited") + credited)


def _credit(session: TrainingSession, row: Attendance, by) -> None:
    hours = hours_for(session, row.status)
    if hours > 0:
        user = get_user_model()(pk=row.user_id)
        entry, _created = credit_hours(
            user, hours, HourSource.ROTATION, f"session:{session.pk}:v{row.version}",
            date=timezone.localdate(session.starts), recorded_by=by, usage_id=session.link if "@" in session.link else "",
            note=f"{session.program.name} · {session.topic}"[:500])
        row.entry, row.credited = entry, entry.hours
    row.save()


def sign_in(session: TrainingSession, user, code, now=None) -> tuple[Attendance, bool]:
    """A learner's self sign-in with the code on the screen: only for learners expected at the session,
    only inside its window; present, or late after the program's ``late_after`` minutes. A learner
    already marked as attending keeps their status (returns ``changed`` False)."""
    now = now or timezone.now()
    if not is_expected(session, user):
        raise RotationError(_("You are not in a class of this session."), status=403)
    state = window_state(session, now)
    if state == "not_yet":
        raise RotationError(_("Sign-in has not opened yet."), status=409)
    if state == "closed":
        raise RotationError(_("Sign-in for this session has closed."), status=409)
    current = Attendance.objects.filter(session=session, user=user).first()
    if current is not None and current.status in ATTENDED:
        return current, False
    verify_typed_code(code_subject(session), user.pk, CODE_PERIOD, code, now)
    late = (now - session.starts).total_seconds() > session.program.late_after * 60
    status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
    with transaction.atomic():
        _lock_seat(session, user.pk)
        current = Attendance.objects.filter(session=session, user=user).first()
        if current is not None and current.status in ATTENDED:
            return current, False
        return set_status(session, user.pk, status, method=Attendance.Method.CODE, by=user)


def excuse_in_advance(session: TrainingSession, user, reason) -> Attendance:
    """A learner asks to be excused (before or after the session), giving the reason; staff may change it."""
    if not is_expected(session, user):
        raise RotationError(_("You are not in a class of this session."), status=403)
    current = Attendance.objects.filter(session=session, user=user).first()
    if current is not None and current.status in ATTENDED:
        raise RotationError(_("You have already signed in to this session."), status=409)
    return set_status(session, user.pk, AttendanceStatus.EXCUSED, method=Attendance.Method.LEARNER, by=user,
                      reason=reason)[0]


def roll_call(session: TrainingSession) -> list[dict]:
    """Everyone expected at the session with their status (two queries), by branch and name."""
    marks = {a.user_id: a for a in Attendance.objects.filter(session=session)}
    seats = (expected_seats(session).select_related("user__party_profile", "organization")
             .order_by("organization__path", "user__username"))
    rows = []
    for seat in seats:
        profile = getattr(seat.user, "party_profile", None)
        mark = marks.get(seat.user_id)
        rows.append({"user": seat.user, "name": (profile.full_name if profile else "") or seat.user.get_username(),
                     "branch": seat.organization.name if seat.organization else "",
                     "status": mark.status if mark else "", "reason": mark.reason if mark else "",
                     "credited": mark.credited if mark else None})
    return rows
