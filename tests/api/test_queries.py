"""Each request runs a bounded number of queries: adding members, organisations and ledger lines
does not add queries (no query per row)."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from party_training.edx_plugin.core.models import OrganizationAdmin
from party_training.edx_plugin.core.ledger import credit_hours

from .conftest import API, YEAR

PATHS = {
    "organizations": lambda t: "organizations/",
    "compliance": lambda t: f"organizations/{t['g1'].pk}/compliance/?year={YEAR}",
    "members": lambda t: "members/",
    "members_filtered": lambda t: f"members/?organization={t['g1'].pk}&category=member",
    "member_hours": lambda t: f"members/target/hours/?year={YEAR}",
    "member_entries": lambda t: "members/target/entries/",
    "my_hours": lambda t: f"me/hours/?year={YEAR}",
}


def grow(tree, make_org, make_user, users, size):
    """More branches under g1, each with members and ledger lines, and more lines for target."""
    day = datetime.date(YEAR, 6, 1)
    for n in range(size):
        branch = make_org(f"grown{n}", parent=tree["g1"])
        for m in range(3):
            user = make_user(f"grown{n}-{m}", org=branch, categories=("member", "activist"))
            credit_hours(user, 10, "self_study", "s1", date=day)
        credit_hours(users["target"], 1, "contest", f"grown-{n}", date=day)
        credit_hours(users["learner"], 1, "contest", f"grown-{n}", date=day)


def count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API + path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "admin_g1"])
def test_queries_do_not_grow_with_the_data(client_for, tree, users, make_org, make_user, role):
    client = client_for(role)
    before = {name: count(client, path(tree)) for name, path in PATHS.items()}
    grow(tree, make_org, make_user, users, 15)
    after = {name: count(client, path(tree)) for name, path in PATHS.items()}
    assert after == before
    assert max(after.values()) <= 10, after


def test_learner_queries_do_not_grow_with_the_data(client_for, tree, users, make_org, make_user):
    client = client_for("learner")
    before = (count(client, "members/"), count(client, f"me/hours/?year={YEAR}"))
    grow(tree, make_org, make_user, users, 10)
    assert (count(client, "members/"), count(client, f"me/hours/?year={YEAR}")) == before


def test_admin_of_many_subtrees_costs_no_query_per_subtree(client_for, tree, users, make_org):
    client = client_for("admin_c2")
    before = count(client, "members/")
    for n in range(8):
        OrganizationAdmin.objects.create(user=users["admin_c2"], organization=make_org(f"extra{n}", kind="committee"))
    assert count(client, "members/") == before
