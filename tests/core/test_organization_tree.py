"""The organisation tree: materialized paths and depths stay right through inserts and moves."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from party_training.edx_plugin.core.models import Organization
from party_training.edx_plugin.core.organizations import MAX_DEPTH, ancestors, save_organization, subtree, subtree_of_many
from tests.conftest import run_together


def assert_tree_consistent():
    """Every stored path and depth equals the one derived from the parent pointers."""
    orgs = {org.pk: org for org in Organization.objects.all()}

    def expected_path(org):
        own = f"{org.pk:08d}/"
        return expected_path(orgs[org.parent_id]) + own if org.parent_id else own

    for org in orgs.values():
        path = expected_path(org)
        assert (org.path, org.depth) == (path, path.count("/") - 1), org.code


@pytest.fixture
def tree(make_org):
    """c1 > g1 > (b1, b2 > b21), c2 > b3"""
    nodes = {"c1": make_org("c1", kind="committee"), "c2": make_org("c2", kind="committee")}
    nodes["g1"] = make_org("g1", kind="general_branch", parent=nodes["c1"])
    nodes["b1"] = make_org("b1", parent=nodes["g1"])
    nodes["b2"] = make_org("b2", parent=nodes["g1"])
    nodes["b21"] = make_org("b21", parent=nodes["b2"])
    nodes["b3"] = make_org("b3", parent=nodes["c2"])
    return nodes


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_create_sets_paths_and_depths(tree):
    assert tree["c1"].path == f"{tree['c1'].pk:08d}/" and tree["c1"].depth == 0
    assert tree["b21"].path == tree["b2"].path + f"{tree['b21'].pk:08d}/" and tree["b21"].depth == 3
    assert_tree_consistent()


def test_subtree_queries(tree):
    assert codes(subtree(tree["g1"])) == {"g1", "b1", "b2", "b21"}
    assert codes(subtree(tree["g1"], include_self=False)) == {"b1", "b2", "b21"}
    assert codes(subtree_of_many([tree["b2"], tree["c2"]])) == {"b2", "b21", "c2", "b3"}
    assert not subtree_of_many([]).exists()
    assert [org.code for org in ancestors(tree["b21"])] == ["c1", "g1", "b2"]


def test_move_reroots_every_descendant(tree):
    g1 = tree["g1"]
    g1.parent = tree["c2"]
    save_organization(g1)
    assert_tree_consistent()
    assert codes(subtree(tree["c2"])) == {"c2", "b3", "g1", "b1", "b2", "b21"}
    assert codes(subtree(Organization.objects.get(code="c1"))) == {"c1"}
    assert Organization.objects.get(code="b21").depth == 3

    g1.parent = None  # up to a root: depths shrink
    save_organization(g1)
    assert_tree_consistent()
    assert Organization.objects.get(code="b21").depth == 2


def test_move_under_a_stale_parent_object_uses_the_stored_path(tree):
    b2 = tree["b2"]  # in memory with its old path
    tree["g1"].parent = tree["c2"]
    save_organization(tree["g1"])
    child = save_organization(Organization(code="new", name="new", kind="branch", parent=b2))
    assert child.path.startswith(Organization.objects.get(code="b2").path)
    assert_tree_consistent()


@pytest.mark.parametrize("new_parent", ["g1", "b2", "b21"])
def test_cycle_refused_and_nothing_changed(tree, new_parent):
    before = dict(Organization.objects.values_list("code", "path"))
    g1 = tree["g1"]
    g1.parent = tree[new_parent]
    with pytest.raises(ValidationError) as info:
        save_organization(g1)
    assert "parent" in info.value.message_dict
    assert dict(Organization.objects.values_list("code", "path")) == before


def test_move_runs_the_same_queries_whatever_the_subtree_size(tree, make_org):
    def move_g1_to(parent_code):
        g1 = Organization.objects.get(code="g1")
        g1.parent = Organization.objects.get(code=parent_code)
        with CaptureQueriesContext(connection) as queries:
            save_organization(g1)
        return len(queries)

    small = move_g1_to("c2")
    for n in range(30):
        make_org(f"x{n}", parent=Organization.objects.get(code="b1"))
    assert move_g1_to("c1") == small
    assert_tree_consistent()


def test_deep_tree_up_to_the_path_limit(make_org):
    chain = [make_org("d0", kind="committee")]
    for level in range(1, MAX_DEPTH + 1):
        chain.append(make_org(f"d{level}", parent=chain[-1]))
    assert chain[-1].depth == MAX_DEPTH
    assert subtree(chain[0]).count() == MAX_DEPTH + 1
    with pytest.raises(ValidationError):
        make_org("too-deep", parent=chain[-1])

    # A two-level subtree fits under the second-deepest node only by losing its depth: refused.
    side = make_org("side", kind="committee")
    make_org("side-child", parent=side)
    side.parent = chain[-2]
    with pytest.raises(ValidationError):
        save_organization(side)

    # Cutting the chain in the middle lifts the whole lower half.
    middle = chain[MAX_DEPTH // 2]
    middle.parent = None
    save_organization(middle)
    assert Organization.objects.get(code=chain[-1].code).depth == MAX_DEPTH - MAX_DEPTH // 2
    assert_tree_consistent()


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_crossing_moves_never_make_a_cycle(make_org):
    """Two requests moving a under b and b under a at once: one wins, the other is refused."""
    a, b = make_org("a", kind="committee"), make_org("b", kind="committee")
    barrier = threading.Barrier(2)

    def move(code, parent_code):
        org = Organization.objects.get(code=code)
        org.parent = Organization.objects.get(code=parent_code)
        barrier.wait()  # both have read the tree before either saves
        try:
            save_organization(org)
        except ValidationError:
            return "refused"
        return "moved"

    outcomes, errors = run_together([lambda: move("a", "b"), lambda: move("b", "a")])
    assert not errors, errors
    assert sorted(outcomes) == ["moved", "refused"]
    assert Organization.objects.filter(parent__isnull=True).count() == 1
    assert_tree_consistent()
    assert {a.pk, b.pk} == set(Organization.objects.values_list("pk", flat=True))


def test_a_missing_parent_is_refused(make_org):
    with pytest.raises(Organization.DoesNotExist):
        save_organization(Organization(code="orphan", name="orphan", kind="branch", parent_id=10**9))
    assert not Organization.objects.filter(code="orphan").exists()
