"""A small organisation tree with one user per role, for the REST API tests.

    c1 (committee) > g1 (general branch) > b1, b2        c2 (committee) > b3

learner in b1, target (the member others ask about) in b2, stranger in b3; admin_g1 administers
g1's subtree, admin_c2 administers c2's subtree, staff is a site admin.
"""
import datetime

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from party_training.edx_plugin.core.models import OrganizationAdmin
from party_training.edx_plugin.core.ledger import credit_hours

YEAR = 2026
API = "/party-training/api/v1/"


@pytest.fixture
def tree(make_org):
    orgs = {"c1": make_org("c1", "一号党委", "committee"), "c2": make_org("c2", "二号党委", "committee")}
    orgs["g1"] = make_org("g1", "第一党总支", "general_branch", orgs["c1"])
    orgs["b1"] = make_org("b1", "第一党支部", "branch", orgs["g1"])
    orgs["b2"] = make_org("b2", "第二党支部", "branch", orgs["g1"])
    orgs["b3"] = make_org("b3", "第三党支部", "branch", orgs["c2"])
    return orgs


@pytest.fixture
def users(tree, make_user):
    people = {
        "learner": make_user("learner", org=tree["b1"]),
        "target": make_user("target", org=tree["b2"], categories=("member", "leading_cadre")),
        "stranger": make_user("stranger", org=tree["b3"]),
        "admin_g1": make_user("admin_g1", org=tree["g1"], categories=("member", "branch_secretary")),
        "admin_c2": make_user("admin_c2"),
        "staff": make_user("staff", staff=True),
    }
    OrganizationAdmin.objects.create(user=people["admin_g1"], organization=tree["g1"])
    OrganizationAdmin.objects.create(user=people["admin_c2"], organization=tree["c2"])
    day = datetime.date(YEAR, 4, 1)
    credit_hours(people["learner"], 20, "party_class", "pc-1", date=day)
    credit_hours(people["learner"], 12, "contest", "contest-1", date=day)
    credit_hours(people["target"], 60, "rotation", "spring", date=day)
    credit_hours(people["target"], 8, "self_study", "old", date=datetime.date(YEAR - 1, 4, 1))
    credit_hours(people["stranger"], 40, "course", "course-v1:X+Y+Z", date=day)
    return people


@pytest.fixture
def client_for(users):
    """client_for("learner") is an API client signed in (session) as that user; None is anonymous."""
    def _client(role=None, language="en"):
        client = APIClient()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if role is not None:
            client.force_login(users[role])
        return client

    return _client
