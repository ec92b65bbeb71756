"""The rotation training benchmark (rotation) runs in its tiny mode: the script works and its figures
say what the full run must say (everyone seated, no class over capacity, branches kept whole, the
summary in a fixed number of queries)."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_tiny_mode():
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "benchmarks" / "bench_rotation.py"), "--tiny"],
                            capture_output=True, text=True, check=False, timeout=600, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "seated 600 of 600" in out and "classes over capacity 0" in out
    kept = re.search(r"branches kept whole (\d+) of (\d+)", out)
    assert kept and kept.group(1) == kept.group(2)
    assert "summary: 4 classes" in out and re.search(r"summary: .*; 5 queries;", out)
