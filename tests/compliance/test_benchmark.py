"""The compliance benchmark (compliance) in its tiny mode: the same code on the test tree, so the
benchmark never rots (the figures come from ``tests/benchmarks/bench_compliance.py`` on MariaDB)."""
import pytest

from tests.benchmarks import bench_compliance

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_benchmark_runs_on_a_small_tree(tree, capsys, monkeypatch):
    orgs, _people = tree
    monkeypatch.setattr(bench_compliance, "YEAR", YEAR)
    bench_compliance.run_all(1, orgs["c1"], orgs["b1"])
    out = capsys.readouterr().out
    assert "whole tree" in out and "one branch" in out and "EXPLAIN" in out
    assert "queries" in out
