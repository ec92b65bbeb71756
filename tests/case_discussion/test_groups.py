"""Groups of a case discussion (case_discussion): one per party branch from the organisation tree,
or automatic groups of N formed once (balanced, branches spread, stable, recorded), later
arrivals in the smallest group, and staff moving a learner with their analysis."""
import pytest

from party_training.edx_plugin.case_discussion.models import CaseAnalysis, CaseDiscussion, CaseGroup, CaseMember
from tests.conftest import call_handler, load_block
from tests.case_discussion.conftest import case_olx, post

pytestmark = pytest.mark.django_db


def group_of(usage_id, user):
    return CaseMember.objects.get(usage_id=usage_id, user=user).group


def test_branch_grouping_follows_the_member_organisation(branch_block, people, make_user):
    for person in ("a", "b", "c"):
        call_handler(branch_block, "state", people[person], method="GET")
    assert group_of(branch_block, people["a"]) == group_of(branch_block, people["b"])
    assert group_of(branch_block, people["a"]) != group_of(branch_block, people["c"])
    assert call_handler(branch_block, "state", people["c"], method="GET")[1]["group"] == "第二支部"
    outsider = make_user("outsider")  # no member profile
    call_handler(branch_block, "state", outsider, method="GET")
    assert group_of(branch_block, outsider).key == "none"


def test_automatic_groups_are_formed_once_balanced_and_mixed(make_user, make_org, tree):
    members = [make_user(f"m{n}", org=tree["b1"] if n < 7 else tree["b2"]) for n in range(11)]
    usage_id = load_block(case_olx("auto", grouping="auto", extra='group_size="4"',
                                   children='<organization code="C-ROOT"/>'))
    call_handler(usage_id, "state", members[5], method="GET")
    discussion = CaseDiscussion.objects.get(usage_id=usage_id)
    assert discussion.groups_formed is not None
    groups = list(CaseGroup.objects.filter(discussion=discussion).order_by("number"))
    sizes = [CaseMember.objects.filter(group=g).count() for g in groups]
    assert sizes == [4, 4, 3]  # ceil(11 / 4) groups, sizes differ by at most one
    branches = [{m.user.party_profile.organization_id for m in CaseMember.objects.filter(group=g)
                 .select_related("user__party_profile")} for g in groups]
    assert all(len(b) == 2 for b in branches)  # each branch spread over the groups
    before = dict(CaseMember.objects.filter(usage_id=usage_id).values_list("user_id", "group_id"))
    for member in members:
        call_handler(usage_id, "state", member, method="GET")
    assert dict(CaseMember.objects.filter(usage_id=usage_id).values_list("user_id", "group_id")) == before  # stable
    late = [make_user(f"late{n}", org=tree["b2"]) for n in range(2)]
    for person in late:
        call_handler(usage_id, "state", person, method="GET")
    sizes = sorted(CaseMember.objects.filter(group=g).count() for g in groups)
    assert sizes == [4, 4, 4] and CaseGroup.objects.filter(discussion=discussion).count() == 4  # filled, then a new one
    assert CaseDiscussion.objects.get(usage_id=usage_id).groups_formed == discussion.groups_formed


def test_without_organisations_arrivals_fill_groups_of_n(make_user):
    usage_id = load_block(case_olx("auto2", grouping="auto", extra='group_size="2"'))
    users = [make_user(f"u{n}") for n in range(5)]
    for user in users:
        call_handler(usage_id, "state", user, method="GET")
    sizes = sorted(CaseMember.objects.filter(usage_id=usage_id).values_list("group__number", flat=True))
    assert sizes == [1, 1, 2, 2, 3]


def test_staff_move_a_learner_with_their_analysis(branch_block, people):
    post(branch_block, people["a"])
    call_handler(branch_block, "state", people["c"], method="GET")
    target = group_of(branch_block, people["c"])
    status, body = call_handler(branch_block, "move", people["staff"], {"user_id": people["a"].pk, "group_id": target.pk})
    assert status == 200 and body["group"] == "第二支部"
    assert CaseAnalysis.objects.get(author=people["a"]).group_id == target.pk
    post(branch_block, people["c"])
    feed = call_handler(branch_block, "feed", people["c"], method="GET")[1]
    assert [a["author"] for a in feed["analyses"]] == ["安娜"]  # moved in with her analysis
    other = load_block(case_olx("other"))
    call_handler(other, "state", people["b"], method="GET")
    foreign = group_of(other, people["b"])
    assert call_handler(branch_block, "move", people["staff"], {"user_id": people["a"].pk, "group_id": foreign.pk})[0] \
        == 404
    assert call_handler(branch_block, "move", people["staff"], {"user_id": people["b"].pk, "group_id": target.pk})[0] \
        == 404  # never joined
    assert call_handler(branch_block, "move", people["a"], {"user_id": people["a"].pk, "group_id": target.pk})[0] == 403
