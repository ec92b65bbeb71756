"""The menu selection benchmarks (menu_selection) run in their tiny mode: the script works and its
figures say what the full run must say (no server error, no seat oversubscribed, the allocation at
its LP bound)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_tiny_mode():
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "benchmarks" / "bench_menu_selection.py"), "--tiny"],
                            capture_output=True, text=True, check=False, timeout=600, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "gap 0.000" in out and "seats given 60 of 60" in out
    assert out.count("server errors 0; oversubscribed rounds 0") == 2
    assert "seats taken 5 of 5" in out and "'waiting': 35" in out and "'refused': 35" in out
