"""Benchmark of the compliance member export (compliance) on MariaDB: every member of the whole tree
(100,000 at the benchmark's size, the data of ``bench_compliance``) with the year's hours by source,
streamed into an XLSX workbook. Prints rows, seconds, file size and the peak memory of the process
(resident set, ``ru_maxrss``) and of Python's allocations (tracemalloc, a separate run). Goal (issue 12):
peak under 300 MB.

    DB=mysql MYSQL_DATABASE=bench_compliance .venv/bin/python tests/benchmarks/bench_compliance_export.py

(Run ``bench_compliance.py`` once first: it loads the data.) ``run(...)`` is also what the test suite
calls in its tiny mode, on the test database.
"""
from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


RSS_BEFORE: dict = {}


def run(year: int, organization=None) -> dict:
    from party_training.edx_plugin.compliance.exports import members_workbook  # pylint: disable=import-outside-toplevel

    rows = []
    started = time.perf_counter()
    content = members_workbook(year, organization, progress=rows.append)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before tracing, which costs memory itself
    tracemalloc.start()
    members_workbook(year, organization)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures = {"rows_reported": rows[-1] if rows else 0, "seconds": seconds, "bytes": len(content),
               "python_peak_mib": traced / 1024 / 1024,
               "rss_peak_mib": rss, "rss_before_mib": RSS_BEFORE.get("mib", 0.0)}
    print(f"export of {'the whole tree' if organization is None else organization.code}: "
          f"{len(content) / 1024 / 1024:.1f} MiB XLSX in {seconds:.1f} s; progress reported at {figures['rows_reported']} "
          f"rows; peak Python allocations {figures['python_peak_mib']:.1f} MiB (tracemalloc); peak resident set of "
          f"the process {figures['rss_peak_mib']:.0f} MiB (it was {figures['rss_before_mib']:.0f} MiB before the export)")
    return figures


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
    os.environ.setdefault("DB", "mysql")
    os.environ.setdefault("MYSQL_DATABASE", "bench_compliance")
    import django  # pylint: disable=import-outside-toplevel
    django.setup()
    from party_training.edx_plugin.core.models import MemberProfile  # pylint: disable=import-outside-toplevel
    print(f"{MemberProfile.objects.count()} members")
    RSS_BEFORE["mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    run(2026)


if __name__ == "__main__":
    main()
