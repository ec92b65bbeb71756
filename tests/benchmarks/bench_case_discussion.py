"""Benchmark of case discussion pages on MariaDB: one group of 2,000 analyses and a thread of 2,000
replies, read page by page through the block's handler endpoint as a learner (and the staff's page
of the group). Prints, per page: min / median / max time over the rounds and the queries it ran.
Figures only: nothing here asserts a time.

    DB=mysql MYSQL_DATABASE=bench_case_discussion .venv/bin/python tests/benchmarks/bench_case_discussion.py
    ... bench_case_discussion.py --posts 2000 --rounds 15      # the defaults
    ... bench_case_discussion.py --tiny                         # 60 posts, 3 rounds (the test suite runs this)

The data is loaded once into its own discussion and reused; a warm-up round runs first, then the
rounds visit the pages in alternating order (forward, backward), so neither the first nor the last
page always gets a cold or a warm cache.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCK = "bench_case"


def load(posts: int) -> tuple[str, int, int]:
    """The discussion, its group and the analysis holding the long thread, created once."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.case_discussion.models import CaseAnalysis, CaseMember, CaseReply
    from tests.case_discussion.conftest import case_olx, fill_group  # pylint: disable=import-outside-toplevel
    from tests.conftest import call_handler, load_block  # pylint: disable=import-outside-toplevel

    usage_id = load_block(case_olx(f"{BLOCK}{posts}"), unit=f"bench{posts}")
    reader, _ = get_user_model().objects.get_or_create(username=f"bench_reader{posts}")
    if not CaseAnalysis.objects.filter(usage_id=usage_id).exists():
        call_handler(usage_id, "submit", reader, {"answers": ["读者的分析：案例说明了学用脱节的问题。", "启示：学以致用。"]})
        group = CaseMember.objects.get(usage_id=usage_id, user=reader).group
        analyses = fill_group(usage_id, group, posts - 1, f"bench{posts}_")
        CaseReply.objects.bulk_create([CaseReply(analysis=analyses[0], author=reader, text=f"回复{n}")
                                       for n in range(posts)], batch_size=1000)
        CaseAnalysis.objects.filter(pk=analyses[0].pk).update(reply_count=posts)
    member = CaseMember.objects.get(usage_id=usage_id, user=reader)
    thread = CaseAnalysis.objects.filter(usage_id=usage_id).exclude(author=reader).order_by("id").first()
    return usage_id, member.group_id, thread.pk


def run(posts: int, rounds: int, out=print) -> dict[str, list[int]]:
    """Measure every page; returns the query counts per page (the same on every round)."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db import connection, reset_queries  # pylint: disable=import-outside-toplevel
    from django.test import Client  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    usage_id, group_id, thread_id = load(posts)
    reader = get_user_model().objects.get(username=f"bench_reader{posts}")
    staff, _ = get_user_model().objects.get_or_create(username="bench_staff", defaults={"is_staff": True})
    learner, teacher = Client(), Client()
    learner.force_login(reader)
    teacher.force_login(staff)
    base = f"/xblock/{usage_id}/handler/"
    last_feed, last_thread = -(-posts // 10), -(-posts // 20)
    pages = [(f"feed page {n}", learner, f"{base}feed?page={n}") for n in sorted({1, 2, last_feed // 2, last_feed})]
    pages += [(f"thread page {n}", learner, f"{base}replies?analysis_id={thread_id}&page={n}")
              for n in sorted({1, last_thread // 2, last_thread})]
    pages += [(f"staff page {n}", teacher, f"{base}staff_posts?group_id={group_id}&page={n}")
              for n in sorted({1, last_feed})]
    timings: dict[str, list[float]] = {name: [] for name, _, _ in pages}
    queries: dict[str, list[int]] = {name: [] for name, _, _ in pages}
    for name, client, url in pages:  # warm-up
        assert client.get(url).status_code == 200, (name, url)
    for number in range(rounds):
        for name, client, url in (pages if number % 2 == 0 else list(reversed(pages))):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings[name].append(time.perf_counter() - started)
            assert response.status_code == 200, (name, response.status_code)
            queries[name].append(len(captured))
    out(f"case discussion on {connection.vendor}: {posts} analyses in one group, a thread of {posts} replies, "
        f"{rounds} rounds after a warm-up")
    for name, _, _ in pages:
        spent = [t * 1000 for t in timings[name]]
        out(f"{name:>16}: min {min(spent):6.1f} ms  median {statistics.median(spent):6.1f} ms  "
            f"max {max(spent):6.1f} ms  queries {sorted(set(queries[name]))}")
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tiny", action="store_true", help="60 posts, 3 rounds: a quick check")
    args = parser.parse_args()
    if args.tiny:
        args.posts, args.rounds = 60, 3
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEMO_DEBUG", "0")
    if os.environ.get("DB") == "mysql":
        os.environ.setdefault("MYSQL_DATABASE", "bench_case_discussion")
    from tests.benchmarks.bench_data import start_django  # pylint: disable=import-outside-toplevel
    start_django()
    run(args.posts, args.rounds)


if __name__ == "__main__":
    main()
