"""Benchmark: 500 learners sign in to a party class within a minute, 16 concurrent clients,
against the demo site on MariaDB. Prints throughput, latency (p50/p95/max), errors and the
queries one sign-in runs. Figures only: nothing here asserts a time.

    mysql -uroot -h127.0.0.1 -e "CREATE DATABASE IF NOT EXISTS bench_party_class CHARACTER SET utf8mb4"
    export DB=mysql MYSQL_DATABASE=bench_party_class DEMO_DEBUG=0
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py demo_setup
    .venv/bin/python tests/benchmarks/bench_party_class.py            # starts the site on :8101 if needed
    .venv/bin/python tests/benchmarks/bench_party_class.py --url http://127.0.0.1:8101 --learners 500 --clients 16

Two runs over fresh learners: "burst" (every client signs learners in as fast as the site
answers) and "paced" (the learners arrive evenly over --duration seconds, as in a lecture room).
Each learner types the code shown at that moment (derived like the projector does).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

import django  # noqa: E402  pylint: disable=wrong-import-position

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from demo.models import CourseUnit  # noqa: E402
from demo.olx import load_course  # noqa: E402
from party_training.edx_plugin.core.models import MemberProfile, Organization
from party_training.edx_plugin.party_class.models import PartyClassProgress, PartyClassSignIn
from party_training.edx_plugin.core import sign_in_code as svc  # noqa: E402

COURSE_XML = ROOT / "fixtures" / "demo_course" / "course.xml"
BLOCK_TYPE = "party_class"


def find_block() -> str:
    for _ in range(2):
        for children in CourseUnit.objects.values_list("children", flat=True):
            for usage_id in children:
                if f"type@{BLOCK_TYPE}+" in usage_id:
                    return usage_id
        load_course(COURSE_XML)
    raise SystemExit("no party_class block in the demo course")


def prepare_learners(count: int, prefix: str) -> list:
    """``count`` learners in the demo branches, created once; their earlier sign-ins removed."""
    User = get_user_model()
    branches = list(Organization.objects.filter(kind="branch").order_by("path")[:10]) or \
        list(Organization.objects.order_by("path")[:1])
    if not branches:
        raise SystemExit("no organisation: run `manage.py demo_setup` first")
    names = [f"{prefix}{n:04d}" for n in range(count)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = [User(username=name, first_name=name, is_active=True) for name in names if name not in existing]
    for user in new:
        user.set_unusable_password()
    User.objects.bulk_create(new, batch_size=500)
    users = list(User.objects.filter(username__in=names).order_by("username"))
    have_profile = set(MemberProfile.objects.filter(user__in=users).values_list("user_id", flat=True))
    MemberProfile.objects.bulk_create([
        MemberProfile(user=u, organization=branches[i % len(branches)], full_name=f"压测学员{i:04d}")
        for i, u in enumerate(users) if u.pk not in have_profile
    ], batch_size=500)
    return users


def reset(usage_id: str, users) -> None:
    PartyClassSignIn.objects.filter(usage_id=usage_id, user__in=users).delete()
    PartyClassProgress.objects.filter(usage_id=usage_id, user__in=users).delete()


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def server_up(url: str) -> bool:
    parts = urlsplit(url)
    try:
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=2)
        conn.request("GET", "/login/")
        return conn.getresponse().status < 500
    except OSError:
        return False


def start_server(url: str):
    parts = urlsplit(url)
    env = dict(os.environ, DEMO_DEBUG="0")
    proc = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"{parts.hostname}:{parts.port}", "--noreload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        if server_up(url):
            return proc
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"the demo site did not start on {url}")


def run(url: str, usage_id: str, period: int, learners: list[tuple[int, str]], clients: int,
        duration: float | None) -> dict:
    """Sign every (user id, session key) in through the handler endpoint; returns the figures."""
    parts = urlsplit(url)
    path = f"/xblock/{usage_id}/handler/sign_in"
    work: queue.Queue = queue.Queue()
    for index, learner in enumerate(learners):
        work.put((index, learner))
    latencies, errors, lock = [], [], threading.Lock()
    spacing = (duration / len(learners)) if duration else 0.0
    started = time.perf_counter()

    def client():
        while True:
            try:
                index, (_user_id, session_key) = work.get_nowait()
            except queue.Empty:
                return
            if spacing:
                delay = started + index * spacing - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            token = secrets.token_hex(16)
            code = svc.current_code(usage_id, period)[0]  # what the learner reads off the screen
            body = json.dumps({"method": "onsite", "code": code})
            headers = {"Content-Type": "application/json", "X-CSRFToken": token,
                       "Cookie": f"sessionid={session_key}; csrftoken={token}", "Referer": url + "/"}
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                conn.close()
                elapsed = time.perf_counter() - t0
                ok = response.status == 200 and json.loads(payload).get("created") is True
                detail = f"HTTP {response.status} {payload[:120]!r}"
            except (OSError, ValueError) as exc:
                elapsed, ok, detail = time.perf_counter() - t0, False, repr(exc)
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(detail)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies), "wall": wall, "throughput": len(latencies) / wall,
        "p50": statistics.median(ordered) * 1000, "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "max": ordered[-1] * 1000, "errors": errors,
    }


def queries_per_sign_in(usage_id: str, period: int, users) -> tuple[float, int, float]:
    """Queries of one sign-in request through the same middleware and handler, in process."""
    totals, ours = [], []
    for user in users:
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(f"/xblock/{usage_id}/handler/sign_in",
                                   json.dumps({"method": "onsite", "code": svc.current_code(usage_id, period)[0]}),
                                   content_type="application/json")
        assert response.status_code == 200, response.content
        totals.append(len(captured))
        ours.append(sum("party_training_" in q["sql"] for q in captured))
    return statistics.mean(totals), max(totals), statistics.mean(ours)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8101")
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds the paced run spreads arrivals over")
    args = parser.parse_args()
    if connection.vendor != "mysql":
        print("note: not on MariaDB/MySQL (set DB=mysql MYSQL_DATABASE=bench_party_class)")

    usage_id = find_block()
    from demo.runtime import DemoRuntime  # pylint: disable=import-outside-toplevel
    from django.contrib.auth.models import AnonymousUser  # pylint: disable=import-outside-toplevel
    period = DemoRuntime(AnonymousUser()).block_for(usage_id).onsite_code_period
    server = None if server_up(args.url) else start_server(args.url)
    try:
        print(f"party class sign-in benchmark: {args.learners} learners, {args.clients} clients, {args.url}, "
              f"database {connection.vendor} {connection.settings_dict['NAME']}")
        for label, prefix, duration in (("burst", "bench_pc_a", None), ("paced", "bench_pc_b", args.duration)):
            users = prepare_learners(args.learners, prefix)
            reset(usage_id, users)
            learners = [(u.pk, session_cookie(u)) for u in users]
            figures = run(args.url, usage_id, period, learners, args.clients, duration)
            rows = PartyClassSignIn.objects.filter(usage_id=usage_id, user__in=users).count()
            print(f"{label:>6}: {figures['requests']} sign-ins in {figures['wall']:.1f} s = "
                  f"{figures['throughput']:.1f}/s; latency p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms, "
                  f"max {figures['max']:.0f} ms; errors {len(figures['errors'])}; rows {rows}")
            for error in figures["errors"][:5]:
                print("        error:", error)
        extra = prepare_learners(20, "bench_pc_q")
        reset(usage_id, extra)
        mean, worst, ours = queries_per_sign_in(usage_id, period, extra)
        print(f"queries per sign-in: {mean:.1f} on average, {worst} at most "
              f"({ours:.1f} of them on the party class tables; the rest are session, user and block fields)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
