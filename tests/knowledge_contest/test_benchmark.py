"""The contest answer benchmark (knowledge_contest) runs in its tiny mode (gunicorn, the load harness, a
scratch SQLite): the contest answer, the party-class sign-in and the xblock-poll vote are measured in
one run against the bare view with no error, each action's whole request is counted, and the poll's
tally is checked against its voters' own votes. The in-process profile of the same actions runs too."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_tiny_mode():
    pytest.importorskip("poll")  # xblock-poll: not in the Python 3.12 env (see tox.ini)
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "benchmarks" / "bench_knowledge_contest.py"),
                             "--tiny"], capture_output=True, text=True, check=False, timeout=600, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    queries = re.search(r"contest answer (\d+), party-class sign-in (\d+), poll vote (\d+)", out)
    assert int(queries.group(1)) <= 6 and int(queries.group(2)) <= 6, out
    for subject in ("bare", "bare handler", "contest answer", "party-class sign-in", "poll vote"):
        rows = [line for line in out.splitlines() if re.match(rf"\s+\d+\s+{re.escape(subject)}\s\s", line)]
        assert len(rows) == 2, out  # one per concurrency level
    assert re.search(r"contest answer / poll vote at 2 clients: [\d.]+x \(goal ≥ 2: (met|missed); the bare view's "
                     r"[\d.]+x, the bare handler's [\d.]+x\); errors: answer 0, poll vote 0", out), out
    assert re.search(r"lost tally updates \(tally off by\): \d+", out), out
    assert re.search(r"^bare handler .* at 2 clients: [\d.]+ of the "
                     r"bare view; CPU ms per request, server [\d.]+ \(bare [\d.]+\), "
                     r"database [\d.]+ \(bare [\d.]+\); against the bare handler: "
                     r"contest answer [\d.]+, party-class sign-in [\d.]+, poll vote [\d.]+$", out, re.M), out


def test_profile_script_runs():
    """``profile_handlers.py`` (the in-process profile of the same actions, beside both references) runs
    on a scratch SQLite."""
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "benchmarks" / "profile_handlers.py"),
                             "--requests", "20", "--top", "3"], capture_output=True, text=True, check=False,
                            timeout=600, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for action in ("bare", "bare handler", "contest answer", "party-class sign-in"):
        assert re.search(rf"^{re.escape(action)}\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+", result.stdout, re.M), result.stdout
        assert f"=== {action}: top 3 by cumulative" in result.stdout
