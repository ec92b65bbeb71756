"""The attendance summary of a rotation-training program (rotation): the attendance rate per class and
per branch over the sessions held so far, and who is behind on the program's hours.

Rate = attendances counted as attending (present, late, left early) / places expected (each seated
member once per session of their class, or of every class, that has started). A fixed number of
queries whatever the program's size: it reads the seats' counters (``ClassSeat.attended`` and
``credited``, kept by ``attendance.set_status``), grouped in the database.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
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
    """Rates per class and per branch, and overall (two queries: the held sessions, the seats grouped)."""
    held = _held_sessions(program)
    seats = (ClassSeat.objects.filter(program=program)
             .values_list("training_class_id", "training_class__name", "organization_id", "organization__name")
             .annotate(n=Count("pk"), got=Sum("attended")).order_by())
    by_class: dict = {}
    by_branch: dict = {}
    for class_id, class_name, org_id, org_name, n, got in seats:
        expected = n * (held[None] + held[class_id])
        for table, key, name in ((by_class, class_id, class_name), (by_branch, org_id, org_name or "—")):
            row = table.setdefault(key, {"name": name, "members": 0, "expected": 0, "attended": 0})
            row["members"] += n
            row["expected"] += expected
            row["attended"] += got or 0
    for table in (by_class, by_branch):
        for row in table.values():
            row["rate"] = _rate(row["attended"], row["expected"])
    total_expected = sum(r["expected"] for r in by_class.values())
    total_attended = sum(r["attended"] for r in by_class.values())
    classes = sorted(by_class.values(), key=lambda r: r["name"])
    return {"classes": classes,
            "branches": sorted(by_branch.values(), key=lambda r: (r["rate"] is None, r["rate"] or 0, r["name"])),
            "overall": _rate(total_attended, total_expected), "held": sum(held.values())}


def behind_seats(program: TrainingProgram):
    """Seats whose credited hours in the program are below its required hours."""
    return ClassSeat.objects.filter(program=program, credited__lt=program.required_hours)


def behind(program: TrainingProgram, limit: int = BEHIND_SHOWN) -> tuple[int, list[ClassSeat]]:
    """How many seated members are behind on the program's hours, and the ``limit`` furthest behind
    (an indexed range on the seats' ``credited``). Two queries."""
    rows = behind_seats(program)
    listed = rows.select_related("user__party_profile", "organization", "training_class").order_by("credited", "pk")
    return rows.count(), list(listed[:limit])


def recount_seats(program: TrainingProgram) -> int:
    """Recompute every seat's ``attended`` and ``credited`` from the program's attendance rows (one
    UPDATE); used after attendance written in bulk outside ``set_status``, and as a repair."""
    mine = Attendance.objects.filter(session__program=program, user_id=OuterRef("user_id"))
    attended = mine.filter(status__in=ATTENDED).values("user_id").annotate(n=Count("pk")).values("n")
    credited = mine.values("user_id").annotate(h=Sum("credited")).values("h")
    return ClassSeat.objects.filter(program=program).update(
        attended=Coalesce(Subquery(attended), Value(0)),
        credited=Coalesce(Subquery(credited), Value(Decimal("0")), output_field=DecimalField(max_digits=7,
                                                                                            decimal_places=2)))


def program_summary(program: TrainingProgram) -> dict:
    count, rows = behind(program)
    return {**rates(program), "behind_count": count, "behind": rows, "seated": program.seats.count()}
