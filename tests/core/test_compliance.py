"""compliance_summary against a brute-force count, and its query budget."""
import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from party_training.edx_plugin.core.models import HourEntry, MemberProfile, Organization
from party_training.edx_plugin.core.ledger import credit_hours, reverse_entry
from party_training.edx_plugin.core.compliance import compliance_summary

YEAR = 2026
CATEGORY_SETS = [("member",), ("member", "branch_secretary"), ("member", "leading_cadre"), ("general_cadre",),
                 ("activist",), ()]


def brute_force(year, root=None):
    """Per organisation: (members in its subtree, members whose year total reaches their requirement)."""
    orgs = Organization.objects.filter(path__startswith=root.path) if root else Organization.objects.all()
    met = {}
    for profile in MemberProfile.objects.select_related("organization").prefetch_related("categories"):
        total = sum(HourEntry.objects.filter(user_id=profile.user_id, year=year).values_list("hours", flat=True),
                    Decimal(0))
        required = max((c.yearly_hours for c in profile.categories.all()), default=Decimal(0))
        met[profile.pk] = (profile.organization.path, total >= required)
    return {
        org.pk: (
            sum(1 for path, _ok in met.values() if path.startswith(org.path)),
            sum(1 for path, ok in met.values() if path.startswith(org.path) and ok),
        )
        for org in orgs
    }


def as_counts(summary):
    return {pk: (row.members, row.compliant) for pk, row in summary.items()}


@pytest.fixture
def tree(make_org, make_user):
    """c1 > (g1 > b1, b2; g2 > b3, b4 > b41), c2 > b5; members everywhere, with random ledgers."""
    rng = random.Random(7)
    orgs = {"c1": make_org("c1", kind="committee"), "c2": make_org("c2", kind="committee")}
    orgs["g1"] = make_org("g1", kind="general_branch", parent=orgs["c1"])
    orgs["g2"] = make_org("g2", kind="general_branch", parent=orgs["c1"])
    for code, parent in [("b1", "g1"), ("b2", "g1"), ("b3", "g2"), ("b4", "g2"), ("b41", "b4"), ("b5", "c2")]:
        orgs[code] = make_org(code, parent=orgs[parent])
    members = 0
    for code in ["g1", "b1", "b1", "b2", "b3", "b3", "b4", "b41", "b41", "b5", "c2", "b5"] * 2:
        members += 1
        user = make_user(f"u{members}", org=orgs[code], categories=rng.choice(CATEGORY_SETS))
        for n in range(rng.randrange(0, 5)):
            year = rng.choice([YEAR, YEAR, YEAR - 1])
            entry, _ = credit_hours(user, rng.choice([4, 8, 16, 30, 60]), "self_study", f"s{n}",
                                    date=datetime.date(year, 5, 1))
            if rng.random() < 0.2:
                reverse_entry(entry)
    make_org("empty", parent=orgs["g2"])
    return orgs


def test_whole_tree_matches_brute_force(tree):
    summary = compliance_summary(YEAR)
    assert as_counts(summary) == brute_force(YEAR)
    assert 0 < summary[tree["c1"].pk].compliant < summary[tree["c1"].pk].members  # the data tells both apart
    assert summary[tree["c1"].pk].members + summary[tree["c2"].pk].members == MemberProfile.objects.count()
    assert summary[Organization.objects.get(code="empty").pk].members == 0
    assert as_counts(compliance_summary(YEAR - 1)) == brute_force(YEAR - 1)


@pytest.mark.parametrize("root", ["g2", "b4", "b1", "c2"])
def test_branch_matches_brute_force(tree, root):
    assert as_counts(compliance_summary(YEAR, tree[root])) == brute_force(YEAR, tree[root])


def test_exactly_the_requirement_counts_as_met(make_org, make_user):
    branch = make_org("b")
    cadre = make_user("cadre", org=branch, categories=("member", "leading_cadre"))
    credit_hours(cadre, 110, "rotation", "r1", date=datetime.date(YEAR, 1, 5))
    short = make_user("short", org=branch, categories=("leading_cadre",))
    credit_hours(short, "109.99", "rotation", "r1", date=datetime.date(YEAR, 1, 5))
    row = compliance_summary(YEAR)[branch.pk]
    assert (row.members, row.compliant, row.percent) == (2, 1, 50.0)


def test_query_count_does_not_grow_with_members(tree, make_user):
    def count(root=None):
        with CaptureQueriesContext(connection) as queries:
            compliance_summary(YEAR, root)
        return len(queries)

    before = (count(), count(tree["g2"]))
    for n in range(40):
        user = make_user(f"extra{n}", org=tree["b41"])
        credit_hours(user, 40, "self_study", "s", date=datetime.date(YEAR, 2, 1))
    assert (count(), count(tree["g2"])) == before == (3, 3)
