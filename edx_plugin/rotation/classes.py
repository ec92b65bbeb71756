"""Classes (班次) of a rotation-training program (rotation): creating them, the automatic assignment of
the program's target population, manual moves, and who is in no class.

Automatic assignment keeps a branch together where it fits and balances the classes: branches are
placed largest first, each into the class with the most free seats (so the classes fill evenly);
a branch larger than every class's free seats is split over the classes with the most free seats.
It runs with the program row locked, so two runs at once never seat a member twice (the unique
seat per program and member is the database's guarantee as well), and a class's ``seated`` count
only changes under its row's lock, so a class is never over capacity.
"""
from __future__ import annotations

import heapq
import time
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..core import jobs
from ..core.conf import setting
from ..core.models import MemberProfile
from ..core.text import plain_text
from .access import target_filter
from .errors import RotationError
from .models import Attendance, AttendanceStatus, ClassAssignment, ClassSeat, TrainingClass, TrainingProgram
from .programs import whole_number

BATCH = 5000
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
MAX_CAPACITY = 100000


def create_class(program: TrainingProgram, name, capacity) -> TrainingClass:
    title = plain_text(name, 100, _("The class's name"))
    if not title:
        raise RotationError(_("The class's name is required."))
    size = whole_number(capacity, _("Capacity"), 1, MAX_CAPACITY)
    return TrainingClass.objects.create(program=program, name=title, capacity=size,
                                        position=program.classes.count())


def update_class(program: TrainingProgram, class_id, name, capacity) -> TrainingClass:
    """Rename a class or change its capacity; never below the members already seated in it (the
    class's row is locked, as every change of ``seated`` locks it)."""
    title = plain_text(name, 100, _("The class's name"))
    if not title:
        raise RotationError(_("The class's name is required."))
    size = whole_number(capacity, _("Capacity"), 1, MAX_CAPACITY)
    with transaction.atomic():
        found = TrainingClass.objects.select_for_update().filter(
            program=program, pk=int(class_id) if str(class_id).isdigit() else 0).first()
        if found is None:
            raise RotationError(_("There is no such class in this program."), status=404)
        if size < found.seated:
            raise RotationError(_("“%(name)s” already has %(seated)d members: its capacity cannot be less.")
                                % {"name": found.name, "seated": found.seated}, status=409)
        found.name, found.capacity = title, size
        found.save(update_fields=["name", "capacity"])
        return found


def unseated_members(program: TrainingProgram):
    """(user id, organisation id) of every member of the target population without a seat, branch by branch."""
    seated = ClassSeat.objects.filter(program=program).values("user_id")
    rows = MemberProfile.objects.filter(target_filter(program)).exclude(user_id__in=seated)
    if program.categories.exists():
        rows = rows.distinct()
    return rows.order_by("organization_id", "user_id").values_list("user_id", "organization_id")


def plan(branches: dict[int, list[int]], free: dict[int, int]) -> dict[int, list[tuple[int, int]]]:
    """Which class each member goes to: ``branches`` (organisation id -> user ids), ``free`` (class id ->
    free seats). Returns class id -> [(user id, organisation id)]; members beyond the free seats are left out."""
    heap = [(-seats, class_id) for class_id, seats in free.items() if seats > 0]
    heapq.heapify(heap)
    placed: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for org_id, users in sorted(branches.items(), key=lambda item: (-len(item[1]), item[0])):
        remaining = list(users)
        while remaining and heap:
            seats, class_id = heapq.heappop(heap)
            seats = -seats
            take = remaining[:seats]
            remaining = remaining[seats:]
            placed[class_id].extend((user_id, org_id) for user_id in take)
            if seats - len(take) > 0:
                heapq.heappush(heap, (-(seats - len(take)), class_id))
    return placed


def assign(program: TrainingProgram, progress=lambda done, total=None: None) -> dict:
    """Seat the unseated target population; returns the counts stored on the run."""
    started = time.perf_counter()
    with transaction.atomic():
        TrainingProgram.objects.select_for_update().filter(pk=program.pk).values_list("pk", flat=True).first()
        classes = list(TrainingClass.objects.select_for_update().filter(program=program).order_by("pk"))
        if not classes:
            raise RotationError(_("Create the program's classes first."), status=409)
        branches: dict[int, list[int]] = defaultdict(list)
        for user_id, org_id in unseated_members(program).iterator(chunk_size=BATCH):
            branches[org_id].append(user_id)
        total = sum(len(users) for users in branches.values())
        progress(0, total)
        placed = plan(branches, {c.pk: c.capacity - c.seated for c in classes})
        done = 0
        now = timezone.now()
        for class_id, members in placed.items():
            for start in range(0, len(members), BATCH):
                chunk = members[start:start + BATCH]
                _insert_seats([(program.pk, class_id, user_id, org_id, now) for user_id, org_id in chunk])
                done += len(chunk)
                progress(done)
            TrainingClass.objects.filter(pk=class_id).update(seated=F("seated") + len(members))
    return {"seated_count": done, "left_out": total - done, "seconds": round(time.perf_counter() - started, 2)}


def _insert_seats(rows: list[tuple]) -> None:
    """Insert new seats (program, class, user, organisation, time) with one prepared statement: a
    100,000-member program is not 100,000 model instances (``executemany`` becomes multi-row INSERTs
    on MariaDB). A seat taken meanwhile fails the unique constraint and rolls the run back."""
    table = connection.ops.quote_name(ClassSeat._meta.db_table)
    sql = (f"INSERT INTO {table} (program_id, training_class_id, user_id, organization_id, assigned, attended, "
           f"credited) VALUES (%s, %s, %s, %s, %s, 0, 0)")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(p, c, u, o, connection.ops.adapt_datetimefield_value(t)) for p, c, u, o, t in rows])


def start_assignment(program: TrainingProgram, user) -> ClassAssignment:
    """Run the assignment: at once for a small population, else as a background job."""
    if not program.classes.exists():
        raise RotationError(_("Create the program's classes first."), status=409)
    job = ClassAssignment.objects.create(program=program, requested_by=user, language=translation.get_language() or "")
    if unseated_members(program).count() > setting("ROTATION_ASSIGN_SYNC_MEMBERS"):
        jobs.enqueue(job)
    else:
        jobs.run(job._meta.label_lower, job.pk)
        job.refresh_from_db()
    return job


def run_job(job: ClassAssignment, progress) -> dict:
    try:
        values = assign(job.program, progress)
    except RotationError as exc:
        raise jobs.JobError(exc.message) from exc
    return {"seated_count": values["seated_count"], "left_out": values["left_out"]}


def seat(program: TrainingProgram, user_id: int, class_id: int | None) -> ClassSeat | None:
    """Move a member to a class (or, with ``class_id`` None, out of every class). A member outside the
    target population may be seated too (staff decide); a full class refuses."""
    with transaction.atomic():
        # Every change of a program's seats holds the program's row first (as ``assign`` does), so
        # a move and an assignment never both seat a member, and no two of them deadlock.
        TrainingProgram.objects.select_for_update().filter(pk=program.pk).values_list("pk", flat=True).first()
        current = ClassSeat.objects.select_for_update().filter(program=program, user_id=user_id).first()
        ids = sorted({pk for pk in (class_id, current.training_class_id if current else None) if pk})
        locked = {c.pk: c for c in TrainingClass.objects.select_for_update().filter(program=program, pk__in=ids)
                  .order_by("pk")}
        if class_id is not None and class_id not in locked:
            raise RotationError(_("There is no such class in this program."), status=404)
        if current is not None and current.training_class_id == class_id:
            return current
        if class_id is not None:
            target = locked[class_id]
            if target.seated >= target.capacity:
                raise RotationError(_("“%(name)s” is full.") % {"name": target.name}, status=409)
            TrainingClass.objects.filter(pk=class_id).update(seated=F("seated") + 1)
        if current is not None:
            TrainingClass.objects.filter(pk=current.training_class_id).update(seated=F("seated") - 1)
            if class_id is None:
                current.delete()
                return None
            current.training_class_id = class_id
            current.save(update_fields=["training_class", "assigned"])
            return current
        if class_id is None:
            return None
        profile = MemberProfile.objects.filter(user_id=user_id).first()
        if profile is None:
            raise RotationError(_("Only members can be seated."), status=404)
        # A member seated again keeps what they attended while in a class before.
        done = Attendance.objects.filter(session__program=program, user_id=user_id).aggregate(
            attended=Count("pk", filter=Q(status__in=ATTENDED_STATUSES)), credited=Sum("credited"))
        return ClassSeat.objects.create(program=program, training_class_id=class_id, user_id=user_id,
                                        organization_id=profile.organization_id, attended=done["attended"],
                                        credited=done["credited"] or 0)


def class_rows(program: TrainingProgram) -> list[dict]:
    """Classes with their seats and the branches seated in each (two queries)."""
    classes = list(program.classes.all())
    branches: dict[int, list] = defaultdict(list)
    rows = (ClassSeat.objects.filter(program=program).values("training_class_id", "organization__name")
            .annotate(n=Count("pk")).order_by("training_class_id", "-n"))
    for row in rows:
        branches[row["training_class_id"]].append((row["organization__name"] or "—", row["n"]))
    return [{"class": c, "branches": branches[c.pk],
             "percent": min(100, round(100 * c.seated / c.capacity)) if c.capacity else 0} for c in classes]


def unseated_rows(program: TrainingProgram, limit: int | None = 100) -> tuple[int, list[MemberProfile]]:
    """How many of the target population are in no class, and the first ``limit`` of them."""
    seated = ClassSeat.objects.filter(program=program).values("user_id")
    rows = MemberProfile.objects.filter(target_filter(program)).exclude(user_id__in=seated)
    if program.categories.exists():
        rows = rows.distinct()
    count = rows.count()
    listed = rows.select_related("user", "organization").order_by("organization__path", "user__username")
    return count, list(listed[:limit] if limit else listed)
