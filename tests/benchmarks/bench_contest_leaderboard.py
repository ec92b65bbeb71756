"""Knowledge contest leaderboard benchmark on MariaDB (no HTTP: the service call the learner's
handlers make); prints figures. The answer load is ``bench_knowledge_contest.py``'s.

Leaderboard top 20 plus "my rank" at 100,000 finished attempts, and the branch leaderboard's
grouped scan, with the top-20 plan.

Set up (own database):
    mysql -h127.0.0.1 -uroot -e "CREATE DATABASE bench_contest CHARACTER SET utf8mb4"
    DB=mysql MYSQL_DATABASE=bench_contest .venv/bin/python manage.py migrate
Run:
    DB=mysql MYSQL_DATABASE=bench_contest .venv/bin/python tests/benchmarks/bench_contest_leaderboard.py
"""
from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator  # noqa: E402

from party_training.edx_plugin.core.models import Organization  # noqa: E402
from party_training.edx_plugin.knowledge_contest import leaderboards, scoring  # noqa: E402
from party_training.edx_plugin.knowledge_contest.models import ContestAttempt, ContestResult  # noqa: E402

COURSE = CourseLocator("Bench", "KC", "2026")
BOARD_SIZE = 100_000


def setup_board(usage_id: str) -> None:
    """100,000 learners with a finished attempt and a counted result in one contest (bulk inserts)."""
    if ContestResult.objects.filter(usage_id=usage_id).count() >= BOARD_SIZE:
        return
    User = get_user_model()
    orgs = list(Organization.objects.values_list("id", flat=True))
    started = time.perf_counter()
    now = timezone.now()
    for first in range(0, BOARD_SIZE, 5000):
        users = User.objects.bulk_create(
            [User(username=f"board{n:06d}", password="!") for n in range(first, first + 5000)])
        attempts = ContestAttempt.objects.bulk_create([ContestAttempt(
            user=user, course_id=str(COURSE), usage_id=usage_id, number=1, status="submitted", open_slot=None,
            started=now, deadline=now + datetime.timedelta(minutes=10), finished=now, question_ids=[],
            score=(n * 7919) % 101, max_score=100, duration_ms=60000 + (n * 104729) % 500000,
        ) for n, user in enumerate(users, start=first)])
        ContestResult.objects.bulk_create([ContestResult(
            user_id=a.user_id, course_id=str(COURSE), usage_id=usage_id, attempt=a, total=a.score,
            max_score=100, duration_ms=a.duration_ms, organization_id=orgs[n % len(orgs)],
        ) for n, a in enumerate(attempts)])
    scoring.rebuild_score_counts(usage_id)  # bulk inserts bypass the service that keeps the counts
    print(f"leaderboard data: {BOARD_SIZE} finished attempts created in {time.perf_counter() - started:.1f} s")


def timed(func, repeat=50) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def bench_leaderboard() -> None:
    usage_id = str(BlockUsageLocator(COURSE, "knowledge_contest", "bench_board"))
    setup_board(usage_id)
    results = ContestResult.objects.filter(usage_id=usage_id)
    bottom = results.order_by("total", "-duration_ms").values_list("user_id", flat=True).first()
    middle = results.order_by("-total", "duration_ms")[BOARD_SIZE // 2:BOARD_SIZE // 2 + 1].get().user_id
    for label, user_id in (("a learner in the middle", middle), ("the last learner", bottom)):
        board = leaderboards.leaderboard(usage_id, user_id, 20)
        assert len(board["top"]) == 20 and board["participants"] >= BOARD_SIZE
        median, p95 = timed(lambda uid=user_id: leaderboards.leaderboard(usage_id, uid, 20))
        print(f"leaderboard top 20 + my rank ({label}, rank {board['me']['rank']} of {board['participants']}): "
              f"median {median:.2f} ms, p95 {p95:.2f} ms")
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel

    def branches():
        cache.delete(f"party_contest_branches:{usage_id}")
        leaderboards.branch_leaderboard(usage_id, "average", middle, 20)
    median, p95 = timed(branches, repeat=10)
    print(f"branch leaderboard uncached (grouped scan of {BOARD_SIZE}): median {median:.1f} ms, p95 {p95:.1f} ms; "
          f"cached for {leaderboards.BRANCH_CACHE_SECONDS} s")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT user_id FROM party_training_contestresult WHERE usage_id=%s "
                       "ORDER BY total DESC, duration_ms ASC, id ASC LIMIT 20", [usage_id])
        plan = cursor.fetchall()
    print(f"top-20 plan: key={plan[0][5]} rows={plan[0][8]} extra={plan[0][9]}")


def main():
    if connection.vendor != "mysql":
        sys.exit("Run with DB=mysql MYSQL_DATABASE=bench_contest (see the docstring).")
    bench_leaderboard()


if __name__ == "__main__":
    main()
