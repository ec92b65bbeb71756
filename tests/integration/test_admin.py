"""The admin: organisation moves that would break the tree are form errors; the ledger
cannot be edited or deleted, only reversed."""
import pytest

from party_training.edx_plugin.core.models import HourEntry, Organization
from party_training.edx_plugin.core.ledger import credit_hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    user = make_user("root", staff=True)
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_moving_an_organisation_under_its_child_is_a_form_error(admin_client, make_org):
    parent = make_org("P", "上级党委", kind="committee")
    child = make_org("P-1", "下级支部", parent=parent)
    response = admin_client.post(f"/admin/party_training/organization/{parent.pk}/change/", {
        "code": "P", "name": "上级党委", "kind": "committee", "parent": child.pk,
    })
    assert response.status_code == 200
    assert "不能把党组织放到它自己或它的下级组织之下" in response.content.decode()
    parent.refresh_from_db()
    assert parent.parent_id is None and parent.path == f"{parent.pk:08d}/"


def test_moving_a_branch_re_roots_it(admin_client, make_org):
    first = make_org("A", "甲党委", kind="committee")
    second = make_org("B", "乙党委", kind="committee")
    branch = make_org("A-1", "支部", parent=first)
    response = admin_client.post(f"/admin/party_training/organization/{branch.pk}/change/", {
        "code": "A-1", "name": "支部", "kind": "branch", "parent": second.pk,
    })
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.path == second.path + f"{branch.pk:08d}/"


def test_ledger_lines_cannot_be_deleted_but_can_be_reversed(admin_client, make_user):
    entry, _ = credit_hours(make_user("m"), 3, "self_study", "x")
    assert admin_client.get(f"/admin/party_training/hourentry/{entry.pk}/delete/").status_code == 403
    response = admin_client.post("/admin/party_training/hourentry/", {
        "action": "reverse_selected", "_selected_action": [entry.pk],
    })
    assert response.status_code == 302
    assert HourEntry.objects.filter(reverses=entry, hours=-3).count() == 1
    assert Organization.objects.count() == 0


@pytest.mark.parametrize("model", [
    "organization", "membercategory", "memberprofile", "organizationadmin", "courserole", "coursecredit", "hourentry",
    "partyclasssignin", "partyclassquestion", "partyclassreflection", "partyclassprogress",
])
def test_every_admin_list_opens(admin_client, model):
    assert admin_client.get(f"/admin/party_training/{model}/").status_code == 200


def test_admin_is_refused_to_learners(client, make_user):
    client.force_login(make_user("learner_in_admin"))
    response = client.get("/admin/party_training/hourentry/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
