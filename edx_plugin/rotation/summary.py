"""The attendance summary of a rotation-training program (rotation): the attendance rate per class and
per branch over the sessions held so far, and who is behind on the program's hours.

Rate = attendances counted as attending (present, late, left early) / places expected (each seated
member once per session of their class, or of every class, that has started). A fixed number of
queries whatever the program's size: it is grouped in the database.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .attendance import ATTENDED
from .models import Attendance, ClassSeat, TrainingProgram

BEHIND_SHOWN = 200


def _held_sessions(program: TrainingProgram) -> dict:
    """Sessions started so far: how many apply to each class (``None``: sessions for every class)."""
    held = defaultdict(int)
    for class_id in program.sessions.filter(starts__lte=timezone.now()).values_list("training_class_id", flat=True):
        held[class_id] += 1
    return held


def _rate(attended: int, expected: int) -> float | None:
    return round(100 * attended / expected, 1) if expected else None


def rates(program: TrainingProgram) -> dict:
    """Rates per class and per branch, and overall (four queries)."""
    held = _held_sessions(program)
    seats = (ClassSeat.objects.filter(program=program)
             .values_list("training_class_id", "training_class__name", "organization_id", "organization__name")
             .annotate(n=Count("pk")))
    attended = dict(((c, o), n) for c, o, n in Attendance.objects.filter(
        session__program=program, status__in=ATTENDED, user__party_rotation_seats__program=program)
        .values_list("user__party_rotation_seats__training_class_id", "user__party_rotation_seats__organization_id")
        .annotate(n=Count("pk")))
    by_class: dict = {}
    by_branch: dict = {}
    for class_id, class_name, org_id, org_name, n in seats:
        expected = n * (held[None] + held[class_id])
        got = attended.get((class_id, org_id), 0)
        for table, key, name in ((by_class, class_id, class_name), (by_branch, org_id, org_name or "—")):
            row = table.setdefault(key, {"name": name, "members": 0, "expected": 0, "attended": 0})
            row["members"] += n
            row["expected"] += expected
            row["attended"] += got
    for table in (by_class, by_branch):
        for row in table.values():
            row["rate"] = _rate(row["attended"], row["expected"])
    total_expected = sum(r["expected"] for r in by_class.values())
    total_attended = sum(r["attended"] for r in by_class.values())
    return {"classes": list(by_class.values()),
            "branches": sorted(by_branch.values(), key=lambda r: (r["rate"] is None, r["rate"] or 0, r["name"])),
            "overall": _rate(total_attended, total_expected), "held": sum(held.values())}


def behind(program: TrainingProgram, limit: int | None = BEHIND_SHOWN) -> tuple[int, list[ClassSeat]]:
    """Seated members whose credited hours in the program are below its required hours, fewest first:
    how many, and the first ``limit`` (each with ``credited``). Two queries."""
    credited = Coalesce(Sum("user__party_rotation_attendance__credited",
                            filter=Q(user__party_rotation_attendance__session__program=program)),
                        Value(Decimal("0")), output_field=DecimalField(max_digits=7, decimal_places=2))
    rows = (ClassSeat.objects.filter(program=program).annotate(credited=credited)
            .filter(credited__lt=program.required_hours))
    count = rows.count()
    listed = rows.select_related("user__party_profile", "organization", "training_class").order_by(
        "credited", "organization__path", "user__username")
    return count, list(listed[:limit] if limit else listed.iterator(chunk_size=2000))


def program_summary(program: TrainingProgram) -> dict:
    count, rows = behind(program)
    return {**rates(program), "behind_count": count, "behind": rows, "seated": program.seats.count()}
