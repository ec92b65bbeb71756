"""The knowledge_contest live benchmark runs in its tiny mode (gunicorn, the locust harness, a scratch SQLite):
the script and the harness work, and the figures say what the full run must say (no error, no lost
answer, a poll costs the phones one query whatever the number of players)."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_live_benchmark_tiny_mode():
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "benchmarks" / "bench_live_contest.py"), "--tiny"],
                            capture_output=True, text=True, check=False, timeout=600, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "lost answers: 0; errors: 0" in out
    assert re.search(r"answers accepted ([1-9]\d*)", out)  # players did answer
    per_size = re.findall(r"304 poll, the block's own (\d+)", out)
    assert per_size == ["1", "1"]
    built = re.findall(r"full poll \(reveal, the first phone builds the shared part\) (\d+)", out)
    assert len(built) == 2 and built[0] == built[1]  # constant in the number of players
    # What the phones pay, whatever the number of players: one query, for a 304 and for a full poll.
    assert re.findall(r"304 poll \(plugin view with token, what phones poll\) (\d+)", out) == ["1", "1"]
    assert re.findall(r"full poll \(reveal, the other phones\) (\d+)", out) == ["1", "1"]
    assert re.findall(r"full poll \(question, phones' view\) (\d+)", out) == ["1", "1"]
    for subject in ("bare", "poll 304", "handler 304"):
        rows = [line for line in out.splitlines() if re.match(rf"\s+\d+\s+{re.escape(subject)}\s", line)]
        assert len(rows) == 2, out  # one per concurrency level
