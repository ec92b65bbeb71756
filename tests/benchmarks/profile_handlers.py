"""Where a learner action's time goes in Python (issue 16): the bare one-INSERT view, the same INSERT
from a block's handler (the bare handler: the runtime's own share), a contest answer and a party-class
sign-in, each driven ``--requests`` times through Django's WSGI handler in this process (the whole
middleware stack, as gunicorn calls it, no network and no other threads), first timed, then under
cProfile.

Prints per action: milliseconds per request (wall, and the part spent in the database, from the
``Server-Timing`` header of ``demo.middleware.BenchTimingMiddleware``), queries per request, the Python
time beyond the bare view's and beyond the bare handler's, and the top entries of the profile by
cumulative time. Figures only: nothing here asserts a time. The HTTP benchmarks
(``bench_knowledge_contest.py``) show what this costs under load.

    .venv/bin/python tests/benchmarks/profile_handlers.py                 # scratch SQLite
    DB=mysql MYSQL_DATABASE=bench_cpu .venv/bin/python tests/benchmarks/profile_handlers.py
    .venv/bin/python tests/benchmarks/profile_handlers.py --requests 2000 --top 40 --sort tottime
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# The data the HTTP benchmarks build, from the module that does not import locust (no patched stdlib here).
from tests.benchmarks.bench_data import (  # noqa: E402
    BARE_HANDLER, BARE_HANDLER_URL, CODE_PERIOD, build_classes, build_contest, make_learners, session_keys,
    start_django,
)

CSRF = "benchmarkcsrftoken0123456789abcd"  # 32 characters: a valid unmasked CSRF secret


def setup_django() -> None:
    """The demo's settings as the benchmarks' gunicorn runs them (DEBUG off, the bare view on)."""
    os.environ["DEMO_BENCH"], os.environ["DEMO_DEBUG"], os.environ["DEMO_CONN_MAX_AGE"] = "1", "0", "60"
    if os.environ.get("DB") != "mysql":
        os.environ.setdefault("DEMO_DB", str(Path(tempfile.mkdtemp(prefix="profile-")) / "profile.sqlite3"))
    start_django()


# --- requests -------------------------------------------------------------------------------------
def environ(path: str, key: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1", "HTTP_COOKIE": f"sessionid={key}; csrftoken={CSRF}", "HTTP_X_CSRFTOKEN": CSRF,
        "HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def actions(count: int, run: str) -> dict:
    """Per action, ``count`` prepared requests (path, session key, body); every sign-in a first one."""
    from django.test import Client  # pylint: disable=import-outside-toplevel

    learners = 50
    users = make_learners(learners, run)
    keys = session_keys(users)
    contest = build_contest(run)
    attempts = []
    for user in users:
        client = Client()
        client.force_login(user)
        active = client.post(f"/xblock/{contest}/handler/start", "{}", content_type="application/json").json()["active"]
        attempts.append((active["id"], [(q["id"], q["options"][0]["key"]) for q in active["questions"]]))
    classes = build_classes(-(-count // learners), run)
    bare, handler, answer, sign_in = [], [], [], []
    for n in range(count):
        who = n % learners
        bare.append(("/bench/insert/", keys[who], b""))
        handler.append((BARE_HANDLER_URL, keys[who], b"{}"))
        attempt, questions = attempts[who]
        question, option = questions[(n // learners) % len(questions)]
        answer.append((f"/xblock/{contest}/handler/answer", keys[who],
                       json.dumps({"attempt": attempt, "question": question, "response": [option]}).encode()))
        usage_id = classes[n // learners]
        sign_in.append((f"/xblock/{usage_id}/handler/sign_in", keys[who], usage_id))
    return {"bare": (bare, "saved"), BARE_HANDLER: (handler, "saved"), "contest answer": (answer, "saved"),
            "party-class sign-in": (sign_in, "created")}


def drive(handler, requests: list, expect: str) -> dict:
    """Each request through the WSGI handler; returns wall ms, database ms and queries per request."""
    from party_training.edx_plugin.core import sign_in_code  # pylint: disable=import-outside-toplevel

    timing = re.compile(r'app;dur=([\d.]+), db;dur=([\d.]+);desc="(\d+)"')
    wall = db = queries = 0.0
    for path, key, body in requests:
        if path.endswith("/sign_in"):  # the code on the projector now (not timed)
            body = json.dumps({"method": "onsite", "code": sign_in_code.current_code(body, CODE_PERIOD)[0]}).encode()
        reply = {}

        def start_response(status, headers, exc_info=None, reply=reply):
            reply["status"], reply["headers"] = status, dict(headers)

        started = time.perf_counter()
        content = b"".join(handler(environ(path, key, body), start_response))
        wall += time.perf_counter() - started
        if not reply["status"].startswith("200") or not json.loads(content).get(expect):
            raise SystemExit(f"{path}: {reply['status']} {content[:200]!r}")
        app, spent, count = timing.search(reply["headers"]["Server-Timing"]).groups()
        db += float(spent)
        queries += int(count)
    n = len(requests)
    return {"ms": wall * 1000 / n, "db": db / n, "queries": queries / n}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500, help="requests per action and per pass (500)")
    parser.add_argument("--top", type=int, default=25, help="profile entries shown per action (25; 0: timings only)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime, ...)")
    parser.add_argument("--save", metavar="DIR", help="also write each profile to DIR/<action>.prof (for pstats, snakeviz)")
    args = parser.parse_args()
    setup_django()
    from django.core.handlers.wsgi import WSGIHandler  # pylint: disable=import-outside-toplevel

    handler = WSGIHandler()
    # Three passes of fresh requests (every sign-in a first one): a warm-up, one timed, one profiled.
    passes = [actions(args.requests, uuid.uuid4().hex[:8]) for _ in range(3)]
    engine = os.environ.get("DB") or "sqlite"
    print(f"{args.requests} requests per action through Django's WSGI handler, in process, on {engine}; "
          f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    for name, (requests, expect) in passes[0].items():
        drive(handler, requests, expect)
    figures = {name: drive(handler, requests, expect) for name, (requests, expect) in passes[1].items()}
    bare, runtime = figures["bare"], figures[BARE_HANDLER]
    print(f"{'action':<22} {'ms/request':>10} {'db ms':>7} {'python ms':>9} {'queries':>7} {'python beyond bare':>18} "
          f"{'beyond bare handler':>19}")
    for name, f in figures.items():
        python = f["ms"] - f["db"]
        print(f"{name:<22} {f['ms']:>10.2f} {f['db']:>7.2f} {python:>9.2f} {f['queries']:>7.1f} "
              f"{python - (bare['ms'] - bare['db']):>18.2f} {python - (runtime['ms'] - runtime['db']):>19.2f}")
    for name, (requests, expect) in (passes[2].items() if args.top or args.save else ()):
        profile = cProfile.Profile()
        profile.enable()
        drive(handler, requests, expect)
        profile.disable()
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            profile.dump_stats(str(Path(args.save) / f"{name.replace(' ', '_')}.prof"))
        if not args.top:
            continue
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(f"\n=== {name}: top {args.top} by {args.sort} (times for {len(requests)} requests, profiler on) ===")
        print(out.getvalue().split("\n", 4)[-1].strip("\n"))  # without pstats' header lines
    return 0


if __name__ == "__main__":
    sys.exit(main())
