"""The XLSX export of a menu (menu_selection), through core's one writer: the options (seats,
waiting, by branch), the learners' picks and the staff moves with their reasons."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..core.xlsx import Sheet, workbook_bytes
from .models import Menu, MenuMove, MenuOption, MenuPick, PickStatus
from .staff import learner_rows, option_rows, recent_moves

MOVES_EXPORTED = 10000


def menu_workbook(menu: Menu) -> bytes:
    options = option_rows(menu)
    learners = learner_rows(menu)
    moves = recent_moves(menu, MOVES_EXPORTED)

    def option_lines():
        for row in options:
            o = row["option"]
            yield [o.title, row["topic"], float(o.hours), "" if o.capacity is None else o.capacity,
                   row["taken"], row["waiting"], "; ".join(f"{name}: {n}" for name, n in row["branches"]),
                   row["partition_id"]]

    def learner_lines():
        for row in learners:
            yield [row["user"].get_username(), row["name"], row["branch"],
                   "; ".join(o.title for o in row["seated"]), "; ".join(o.title for o in row["waiting"]),
                   float(sum(o.hours for o in row["seated"]))]

    def move_lines():
        for move in moves:
            yield [timezone.localtime(move.moved_at).strftime("%Y-%m-%d %H:%M"), move.user.get_username(),
                   move.from_option.title if move.from_option else "", move.to_option.title if move.to_option else "",
                   move.reason, move.moved_by.get_username()]

    return workbook_bytes([
        Sheet(_("Options"), [_("Option"), _("Topic"), _("Credit hours"), _("Capacity"), _("Seats taken"),
                             pgettext("menu option", "Waiting"), _("By branch"), _("Partition id")], option_lines(), caption=menu.title),
        Sheet(_("Learners"), [_("Username"), _("Name"), _("Branch"), _("Seats"), _("Waiting lists"),
                              _("Planned hours")], learner_lines()),
        Sheet(_("Moves"), [_("Time"), _("Username"), _("From"), _("To"), _("Reason"), _("By")], move_lines()),
    ])


SAMPLE_COURSE = "course-v1:Sample+MS+2026"


def export_sample(text: str, member) -> dict[str, bytes]:
    """The workbook of a menu whose every user-written field holds ``text`` (the every-export test)."""
    learner = member()
    usage_id = f"block-v1:Sample+MS+2026+type@menu_selection+block@{Menu.objects.count() + 1}"
    menu = Menu.objects.create(course_id=SAMPLE_COURSE, usage_id=usage_id, block_id=usage_id[-40:], title=text[:255])
    first = MenuOption.objects.create(menu=menu, key="a", title=text[:200], topic=text[:100], capacity=5, taken=1)
    second = MenuOption.objects.create(menu=menu, key="b", title=text[:200], position=1)
    MenuPick.objects.create(menu=menu, option=first, user=learner, status=PickStatus.SEATED)
    MenuMove.objects.create(menu=menu, user=learner, from_option=second, to_option=first, reason=text[:500],
                            moved_by=learner)
    return {"menu.xlsx": menu_workbook(menu)}
