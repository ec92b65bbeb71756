"""Picking from a first-come menu (menu_selection): seats, waiting lists and promotion, the rules
(window, restriction, maximum, overlap, minimum picks and hours, required options) with messages
that say which rule and by how much, and nothing changed by a refused request."""
import datetime

import pytest
from django.utils import timezone

from party_training.edx_plugin.menu_selection import picks
from party_training.edx_plugin.menu_selection.models import MenuOption, MenuPick, MenuSelection, PickStatus
from tests.conftest import call_handler

from .conftest import load_menu, option_olx, render

pytestmark = pytest.mark.django_db


def pick(usage_id, user, key):
    return call_handler(usage_id, "pick", user, {"option": key})


def test_seats_then_waiting_list_then_promotion_once(people):
    usage_id = load_menu(option_olx("a", "甲", capacity=1) + option_olx("b", "乙"))
    assert pick(usage_id, people["alice"], "a") == (200, {"status": "seated", "message": "您已获得“甲”的名额。"})
    status, body = pick(usage_id, people["bob"], "a")
    assert status == 200 and body["status"] == "waiting" and "候补" in body["message"]
    status, body = pick(usage_id, people["dave"], "a")
    assert body["status"] == "waiting"
    html = render(usage_id, people["dave"])
    assert "候补第 2 位" in html
    status, body = call_handler(usage_id, "drop", people["alice"], {"option": "a"})
    assert status == 200
    option = MenuOption.objects.get(key="a")
    assert option.taken == 1
    assert MenuPick.objects.get(option=option, user=people["bob"]).status == PickStatus.SEATED
    assert MenuPick.objects.get(option=option, user=people["dave"]).status == PickStatus.WAITING
    # Bob is told once, on his next visit.
    assert "您现在获得了“甲”的名额" in render(usage_id, people["bob"])
    assert "您现在获得了“甲”的名额" not in render(usage_id, people["bob"])
    assert "候补第 1 位" in render(usage_id, people["dave"])


def test_full_without_waiting_list_is_refused(people):
    usage_id = load_menu(option_olx("a", "甲", capacity=1), waitlist="false")
    pick(usage_id, people["alice"], "a")
    status, body = pick(usage_id, people["bob"], "a")
    assert status == 409 and body["error"] == "“甲”已满。"
    assert not MenuPick.objects.filter(user=people["bob"]).exists()


def test_rules_refuse_with_the_rule_and_change_nothing(people):
    usage_id = load_menu(
        option_olx("a", "甲", extra='starts="2026-06-02T09:00" ends="2026-06-02T12:00"')
        + option_olx("b", "乙", extra='starts="2026-06-02T11:00" ends="2026-06-02T13:00"')
        + option_olx("c", "丙", extra='restricted_to="rural_member"') + option_olx("d", "丁") + option_olx("e", "戊"),
        max_picks=2, no_overlap="true")
    assert pick(usage_id, people["alice"], "a")[0] == 200
    status, body = pick(usage_id, people["alice"], "b")
    assert status == 400 and "“乙”与“甲”" in body["error"] and "时间冲突" in body["error"]
    status, body = pick(usage_id, people["alice"], "c")
    assert status == 403 and "农村党员" in body["error"]
    assert pick(usage_id, people["carol"], "c")[0] == 200
    assert pick(usage_id, people["alice"], "d")[0] == 200
    status, body = pick(usage_id, people["alice"], "e")
    assert status == 400 and "最多可选 2 项" in body["error"]
    status, body = pick(usage_id, people["alice"], "a")
    assert status == 409 and "已经选了" in body["error"]
    status, body = pick(usage_id, people["alice"], "nope")
    assert status == 404 and "没有这个选项" in body["error"]
    assert MenuPick.objects.filter(user=people["alice"]).count() == 2
    assert MenuOption.objects.get(key="b").taken == 0 and MenuOption.objects.get(key="e").taken == 0


def test_confirm_names_each_unmet_rule_by_how_much(people):
    usage_id = load_menu(option_olx("a", "甲", hours=2) + option_olx("b", "乙", hours=1.5)
                         + option_olx("req", "必修课", hours=1, extra='required="true"'),
                         min_picks=3, min_elective_hours=4)
    pick(usage_id, people["alice"], "a")
    status, body = call_handler(usage_id, "confirm", people["alice"], {})
    assert status == 400
    assert body["problems"] == ["至少需要 3 项有名额的选择：您目前有 1 项（还差 2 项）。",
                                "选修学时至少 4：您目前有 2（还差 2）。", "“必修课”为必修，请一并选择。"]
    assert not MenuSelection.objects.exists()
    pick(usage_id, people["alice"], "b")
    pick(usage_id, people["alice"], "req")
    status, body = call_handler(usage_id, "confirm", people["alice"], {})
    assert status == 400 and body["problems"] == ["选修学时至少 4：您目前有 3.5（还差 0.5）。"]
    html = render(usage_id, people["alice"])
    assert "计划学时：4.5" in html


def test_outside_the_window_nothing_changes(people):
    usage_id = load_menu(option_olx("a", "甲"), closes="2020-01-01T00:00:00+00:00")
    status, body = pick(usage_id, people["alice"], "a")
    assert status == 409 and "选学已截止" in body["error"]
    later = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    usage_id = load_menu(option_olx("a", "甲"), url_name="menu2", opens=later)
    status, body = pick(usage_id, people["alice"], "a")
    assert status == 409 and "选学将于" in body["error"]
    assert not MenuPick.objects.exists()


def test_no_changes_after_confirmation_when_the_menu_says_so(people):
    usage_id = load_menu(option_olx("a", "甲") + option_olx("b", "乙"), changes_allowed="false", min_picks=1)
    pick(usage_id, people["alice"], "a")
    assert call_handler(usage_id, "confirm", people["alice"], {})[0] == 200
    status, body = call_handler(usage_id, "drop", people["alice"], {"option": "a"})
    assert status == 409 and "不允许更改" in body["error"]
    assert pick(usage_id, people["alice"], "b")[0] == 409


def test_recommended_options_come_first_and_read_only_after_close(people):
    usage_id = load_menu(option_olx("a", "甲") + option_olx("b", "给新党员", extra='recommended_for="new_member"'))
    html = render(usage_id, people["dave"])
    assert html.index("给新党员") < html.index("甲") and "为您推荐" in html
    html = render(usage_id, people["alice"])
    assert html.index("甲") < html.index("给新党员")
    pick(usage_id, people["alice"], "a")
    MenuOption.objects.filter(key="a").update()
    from party_training.edx_plugin.menu_selection.models import Menu
    Menu.objects.update(closed=True)
    html = render(usage_id, people["alice"])
    assert "选学已结束" in html and "您已获得名额" in html and 'data-action="drop"' not in html


def test_a_pick_written_on_a_stale_read_of_the_learners_picks_is_refused_by_the_turn(people):
    """Two tabs at once, played one step at a time: the second pick read the learner's picks before
    the first was written, so it would break the maximum; the unique turn refuses its write, the seat
    it took goes back with the rollback, and the handler reading again refuses it by the rule."""
    usage_id = load_menu(option_olx("a", "甲", capacity=5) + option_olx("b", "乙", capacity=5), max_picks="1")
    alice = people["alice"]
    stale = picks.option_for(usage_id, "b", alice)
    assert stale.last_turn is None
    assert pick(usage_id, alice, "a")[0] == 200
    with pytest.raises(picks._Changed):
        picks._write_pick(stale.menu, stale, alice)
    assert MenuOption.objects.get(key="b").taken == 0 and not MenuPick.objects.filter(option__key="b").exists()
    status, body = pick(usage_id, alice, "b")
    assert status == 400 and "最多" in body["error"], body


def test_drop_and_pick_again_reuses_the_row_with_the_next_turn(people):
    usage_id = load_menu(option_olx("a", "甲", capacity=1) + option_olx("b", "乙"), max_picks="2")
    alice = people["alice"]
    assert pick(usage_id, alice, "a")[0] == 200 and pick(usage_id, alice, "b")[0] == 200
    assert call_handler(usage_id, "drop", alice, {"option": "a"})[0] == 200
    assert pick(usage_id, alice, "a")[1]["status"] == "seated"
    rows = dict(MenuPick.objects.filter(user=alice).values_list("option__key", "turn"))
    assert rows == {"a": 3, "b": 2} and MenuPick.objects.filter(user=alice).count() == 2
    assert MenuOption.objects.get(key="a").taken == 1
