"""Knowledge contest benchmarks on MariaDB against the demo site; prints figures.

1. 100 learners answering a contest through the demo LMS handler endpoint at 16 concurrent
   clients: answers per second, p50/p95 latency, errors.
2. The same load against xblock-poll's vote handler hosted in the same server, and the ratio.
3. Leaderboard top 20 plus "my rank" at 100,000 finished attempts (the service call the
   learner's handlers make), and the branch leaderboard's grouped scan.

Set up (own database and port):
    mysql -h127.0.0.1 -uroot -e "CREATE DATABASE bench_contest CHARACTER SET utf8mb4"
    DB=mysql MYSQL_DATABASE=bench_contest .venv/bin/python manage.py migrate
    DB=mysql MYSQL_DATABASE=bench_contest .venv/bin/python manage.py demo_setup
    DB=mysql MYSQL_DATABASE=bench_contest DEMO_DEBUG=0 .venv/bin/python manage.py runserver 127.0.0.1:8102 --noreload
Run:
    DB=mysql MYSQL_DATABASE=bench_contest .venv/bin/python tests/benchmarks/bench_knowledge_contest.py
"""
from __future__ import annotations

import datetime
import json
import os
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from lxml import etree  # noqa: E402
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator  # noqa: E402

from demo.models import CourseUnit  # noqa: E402
from demo.runtime import DemoRuntime  # noqa: E402
from party_training.edx_plugin.knowledge_contest.models import ContestAttempt, ContestResult, Question, QuestionBank
from party_training.edx_plugin.core.models import MemberProfile, Organization
from party_training.edx_plugin.knowledge_contest import leaderboards, scoring  # noqa: E402

BASE = os.environ.get("BENCH_URL", "http://127.0.0.1:8102")
COURSE = CourseLocator("Bench", "KC", "2026")
LEARNERS, CLIENTS, QUESTIONS = 100, 16, 10
PASSWORD = "bench1234"
BOARD_SIZE = 100_000


def place_block(olx: str, unit: str) -> str:
    """Parse one block's OLX like a Studio import and put it in its own unit of the bench course."""
    node = etree.fromstring(olx.encode("utf-8"))
    runtime = DemoRuntime(AnonymousUser(), COURSE)
    key = BlockUsageLocator(COURSE, node.tag, node.get("url_name"))
    runtime.load_block_type(node.tag).parse_xml(node, runtime, runtime.scope_ids_for(key)).save()
    CourseUnit.objects.update_or_create(course_id=str(COURSE), url_name=unit, defaults={
        "chapter": "bench", "title": unit, "position": 1, "children": [str(key)]})
    return str(key)


def setup_learners() -> list[str]:
    User = get_user_model()
    branch = Organization.objects.filter(kind="branch").order_by("id").first()
    names = [f"bench{n:03d}" for n in range(LEARNERS)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    password = make_password(PASSWORD)
    User.objects.bulk_create([User(username=n, password=password) for n in names if n not in existing])
    for user in User.objects.filter(username__in=names):
        MemberProfile.objects.get_or_create(user=user, defaults={"organization": branch, "full_name": user.username})
    return names


def session_for(username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{BASE}/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(f"{BASE}/login/", data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                 headers={"Referer": f"{BASE}/login/"})
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    session.headers["Referer"] = BASE + "/"
    return session


def post(session, usage_id, handler, data):
    started = time.perf_counter()
    response = session.post(f"{BASE}/xblock/{usage_id}/handler/{handler}", data=json.dumps(data),
                            headers={"Content-Type": "application/json"})
    return response, (time.perf_counter() - started) * 1000


def summarize(name: str, latencies: list[float], errors: int, seconds: float) -> float:
    rate = len(latencies) / seconds
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0
    print(f"{name}: {len(latencies)} requests in {seconds:.2f} s = {rate:.1f}/s, "
          f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, errors {errors}")
    return rate


def run_load(jobs, worker) -> tuple[list[float], int, float]:
    latencies, errors = [], [0]
    lock = threading.Lock()

    def run(job):
        for ok, ms in worker(job):
            with lock:
                latencies.append(ms)
                errors[0] += not ok
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(run, jobs))
    return latencies, errors[0], time.perf_counter() - started


def bench_answers_and_poll(names: list[str]) -> None:
    stamp = int(time.time())
    contest = place_block(
        f'<knowledge_contest url_name="bench_{stamp}" display_name="bench" time_limit_minutes="60" max_attempts="0">'
        f'<draw bank="party-constitution" count="{QUESTIONS}"/></knowledge_contest>', f"bench_contest_{stamp}")
    # Unlimited re-votes, so every request is a real vote that rewrites the poll's shared tally.
    poll = place_block(f'<poll url_name="poll_{stamp}" display_name="bench poll" max_submissions="0" '
                       f'private_results="true"/>', f"bench_poll_{stamp}")
    sessions = {}
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        for name, session in zip(names, pool.map(session_for, names)):
            sessions[name] = session
    attempts = {}

    def start(name):
        response, _ms = post(sessions[name], contest, "start", {})
        return name, response.json()["active"]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        attempts = dict(pool.map(start, names))
    answer_keys = dict(Question.objects.filter(bank__code="party-constitution").values_list("id", "qtype"))

    def answer_all(name):
        active = attempts[name]
        for item in active["questions"]:
            response = ["共产主义"] if answer_keys[item["id"]] == "fill_blank" else [item["options"][0]["key"]]
            reply, ms = post(sessions[name], contest, "answer",
                             {"attempt": active["id"], "question": item["id"], "response": response})
            yield reply.status_code == 200, ms
    latencies, errors, seconds = run_load(names, answer_all)
    contest_rate = summarize(f"contest answer handler ({LEARNERS} learners x {QUESTIONS}, {CLIENTS} clients)",
                             latencies, errors, seconds)

    def vote_all(name):
        for n in range(QUESTIONS):
            reply, ms = post(sessions[name], poll, "vote", {"choice": ["R", "B", "G", "O"][n % 4]})
            yield reply.status_code == 200 and reply.json().get("success", True) is not False, ms
    latencies, errors, seconds = run_load(names, vote_all)
    poll_rate = summarize(f"xblock-poll vote handler ({LEARNERS} learners x {QUESTIONS}, {CLIENTS} clients)",
                          latencies, errors, seconds)
    print(f"ratio contest/poll throughput: {contest_rate / poll_rate:.2f}")


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
    try:
        requests.get(f"{BASE}/login/", timeout=5)
    except requests.ConnectionError:
        sys.exit(f"No demo server at {BASE} (see the docstring).")
    if not QuestionBank.objects.filter(code="party-constitution").exists():
        sys.exit("Run manage.py demo_setup first: the benchmark draws from the demo question bank.")
    names = setup_learners()
    bench_answers_and_poll(names)
    bench_leaderboard()


if __name__ == "__main__":
    main()
