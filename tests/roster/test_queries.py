"""The roster import reads and writes in batches: the number of queries does not grow with the rows."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import MEMBER_HEADER, ORG_HEADER, csv_bytes, run

pytestmark = pytest.mark.django_db
CATEGORIES = ["党员", "党员；青年党员", "党员；一般干部；基层党组织书记", "入党积极分子"]


def _members(prefix: str, count: int, branch_count: int, position: str = "") -> bytes:
    return csv_bytes(MEMBER_HEADER, [
        [f"{prefix}{n:05d}", f"党员{n}", f"{prefix}{n}@example.cn", f"B{n % branch_count:03d}",
         CATEGORIES[n % len(CATEGORIES)], f"20{n % 25:02d}-07-01", position]
        for n in range(count)
    ])


def _queries(data: bytes) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = run(data)
    assert result.ok, [str(e) for e in result.errors[:5]]
    return len(queries)


def test_member_queries_do_not_grow_with_rows():
    branches = [["ROOT", "党委", "党委", ""]] + [[f"B{n:03d}", f"第{n}党支部", "党支部", "ROOT"] for n in range(40)]
    assert run(csv_bytes(ORG_HEADER, branches)).ok

    small, large = _queries(_members("s", 50, 40)), _queries(_members("l", 500, 40))
    # Batches are at most a few hundred rows on SQLite (999 parameters per statement): allow one
    # more statement per 50 rows, where a per-row import would add at least 450.
    assert large - small <= 450 // 50, (small, large)

    # Updating (new positions, so every profile changes) costs the same few batches.
    small_update, large_update = _queries(_members("s", 50, 40, "科员")), _queries(_members("l", 500, 40, "科员"))
    assert large_update - small_update <= 450 // 50, (small_update, large_update)


def test_organisation_updates_are_batched_and_creations_cost_a_fixed_few_queries():
    def tree(count: int, suffix: str = "") -> bytes:
        return csv_bytes(ORG_HEADER, [[f"O{n:04d}", f"第{n}党委{suffix}", "党委", ""] for n in range(count)])

    _queries(tree(10))
    created = _queries(tree(100))  # 90 new, 10 unchanged
    unchanged = _queries(tree(100))
    # New organisations go through save_organization, which keeps the paths: a few queries each.
    assert (created - unchanged) / 90 <= 5, (created, unchanged)
    # Renaming existing organisations is batched.
    assert _queries(tree(10, "（更名）")) == _queries(tree(100, "（又更名）")), "renames are not batched"
