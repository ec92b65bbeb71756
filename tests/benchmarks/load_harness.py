"""One load harness for the HTTP benchmarks (issue 16): the demo site under gunicorn (gthread), load
from locust used as a library (headless, in this process), warm-up, alternating rounds at the same
concurrency levels, every figure as min/median/max of the rounds and as a ratio to a bare view doing
one INSERT (``/bench/insert/``) measured in the same run.

A benchmark script:

    from tests.benchmarks import load_harness as harness     # first: locust patches the standard library
    from tests.benchmarks import bench_data
    harness.setup_django(tiny)                               # the same database settings as the server
    ... create its data with the ORM ...
    with harness.Server(port) as server:
        sessions = bench_data.session_keys(users)            # signed-in session cookies, no login requests
        results = harness.compare(server.url, {"bare": harness.bare_insert, "mine": my_task}, sessions,
                                  levels=(1, 8, 16, 32), rounds=3, seconds=10, warmup=3, cpu=server.cpu_seconds)
        harness.report(results, floor="bare")

A task is ``task(client, context)``: ``client`` is locust's fast HTTP client (its requests are timed
and counted), ``context`` a dict per simulated user holding its ``headers`` (session cookie, CSRF)
and anything the task keeps.
A request counts as an error when its status is not 2xx/304 (tasks may mark expected refusals as
success with ``catch_response``).

On this 2-core machine the load, the server and the database share the cores, so a subject's
throughput follows the CPU all three spend per request: each round also records that CPU per process
group (psutil, which locust itself depends on), and the table prints its median, so a ratio comes
with where it comes from.
"""
from __future__ import annotations

# locust (gevent) patches sockets and threads: it must come before Django and requests.
import locust  # noqa: F401  pylint: disable=unused-import
import gevent

import os
import runpy
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # locust's own dependency
from locust import FastHttpUser, constant
from locust.env import Environment

from tests.benchmarks.bench_data import BARE_HANDLER, BARE_HANDLER_URL, start_django

ROOT = Path(__file__).resolve().parents[2]
CSRF = "benchmarkcsrftoken0123456789abcd"  # 32 characters: a valid unmasked CSRF secret
LEVELS = (1, 8, 16, 32)
# A keep-alive connection stays with the gunicorn worker that accepted it. The clients of a round
# connect within milliseconds and one worker sometimes accepts them all: such a round (a third of
# them, seen in per-worker CPU) measures one core while the other idles, whichever subject it falls
# on. In production a proxy (Caddy in Tutor, nginx) spreads requests over the workers. So each client
# reconnects now and then, as connections in a proxy's pool come and go, and no round stays lopsided.
RECONNECT_EVERY = 20


# --- Django and the server ----------------------------------------------------------------------
def setup_django(tiny: bool) -> dict:
    """Django for the benchmark process, on the server's database: MariaDB when DB=mysql, else (the
    tiny mode) a scratch SQLite file. Returns the environment the server must get."""
    sys.path.insert(0, str(ROOT))
    if os.environ.get("DB") != "mysql":
        if not tiny:
            raise SystemExit("Run the full benchmark on MariaDB: DB=mysql MYSQL_DATABASE=... (see the script's help)")
        os.environ.setdefault("DEMO_DB", str(Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite3"))
    os.environ["DEMO_BENCH"] = "1"
    start_django()
    return {key: os.environ[key] for key in ("DB", "DEMO_DB", "MYSQL_DATABASE", "MYSQL_HOST", "MYSQL_PORT",
                                             "MYSQL_USER", "MYSQL_PASSWORD") if key in os.environ}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """The demo under gunicorn (``demo/gunicorn.conf.py``), started for the run and stopped after."""

    def __init__(self, port: int | None = None, workers: int | None = None, threads: int | None = None):
        # BENCH_PORT: a port of one's own on a shared machine; else any free one.
        self.port = port or int(os.environ.get("BENCH_PORT", "0")) or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DEMO_BENCH": "1", "DEMO_DEBUG": "0", "DEMO_CONN_MAX_AGE": "60",
                    "GUNICORN_BIND": f"127.0.0.1:{self.port}", "PYTHONPATH": str(ROOT)}
        # Unless told, the workers and threads are the ones demo/gunicorn.conf.py chooses.
        for name, value in (("GUNICORN_WORKERS", workers), ("GUNICORN_THREADS", threads)):
            if value:
                self.env[name] = str(value)
        conf = runpy.run_path(str(ROOT / "demo" / "gunicorn.conf.py"))
        self.workers, self.threads = workers or conf["workers"], threads or conf["threads"]
        self.process = None

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen([str(gunicorn), "-c", str(ROOT / "demo" / "gunicorn.conf.py")],
                                        cwd=str(ROOT), env=self.env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                gevent.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds used so far by the server (gunicorn's master and workers), the local database
        server (MariaDB/MySQL on this machine; absent otherwise) and this process (the load), for
        ``run`` to turn into CPU per request: on a machine where all three share the cores, throughput
        follows their sum, and this says which one a difference comes from."""
        return {"server": _cpu([psutil.Process(self.process.pid)], children=True),
                "database": _cpu(_database_processes()), "client": _cpu([psutil.Process()])}

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def _cpu(processes, children: bool = False) -> float:
    total = 0.0
    for process in processes:
        try:
            for one in [process, *(process.children(recursive=True) if children else [])]:
                times = one.cpu_times()
                total += times.user + times.system
        except psutil.Error:  # a process that ended meanwhile counts no more
            continue
    return total


def _database_processes() -> list:
    """The database server's processes when it runs on this machine (SQLite runs inside the server)."""
    local = os.environ.get("MYSQL_HOST", "127.0.0.1") in ("127.0.0.1", "localhost")
    if os.environ.get("DB") != "mysql" or not local:
        return []
    return [p for p in psutil.process_iter(["name"]) if p.info["name"] in ("mariadbd", "mysqld")]


# --- load ---------------------------------------------------------------------------------------
Task = Callable[[object, dict], None]


def bare_insert(client, context) -> None:
    """The floor: the demo's bare view (session, user, one INSERT)."""
    client.post("/bench/insert/", headers=context["headers"], name="bare insert")


def bare_handler(client, context) -> None:
    """The runtime's own share (``demo.bench_block``): the bare view's INSERT from a block's handler, so
    through the handler URL, the runtime, the block and the read of its fields, as every action."""
    client.post(BARE_HANDLER_URL, data="{}", headers=context["headers"], name=BARE_HANDLER)


@dataclass
class Run:
    users: int
    seconds: float
    requests: int = 0
    errors: int = 0
    rps: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    by_name: dict = field(default_factory=dict)
    # CPU milliseconds per request by process group ("server", "database", "client"), when measured.
    cpu_ms: dict = field(default_factory=dict)


def _user_class(task: Task, session_keys: list[str], contexts: list[dict], wait: float):
    counter = {"n": 0}

    class BenchUser(FastHttpUser):
        wait_time = constant(wait)

        def on_start(self):
            index = counter["n"] % len(session_keys)
            counter["n"] += 1
            self.bench = contexts[index] if index < len(contexts) else {}
            cookie = f"sessionid={session_keys[index]}; csrftoken={CSRF}"
            self.bench.update({"index": index, "session": session_keys[index], "cookie": cookie,
                                 "headers": {"Cookie": cookie, "X-CSRFToken": CSRF, "Content-Type": "application/json",
                                             "X-Requested-With": "XMLHttpRequest"}})
            self.sent = 0

        @locust.task
        def step(self):
            # Every RECONNECT_EVERY-th request asks the server to close the connection after it, and
            # the next one opens a new connection, which ever worker accepts it.
            self.sent += 1
            headers = self.bench["headers"]
            if self.sent % RECONNECT_EVERY == 0:
                headers["Connection"] = "close"
            else:
                headers.pop("Connection", None)
            task(self.client, self.bench)

    return BenchUser


def run(host: str, task: Task, session_keys: list[str], users: int, seconds: float, *,
        contexts: list[dict] | None = None, wait: float = 0.0, during: Callable[[], None] | None = None,
        cpu: Callable[[], dict[str, float]] | None = None) -> Run:
    """``users`` simulated users doing ``task`` in a loop (``wait`` seconds apart) for ``seconds``, or
    while ``during()`` runs (it is called in a greenlet and the load stops when it returns); ``cpu``
    (``Server.cpu_seconds``) adds the CPU per request of each process group."""
    env = Environment(user_classes=[_user_class(task, session_keys, contexts or [], wait)], host=host)
    runner = env.create_local_runner()
    cpu_before = cpu() if cpu else {}
    started = time.monotonic()
    runner.start(users, spawn_rate=max(users, 1) * 20)
    if during is not None:
        gevent.spawn(during).join()
    else:
        gevent.sleep(seconds)
    runner.quit()
    elapsed = time.monotonic() - started
    total = env.stats.total
    result = Run(users=users, seconds=elapsed, requests=total.num_requests, errors=total.num_failures,
                 rps=total.num_requests / elapsed if elapsed else 0.0,
                 p50=total.get_response_time_percentile(0.5) or 0.0,
                 p95=total.get_response_time_percentile(0.95) or 0.0)
    if cpu and result.requests:
        result.cpu_ms = {name: (used - cpu_before[name]) * 1000 / result.requests for name, used in cpu().items()}
    for (name, _method), entry in env.stats.entries.items():
        result.by_name[name] = {"requests": entry.num_requests, "errors": entry.num_failures,
                                "p50": entry.get_response_time_percentile(0.5) or 0.0,
                                "p95": entry.get_response_time_percentile(0.95) or 0.0}
    return result


def compare(host: str, subjects: dict[str, Task], session_keys: list[str], *, levels=LEVELS, rounds: int = 3,
            seconds: float = 10, warmup: float = 3, contexts: list[dict] | None = None,
            cpu: Callable[[], dict[str, float]] | None = None) -> dict:
    """Every subject at every level, ``rounds`` times, alternating the order each round (so drift in
    the machine falls on every subject alike), after a warm-up of each subject. Returns
    ``{level: {subject: [Run, ...]}}``."""
    for task in subjects.values():
        run(host, task, session_keys, max(levels), warmup, contexts=contexts)
    results: dict = {}
    names = list(subjects)
    for level in levels:
        results[level] = {name: [] for name in names}
        for number in range(rounds):
            order = names if number % 2 == 0 else list(reversed(names))
            for name in order:
                results[level][name].append(run(host, subjects[name], session_keys, level, seconds,
                                                contexts=contexts, cpu=cpu))
    return results


def spread(values) -> str:
    values = list(values)
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def report(results: dict, floor: str = "bare") -> list[str]:
    """Print (and return) one line per level and subject: requests/s, p50, p95 as min/median/max of
    the rounds, errors, the throughput ratio to ``floor`` round by round, and (when measured) the
    median CPU milliseconds per request of the server, the database and the load."""
    lines = ["clients  subject               req/s min/med/max        p50 ms min/med/max     "
             "p95 ms min/med/max     errors  ratio to bare min/med/max  CPU ms/request server/db/load"]
    for level, subjects in results.items():
        base = subjects.get(floor, [])
        for name, runs in subjects.items():
            ratios = _ratios(runs, base)
            ratio = (f"{min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}"
                     if ratios else "-")
            lines.append(f"{level:>7}  {name:<20}  {spread(r.rps for r in runs):<23}  "
                         f"{spread(r.p50 for r in runs):<21}  {spread(r.p95 for r in runs):<21}  "
                         f"{sum(r.errors for r in runs):>6}  {ratio:<25}  {cpu_line(runs)}")
    print("\n".join(lines))
    return lines


def _ratios(runs, base) -> list[float]:
    """Each round's throughput over the floor's in the same round."""
    return [r.rps / b.rps for r, b in zip(runs, base) if b.rps]


def cpu_medians(runs) -> dict[str, float]:
    """The median CPU ms per request of each process group over ``runs`` ({} where not measured)."""
    measured = [r.cpu_ms for r in runs if r.cpu_ms]
    return {group: statistics.median(m[group] for m in measured) for group in measured[0]} if measured else {}


def cpu_line(runs) -> str:
    """The table's CPU column: server / database / load, or "-" where not measured."""
    medians = cpu_medians(runs)
    return " / ".join(f"{medians[group]:.2f}" for group in ("server", "database", "client")) if medians else "-"


def at_level(results: dict, level: int, floor: str = "bare") -> dict:
    """Per subject at one level: median req/s, median p95, errors of all rounds, median ratio to ``floor``,
    median CPU ms per request of each process group (when measured)."""
    subjects = results[level]
    base = subjects.get(floor, [])
    out = {}
    for name, runs in subjects.items():
        ratios = _ratios(runs, base)
        out[name] = {"rps": statistics.median(r.rps for r in runs), "p95": statistics.median(r.p95 for r in runs),
                     "errors": sum(r.errors for r in runs), "requests": sum(r.requests for r in runs),
                     "ratio": statistics.median(ratios) if ratios else 0.0, "cpu_ms": cpu_medians(runs)}
    return out


def cpu_words(mine: dict, bare: dict | None) -> str:
    """The server's and the database's CPU per request against the bare view's: what a ratio comes from."""
    if not mine.get("cpu_ms") or not bare or not bare.get("cpu_ms"):
        return ""
    return "; CPU ms per request, server {:.2f} (bare {:.2f}), database {:.2f} (bare {:.2f})".format(
        mine["cpu_ms"]["server"], bare["cpu_ms"]["server"], mine["cpu_ms"]["database"], bare["cpu_ms"]["database"])


def runtime_line(results: dict, level: int, figures: dict, subjects: list[str]) -> str:
    """The runtime's own share at ``level`` (``figures``: ``at_level`` of it): the bare handler against the
    bare view, and each of ``subjects`` against the bare handler (medians of the per-round ratios)."""
    if BARE_HANDLER not in figures:
        return ""
    against = at_level(results, level, floor=BARE_HANDLER)
    mine = figures[BARE_HANDLER]
    return (f"{BARE_HANDLER} (the bare view's INSERT from a block's handler) at {level} clients: "
            f"{mine['ratio']:.2f} of the bare view{cpu_words(mine, figures['bare'])}; "
            "against the bare handler: " + ", ".join(f"{name} {against[name]['ratio']:.2f}" for name in subjects))


def uptime() -> str:
    """The machine's load beside the figures (they depend on what else runs)."""
    try:
        # In UTC like the shell's: Django set TZ to the site's zone in this process.
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False,
                              env={**os.environ, "TZ": "UTC"}).stdout.strip()
    except OSError:
        return "(uptime unavailable)"
