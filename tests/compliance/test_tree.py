"""The compliance drill-down (compliance): figures per organisation, drill-down and breadcrumbs, the
filters, roles (learner refused, outside the subtree 404) and a bounded number of queries."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from party_training.edx_plugin.core.compliance_tree import Figures, compliance_tree
from party_training.edx_plugin.core.ledger import credit_hours
from party_training.edx_plugin.core.models import MemberCategory
from party_training.edx_plugin.core.registry import ComplianceColumn, registry

from .conftest import YEAR

pytestmark = pytest.mark.django_db
URL = "/party-training/compliance/"


def rows_by_name(tree):
    return {(row.organization.code if row.organization else "direct"): row.figures for row in tree.rows}


def test_figures_of_the_children_count_their_subtrees(tree):
    orgs, _people = tree
    data = compliance_tree(YEAR, orgs["g1"], [])
    rows = rows_by_name(data)
    assert set(rows) == {"direct", "b1", "b2"}
    assert (rows["b1"].members, rows["b1"].compliant, rows["b1"].behind) == (2, 1, 1)
    assert rows["b1"].median == Decimal("22.00")  # (10 + 34) / 2
    assert rows["b1"].average_shortfall == Decimal("22.00")  # m2: 32 - 10
    assert rows["b2"].average_shortfall == Decimal("16.00")  # a secretary needs 56
    assert rows["direct"].members == 1 and rows["direct"].compliant == 1
    assert (data.whole.members, data.whole.compliant) == (4, 2)
    assert data.whole.by_source == {"party_class": Decimal("30.00"), "contest": Decimal("14.00"),
                                    "writing": Decimal("40.00"), "self_study": Decimal("32.00")}


def test_top_of_the_whole_tree_and_category_filter(tree):
    orgs, _people = tree
    roots = [orgs["c1"], orgs["c2"]]
    rows = rows_by_name(compliance_tree(YEAR, None, roots))
    assert (rows["c1"].members, rows["c1"].compliant, rows["c2"].members) == (4, 2, 1)
    secretary = MemberCategory.objects.get(code="branch_secretary").pk
    rows = rows_by_name(compliance_tree(YEAR, None, roots, secretary))
    assert (rows["c1"].members, rows["c1"].compliant, rows["c2"].members) == (1, 0, 0)
    # Last year nobody has hours: everyone behind.
    rows = rows_by_name(compliance_tree(YEAR - 1, None, roots))
    assert rows["c1"].compliant == 0 and rows["c1"].median == 0


def test_median_of_an_odd_and_an_even_count():
    figures = Figures()
    for total, count in ((Decimal(1), 2), (Decimal(5), 1), (Decimal(9), 1)):
        figures.add(total, count, 0, Decimal(0), [])
    assert figures.median == Decimal("3.00")
    figures.add(Decimal(9), 1, 0, Decimal(0), [])
    assert figures.median == Decimal("5.00")


def test_histogram_bins_every_member(tree):
    orgs, _people = tree
    data = compliance_tree(YEAR, orgs["c1"], [])
    assert sum(count for _label, count in data.histogram()) == data.whole.members == 4


def test_registered_column_is_shown_and_absent_otherwise(tree, client):
    orgs, people = tree
    client.force_login(people["site"])
    html = client.get(URL, {"org": orgs["g1"].pk}).content.decode()
    assert "未轮训书记" not in html
    registry.add_compliance_column(ComplianceColumn(
        key="test", label="未轮训书记", values=lambda ids, year: {orgs["b1"].pk: 7}))
    try:
        data = compliance_tree(YEAR, orgs["g1"], [])
        assert [row.extra[-1] for row in data.rows] == [None, 7, None]  # after the columns areas registered
        html = client.get(URL, {"org": orgs["g1"].pk}).content.decode()
        assert "未轮训书记" in html
    finally:
        registry._columns.pop("test")  # pylint: disable=protected-access


def test_org_admin_drills_down_with_breadcrumbs(tree, client):
    orgs, people = tree
    client.force_login(people["g1admin"])
    html = client.get(URL).content.decode()  # an admin of one organisation starts there
    assert "机关党总支" in html and "第一党支部" in html and "第二党委" not in html
    html = client.get(URL, {"org": orgs["b1"].pk}).content.decode()
    crumbs = html[html.index('class="party-breadcrumbs"'):html.index("</nav>")]
    assert "机关党总支" in crumbs and "第一党委" not in crumbs
    # The members of the branch, furthest behind first, with links to their files.
    members = html[html.index('id="compliance-members"'):]
    assert members.index("党员m2") < members.index("党员m1")
    assert "/party-training/file/m2/" in members
    assert 'id="party-compliance-data"' in html and "/party-training/vendor/echarts-5.6.0.min.js" in html


def test_roles(tree, client):
    orgs, people = tree
    client.force_login(people["learner"])
    response = client.get(URL)
    assert response.status_code == 403 and "组织管理员" in response.content.decode()
    client.force_login(people["g1admin"])
    assert client.get(URL, {"org": orgs["c2"].pk}).status_code == 404  # outside the subtree
    assert client.get(URL, {"org": orgs["c1"].pk}).status_code == 404  # above it
    assert client.get(URL, {"org": "x1"}).status_code == 400
    assert client.get(URL, {"year": "1800"}).status_code == 400
    assert client.get(URL, {"category": "nope"}).status_code == 400
    client.force_login(people["site"])
    html = client.get(URL).content.decode()
    assert "第一党委" in html and "第二党委" in html


def test_queries_do_not_grow_with_members(tree, client, make_user):
    orgs, people = tree
    client.force_login(people["site"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"org": orgs["g1"].pk}).status_code == 200
        return len(queries)

    before = count()
    for n in range(30):
        user = make_user(f"extra{n}", org=orgs["b2" if n % 2 else "g1"])
        credit_hours(user, 3 + n, "contest", "x", date=datetime.date(YEAR, 5, 1))
    assert count() == before
    # 14, and three for each registered column (rotation's secretaries not yet rotated).
    assert before <= 14 + 3 * len(registry.compliance_columns())


def test_user_text_is_escaped(tree, client, make_org, make_user):
    orgs, people = tree
    payload = '<img src=x onerror="alert(1)">'
    branch = make_org("xss", payload, parent=orgs["g1"])
    make_user("xssuser", org=branch, full_name=payload)
    client.force_login(people["site"])
    html = client.get(URL, {"org": orgs["g1"].pk}).content.decode()
    assert payload not in html and "&lt;img src=x" in html
    html = client.get(URL, {"org": branch.pk}).content.decode()
    assert payload not in html
