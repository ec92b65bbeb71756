"""Benchmark of rotation training (rotation). Figures only: nothing here asserts a time.

A program whose target population is 100,000 members in 5,000 organisations (one committee, 4,999
branches of uneven size), with 50 classes:

1. automatic class assignment (``classes.assign``): rounds after a warm-up, the seats emptied before
   each; prints min/median/max time, queries, peak Python memory (tracemalloc, a separate run), seats
   given, branches kept whole, the fullest class against its capacity;
2. the program's attendance summary (``summary.program_summary``: rates per class and branch, who is
   behind on the hours) over 3 held sessions with an attendance row for about 90 % of the seats
   (written in bulk without ledger lines, then the seats' counters recounted in one UPDATE: the
   summary reads the seats); same figures.

    .venv/bin/python tests/benchmarks/bench_rotation.py              # full size, a scratch SQLite file
    DB=mysql MYSQL_DATABASE=bench_rotation .venv/bin/python tests/benchmarks/bench_rotation.py
    .venv/bin/python tests/benchmarks/bench_rotation.py --tiny       # what the test suite runs

Targets (issue 11): assignment under 10 s, summary under 1 s.
"""
from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    if os.environ.get("DB") != "mysql":
        os.environ["DEMO_DB"] = os.path.join(tempfile.mkdtemp(prefix="bench_rotation_"), "bench.sqlite3")
    from tests.benchmarks.bench_data import start_django  # pylint: disable=import-outside-toplevel
    start_django()


def load(members: int, organizations: int, classes_count: int, seed: int = 2026):
    """The tree, the members and a program with its classes (bulk inserts with known ids and paths)."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.models import MemberCategory, MemberProfile, Organization  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.rotation.models import TrainingClass, TrainingProgram  # pylint: disable=import-outside-toplevel

    rng = random.Random(seed)
    User = get_user_model()
    orgs = [Organization(pk=1, code="ROOT", name="县委", kind="committee", path="00000001/", depth=0)]
    orgs += [Organization(pk=pk, code=f"B{pk:05d}", name=f"第{pk - 1}支部", kind="branch", parent_id=1,
                          path=f"00000001/{pk:08d}/", depth=1) for pk in range(2, organizations + 1)]
    Organization.objects.bulk_create(orgs, batch_size=2000)
    branch_ids = list(range(2, organizations + 1))
    weights = [rng.uniform(0.2, 1.8) for _ in branch_ids]
    homes = rng.choices(branch_ids, weights, k=members)
    User.objects.bulk_create([User(pk=pk, username=f"m{pk:06d}", password="!") for pk in range(1, members + 1)],
                             batch_size=5000)
    MemberProfile.objects.bulk_create([MemberProfile(pk=pk, user_id=pk, organization_id=homes[pk - 1],
                                                     full_name=f"党员{pk}") for pk in range(1, members + 1)],
                                      batch_size=5000)
    member = MemberCategory.objects.get(code="member")
    links = MemberProfile.categories.through
    links.objects.bulk_create([links(memberprofile_id=pk, membercategory_id=member.pk) for pk in range(1, members + 1)],
                              batch_size=5000)
    today = timezone.localdate()
    program = TrainingProgram.objects.create(name="基准轮训", organization_id=1, year=today.year, required_hours=9,
                                             starts=today, ends=today)
    program.roots.set([1])
    capacity = members * 11 // 10 // classes_count + 1
    TrainingClass.objects.bulk_create([TrainingClass(program=program, name=f"{i + 1}班", capacity=capacity, position=i)
                                       for i in range(classes_count)])
    return program


def count_queries(call):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        result = call()
    return result, counter["n"]


def peak_memory(call) -> float:
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def spread(values: list[float]) -> str:
    return f"min {min(values):.3f} s · median {statistics.median(values):.3f} s · max {max(values):.3f} s"


def bench_assignment(program, rounds: int) -> None:
    from django.db.models import Count  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.rotation.classes import assign  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.rotation.models import ClassSeat, TrainingClass  # pylint: disable=import-outside-toplevel

    def reset():
        ClassSeat.objects.filter(program=program).delete()
        TrainingClass.objects.filter(program=program).update(seated=0)

    timings, result, queries = [], None, 0
    for n in range(rounds + 1):  # the first is the warm-up
        reset()
        started = time.perf_counter()
        result, queries = count_queries(lambda: assign(program))
        if n:
            timings.append(time.perf_counter() - started)
    reset()
    memory = peak_memory(lambda: assign(program))
    per_branch = ClassSeat.objects.filter(program=program).values("organization_id").annotate(
        classes=Count("training_class_id", distinct=True))
    whole = sum(1 for row in per_branch if row["classes"] == 1)
    classes = list(TrainingClass.objects.filter(program=program))
    over = sum(1 for c in classes if c.seated > c.capacity)
    fullest = max(classes, key=lambda c: c.seated)
    print(f"assignment: {spread(timings)}; {queries} queries; peak memory {memory:.1f} MiB")
    print(f"assignment: seated {result['seated_count']} of {result['seated_count'] + result['left_out']}; "
          f"branches kept whole {whole} of {len(per_branch)}; classes over capacity {over}; "
          f"fullest class {fullest.seated} of {fullest.capacity}; emptiest {min(c.seated for c in classes)}")


def bench_summary(program, rounds: int, sessions_count: int = 3) -> None:
    from django.utils import timezone  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.rotation.models import Attendance, ClassSeat, TrainingSession  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.rotation.summary import program_summary, recount_seats  # pylint: disable=import-outside-toplevel

    rng = random.Random(11)
    start = timezone.now() - datetime.timedelta(days=3)
    statuses = [("present", Decimal("3")), ("late", Decimal("1.5")), ("left_early", Decimal("1.5")),
                ("excused", Decimal("0")), ("absent", Decimal("0"))]
    users = list(ClassSeat.objects.filter(program=program).values_list("user_id", flat=True))
    for i in range(sessions_count):
        session = TrainingSession.objects.create(program=program, topic=f"专题{i + 1}", hours=3,
                                                 starts=start + datetime.timedelta(days=i),
                                                 ends=start + datetime.timedelta(days=i, hours=3))
        rows = []
        for user_id in users:
            if rng.random() < 0.9:
                status, credited = rng.choices(statuses, [80, 6, 4, 5, 5])[0]
                rows.append(Attendance(session=session, user_id=user_id, status=status, credited=credited,
                                       method="roll_call"))
        Attendance.objects.bulk_create(rows, batch_size=5000)
    started = time.perf_counter()
    recount_seats(program)
    print(f"summary: seat counters recounted from {Attendance.objects.count()} attendance rows "
          f"in {time.perf_counter() - started:.2f} s")
    timings, figures, queries = [], None, 0
    for n in range(rounds + 1):
        started = time.perf_counter()
        figures, queries = count_queries(lambda: program_summary(program))
        if n:
            timings.append(time.perf_counter() - started)
    memory = peak_memory(lambda: program_summary(program))
    print(f"summary: {spread(timings)}; {queries} queries; peak memory {memory:.1f} MiB")
    print(f"summary: {len(figures['classes'])} classes, {len(figures['branches'])} branches, overall rate "
          f"{figures['overall']} %, {figures['behind_count']} behind of {figures['seated']} seated, "
          f"{len(figures['behind'])} listed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="tiny sizes (the test suite runs this)")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--classes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.tiny:
        args.members, args.organizations, args.classes, args.rounds = 600, 40, 4, 2
    setup_django()
    started = time.perf_counter()
    program = load(args.members, args.organizations, args.classes)
    print(f"loaded {args.members} members in {args.organizations} organisations, {args.classes} classes "
          f"in {time.perf_counter() - started:.1f} s")
    bench_assignment(program, args.rounds)
    bench_summary(program, args.rounds)


if __name__ == "__main__":
    main()
