"""Content gated by a menu choice (menu_selection): one partition per option with one group, ids
stable and derived from the menu and option, the scheme's group for a learner, several picks
unlocking several options' units, the generator as the platform calls it (with stand-ins for the
platform's classes), and the demo site applying ``group_access`` at the next page load."""
import pytest

from party_training.edx_plugin.menu_selection import partitions
from party_training.edx_plugin.menu_selection.partitions import (GOT_OPTION, MenuSelectionPartitionScheme,
                                                                 create_menu_selection_partitions, forget_held_options,
                                                                 partition_id)
from demo.models import CourseUnit
from tests.conftest import COURSE_ID, call_handler

from .conftest import load_menu, option_olx

pytestmark = pytest.mark.django_db


class Group:
    """Behaves like xmodule.partitions.partitions.Group for the scheme."""

    def __init__(self, id, name):  # pylint: disable=redefined-builtin,invalid-name
        self.id, self.name = id, name

    def __eq__(self, other):
        return isinstance(other, Group) and (self.id, self.name) == (other.id, other.name)


class UserPartition:
    """Behaves like the platform's UserPartition: id, groups, scheme, parameters, get_group."""

    def __init__(self, id, name, description, groups, scheme=None, parameters=None, active=True,
                 scheme_id="random"):  # pylint: disable=redefined-builtin,invalid-name
        self.id, self.name, self.description, self.groups = id, name, description, groups
        self.scheme, self.parameters, self.active, self.scheme_id = scheme, parameters, active, scheme_id

    def get_group(self, group_id):
        return next(g for g in self.groups if g.id == group_id)


class Course:
    id = COURSE_ID


STAND_INS = (UserPartition, Group)


def test_partition_ids_are_stable_distinct_and_fit_mysql_int():
    ids = {partition_id("menu1", key) for key in ("a", "b", "c")} | {partition_id("menu2", "a")}
    assert len(ids) == 4 and all(1_000_000_000 < pid < 2_147_483_647 for pid in ids)
    assert partition_id("menu1", "a") == partition_id("menu1", "a")


def test_outside_the_platform_the_generator_gives_nothing(people):
    load_menu(option_olx("a"))
    assert partitions.platform_classes() is None
    assert create_menu_selection_partitions(Course()) == []


def test_generator_gives_one_partition_per_option_and_scheme_groups_learners(people):
    usage_id = load_menu(option_olx("a", "甲") + option_olx("b", "乙") + option_olx("c", "丙"), max_picks=2)
    made = create_menu_selection_partitions(Course(), classes=STAND_INS)
    assert [p.id for p in made] == [partition_id("menu1", k) for k in "abc"]
    assert all(p.scheme is MenuSelectionPartitionScheme and p.scheme_id == "menu_selection" for p in made)
    assert made[0].name == "选学菜单“专题选学”：甲" and [g.id for g in made[0].groups] == [GOT_OPTION]
    assert made[0].parameters == {"course_id": COURSE_ID, "menu": "menu1", "option": "a"}
    alice = people["alice"]
    call_handler(usage_id, "pick", alice, {"option": "a"})
    call_handler(usage_id, "pick", alice, {"option": "c"})
    forget_held_options()
    groups = [MenuSelectionPartitionScheme.get_group_for_user(COURSE_ID, alice, p, assign=True) for p in made]
    assert [g.id if g else None for g in groups] == [GOT_OPTION, None, GOT_OPTION]  # several picks, several units
    assert MenuSelectionPartitionScheme.get_group_for_user(COURSE_ID, people["bob"], made[0]) is None


def _outline(client, user):
    client.force_login(user)
    return client.get(f"/courses/{COURSE_ID}/").content.decode()


def test_demo_site_shows_gated_units_after_a_pick_or_a_promotion(people, client):
    usage_id = load_menu(option_olx("a", "甲", capacity=1) + option_olx("b", "乙"), max_picks=2)
    for key, title in (("a", "甲专题学习单元"), ("b", "乙专题学习单元")):
        CourseUnit.objects.create(course_id=COURSE_ID, chapter="选学", title=title, url_name=f"unit_{key}",
                                  position=10, children=[],
                                  group_access={str(partition_id("menu1", key)): [GOT_OPTION]})
    alice, bob = people["alice"], people["bob"]
    assert "甲专题学习单元" not in _outline(client, alice)
    assert client.get(f"/courses/{COURSE_ID}/unit/unit_a/").status_code == 404
    call_handler(usage_id, "pick", alice, {"option": "a"})
    call_handler(usage_id, "pick", alice, {"option": "b"})
    page = _outline(client, alice)
    assert "甲专题学习单元" in page and "乙专题学习单元" in page
    assert client.get(f"/courses/{COURSE_ID}/unit/unit_a/").status_code == 200
    call_handler(usage_id, "pick", bob, {"option": "a"})  # waiting: not yet
    assert "甲专题学习单元" not in _outline(client, bob)
    call_handler(usage_id, "drop", alice, {"option": "a"})
    assert "甲专题学习单元" in _outline(client, bob)  # promoted: at the next page load
    assert "甲专题学习单元" not in _outline(client, alice)
    assert "甲专题学习单元" in _outline(client, people["staff"])
