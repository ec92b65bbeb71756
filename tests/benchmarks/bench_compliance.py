"""Benchmark of the compliance summary on MariaDB: 100,000 members in 5,000 organisations, 2,000,000 hour entries.

Run (creates the database ``bench_compliance``, migrates it, loads the data once and reuses it later)::

    DB=mysql MYSQL_DATABASE=bench_compliance .venv/bin/python tests/benchmarks/bench_compliance.py

Prints, for the whole tree, one committee and one branch: min/median/max wall time of several runs
(after a warm-up), the number of queries and the peak Python memory (tracemalloc, measured in a separate
run because tracing slows the code down), for the summary (``compliance_summary``, the API's) and for
the compliance page (the drill-down view, server time through Django's test client); then EXPLAIN of
the queries used. Targets (issues 12 and 16): whole tree under 1 s and one branch under 50 ms on a
default MariaDB configuration, constant queries per page. ``--tiny`` runs the same code on the test
database's small tree (the test suite runs it so the benchmark never rots).
"""
from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks.bench_data import mysql_args, start_django  # noqa: E402

# The tree: one provincial committee > 49 committees > 450 general branches > 4,500 branches.
COMMITTEES, GENERAL_BRANCHES, BRANCHES = 49, 450, 4500
ORGANIZATIONS = 1 + COMMITTEES + GENERAL_BRANCHES + BRANCHES
MEMBERS = 100_000
ENTRIES_PER_MEMBER = 20  # 14 this year, 6 last year: 2,000,000 lines
YEAR = 2026
SEED = 2026


def data_is_loaded() -> bool:
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.models import (  # pylint: disable=import-outside-toplevel
        HourEntry, MemberProfile, MemberYearHours, Organization)
    return (
        Organization.objects.count() == ORGANIZATIONS and MemberProfile.objects.count() == MEMBERS
        and get_user_model().objects.filter(username__startswith="m").count() == MEMBERS
        and HourEntry.objects.count() == MEMBERS * ENTRIES_PER_MEMBER and MemberYearHours.objects.exists()
    )


def _organizations(rng: random.Random) -> list[tuple]:
    """(id, code, name, kind, parent_id, path, depth) rows with explicit ids, so paths are known up front."""
    rows: dict[int, tuple] = {}

    def add(pk: int, kind: str, name: str, parent: int | None) -> None:
        path = (rows[parent][5] if parent else "") + f"{pk:08d}/"
        rows[pk] = (pk, f"B{pk:05d}", name, kind, parent, path, path.count("/") - 1)

    add(1, "committee", "省委直属机关党委", None)
    first_gb, first_branch = 2 + COMMITTEES, 2 + COMMITTEES + GENERAL_BRANCHES
    for pk in range(2, first_gb):
        add(pk, "committee", f"第{pk - 1}党委", 1)
    for pk in range(first_gb, first_branch):
        add(pk, "general_branch", f"第{pk - first_gb + 1}党总支", rng.randrange(2, first_gb))
    for pk in range(first_branch, ORGANIZATIONS + 1):
        add(pk, "branch", f"第{pk - first_branch + 1}党支部", first_gb + (pk - first_branch) % GENERAL_BRANCHES)
    return list(rows.values())


def _load(conn, table: str, columns: list[str], rows) -> None:
    """LOAD DATA LOCAL INFILE from a tab-separated temporary file: the fastest bulk path of MariaDB."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".tsv", delete=False) as handle:
        for row in rows:
            handle.write("\t".join(r"\N" if v is None else str(v) for v in row) + "\n")
        name = handle.name
    try:
        conn.cursor().execute(
            f"LOAD DATA LOCAL INFILE %s INTO TABLE `{table}` CHARACTER SET utf8mb4 ({', '.join(columns)})", [name],
        )
        conn.commit()
    finally:
        os.unlink(name)


def load_data() -> None:
    """Generate the tree, members, categories and ledger, and bulk-load them into the emptied tables."""
    import MySQLdb  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.models import MemberCategory  # pylint: disable=import-outside-toplevel

    rng = random.Random(SEED)
    categories = {c.code: (c.pk, c.yearly_hours) for c in MemberCategory.objects.all()}
    conn = MySQLdb.connect(**mysql_args(os.environ["MYSQL_DATABASE"]))
    cursor = conn.cursor()
    cursor.execute("SET FOREIGN_KEY_CHECKS = 0")  # session only: tables are emptied and refilled consistently
    for table in ("party_training_memberyearhours", "party_training_hourentry", "party_training_memberprofile_categories",
                  "party_training_memberprofile", "party_training_organizationadmin", "party_training_organization",
                  "auth_user"):
        cursor.execute(f"TRUNCATE TABLE `{table}`")

    started = time.perf_counter()
    organizations = _organizations(rng)
    _load(conn, "party_training_organization", ["id", "code", "name", "kind", "parent_id", "path", "depth"],
          organizations)
    branch_ids = [o[0] for o in organizations if o[3] == "branch"]
    general_ids = [o[0] for o in organizations if o[3] == "general_branch"]
    branch_weights = [rng.uniform(0.3, 1.7) for _ in branch_ids]
    # 95% of members sit in branches (of uneven size), the rest in general-branch offices.
    member_orgs = rng.choices(branch_ids, branch_weights, k=MEMBERS * 95 // 100)
    member_orgs += rng.choices(general_ids, k=MEMBERS - len(member_orgs))
    rng.shuffle(member_orgs)

    now = "2026-01-01 00:00:00"
    _load(conn, "auth_user", ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
                              "is_staff", "is_active", "date_joined"],
          ((pk, "!", 0, f"m{pk:06d}", "", "", f"m{pk:06d}@example.com", 0, 1, now) for pk in range(1, MEMBERS + 1)))
    _load(conn, "party_training_memberprofile", ["id", "user_id", "organization_id", "full_name", "position"],
          ((pk, pk, member_orgs[pk - 1], f"党员{pk}", "") for pk in range(1, MEMBERS + 1)))

    requirement: list = [None] * (MEMBERS + 1)
    links = []
    extra = [("branch_secretary", 0.08), ("general_cadre", 0.05), ("leading_cadre", 0.01), ("retired_member", 0.1)]
    for pk in range(1, MEMBERS + 1):
        codes = ["member"] + [code for code, share in extra if rng.random() < share]
        links.extend((pk, categories[code][0]) for code in codes)
        requirement[pk] = max(categories[code][1] for code in codes)
    _load(conn, "party_training_memberprofile_categories", ["memberprofile_id", "membercategory_id"], links)

    kinds = ["party_class", "contest", "writing", "rotation", "course", "self_study"]

    def entries():
        this_year = ENTRIES_PER_MEMBER * 7 // 10
        for pk in range(1, MEMBERS + 1):
            # Diligence spreads members around their requirement: roughly half meet it.
            per_entry = float(requirement[pk]) / this_year * rng.uniform(0.5, 1.6)
            for n in range(ENTRIES_PER_MEMBER):
                year = YEAR if n < this_year else YEAR - 1
                hours = max(0.5, round(per_entry * rng.uniform(0.5, 1.5) * 2) / 2)
                day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(330))
                kind = kinds[n % len(kinds)]
                ref = f"bench-{n}"
                yield (pk, year, f"{hours:.2f}", kind, ref, "", "", day.isoformat(), "", f"{kind}:{pk}:{ref}", now)

    _load(conn, "party_training_hourentry", ["user_id", "year", "hours", "source_kind", "source_ref", "course_id",
                                             "usage_id", "date", "note", "idempotency_key", "created"], entries())
    # The bulk load bypassed HourEntry.save, which keeps the yearly hours by source: recompute them.
    from party_training.edx_plugin.core.compliance import rebuild_member_year_hours  # pylint: disable=import-outside-toplevel
    rebuild_member_year_hours()
    for table in ("party_training_organization", "party_training_memberprofile",
                  "party_training_memberprofile_categories", "party_training_hourentry",
                  "party_training_memberyearhours"):
        cursor.execute(f"ANALYZE TABLE `{table}`")
        cursor.fetchall()
    conn.close()
    print(f"loaded {ORGANIZATIONS} organisations, {MEMBERS} members, {MEMBERS * ENTRIES_PER_MEMBER} hour entries "
          f"in {time.perf_counter() - started:.0f} s")


def measure(label: str, call, runs: int, describe=None) -> None:
    from django.db import connection, reset_queries  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    call()  # warm the buffer pool and the connection
    call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        timings.append(time.perf_counter() - started)
    reset_queries()  # DEBUG's query log is capped: emptied, so the capture below counts from zero
    with CaptureQueriesContext(connection) as queries:
        call()
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: min {min(timings) * 1000:.1f} / median {statistics.median(timings) * 1000:.1f} / "
          f"max {max(timings) * 1000:.1f} ms over {runs} runs; {len(queries)} queries; "
          f"peak memory {peak / 1024 / 1024:.1f} MiB; {describe(result) if describe else ''}")
    return queries


def _summary_row(result) -> str:
    top = max(result.values(), key=lambda row: row.members)
    return f"{len(result)} organisations; top row: {top.members} members, {top.compliant} compliant, {top.percent}%"


def _page(client, org_id):
    def call():
        response = client.get("/party-training/compliance/", {"year": YEAR, **({"org": org_id} if org_id else {})})
        assert response.status_code == 200, response.status_code
        return response
    return call


def explain(sql: str, params) -> None:
    from django.db import connection  # pylint: disable=import-outside-toplevel
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        columns = [c[0] for c in cursor.description]
        print("  " + " | ".join(columns))
        for row in cursor.fetchall():
            print("  " + " | ".join("" if v is None else str(v) for v in row))


def run_all(runs: int, committee, branch) -> None:
    """The figures: summaries, pages, then EXPLAIN of the page's figures query and the summary's."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.test import Client  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core import compliance_tree  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.compliance import compliance_summary  # pylint: disable=import-outside-toplevel

    print(f"--- compliance_summary (the API's), year {YEAR}")
    measure("whole tree", lambda: compliance_summary(YEAR), runs, _summary_row)
    measure(f"one committee ({committee.code})", lambda: compliance_summary(YEAR, committee), runs, _summary_row)
    measure(f"one branch ({branch.code})", lambda: compliance_summary(YEAR, branch), runs * 3, _summary_row)

    admin, _ = get_user_model().objects.get_or_create(username="bench_site_admin", defaults={"is_staff": True})
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-cn")
    client.force_login(admin)
    print("--- the compliance page (server time, Django test client, signed in as a site admin)")
    for label, org, n in (("whole tree (top)", None, runs), (f"one committee ({committee.code})", committee, runs),
                          (f"one branch ({branch.code})", branch, runs * 3)):
        measure(label, _page(client, org.pk if org else None), n, lambda r: f"{len(r.content) // 1024} KiB")

    print("--- EXPLAIN: the page's figures query (whole tree), then for one branch")
    sql, params = _grouped_sql(compliance_tree, None, 9)
    explain(sql, params)
    sql, params = _grouped_sql(compliance_tree, branch.path, len(branch.path) + 9)
    explain(sql, params)


def _grouped_sql(module, root_path, prefix_length):
    """The SQL ``compliance_tree._grouped`` runs, captured rather than rebuilt."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel
    with CaptureQueriesContext(connection) as queries:
        list(module._grouped(YEAR, root_path, prefix_length, None))  # pylint: disable=protected-access
    sql = queries.captured_queries[-1]["sql"]
    return sql, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per case (median reported)")
    parser.add_argument("--reload", action="store_true", help="regenerate the data even if it is there")
    args = parser.parse_args()

    # Set here, not on import: the test suite imports this module for its tiny mode.
    os.environ.setdefault("DB", "mysql")
    os.environ.setdefault("MYSQL_DATABASE", "bench_compliance")
    start_django()  # every app: the page measured needs sessions too
    from party_training.edx_plugin.core.models import Organization  # pylint: disable=import-outside-toplevel

    if args.reload or not data_is_loaded():
        load_data()
    else:
        print("reusing the data already loaded")

    committee = Organization.objects.filter(kind="committee", depth=1).order_by("pk").first()
    branch = Organization.objects.filter(kind="branch").order_by("pk").first()
    run_all(args.runs, committee, branch)


if __name__ == "__main__":
    main()
