"""What each endpoint returns to the roles allowed to call it: scope, filters, figures, pagination."""
import datetime

import pytest

from party_training.edx_plugin.core.models import HourEntry
from party_training.edx_plugin.core.ledger import credit_hours, reverse_entry

from .conftest import API, YEAR


def get(client, path, status=200):
    response = client.get(API + path)
    assert response.status_code == status, response.content
    return response.json()


def codes(data):
    return [row["code"] for row in data["results"]]


def usernames(data):
    return sorted(row["username"] for row in data["results"])


def test_organisations_in_scope_in_tree_order(client_for, tree):
    staff, admin = client_for("staff"), client_for("admin_g1")
    assert codes(get(staff, "organizations/")) == ["c1", "g1", "b1", "b2", "c2", "b3"]
    assert codes(get(admin, "organizations/")) == ["g1", "b1", "b2"]
    assert codes(get(admin, f"organizations/?parent={tree['g1'].pk}")) == ["b1", "b2"]
    assert codes(get(admin, f"organizations/?root={tree['b2'].pk}")) == ["b2"]
    assert codes(get(staff, f"organizations/?root={tree['c2'].pk}")) == ["c2", "b3"]
    # Another subtree's root or children are not a way around the scope.
    assert codes(get(admin, f"organizations/?root={tree['c2'].pk}")) == []
    assert codes(get(admin, f"organizations/?parent={tree['c2'].pk}")) == []
    g1 = get(admin, f"organizations/{tree['g1'].pk}/")
    assert g1 == {"id": tree["g1"].pk, "code": "g1", "name": "第一党总支", "kind": "general_branch",
                  "kind_display": "General party branch", "parent": tree["c1"].pk, "depth": 1}


@pytest.mark.parametrize("query, field", [("root=abc", "root"), ("parent=-1", "parent"), ("root=" + "9" * 30, "root")])
def test_bad_organisation_filters_get_400(client_for, query, field):
    data = get(client_for("staff"), f"organizations/?{query}", status=400)
    assert data == {field: ["An organisation id must be a whole number."]}


def test_compliance_of_a_subtree(client_for, tree, users):
    data = get(client_for("admin_g1"), f"organizations/{tree['g1'].pk}/compliance/?year={YEAR}")
    assert data["year"] == YEAR and data["count"] == 3
    # learner (32 h of 32) meets it, target (60 h of 110) does not, admin_g1 (0 of 56) does not.
    assert data["organization"] == {
        "id": tree["g1"].pk, "code": "g1", "name": "第一党总支", "kind": "general_branch", "parent": tree["c1"].pk,
        "depth": 1, "members": 3, "compliant": 1, "percent": 33.3}
    rows = {row["code"]: (row["members"], row["compliant"], row["percent"]) for row in data["results"]}
    assert rows == {"g1": (3, 1, 33.3), "b1": (1, 1, 100.0), "b2": (1, 0, 0.0)}

    last_year = get(client_for("staff"), f"organizations/{tree['c1'].pk}/compliance/?year={YEAR - 1}")
    assert (last_year["organization"]["members"], last_year["organization"]["compliant"]) == (3, 0)


def test_compliance_rows_are_paginated(client_for, tree):
    data = get(client_for("staff"), f"organizations/{tree['c1'].pk}/compliance/?year={YEAR}&page_size=2&page=2")
    assert data["count"] == 4 and [row["code"] for row in data["results"]] == ["b1", "b2"]
    assert data["organization"]["code"] == "c1" and data["previous"] and not data["next"]


@pytest.mark.parametrize("year", ["abc", "1999", "2101", "-2026", "20.5", "²⁰²⁶", "９９９９９９９９９９９９９９９９９９９９"])
def test_bad_year_gets_400_with_a_translated_message(client_for, tree, year):
    path = f"organizations/{tree['g1'].pk}/compliance/?year={year}"
    assert get(client_for("staff"), path, status=400) == {
        "year": ["The year must be a whole number between 2000 and 2100."]}
    assert get(client_for("learner", "zh-cn"), f"me/hours/?year={year}", status=400) == {
        "year": ["年份必须是 2000 到 2100 之间的整数。"]}


def test_members_in_scope_and_filters(client_for, tree):
    staff, admin = client_for("staff"), client_for("admin_g1")
    assert usernames(get(staff, "members/")) == ["admin_g1", "learner", "stranger", "target"]
    assert usernames(get(admin, "members/")) == ["admin_g1", "learner", "target"]
    assert usernames(get(client_for("admin_c2"), "members/")) == ["stranger"]
    assert usernames(get(client_for("learner"), "members/")) == ["learner"]
    assert usernames(get(admin, f"members/?organization={tree['b2'].pk}")) == ["target"]
    assert usernames(get(admin, f"members/?organization={tree['c2'].pk}")) == []
    assert usernames(get(staff, "members/?category=leading_cadre")) == ["target"]
    assert usernames(get(admin, f"members/?category=member&organization={tree['b1'].pk}")) == ["learner"]
    assert get(staff, "members/?category=emperor", status=400) == {"category": ["Unknown member category."]}
    assert get(admin, "members/target/") == {
        "username": "target", "full_name": "target", "categories": ["leading_cadre", "member"],
        "organization": {"id": tree["b2"].pk, "code": "b2", "name": "第二党支部"}, "join_date": None,
        "position": ""}


def test_members_are_paginated(client_for, make_user, tree):
    for n in range(5):
        make_user(f"extra{n}", org=tree["b3"])
    first = get(client_for("staff"), "members/?page_size=4")
    second = get(client_for("staff"), "members/?page_size=4&page=2")
    assert first["count"] == 9 and len(first["results"]) == 4 and first["next"]
    assert len(second["results"]) == 4 and not set(usernames(first)) & set(usernames(second))


def test_hours_of_a_member(client_for, users):
    assert get(client_for("admin_g1"), f"members/target/hours/?year={YEAR}") == {
        "year": YEAR, "total": "60.00", "required": "110.00", "remaining": "50.00", "percent": 54, "met": False,
        "by_source": [{"source": "rotation", "label": "Rotation training session", "hours": "60.00"}]}
    assert get(client_for("staff"), f"members/target/hours/?year={YEAR - 1}")["total"] == "8.00"


def test_my_hours(client_for, users):
    mine = get(client_for("learner"), f"me/hours/?year={YEAR}")
    assert (mine["total"], mine["required"], mine["percent"], mine["met"]) == ("32.00", "32.00", 100, True)
    assert [(row["source"], row["hours"]) for row in mine["by_source"]] == [
        ("party_class", "20.00"), ("contest", "12.00")]
    assert get(client_for("learner", "zh-cn"), f"me/hours/?year={YEAR}")["by_source"][0]["label"] == "党课"
    # A learner reads their own member record too, and it says the same.
    assert get(client_for("learner"), f"members/learner/hours/?year={YEAR}") == mine
    assert get(client_for("learner"), "members/learner/entries/")["count"] == 2
    # Without a year: the current one. Without a member profile: nothing is required.
    this_year = get(client_for("staff"), "me/hours/")
    assert this_year["year"] == datetime.date.today().year and this_year["required"] == "0.00"


def test_entries_of_a_member_with_reversals(client_for, users):
    target = users["target"]
    wrong, _ = credit_hours(target, 5, "party_class", "pc-9", date=datetime.date(YEAR, 5, 2))
    reverse_entry(wrong, recorded_by=users["staff"], note="not attended")
    data = get(client_for("admin_g1"), "members/target/entries/")
    assert data["count"] == 4
    reversal = next(row for row in data["results"] if row["reverses"] == wrong.pk)
    assert (reversal["hours"], reversal["source"], reversal["recorded_by"], reversal["note"]) == (
        "-5.00", "correction", "staff", "not attended")
    this_year = get(client_for("admin_g1"), f"members/target/entries/?year={YEAR}")
    assert {row["year"] for row in this_year["results"]} == {YEAR} and this_year["count"] == 3
    assert HourEntry.objects.filter(user=target).count() == 4
