"""Staff pages of menu selection (menu_selection): roles (a learner and an anonymous user refused),
per option taken/capacity/waiting/by branch, per learner picks, moves with a recorded reason and a
promotion, close and reopen, XLSX export (text cells stay text), XSS payloads in every field, and
bounded queries whatever the number of learners."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from party_training.edx_plugin.menu_selection.models import Menu, MenuMove, MenuPick, PickStatus
from tests.conftest import COURSE_ID, call_handler

from .conftest import XSS, load_menu, option_olx, render

pytestmark = pytest.mark.django_db


def pages(menu):
    base = f"/party-training/menu/{COURSE_ID}/{menu.pk}/"
    return [f"/party-training/menu/{COURSE_ID}/", base, base + "export.xlsx"]


def test_learners_and_anonymous_are_refused(people, client):
    load_menu(option_olx("a"))
    menu = Menu.objects.get()
    for url in pages(menu):
        assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(people["alice"])
    for url in pages(menu):
        assert client.get(url).status_code == 403
    assert client.post(pages(menu)[1] + "action/", {"action": "close"}).status_code == 403
    assert not Menu.objects.get().closed


def test_options_learners_moves_close_and_export(people, client):
    usage_id = load_menu(option_olx("a", "甲", capacity=2) + option_olx("b", "乙", capacity=1), max_picks=2)
    for name in ("alice", "bob"):
        call_handler(usage_id, "pick", people[name], {"option": "a"})
    call_handler(usage_id, "pick", people["dave"], {"option": "a"})  # waiting
    call_handler(usage_id, "pick", people["carol"], {"option": "b"})
    menu = Menu.objects.get()
    client.force_login(people["staff"])
    html = client.get(pages(menu)[1]).content.decode()
    assert "2 / 2" in html and "第一支部：1" in html and "第二支部：1" in html and "张三" in html
    # Move Alice from a to b: b is full, refused and nothing changes.
    action = pages(menu)[1] + "action/"
    response = client.post(action, {"action": "move", "user": people["alice"].pk, "from": "a", "to": "b",
                                    "reason": "岗位调整"})
    assert response.status_code == 409 and "“乙”已满" in response.content.decode()
    assert MenuPick.objects.get(user=people["alice"], option__key="a").status == PickStatus.SEATED
    response = client.post(action, {"action": "move", "user": people["carol"].pk, "from": "b", "to": "",
                                    "reason": "本人申请"})
    assert response.status_code == 302
    response = client.post(action, {"action": "move", "user": people["alice"].pk, "from": "a", "to": "b",
                                    "reason": "岗位调整"})
    assert response.status_code == 302
    # Alice's seat in a went to Dave, who waited.
    assert MenuPick.objects.get(user=people["dave"]).status == PickStatus.SEATED
    assert list(MenuMove.objects.values_list("reason", flat=True)) == ["岗位调整", "本人申请"]
    assert client.post(action, {"action": "move", "user": people["bob"].pk, "from": "a", "to": "b",
                                "reason": ""}).status_code == 400
    client.post(action, {"action": "close"})
    assert "选学已结束" in render(usage_id, people["bob"])
    assert call_handler(usage_id, "drop", people["bob"], {"option": "a"})[0] == 409
    client.post(action, {"action": "reopen"})
    assert call_handler(usage_id, "drop", people["bob"], {"option": "a"})[0] == 200
    workbook = load_workbook(io.BytesIO(client.get(pages(menu)[2]).content))
    assert workbook.sheetnames == ["选项", "学员", "调整记录"]
    rows = list(workbook["学员"].values)
    assert ("alice", "张三", "第一支部", "乙", None, 2) in rows


def test_xss_in_every_author_and_learner_field_is_escaped(people, client, make_user, branch_tree):
    sneaky = make_user("sneaky", org=branch_tree["b1"], full_name=XSS)
    usage_id = load_menu(option_olx("a") + option_olx("b"))
    # Plain-text fields drop markup; an entity-encoded payload becomes literal text that must stay text.
    literal = "&lt;script&gt;alert(1)&lt;/script&gt;甲"
    options = [{"id": "a", "title": literal, "topic": literal, "description": XSS, "hours": 2, "capacity": 1},
               {"id": "b", "title": "乙", "topic": "theory", "hours": 1}]
    status, body = call_handler(usage_id, "studio_submit", people["staff"], {"values": {
        "display_name": XSS, "intro": XSS, "options": options}})
    assert status == 200, body
    call_handler(usage_id, "pick", sneaky, {"option": "a"})
    call_handler(usage_id, "pick", people["alice"], {"option": "a"})
    menu = Menu.objects.get()
    client.force_login(people["staff"])
    client.post(pages(menu)[1] + "action/", {"action": "move", "user": sneaky.pk, "from": "a", "to": "b",
                                             "reason": XSS})
    views = (client.get(pages(menu)[0]).content.decode(), client.get(pages(menu)[1]).content.decode(),
             render(usage_id, people["alice"]), render(usage_id, people["staff"]), render(usage_id, sneaky))
    for html in views:
        assert "<script>alert" not in html and "<img src=x onerror" not in html
    assert all("&lt;script&gt;" in html for html in views)
    sheet = load_workbook(io.BytesIO(client.get(pages(menu)[2]).content))["调整记录"]
    assert XSS in [row[4] for row in sheet.values]


def test_staff_page_queries_do_not_grow_with_learners(people, client, make_user, branch_tree):
    usage_id = load_menu(option_olx("a", "甲") + option_olx("b", "乙"), max_picks=2)
    menu = Menu.objects.get()
    client.force_login(people["staff"])

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(pages(menu)[1]).status_code == 200
        return len(queries)

    for n in range(3):
        call_handler(usage_id, "pick", make_user(f"few{n}", org=branch_tree["b1"]), {"option": "a"})
    few = measure()
    for n in range(30):
        user = make_user(f"many{n}", org=branch_tree["b2"])
        call_handler(usage_id, "pick", user, {"option": "a"})
        call_handler(usage_id, "pick", user, {"option": "b"})
    assert measure() == few
