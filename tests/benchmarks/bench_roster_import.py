"""Benchmark of the roster import: 5,000 organisations and 100,000 members from CSV files.

Run on SQLite (a fresh temporary database file) or on MariaDB (the database ``bench_roster``,
emptied and migrated each run)::

    .venv/bin/python tests/benchmarks/bench_roster_import.py
    DB=mysql .venv/bin/python tests/benchmarks/bench_roster_import.py

The members file is GB18030, as Excel writes it in China. Prints, for each step, the wall time,
rows per second and the number of queries, then the peak resident memory of the process.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
os.environ.setdefault("MYSQL_DATABASE", "bench_roster")
SEED = 2026
CATEGORIES = ["党员", "党员；青年党员", "党员；一般干部", "党员；基层党组织书记", "党员；离退休党员", "入党积极分子",
              "党员；领导干部", "党员；新党员"]


def prepare_database() -> None:
    if os.environ.get("DB") == "mysql":
        import MySQLdb  # pylint: disable=import-outside-toplevel
        from tests.benchmarks.bench_data import ensure_database, mysql_args  # pylint: disable=import-outside-toplevel
        conn = MySQLdb.connect(**mysql_args())
        conn.cursor().execute(f"DROP DATABASE IF EXISTS `{os.environ['MYSQL_DATABASE']}`")  # every run starts empty
        conn.close()
        ensure_database()
    else:
        os.environ["DEMO_DB"] = os.path.join(tempfile.mkdtemp(prefix="bench_roster_"), "db.sqlite3")


def roster_files(organizations: int, members: int) -> tuple[bytes, bytes]:
    """A tree of committees > general branches > branches (about 1:9:90), and members spread over the branches."""
    from party_training.edx_plugin.roster.columns import MEMBERS, ORGANIZATIONS
    from party_training.edx_plugin.roster.templates import rows_csv
    rng = random.Random(SEED)
    committees = max(1, organizations // 100)
    generals = max(1, organizations // 10)
    branches = organizations - committees - generals - 1
    org_rows = [["P", "省直机关工委", "党委", ""]]
    org_rows += [[f"C{n:04d}", f"第{n}机关党委", "党委", "P"] for n in range(committees)]
    org_rows += [[f"G{n:05d}", f"第{n}党总支", "党总支", f"C{n % committees:04d}"] for n in range(generals)]
    org_rows += [[f"B{n:05d}", f"第{n}党支部", "党支部", f"G{n % generals:05d}"] for n in range(branches)]
    rng.shuffle(org_rows)  # parents anywhere in the file
    member_rows = [
        [f"m{n:06d}", f"党员{n}", f"m{n:06d}@example.cn", f"B{rng.randrange(branches):05d}", rng.choice(CATEGORIES),
         f"{rng.randrange(1960, 2026)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}", rng.choice(["", "科员"])]
        for n in range(members)
    ]
    members_csv = rows_csv(MEMBERS, member_rows).decode("utf-8-sig").encode("gb18030")
    return rows_csv(ORGANIZATIONS, org_rows), members_csv


def step(label: str, data: bytes, name: str, rows: int, dry_run: bool = False) -> None:
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.roster.imports import import_roster  # pylint: disable=import-outside-toplevel

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # Counted with a wrapper: Django's query log keeps only the last 9,000 queries.
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = import_roster(io.BytesIO(data), name, dry_run=dry_run)
        elapsed = time.perf_counter() - started
    if not result.ok:
        sys.exit(f"{label}: import failed: " + "; ".join(str(e) for e in result.errors[:5]))
    print(f"{label:<38} {elapsed:7.2f} s {rows / elapsed:8.0f} rows/s {queries:6d} queries   {result.summary()}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()

    prepare_database()
    import django  # pylint: disable=import-outside-toplevel
    django.setup()
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.utils import translation  # pylint: disable=import-outside-toplevel

    # Only the apps the import uses (party_training depends on the first auth migration only).
    for app in ("contenttypes", "auth", "party_training"):
        call_command("migrate", app, verbosity=0, interactive=False)
    translation.activate("en")
    print(f"database: {connection.vendor} {connection.Database.__name__}; "
          f"{args.organizations} organisations, {args.members} members")
    organizations, members = roster_files(args.organizations, args.members)
    changed = members.replace("科员".encode("gb18030"), "副科长".encode("gb18030"))
    step("organisations, new", organizations, "organizations.csv", args.organizations)
    step("organisations, again (unchanged)", organizations, "organizations.csv", args.organizations)
    step("members, dry run", members, "members.csv", args.members, dry_run=True)
    step("members, new (users created)", members, "members.csv", args.members)
    step("members, again (unchanged)", members, "members.csv", args.members)
    step("members, again (about half changed)", changed, "members.csv", args.members)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
