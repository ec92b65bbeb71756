"""The case discussion benchmark (case_discussion) in its tiny mode: it runs, prints its figures,
and every page it measures runs the same queries on every round (no timing asserted)."""
import pytest

from tests.benchmarks import bench_case_discussion


@pytest.mark.django_db
def test_the_benchmark_runs_in_tiny_mode():
    lines = []
    queries = bench_case_discussion.run(posts=60, rounds=3, out=lines.append)
    assert lines[0].startswith("case discussion on") and len(lines) == 1 + len(queries)
    assert all("median" in line and "queries" in line for line in lines[1:])
    assert all(len(set(counts)) == 1 for counts in queries.values()), queries
    feed = {name: counts[0] for name, counts in queries.items() if name.startswith("feed page") and name != "feed page 1"}
    assert len(set(feed.values())) == 1, feed
