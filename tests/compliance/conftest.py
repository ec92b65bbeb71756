"""A small tree for the compliance pages (compliance): c1 > (g1 > b1, b2), c2 > b3, with members and
hours, an organisation admin of g1 and a site admin."""
import datetime

import pytest

from party_training.edx_plugin.core.ledger import credit_hours
from party_training.edx_plugin.core.models import OrganizationAdmin

YEAR = datetime.date.today().year


@pytest.fixture
def tree(make_org, make_user):
    orgs = {"c1": make_org("c1", "第一党委", kind="committee"), "c2": make_org("c2", "第二党委", kind="committee")}
    orgs["g1"] = make_org("g1", "机关党总支", kind="general_branch", parent=orgs["c1"])
    orgs["b1"] = make_org("b1", "第一党支部", parent=orgs["g1"])
    orgs["b2"] = make_org("b2", "第二党支部", parent=orgs["g1"])
    orgs["b3"] = make_org("b3", "第三党支部", parent=orgs["c2"])
    people = {}
    # (user, organisation, categories, [(source, hours)])
    for name, org, categories, lines in [
        ("m1", "b1", ("member",), [("party_class", 20), ("contest", 14)]),  # 34 ≥ 32
        ("m2", "b1", ("member",), [("party_class", 10)]),  # 22 behind
        ("m3", "b2", ("member", "branch_secretary"), [("writing", 40)]),  # 40 < 56 behind
        ("m4", "g1", ("member",), [("self_study", 32)]),  # directly in g1, met
        ("m5", "b3", ("member",), []),  # nothing
    ]:
        user = make_user(name, org=orgs[org], categories=categories, full_name=f"党员{name}")
        for n, (source, hours) in enumerate(lines):
            credit_hours(user, hours, source, f"{name}-{n}", date=datetime.date(YEAR, 3, 1), note=f"活动{n}")
        people[name] = user
    admin = make_user("g1admin")
    OrganizationAdmin.objects.create(user=admin, organization=orgs["g1"])
    people["g1admin"] = admin
    people["site"] = make_user("site", staff=True)
    people["learner"] = people["m1"]
    return orgs, people
