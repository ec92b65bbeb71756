"""The party-class sign-in benchmark (party_class) runs in its tiny mode (gunicorn, the load harness, a
scratch SQLite): the script and the harness work, every sign-in is a first one and none fails, the
runtime's own share (the bare handler) is measured beside it, and a sign-in's whole request stays within
its query budget."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_tiny_mode():
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "benchmarks" / "bench_party_class.py"), "--tiny"],
                            capture_output=True, text=True, check=False, timeout=600, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert int(re.search(r"Queries of one sign-in, the whole request: (\d+)", out).group(1)) <= 6
    for subject in ("bare", "bare handler", "party-class sign-in"):
        rows = [line for line in out.splitlines() if re.match(rf"\s+\d+\s+{re.escape(subject)}\s\s", line)]
        assert len(rows) == 2, out  # one per concurrency level
    assert re.search(r"party-class sign-in at 2 clients: .* \(goal ≤ 100 ms: (met|missed); the bare view's \d+ ms\), "
                     r"errors 0(;|$)", out, re.M), out
    # Each round measured the CPU per request of the server (and the load); the table prints the medians.
    cpu = re.search(r"^\s+2\s+party-class sign-in\s.*\s(\d+\.\d\d) / (\d+\.\d\d) / (\d+\.\d\d)$", out, re.M)
    assert cpu and float(cpu.group(1)) > 0 and float(cpu.group(3)) > 0, out
    # The runtime's own share: the bare view's INSERT from a block's handler, and the sign-in against it.
    assert re.search(r"^bare handler \(the bare view's INSERT from a block's handler\) at 2 clients: [\d.]+ of the "
                     r"bare view; CPU ms per request, server [\d.]+ \(bare [\d.]+\), "
                     r"database [\d.]+ \(bare [\d.]+\); against the bare handler: "
                     r"party-class sign-in [\d.]+$", out, re.M), out
