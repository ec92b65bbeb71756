"""The knowledge_contest live benchmark runs in its tiny mode (gunicorn, the locust harness, a scratch SQLite):
the script and the harness work, and the figures say what the full run must say (no error, no lost
answer, a 304 poll costs the block one query whatever the number of players)."""
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
    full = re.findall(r"full poll \(reveal: chart, boards, rank\) (\d+)", out)
    assert len(full) == 2 and full[0] == full[1]  # constant in the number of players
    assert re.findall(r"304 poll \(plugin view, what phones poll\) (\d+)", out) == ["3", "3"]
    for subject in ("bare", "poll 304", "handler 304"):
        rows = [line for line in out.splitlines() if re.match(rf"\s+\d+\s+{re.escape(subject)}\s", line)]
        assert len(rows) == 2, out  # one per concurrency level
