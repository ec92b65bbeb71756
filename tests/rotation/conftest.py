"""Fixtures of the rotation training tests (rotation): a committee with two branches and a branch of
another committee, staff of each kind, members of several categories, and a program with classes."""
import datetime

import pytest
from django.utils import timezone

from party_training.edx_plugin.core.models import OrganizationAdmin
from party_training.edx_plugin.rotation.programs import create_program

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def tree(make_org):
    root = make_org("R-ROOT", "县委党校", "committee")
    other = make_org("R-OTHER", "另一县委", "committee")
    return {"root": root, "b1": make_org("R-B1", "第一支部", "branch", root),
            "b2": make_org("R-B2", "第二支部", "branch", root), "b3": make_org("R-B3", "第三支部", "branch", root),
            "other": other, "ob": make_org("R-OB", "外县支部", "branch", other)}


@pytest.fixture
def people(make_user, tree):
    admin = make_user("rot_admin", staff=True)
    orgadmin = make_user("rot_orgadmin", org=tree["root"], categories=("general_cadre",))
    OrganizationAdmin.objects.create(user=orgadmin, organization=tree["root"])
    outsider_admin = make_user("rot_outsider", org=tree["other"])
    OrganizationAdmin.objects.create(user=outsider_admin, organization=tree["other"])
    return {
        "admin": admin, "orgadmin": orgadmin, "outsider_admin": outsider_admin,
        "alice": make_user("alice", org=tree["b1"], full_name="张三"),
        "bob": make_user("bob", org=tree["b1"], full_name="李四"),
        "carol": make_user("carol", org=tree["b2"], categories=("branch_secretary", "member"), full_name="王五"),
        "dave": make_user("dave", org=tree["b3"], categories=("rural_member",), full_name="赵六"),
        "far": make_user("far", org=tree["ob"], full_name="远方"),
    }


def program_data(tree, **extra):
    today = timezone.localdate()
    data = {"name": "2026年党员集中轮训", "season": "winter", "kind": "members", "required_hours": "6",
            "starts": today.isoformat(), "ends": (today + datetime.timedelta(days=30)).isoformat(),
            "organization": str(tree["root"].pk), "roots": [str(tree["root"].pk)], "year": str(today.year)}
    data.update(extra)
    return data


@pytest.fixture
def program(people, tree):
    return create_program(people["orgadmin"], program_data(tree))


def session_times(minutes_ago=5, length_hours=3):
    start = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return start, start + datetime.timedelta(hours=length_hours)
