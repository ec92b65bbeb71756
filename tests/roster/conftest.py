"""Helpers of the roster import tests: CSV bytes in any encoding, imports from bytes, table counts."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from party_training.edx_plugin.core.models import MemberProfile, Organization
from party_training.edx_plugin.roster.imports import RosterResult, import_roster, import_roster_files

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "roster"
ORG_HEADER = ["组织编码", "组织名称", "组织类型", "上级组织编码"]
MEMBER_HEADER = ["用户名", "姓名", "邮箱", "所属组织编码", "党员类别", "入党日期", "职务"]


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def run(data: bytes, name: str = "roster.csv", *, dry_run: bool = False) -> RosterResult:
    return import_roster(io.BytesIO(data), name, dry_run=dry_run)


def run_many(*files: tuple[bytes, str], dry_run: bool = False) -> RosterResult:
    return import_roster_files([(io.BytesIO(data), name) for data, name in files], dry_run=dry_run)


def counts() -> tuple[int, int, int, int, str]:
    """Rows of every table an import writes, and a digest of their content."""
    through = MemberProfile.categories.through
    content = repr((
        list(Organization.objects.order_by("pk").values_list("code", "name", "kind", "parent_id", "path")),
        list(MemberProfile.objects.order_by("pk").values_list("user_id", "organization_id", "full_name",
                                                              "join_date", "position")),
        list(through.objects.order_by("pk").values_list("memberprofile_id", "membercategory_id")),
        list(get_user_model().objects.order_by("pk").values_list("username", "email")),
    ))
    return (Organization.objects.count(), MemberProfile.objects.count(), through.objects.count(),
            get_user_model().objects.count(), content)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def english():
    """Messages in English, so that assertions read the msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo_tree(db):
    """The demo organisation tree, imported."""
    result = run(fixture_bytes("demo_organizations.csv"), "demo_organizations.csv")
    assert result.ok, [str(e) for e in result.errors]
    return result
