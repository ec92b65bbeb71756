"""Benchmarks of menu-based selection (menu_selection). Figures only: nothing here asserts a time.

1. allocation: 5,000 learners ranking 5 of 30 options with capacities, allocated by the HiGHS
   transportation LP; prints the time (min/median/max over rounds, after a warm-up), the share who
   got their first choice, seats given, and the objective against the LP bound; alternating rounds
   with a greedy baseline (random serial dictatorship) for comparison.
2. picks: 1,000 concurrent pick requests for 50 seats through the handler endpoint (threads, each with
   its own connection); prints seated / waiting / refused / server errors, seats taken, throughput and
   latency; rounds alternate with and without a waiting list.

    .venv/bin/python tests/benchmarks/bench_menu_selection.py allocation
    DB=mysql MYSQL_DATABASE=h_menu .venv/bin/python tests/benchmarks/bench_menu_selection.py picks
    .venv/bin/python tests/benchmarks/bench_menu_selection.py --tiny     # both, tiny sizes, a scratch SQLite

The tiny mode is what the test suite runs (tests/menu_selection/test_benchmark.py).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import queue
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def spread(values: list[float]) -> str:
    return f"min {min(values):.3f} s · median {statistics.median(values):.3f} s · max {max(values):.3f} s"


# --- 1. allocation ------------------------------------------------------------------------------
def make_problem(learners: int, options: int, ranks: int, seed: int):
    from party_training.edx_plugin.menu_selection.allocation import AllocationProblem  # noqa: E402
    rng = random.Random(seed)
    keys = [f"o{j:02d}" for j in range(options)]
    # Popularity is skewed (a few options are wanted by many), capacities cover everyone with 20% slack.
    weights = [1 / (j + 1) ** 0.8 for j in range(options)]
    capacity = {k: int(learners * 1.2 / options) for k in keys}
    rankings = {}
    for learner in range(learners):
        chosen: list[str] = []
        while len(chosen) < ranks:
            key = rng.choices(keys, weights)[0]
            if key not in chosen:
                chosen.append(key)
        rankings[learner + 1] = chosen
    return AllocationProblem(rankings=rankings, capacity=capacity, seed=seed)


def greedy(problem) -> dict[int, list[str]]:
    """Random serial dictatorship: learners in a random order take their best option with a seat left."""
    left = dict(problem.capacity)
    order = sorted(problem.rankings)
    random.Random(problem.seed).shuffle(order)
    assigned = {}
    for learner in order:
        got = next((k for k in problem.rankings[learner] if left[k] is None or left[k] > 0), None)
        if got is not None and left[got] is not None:
            left[got] -= 1
        assigned[learner] = [got] if got else []
    return assigned


def lp_bound(problem) -> float:
    """The LP relaxation's optimum of the same objective, solved apart (no tie-break perturbation)."""
    import numpy as np  # noqa: E402
    from scipy.optimize import linprog  # noqa: E402
    from scipy.sparse import coo_matrix  # noqa: E402
    from party_training.edx_plugin.menu_selection.allocation import unfilled_penalty  # noqa: E402
    learners, keys = sorted(problem.rankings), sorted(problem.capacity)
    column = {k: j for j, k in enumerate(keys)}
    rows, cols, ranks = [], [], []
    for i, learner in enumerate(learners):
        for rank, key in enumerate(problem.rankings[learner], start=1):
            rows.append(i), cols.append(column[key]), ranks.append(rank)
    n, pairs = len(learners), len(ranks)
    cost = np.concatenate([np.array(ranks, float), np.full(n, float(unfilled_penalty(problem)))])
    a_eq = coo_matrix((np.ones(pairs + n), (rows + list(range(n)), list(range(pairs + n)))), shape=(n, pairs + n))
    a_ub = coo_matrix((np.ones(pairs), (cols, list(range(pairs)))), shape=(len(keys), pairs + n))
    result = linprog(cost, A_ub=a_ub, b_ub=[problem.capacity[k] for k in keys], A_eq=a_eq, b_eq=np.ones(n),
                     bounds=(0, 1), method="highs-ipm")
    return float(result.fun)


def bench_allocation(learners: int, options: int, ranks: int, rounds: int) -> None:
    from party_training.edx_plugin.menu_selection.allocation import allocate, choice_histogram, unfilled_penalty
    print(f"allocation: {learners} learners ranking {ranks} of {options} options, {rounds} rounds")
    problem = make_problem(learners, options, ranks, seed=1)
    allocate(make_problem(max(10, learners // 50), options, ranks, seed=2))  # warm-up
    ours, baseline = [], []
    for _ in range(rounds):  # alternate, so that drift of the machine affects both alike
        started = time.perf_counter()
        result = allocate(problem)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        simple = greedy(problem)
        baseline.append(time.perf_counter() - started)
    histogram = choice_histogram(problem, result.assigned)
    simple_histogram = choice_histogram(problem, simple)
    penalty = unfilled_penalty(problem)
    bound = lp_bound(problem)
    print(f"  HiGHS LP ({result.solver}): {spread(ours)}")
    print(f"  seats given {result.seats} of {learners}; first choice {histogram.get(1, 0) / learners:.1%}; "
          f"by choice {histogram}")
    print(f"  objective {result.objective(penalty)} (rank sum {result.rank_sum}, unfilled {result.unfilled}); "
          f"LP bound {bound:.3f}; gap {result.objective(penalty) - bound:.3f}")
    simple_rank_sum = sum(problem.rankings[u].index(k) + 1 for u, ks in simple.items() for k in ks)
    print(f"  greedy baseline (random serial dictatorship): {spread(baseline)}; first choice "
          f"{simple_histogram.get(1, 0) / learners:.1%}; seats {sum(len(v) for v in simple.values())}; "
          f"rank sum {simple_rank_sum}")


# --- 2. concurrent picks ------------------------------------------------------------------------
def setup_django(tiny: bool):
    if tiny and os.environ.get("DB") != "mysql":
        os.environ["DEMO_DB"] = os.path.join(tempfile.mkdtemp(prefix="bench_menu_"), "bench.sqlite3")
    from tests.benchmarks.bench_data import start_django  # noqa: E402
    start_django()


def one_round(usage_id: str, users, threads: int) -> dict:
    from django.db import connection  # noqa: E402
    from django.test import Client  # noqa: E402
    todo = queue.Queue()
    for user in users:
        todo.put(user)
    outcomes, latencies, lock = [], [], threading.Lock()
    barrier = threading.Barrier(threads)

    def work():
        client = Client(raise_request_exception=False)  # a server error is counted, as a browser would see it
        barrier.wait()
        try:
            while True:
                try:
                    user = todo.get_nowait()
                except queue.Empty:
                    return
                client.force_login(user)
                started = time.perf_counter()
                response = client.post(f"/xblock/{usage_id}/handler/pick", json.dumps({"option": "a"}),
                                       content_type="application/json")
                elapsed = time.perf_counter() - started
                body = json.loads(response.content) if response.status_code < 500 else {}
                with lock:
                    latencies.append(elapsed)
                    outcomes.append(body.get("status") if response.status_code == 200 else
                                    ("refused" if response.status_code < 500 else "error"))
        finally:
            connection.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"wall": wall, "outcomes": {k: outcomes.count(k) for k in sorted(set(outcomes), key=str)},
            "p50": latencies[len(latencies) // 2], "p95": latencies[int(len(latencies) * .95)], "max": latencies[-1]}


def bench_picks(requests: int, seats: int, threads: int, rounds: int) -> None:
    from django.contrib.auth import get_user_model  # noqa: E402
    from django.contrib.auth.models import AnonymousUser  # noqa: E402
    from django.db import connection  # noqa: E402
    from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator  # noqa: E402
    from demo.runtime import DemoRuntime  # noqa: E402
    from party_training.edx_plugin.menu_selection.models import MenuOption  # noqa: E402
    from party_training.xblocks.olx import parse_olx  # noqa: E402
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # refusals (409) are expected here
    print(f"picks: {requests} concurrent requests for {seats} seats, {threads} threads, "
          f"{rounds} rounds after a warm-up ({connection.vendor})")
    User = get_user_model()
    prefix = f"bench{int(time.time())}_"
    User.objects.bulk_create([User(username=f"{prefix}{i}") for i in range(requests)], batch_size=500)
    users = list(User.objects.filter(username__startswith=prefix))
    course_key = CourseLocator("Bench", "MENU", prefix.rstrip("_"))

    def menu(name: str, waitlist: bool) -> str:
        olx = (f'<menu_selection url_name="{name}" max_picks="1" waitlist="{str(waitlist).lower()}">'
               f'<option id="a" title="A" hours="2" capacity="{seats}"/></menu_selection>')
        runtime = DemoRuntime(AnonymousUser(), course_key)
        key = BlockUsageLocator(course_key, "menu_selection", name)
        block = runtime.load_block_type("menu_selection").parse_xml(parse_olx(olx), runtime, runtime.scope_ids_for(key))
        block.save()
        block._menu()  # pylint: disable=protected-access
        return str(key)

    one_round(menu("warmup", True), users[: max(threads, requests // 20)], threads)
    figures: dict[str, list[dict]] = {"with a waiting list": [], "without": []}
    for n in range(rounds):
        for label, waitlist in (("with a waiting list", True), ("without", False)):
            usage_id = menu(f"r{n}{'w' if waitlist else 'n'}", waitlist)
            result = one_round(usage_id, users, threads)
            result["taken"] = MenuOption.objects.get(menu__usage_id=usage_id, key="a").taken
            figures[label].append(result)
    for label, results in figures.items():
        print(f"  {label}:")
        for r in results:
            print(f"    outcomes {r['outcomes']} · seats taken {r['taken']} of {seats} · "
                  f"{requests / r['wall']:.0f} picks/s · latency p50 {r['p50'] * 1000:.0f} ms, "
                  f"p95 {r['p95'] * 1000:.0f} ms, max {r['max'] * 1000:.0f} ms")
        print(f"    wall time {spread([r['wall'] for r in results])}; server errors "
              f"{sum(r['outcomes'].get('error', 0) for r in results)}; oversubscribed rounds "
              f"{sum(r['taken'] > seats for r in results)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", nargs="?", choices=("allocation", "picks", "all"), default="all")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes (the test suite runs this)")
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--options", type=int, default=30)
    parser.add_argument("--ranks", type=int, default=5)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.tiny:
        args.learners, args.options, args.ranks, args.requests, args.seats, args.threads, args.rounds = \
            60, 6, 3, 40, 5, 8, 2
    if args.part in ("allocation", "all"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
        bench_allocation(args.learners, args.options, args.ranks, args.rounds)
    if args.part in ("picks", "all"):
        setup_django(args.tiny)
        bench_picks(args.requests, args.seats, args.threads, args.rounds)


if __name__ == "__main__":
    main()
