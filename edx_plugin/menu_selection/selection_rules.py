"""The rules of a menu (menu_selection) a learner's picks must meet: the selection window, who may
take an option, the number of picks, overlapping schedules, elective hours and required options.
Each refusal names the rule and by how much it is missed."""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import OuterRef, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..core.models import MemberCategoryCode
from .errors import MenuError
from .models import Menu, MenuMode, MenuOption, MenuPick, PickStatus

OPEN, NOT_YET, OVER = "open", "not_yet", "over"


def window(menu: Menu, now: datetime.datetime | None = None) -> str:
    """Whether learners may pick now: "open", "not_yet" (before the window) or "over" (after it, or
    closed by staff)."""
    now = now or timezone.now()
    if menu.closed or (menu.closes and now >= menu.closes):
        return OVER
    if menu.opens and now < menu.opens:
        return NOT_YET
    return OPEN


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def require_open(menu: Menu, now: datetime.datetime | None = None) -> None:
    state = window(menu, now)
    if state == NOT_YET:
        raise MenuError(_("The selection opens on %(when)s.") % {"when": _when(menu.opens)}, status=409)
    if state == OVER:
        raise MenuError(_("The selection is closed: picks can no longer be changed."), status=409)


def require_changes_allowed(menu: Menu, confirmed: bool) -> None:
    if confirmed and not menu.rules.get("changes_allowed", True):
        raise MenuError(_("You have confirmed your selection and this menu does not allow changes."), status=409)


def may_take(option: MenuOption, categories: Iterable[str]) -> bool:
    """An option restricted to some member categories is open only to members of one of them."""
    return not option.restricted_to or bool(set(option.restricted_to) & set(categories))


def overlaps(a: MenuOption, b: MenuOption) -> bool:
    return bool(a.starts and a.ends and b.starts and b.ends and a.starts < b.ends and b.starts < a.ends)


def overlapping_options() -> QuerySet[MenuOption]:
    """``overlaps`` as a subquery: the other options of the outer query's option's menu whose times
    overlap it (a pick reads them with the option, in one statement). An option without both times
    overlaps nothing here either: a comparison with NULL is not true."""
    return (MenuOption.objects.filter(menu=OuterRef("menu"), starts__lt=OuterRef("ends"), ends__gt=OuterRef("starts"))
            .exclude(pk=OuterRef("pk")))


def check_pick(menu: Menu, option: MenuOption, active: set[int], categories: Iterable[str],
               clashes: Iterable[int] = ()) -> None:
    """Refuse a pick of ``option`` given the options of the learner's active (seated or waiting) picks
    in the menu and the menu's options whose times overlap it (``clashes``)."""
    if not option.active:
        raise MenuError(_("This option is no longer offered."), status=404)
    if option.pk in active:
        raise MenuError(_("You have already picked this option."), status=409)
    if not may_take(option, categories):
        raise MenuError(_("“%(title)s” is open only to: %(who)s.") % {
            "title": option.title, "who": category_names(option.restricted_to)}, status=403)
    maximum = menu.rules.get("max_picks", 1)
    if len(active) >= maximum:
        raise MenuError(ngettext(
            "At most %(max)d pick is allowed (waiting lists included): drop one first.",
            "At most %(max)d picks are allowed (waiting lists included): drop one first.", maximum) % {"max": maximum})
    clash = min(active & set(clashes), default=None) if menu.rules.get("no_overlap") else None
    if clash is not None:
        other = MenuOption.objects.get(pk=clash)  # read only to word the refusal
        raise MenuError(_("“%(title)s” overlaps “%(other)s” (%(start)s–%(end)s): two picks cannot take "
                          "place at the same time.") % {
            "title": option.title, "other": other.title, "start": _when(other.starts),
            "end": formats.date_format(timezone.localtime(other.ends), "H:i")})


def hours_text(hours: Decimal) -> str:
    """Hours as people write them: 4, 3.5 (no trailing zeros)."""
    return format(hours.normalize(), "f")


def seated_hours(seated: list[MenuPick], *, elective_only: bool = False) -> Decimal:
    return sum((p.option.hours for p in seated if not (elective_only and p.option.required)), Decimal(0))


def confirm_problems(menu: Menu, options: list[MenuOption], seated: list[MenuPick],
                     categories: Iterable[str]) -> list[str]:
    """What keeps a learner from confirming: each unmet rule, by how much."""
    problems = []
    minimum = menu.rules.get("min_picks", 0)
    if len(seated) < minimum:
        missing = minimum - len(seated)
        problems.append(ngettext(
            "At least %(min)d pick with a seat is required: you have %(have)d (%(missing)d more).",
            "At least %(min)d picks with a seat are required: you have %(have)d (%(missing)d more).", minimum) % {
            "min": minimum, "have": len(seated), "missing": missing})
    need = Decimal(str(menu.rules.get("min_elective_hours", 0)))
    have = seated_hours(seated, elective_only=True)
    if have < need:
        problems.append(_("At least %(need)s elective hours are required: you have %(have)s (%(missing)s more).") % {
            "need": hours_text(need), "have": hours_text(have), "missing": hours_text(need - have)})
    held = {p.option_id for p in seated}
    categories = list(categories)
    for option in options:
        if option.required and option.active and option.pk not in held and may_take(option, categories):
            problems.append(_("“%(title)s” is required: pick it too.") % {"title": option.title})
    return problems


def category_names(codes: Iterable[str]) -> str:
    labels = dict(MemberCategoryCode.choices)
    return _(", ").join(str(labels.get(code, code)) for code in codes)


def is_preference(menu: Menu) -> bool:
    return menu.mode == MenuMode.PREFERENCE


ACTIVE = (PickStatus.SEATED, PickStatus.WAITING)
