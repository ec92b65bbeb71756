"""The MariaDB benchmarks' commands run as printed on a fresh machine: the database they name is
created when it is not there (``bench_data.ensure_database``, utf8mb4), and one already loaded is kept,
so that a second run reuses its data."""
import uuid

import pytest

from tests.benchmarks.bench_data import ensure_database, mysql_args


@pytest.mark.mysql
def test_a_benchmark_creates_its_database_and_keeps_it(monkeypatch):
    import MySQLdb  # pylint: disable=import-outside-toplevel
    name = f"bench_new_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("MYSQL_DATABASE", name)
    conn = MySQLdb.connect(**mysql_args())
    cursor = conn.cursor()
    try:
        ensure_database()
        cursor.execute(f"CREATE TABLE `{name}`.loaded (id INT)")
        ensure_database()  # the second run
        cursor.execute("SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s",
                       [name])
        assert cursor.fetchone() == ("utf8mb4",)
        cursor.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s", [name])
        assert cursor.fetchall() == (("loaded",),)
    finally:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()
