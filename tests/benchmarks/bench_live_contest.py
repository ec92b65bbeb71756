"""Live contest benchmark (issue 13) on MariaDB against the demo site under gunicorn; prints figures.

1. One game, N simulated players (300), each polling the state as the phones do (every two seconds
   and right after each countdown, with its ETag: 304 while nothing moved) and answering each
   question once; the host opens Q questions through the
   same handlers. Prints state-poll and answer latencies (p50, p95), errors, late answers the server
   refused, and lost answers (answers the server accepted that are not in the database).
2. Queries per poll, counted in this process on the same database: a 304 poll and a full poll at
   2 players and at N players (constant), an answer.
3. Through the load harness: a 304 poll (the plugin's state view the phones poll, and the block's
   handler) against the bare one-INSERT view, at 1, 8, 16, 32 clients, alternating rounds,
   min/median/max and the ratio to the bare view.

Run (on a database of its own: the script creates it if needed, migrates, creates its data,
starts and stops gunicorn):
    DB=mysql MYSQL_DATABASE=bench_live .venv/bin/python tests/benchmarks/bench_live_contest.py
    .venv/bin/python tests/benchmarks/bench_live_contest.py --tiny   # 6 players, scratch SQLite (the test suite)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import load_harness as harness  # noqa: E402  (first: locust patches the standard library)
from tests.benchmarks.bench_data import session_keys  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402


def build(players: int, questions: int, branches: int):
    """A bank, a contest block in a demo unit, members in branches and a course staff host."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.contrib.auth.models import Group  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.models import MemberProfile, Organization  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.organizations import save_organization  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.knowledge_contest.models import Question, QuestionBank  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.knowledge_contest.questions import fingerprint  # pylint: disable=import-outside-toplevel
    from tests.conftest import load_block  # pylint: disable=import-outside-toplevel

    run = uuid.uuid4().hex[:8]
    bank = QuestionBank.objects.create(code=f"live-{run}", name=f"现场竞赛题库 {run}")
    for index in range(questions):
        stem = f"第 {index + 1} 题：党的基层组织的基本任务是什么？（{run}）"
        options = ["选项甲", "选项乙", "选项丙", "选项丁"]
        Question.objects.create(bank=bank, qtype="single", stem=stem, options=options, answer=["B"],
                                explanation="解析", fingerprint=fingerprint("single", stem, options))
    usage_id = load_block(f'<knowledge_contest url_name="live_{run}" display_name="现场竞赛"><draw bank="{bank.code}" '
                          f'count="{questions}"/></knowledge_contest>', unit=f"live_{run}")
    orgs = [save_organization(Organization(code=f"L{run}{i}", name=f"第{i + 1}党支部", kind="branch"))
            for i in range(branches)]
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"live{run}_{i}", password="!") for i in range(players)])
    users = list(User.objects.filter(username__startswith=f"live{run}_").order_by("id"))
    MemberProfile.objects.bulk_create([MemberProfile(user=u, organization=orgs[i % branches], full_name=f"选手{i}")
                                       for i, u in enumerate(users)])
    host = User.objects.create(username=f"livehost{run}", password="!")
    host.groups.add(Group.objects.get_or_create(name="course_staff")[0])
    return usage_id, users, host


def handler(usage_id: str, name: str) -> str:
    return f"/xblock/{usage_id}/handler/{name}"


class Phases:
    """Latencies by kind of reply (304, a full poll in each phase, an answer), as the client saw them,
    with the server's own share from its ``Server-Timing`` header (time in the app, in the database,
    queries): what the client saw beyond ``app`` was spent queued in front of a busy worker."""

    def __init__(self):
        self.rows: dict[str, list[tuple[float, float, float, int]]] = {}

    def add(self, kind: str, started: float, response) -> None:
        client_ms = (time.perf_counter() - started) * 1000
        app = db = 0.0
        queries = 0
        for part in (response.headers.get("Server-Timing") or "").split(","):
            fields = dict(item.strip().split("=", 1) for item in part.split(";")[1:] if "=" in item)
            name = part.split(";")[0].strip()
            if name == "app":
                app = float(fields.get("dur", 0))
            elif name == "db":
                db, queries = float(fields.get("dur", 0)), int(fields.get("desc", "0").strip('"') or 0)
        self.rows.setdefault(kind, []).append((client_ms, app, db, queries))

    def report(self) -> list[str]:
        def pct(values, share):
            values = sorted(values)
            return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0
        lines = []
        for kind, rows in sorted(self.rows.items()):
            client, app, db, queries = zip(*rows)
            lines.append(f"  {kind:<14} n {len(rows):>6}  client p50 {pct(client, .5):>6.0f} p95 {pct(client, .95):>6.0f} ms"
                         f" | server app p50 {pct(app, .5):>5.1f} p95 {pct(app, .95):>6.1f} ms, db p50 {pct(db, .5):>5.1f}"
                         f" p95 {pct(db, .95):>5.1f} ms, queries {min(queries)}-{max(queries)}")
        return lines


def play(server_url: str, usage_id: str, users, host, questions: int, seconds: int, reveal: int) -> dict:
    """The game: N players polling and answering, the host going through the questions."""
    keys = session_keys(users)
    host_key = session_keys([host])[0]
    host_headers = {"Cookie": f"sessionid={host_key}; csrftoken={harness.CSRF}", "X-CSRFToken": harness.CSRF,
                    "Content-Type": "application/json"}
    opened = requests.post(server_url + handler(usage_id, "live_open"), headers=host_headers,
                           data=json.dumps({"seconds": seconds}), timeout=30)
    if opened.status_code != 200:
        raise SystemExit(f"live_open: HTTP {opened.status_code} {opened.text[:300]}")
    game = opened.json()["game"]
    tally = {"accepted": 0, "late": 0, "polls": 0, "not_modified": 0}
    phases = Phases()
    contexts = [{"etag": "", "joined": False, "answered": set()} for _ in users]

    def player(client, context):
        """One phone, as knowledge_contest_game_player.js behaves: join, then poll the plugin's state
        view every two seconds (jittered) and right after each countdown, answering each question once."""
        if not context["joined"]:
            reply = client.post(handler(usage_id, "live_join"), data=json.dumps({"game": game}),
                                headers=context["headers"], name="join")
            joined = reply.json() if reply.status_code == 200 else {}
            context.update(joined=bool(joined), poll_url=_with_game(joined.get("poll_url") or "", game), etag=joined.get("etag", ""),
                           deadline=time.monotonic() + joined.get("remaining_ms", 0) / 1000)
            return
        headers = {"Cookie": context["cookie"]}
        if context["etag"]:
            headers["If-None-Match"] = context["etag"]
        state = None
        started = time.perf_counter()
        with client.get(context["poll_url"], headers=headers, name="state poll",
                        catch_response=True) as response:
            tally["polls"] += 1
            if response.status_code == 304:
                tally["not_modified"] += 1
                response.success()
                kind = "304"
            elif response.status_code == 200:
                state = response.json()
                response.success()
                kind = "200 " + state["phase"]
            else:
                response.failure(f"HTTP {response.status_code}")
                kind = "error"
            phases.add(kind, started, response)
        if state is not None:
            context["etag"] = state["etag"]
            context["phase"] = state["phase"]
            context["deadline"] = time.monotonic() + state.get("remaining_ms", 0) / 1000
            position = state["position"]
            if state["phase"] == "question" and position not in context["answered"] and not state["me"]["answered"]:
                gevent.sleep(random.uniform(0, min(3.0, seconds / 2)))  # people read, then tap
                answer(client, context, position)
        every = 2.0 + random.uniform(0, 0.4)
        if state is not None:  # the first poll after a change draws its delay over the interval (as the JS)
            every = 2.0 * random.uniform(0.5, 1.5)
        to_deadline = context["deadline"] - time.monotonic()
        if context.get("phase") == "question" and to_deadline < every:
            every = max(0.0, to_deadline) + 0.1 + random.uniform(0, 1.5)
        gevent.sleep(every)

    def answer(client, context, position):
        body = {"game": game, "position": position, "response": [random.choice("ABCD")]}
        started = time.perf_counter()
        with client.post(handler(usage_id, "live_answer"), data=json.dumps(body), headers=context["headers"],
                         name="answer", catch_response=True) as reply:
            phases.add("answer", started, reply)
            if reply.status_code == 200:
                tally["accepted"] += 1
                context["answered"].add(position)
                reply.success()
            elif reply.status_code == 409 and (reply.json() or {}).get("code") == "closed":
                tally["late"] += 1  # the server's deadline refused it: counted, not an error
                reply.success()
            else:
                reply.failure(f"HTTP {reply.status_code}")

    def host_loop():
        # The host starts when the room has joined (as on the projector's count), at most 60 s.
        from party_training.edx_plugin.knowledge_contest.models import LivePlayer  # pylint: disable=import-outside-toplevel
        waited = time.monotonic() + 60
        while LivePlayer.objects.filter(game_id=game).count() < len(users) and time.monotonic() < waited:
            gevent.sleep(0.5)
        gevent.sleep(1)
        for _number in range(questions):
            requests.post(server_url + handler(usage_id, "live_control"), headers=host_headers,
                          data=json.dumps({"game": game, "action": "next"}), timeout=30).raise_for_status()
            gevent.sleep(seconds + reveal)
        requests.post(server_url + handler(usage_id, "live_control"), headers=host_headers,
                      data=json.dumps({"game": game, "action": "end"}), timeout=120).raise_for_status()
        gevent.sleep(1.5)

    result = harness.run(server_url, player, keys, len(users), 0, contexts=contexts, wait=0.0, during=host_loop)
    from party_training.edx_plugin.knowledge_contest.models import (  # pylint: disable=import-outside-toplevel
        ContestAttempt, LiveAnswer, LivePlayer,
    )
    stored = LiveAnswer.objects.filter(game_id=game).count()
    return {"game": game, "run": result, "tally": tally, "stored": stored, "phases": phases,
            "players": LivePlayer.objects.filter(game_id=game).count(),
            "attempts": ContestAttempt.objects.filter(usage_id=usage_id).count()}


def queries_per_poll(usage_id: str, users, host) -> dict:
    """Queries of a 304 poll, a full poll and an answer, at 2 players and at all of them."""
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test import Client  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.knowledge_contest import live_games  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.knowledge_contest.models import LiveGame  # pylint: disable=import-outside-toplevel

    figures = {}
    for size in (2, len(users)):
        LiveGame.objects.filter(usage_id=usage_id, open_slot="1").update(open_slot=None, pin=None, status="ended")
        client = Client()
        client.force_login(host)
        game = client.post(handler(usage_id, "live_open"), json.dumps({}), content_type="application/json").json()["game"]
        for user in users[:size]:
            live_games.join_game(game, user.pk)
        live_games.control(usage_id, game, "next")
        player = Client()
        player.force_login(users[0])
        url = f"{handler(usage_id, 'live_state')}?game={game}"
        etag = player.get(url).json()["etag"]
        counted = {}
        with CaptureQueriesContext(connection) as queries:
            assert player.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        counted["304 poll (block handler)"] = len(queries)
        counted["304 poll, the block's own"] = sum("livegame" in q["sql"] for q in queries.captured_queries)
        phones = [Client() for _user in users[:2]]  # the phones poll with their token, no session
        addresses = [_with_game(_state_as(user, url)["poll_url"], game) for user in users[:2]]
        with CaptureQueriesContext(connection) as queries:
            assert phones[0].get(addresses[0], HTTP_IF_NONE_MATCH=etag).status_code == 304
        counted["304 poll (plugin view with token, what phones poll)"] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            assert phones[0].get(addresses[0]).status_code == 200
        counted["full poll (question, phones' view)"] = len(queries)
        question = LiveGame.objects.get(pk=game).questions[0]
        with CaptureQueriesContext(connection) as queries:
            player.post(handler(usage_id, "live_answer"), json.dumps({"game": game, "position": 0,
                                                                      "response": question["answer"]}),
                        content_type="application/json")
        counted["answer (statements, without BEGIN/COMMIT)"] = sum(q["sql"] not in ("BEGIN", "COMMIT")
                                                                 for q in queries.captured_queries)
        counted["answer (all, with BEGIN/COMMIT)"] = len(queries)
        answer_sql = [q["sql"].split(" (")[0][:70] for q in queries.captured_queries]
        live_games.control(usage_id, game, "skip")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            phones[0].get(addresses[0])
        counted["full poll (reveal, the first phone builds the shared part)"] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            phones[1].get(addresses[1])
        counted["full poll (reveal, the other phones)"] = len(queries)
        figures[size] = counted
        figures["answer statements"] = answer_sql
        live_games.end_game(usage_id, game)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="6 players, 2 short questions, scratch SQLite")
    parser.add_argument("--players", type=int, default=300)
    parser.add_argument("--questions", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "0")) or None,
                        help="the server's port (default: BENCH_PORT, else a free one)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: demo/gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: demo/gunicorn.conf.py's)")
    parser.add_argument("--no-compare", action="store_true", help="skip the comparison with the bare view")
    args = parser.parse_args()
    tiny = args.tiny
    players, questions, seconds = (6, 2, 5) if tiny else (args.players, args.questions, args.seconds)
    harness.setup_django(tiny)
    usage_id, users, host = build(players, questions, branches=2 if tiny else 6)
    with harness.Server(args.port, args.workers, args.threads) as server:
        print(f"Live game: {players} players, {questions} questions of {seconds} s, "
              f"gunicorn {server.workers} workers x {server.threads} threads")
        game = play(server.url, usage_id, users, host, questions, seconds, reveal=1 if tiny else 3)
        run = game["run"]
        for name in ("state poll", "answer", "join"):
            figures = run.by_name.get(name, {"requests": 0, "errors": 0, "p50": 0, "p95": 0})
            print(f"  {name:<11} requests {figures['requests']:>6}  p50 {figures['p50']:>5.0f} ms  "
                  f"p95 {figures['p95']:>5.0f} ms  errors {figures['errors']}")
        print("By kind of reply (client latency; the server's own time in Python + database, and queries):")
        for line in game["phases"].report():
            print(line)
        tally = game["tally"]
        lost = tally["accepted"] - game["stored"]
        print(f"  polls answered 304: {tally['not_modified']} of {tally['polls']}; answers accepted "
              f"{tally['accepted']}, refused after the deadline {tally['late']}, stored {game['stored']}, "
              f"lost answers: {lost}; errors: {run.errors}; players {game['players']}, "
              f"contest attempts written {game['attempts']}")
        print("Queries (in this process, same database; the demo's session, user and role lookups included):")
        for size, counted in queries_per_poll(usage_id, users, host).items():
            if size == "answer statements":
                print("  an answer's statements: " + " | ".join(counted))
            else:
                print(f"  {size:>4} players: " + ", ".join(f"{k} {v}" for k, v in counted.items()))
        if args.no_compare:
            return 1 if (lost or run.errors) else 0
        print("304 poll against the bare one-INSERT view (load harness):")
        poll_game = _poll_target(usage_id, users, host)
        keys = session_keys(users[:32])

        def poll_304(client, context):
            client.get(poll_game["poll_url"], headers={"Cookie": context["cookie"], "If-None-Match": poll_game["etag"]},
                       name="poll 304")

        def handler_304(client, context):
            client.get(f"{handler(usage_id, 'live_state')}?game={poll_game['game']}",
                       headers={"Cookie": context["cookie"], "If-None-Match": poll_game["etag"]}, name="handler 304")

        subjects = {"bare": harness.bare_insert, "poll 304": poll_304, "handler 304": handler_304}
        harness.report(harness.compare(server.url, subjects, keys,
                                       levels=(1, 2) if tiny else harness.LEVELS, rounds=2 if tiny else 3,
                                       seconds=1 if tiny else 8, warmup=0.5 if tiny else 3, cpu=server.cpu_seconds))
    return 1 if (lost or run.errors) else 0


def _poll_target(usage_id, users, host) -> dict:
    """A question every benchmark client has joined, paused, and its ETag."""
    from django.test import Client  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.knowledge_contest import live_games  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.knowledge_contest.models import LiveGame  # pylint: disable=import-outside-toplevel
    LiveGame.objects.filter(usage_id=usage_id, open_slot="1").update(open_slot=None, pin=None, status="ended")
    client = Client()
    client.force_login(host)
    game = client.post(handler(usage_id, "live_open"), json.dumps({}), content_type="application/json").json()["game"]
    for user in users[:32]:
        live_games.join_game(game, user.pk)
    live_games.control(usage_id, game, "next")
    live_games.control(usage_id, game, "pause")  # a paused question: its ETag holds for the whole run
    player = Client()
    player.force_login(users[0])
    state = player.get(f"{handler(usage_id, 'live_state')}?game={game}").json()
    return {"game": game, "etag": state["etag"], "poll_url": _with_game(state["poll_url"], game)}


def _state_as(user, url: str) -> dict:
    from django.test import Client  # pylint: disable=import-outside-toplevel
    client = Client()
    client.force_login(user)
    return client.get(url).json()


def _with_game(url: str, game: int) -> str:
    """The poll address as the phones use it: the game in the query (after the player's token, if any)."""
    return url + ("&" if "?" in url else "?") + f"game={game}"


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"({time.monotonic() - started:.0f} s)")
    sys.exit(code)
