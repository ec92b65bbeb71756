"""Knowledge contest answer benchmark (knowledge_contest) through the load harness (``load_harness``):
the demo under gunicorn, in one run and alternating rounds at 1, 8, 16 and 32 clients:

* the bare one-INSERT view (the floor every figure is a ratio to),
* the bare handler: the same INSERT from a block's handler (``demo.bench_block``), so the runtime's
  own share of every action (the handler URL, the runtime, the block, the read of its fields),
* a contest answer (each learner in their own attempt, answering its questions in turn),
* a party-class sign-in (``bench_party_class``: every request a first sign-in),
* an xblock-poll vote (the poll hosted by the same demo runtime, unlimited re-votes, so every request
  is a vote that rewrites the poll's shared tally).

It prints the harness's table (min/median/max of the rounds), the goals of issue 16 at 16 clients
(answer and sign-in ≥ 0.75 of the bare view with p95 ≤ 100 ms; answer ≥ 2× the poll vote, zero
errors both sides), the bare handler's ratio and each action's ratio to it, the queries of each action
(the whole request), and the poll's lost tally updates: its shared tally against the learners' own last
votes (a lost update is reported, not hidden).
The leaderboard at 100,000 attempts is ``bench_contest_leaderboard.py``.

Run (on a database of its own: the script creates it if needed, migrates, creates its data,
starts and stops gunicorn; BENCH_PORT picks its port):
    DB=mysql MYSQL_DATABASE=bench_contest .venv/bin/python tests/benchmarks/bench_knowledge_contest.py
    .venv/bin/python tests/benchmarks/bench_knowledge_contest.py --tiny   # scratch SQLite (the test suite)
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import load_harness as harness  # noqa: E402  (first: locust patches the standard library)
from tests.benchmarks.bench_data import build_classes, build_contest, make_learners, session_keys  # noqa: E402
from tests.benchmarks.bench_party_class import (  # noqa: E402
    SIGN_IN, goal_line, load_settings, queries_of, sign_in_queries, sign_in_task,
)

ANSWER, VOTE = "contest answer", "poll vote"
CHOICES = ("R", "B", "G", "O")  # xblock-poll's default answers


def build_poll(run: str) -> str:
    from tests.conftest import load_block  # pylint: disable=import-outside-toplevel
    return load_block(f'<poll url_name="poll_{run}" display_name="压测投票" max_submissions="0" private_results="true"/>',
                      unit=f"poll_{run}")


def start_attempt(contest: str, user) -> dict:
    """The learner's open attempt (started in this process): its id and questions with option keys."""
    from django.test import Client  # pylint: disable=import-outside-toplevel
    client = Client()
    client.force_login(user)
    active = client.post(f"/xblock/{contest}/handler/start", "{}", content_type="application/json").json()["active"]
    return {"attempt": active["id"], "questions": [(q["id"], [o["key"] for o in q["options"]])
                                                   for q in active["questions"]], "next": 0}


def answer_task(contest: str):
    def task(client, context):
        question, keys = context["questions"][context["next"] % len(context["questions"])]
        context["next"] += 1
        body = {"attempt": context["attempt"], "question": question, "response": [random.choice(keys)]}
        with client.post(f"/xblock/{contest}/handler/answer", data=json.dumps(body), headers=context["headers"],
                         name=ANSWER, catch_response=True) as reply:
            if reply.status_code == 200 and (reply.json() or {}).get("saved"):
                reply.success()
            else:
                reply.failure(f"HTTP {reply.status_code} {reply.text[:120]}")
    return task


def vote_task(poll: str):
    def task(client, context):
        with client.post(f"/xblock/{poll}/handler/vote", data=json.dumps({"choice": random.choice(CHOICES)}),
                         headers=context["headers"], name=VOTE, catch_response=True) as reply:
            if reply.status_code == 200 and (reply.json() or {}).get("success"):
                reply.success()
            else:
                reply.failure(f"HTTP {reply.status_code} {reply.text[:120]}")
    return task


def poll_tally(poll: str) -> dict:
    """The poll's shared tally against what its voters' own rows say they last chose."""
    from demo.models import BlockState  # pylint: disable=import-outside-toplevel
    rows = {(r.user_id, r.kind): json.loads(r.data) for r in BlockState.objects.filter(block_id=poll)}
    tally = {k: int(v) for k, v in rows.get((0, BlockState.SUMMARY), {}).get("tally", {}).items()}
    expected = Counter(data["choice"] for (user, kind), data in rows.items()
                       if kind == BlockState.STATE and data.get("choice"))
    off = sum(abs(tally.get(k, 0) - expected.get(k, 0)) for k in set(tally) | set(expected))
    return {"voters": sum(expected.values()), "tally": sum(tally.values()), "off": off}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="scratch SQLite, 2 levels of 1 s (the test suite)")
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    settings = load_settings(args.tiny)
    harness.setup_django(args.tiny)
    run = uuid.uuid4().hex[:8]
    contest, poll = build_contest(run, 4 if args.tiny else args.questions), build_poll(run)
    classes = build_classes(10 if args.tiny else 60, run)  # 60,000 first sign-ins: enough at 32 clients
    users = make_learners(201 if args.tiny else 1001, run)
    spare = users.pop()  # acts outside the load, for the query counts
    keys = session_keys(users)
    clients = max(settings["levels"])
    contexts = [start_attempt(contest, user) for user in users[:clients]]
    server = harness.Server()  # its workers and threads as demo/gunicorn.conf.py sizes them; started below
    print(f"Contest answer, party-class sign-in and xblock-poll vote against the bare view; gunicorn "
          f"{server.workers} workers x {server.threads} threads; {harness.uptime()}")
    mine = start_attempt(contest, spare)
    question, options = mine["questions"][0]
    print("Queries, the whole request (session and user included): "
          f"contest answer {queries_of(spare, contest, 'answer', {'attempt': mine['attempt'], 'question': question, 'response': options[:1]})}, "  # noqa: E501
          f"party-class sign-in {sign_in_queries(classes, spare)}, "
          f"poll vote {queries_of(spare, poll, 'vote', {'choice': 'R'})}")
    subjects = {"bare": harness.bare_insert, harness.BARE_HANDLER: harness.bare_handler, ANSWER: answer_task(contest),
                SIGN_IN: sign_in_task(classes, keys), VOTE: vote_task(poll)}
    with server:
        results = harness.compare(server.url, subjects, keys[:clients], contexts=contexts, cpu=server.cpu_seconds,
                                  **settings)
    harness.report(results)
    level = 16 if 16 in results else max(results)
    figures = harness.at_level(results, level)
    print(goal_line(figures, ANSWER, level))
    print(goal_line(figures, SIGN_IN, level))
    print(harness.runtime_line(results, level, figures, [ANSWER, SIGN_IN, VOTE]))
    vote = figures[VOTE]["rps"]
    ratio, floor, runtime = ((figures[name]["rps"] / vote if vote else 0.0)
                             for name in (ANSWER, "bare", harness.BARE_HANDLER))
    # The references' own ratios beside: an answer does all the bare handler does (and it all the bare
    # view does) and more, so neither is a ratio an answer can pass.
    print(f"contest answer / poll vote at {level} clients: {ratio:.2f}x "
          f"(goal ≥ 2: {'met' if ratio >= 2 else 'missed'}; the bare view's {floor:.2f}x, "
          f"the bare handler's {runtime:.2f}x); "
          f"errors: answer {figures[ANSWER]['errors']}, poll vote {figures[VOTE]['errors']}")
    tally = poll_tally(poll)
    print(f"poll tally: {tally['voters']} voters' own last votes, the shared tally counts {tally['tally']}; "
          f"lost tally updates (tally off by): {tally['off']}")
    print(f"after the run: {harness.uptime()}")
    return 1 if any(f["errors"] for f in figures.values()) else 0


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"({time.monotonic() - started:.0f} s)")
    sys.exit(code)
