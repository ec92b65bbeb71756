"""Every endpoint of REST API v1 × every role: who gets the data, who is refused and how.

Anonymous callers get 403 (session authentication only; see test_jwt for 401 with JWT), learners
get 403 on organisation reports, and anything outside the caller's scope answers 404, like a record
that does not exist: a learner asking for another member's hours never learns whether that member exists.
"""
import pytest

from .conftest import API, YEAR

ENDPOINTS = {
    "organizations": lambda t: "organizations/",
    "organization": lambda t: f"organizations/{t['g1'].pk}/",
    "compliance": lambda t: f"organizations/{t['g1'].pk}/compliance/?year={YEAR}",
    "members": lambda t: "members/",
    "member": lambda t: "members/target/",
    "member_hours": lambda t: f"members/target/hours/?year={YEAR}",
    "member_entries": lambda t: "members/target/entries/",
    "my_hours": lambda t: f"me/hours/?year={YEAR}",
}
OK, DENIED, HIDDEN = 200, 403, 404
EXPECTED = {  # role: status per endpoint, in the order of ENDPOINTS
    None: [DENIED] * 8,
    "learner": [DENIED, DENIED, DENIED, OK, HIDDEN, HIDDEN, HIDDEN, OK],
    "admin_c2": [OK, HIDDEN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, OK],
    "admin_g1": [OK] * 8,
    "staff": [OK] * 8,
}
CASES = [(role, name, status) for role, statuses in EXPECTED.items() for name, status in zip(ENDPOINTS, statuses)]


@pytest.mark.parametrize("role, endpoint, status", CASES)
def test_role_matrix(client_for, tree, role, endpoint, status):
    response = client_for(role).get(API + ENDPOINTS[endpoint](tree))
    assert response.status_code == status, response.content
    if status != OK:
        assert set(response.json()) == {"detail"}  # the refusal carries a message, never data


def test_refusals_say_why_in_the_callers_language(client_for, tree):
    assert client_for(None).get(API + "me/hours/").json()["detail"] == "Authentication credentials were not provided."
    assert client_for("learner").get(API + "organizations/").json()["detail"] == (
        "Only organisation admins and site admins can see organisations.")
    assert client_for("learner").get(API + "members/target/hours/").json()["detail"] == "No such member."
    assert client_for("admin_c2").get(API + f"organizations/{tree['g1'].pk}/").json()["detail"] == (
        "No such organisation.")
    # Chinese is the site's default language.
    assert client_for("learner", "zh-cn").get(API + "organizations/").json()["detail"] == (
        "只有组织管理员和站点管理员可以查看党组织。")
    assert client_for("learner", "zh-cn").get(API + "members/target/hours/").json()["detail"] == "没有这名党员。"


def test_a_member_hidden_and_a_member_missing_look_the_same(client_for):
    learner = client_for("learner")
    hidden, missing = learner.get(API + "members/target/hours/"), learner.get(API + "members/nobody/hours/")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_writes_are_not_allowed(client_for, tree):
    staff = client_for("staff")
    assert staff.post(API + "organizations/", {"code": "x"}).status_code == 405
    assert staff.delete(API + "members/target/").status_code == 405
    assert staff.put(API + f"organizations/{tree['b1'].pk}/", {"name": "x"}).status_code == 405
