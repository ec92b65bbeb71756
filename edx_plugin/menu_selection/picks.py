"""Picks of a first-come menu (menu_selection): pick (a seat or a place on the waiting list), drop
(the first waiting learner is promoted), confirm (the rules are met). Each runs a constant number
of queries whatever the size of the menu and the number of learners.

Seats: the common case is one conditional UPDATE (``taken < capacity``); a full option is decided
under the option row's lock, which drops and moves also take, so nobody joins a waiting list while
a seat is free and no seat is given twice. One learner's picks are decided one at a time by their
turn (``MenuPick.turn``): read with the option, and written one higher with the pick, which the unique
(menu, user, turn) key lets only one of two simultaneous picks do.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import CharField, Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.db import GroupConcat
from ..core.models import MemberCategory
from .errors import MenuError
from .models import MenuOption, MenuPick, MenuSelection, PickStatus
from .selection_rules import (ACTIVE, check_pick, confirm_problems, is_preference, overlapping_options,
                              require_changes_allowed, require_open)
from .waiting_list import lock_option, release_seat

# A pick whose learner's picks changed meanwhile reads them again. Each failure means another pick of
# the same learner succeeded, and no more than the maximum can, so a few attempts end every race of
# two tabs; a learner still losing after these is told instead of looping.
PICK_ATTEMPTS = 4
DEADLOCK = 1213  # MySQL's error number: InnoDB rolled the transaction back to break a deadlock


@dataclass
class PickResult:
    status: str
    message: str
    promoted_user_id: int | None = None


def categories_of(user) -> list[str]:
    return list(MemberCategory.objects.filter(members__user=user).values_list("code", flat=True))


def _ids(joined) -> set[int]:
    if isinstance(joined, bytes):
        joined = joined.decode()
    return {int(value) for value in joined.split(",")} if joined else set()


def _joined_ids(queryset, field: str, group_by: str):
    """One column: the ``field`` values of ``queryset``'s rows joined with commas (a subquery)."""
    return Subquery(queryset.order_by().values(group_by)
                    .annotate(ids=GroupConcat(Cast(field, output_field=CharField()))).values("ids")[:1])


def option_for(usage_id: str, key, user) -> MenuOption:
    """The option with its menu and, from the same statement (so from one snapshot): whether ``user``
    confirmed their selection (``confirmed``), their member categories (``category_codes``), their
    highest turn in the menu (``last_turn``, None before their first pick), the options of their
    seated and waiting picks (``active_ids``), their earlier pick of this option if they dropped it
    (``previous_id``), and the menu's options whose times overlap this one (``clash_ids``): one query."""
    if not isinstance(key, str) or not key:
        raise MenuError(_("Choose an option."))
    codes = (MemberCategory.objects.filter(members__user=user).order_by().values("members__user")
             .annotate(codes=GroupConcat("code")).values("codes"))
    mine = MenuPick.objects.filter(menu=OuterRef("menu"), user=user)
    option = (MenuOption.objects.select_related("menu")
              .annotate(confirmed=Exists(MenuSelection.objects.filter(menu=OuterRef("menu"), user=user)),
                        category_codes=Subquery(codes[:1]),
                        last_turn=Subquery(mine.order_by().values("user").annotate(turn=Max("turn"))
                                           .values("turn")[:1]),
                        active_ids=_joined_ids(mine.filter(status__in=ACTIVE), "option_id", "user"),
                        previous_id=Subquery(mine.filter(option=OuterRef("pk")).values("pk")[:1]),
                        clash_ids=_joined_ids(overlapping_options(), "pk", "menu"))
              .filter(menu__usage_id=usage_id, key=key).first())
    if option is None:
        raise MenuError(_("There is no such option in this menu."), status=404)
    return option


class _Changed(Exception):
    """The learner's picks changed since they were read (another tab picked at the same moment)."""


def pick(usage_id: str, key, user) -> PickResult:
    for _attempt in range(PICK_ATTEMPTS):
        option = option_for(usage_id, key, user)
        menu = option.menu
        if is_preference(menu):
            raise MenuError(_("In this menu you rank the options; seats are allocated when the window closes."))
        require_open(menu)
        require_changes_allowed(menu, option.confirmed)
        categories = option.category_codes.split(",") if option.category_codes else []
        check_pick(menu, option, _ids(option.active_ids), categories, _ids(option.clash_ids))
        try:
            status = _write_pick(menu, option, user)
        except _Changed:
            continue  # read again: the other pick is now among the learner's
        if status == PickStatus.SEATED:
            return PickResult(status, _("You have a seat in “%(title)s”.") % {"title": option.title})
        return PickResult(status, _("“%(title)s” is full: you are on its waiting list and will get a seat if one "
                                    "becomes free.") % {"title": option.title})
    raise MenuError(_("Your picks changed in another window at the same moment: look at them and try again."),
                    status=409)


def _write_pick(menu, option: MenuOption, user) -> str:
    """In one transaction: the seat (or the waiting list), then the pick with the learner's next turn.
    A pick of the same learner that read the same picks wrote that turn first: the unique key refuses
    this one (the seat is given back with the rollback) and ``pick`` reads again. Drops, promotions and
    staff moves keep the turns: they only shrink or keep a learner's active picks, or are staff's own
    decision (a move checks its own rules)."""
    turn = (option.last_turn or 0) + 1
    try:
        with transaction.atomic():
            status = _take_seat(option)
            if status is None:
                raise MenuError(_("“%(title)s” is full.") % {"title": option.title}, status=409)
            now = timezone.now()
            values = {"status": status, "queued": now if status == PickStatus.WAITING else None,
                      "promoted_unseen": False, "turn": turn}
            if option.previous_id is not None:  # dropped before: the row is reused (only if still dropped)
                if not MenuPick.objects.filter(pk=option.previous_id, status=PickStatus.DROPPED).update(
                        updated=now, **values):
                    raise MenuError(_("You have already picked this option."), status=409)
            else:
                MenuPick.objects.create(menu=menu, option=option, user=user, **values)
    except IntegrityError:
        # The turn taken by the learner's other pick, or this option given by a staff move meanwhile:
        # read again, and the rules decide with what is there now.
        raise _Changed from None
    except OperationalError as exc:
        # Two picks of one learner waiting on the same full option's row: InnoDB rolls one back.
        if exc.args and exc.args[0] == DEADLOCK:
            raise _Changed from None
        raise
    return status


def _take_seat(option: MenuOption) -> str | None:
    """SEATED when a seat was taken, WAITING when the learner joins the waiting list, None when full
    and the menu keeps no waiting list."""
    if option.capacity is None:
        MenuOption.objects.filter(pk=option.pk).update(taken=F("taken") + 1)
        return PickStatus.SEATED
    if option.taken < option.capacity and MenuOption.objects.filter(
            pk=option.pk, taken__lt=F("capacity")).update(taken=F("taken") + 1):
        return PickStatus.SEATED
    locked = lock_option(option.pk)  # full as far as we saw: decide under the lock drops also take
    if locked.taken < locked.capacity:
        MenuOption.objects.filter(pk=option.pk).update(taken=F("taken") + 1)
        return PickStatus.SEATED
    return PickStatus.WAITING if option.menu.rules.get("waitlist", True) else None


def drop(usage_id: str, key, user) -> PickResult:
    option = option_for(usage_id, key, user)
    menu = option.menu
    require_open(menu)
    require_changes_allowed(menu, option.confirmed)
    with transaction.atomic():
        locked = lock_option(option.pk)
        current = MenuPick.objects.select_for_update().filter(option=locked, user=user, status__in=ACTIVE).first()
        if current is None:
            raise MenuError(_("You have not picked this option."), status=409)
        was = current.status
        current.status, current.queued, current.promoted_unseen = PickStatus.DROPPED, None, False
        current.save(update_fields=["status", "queued", "promoted_unseen", "updated"])
        promoted = release_seat(locked) if was == PickStatus.SEATED else None
    return PickResult(PickStatus.DROPPED, _("You dropped “%(title)s”.") % {"title": option.title},
                      promoted.user_id if promoted else None)


def seated_picks(menu, user) -> list[MenuPick]:
    return list(MenuPick.objects.filter(menu=menu, user=user, status=PickStatus.SEATED).select_related("option"))


def confirm(menu, user) -> None:
    """Record that the learner's seated picks meet the rules; refuse with every unmet rule."""
    if is_preference(menu):
        raise MenuError(_("In this menu you rank the options; there is nothing to confirm."))
    require_open(menu)
    problems = confirm_problems(menu, list(menu.options.all()), seated_picks(menu, user), categories_of(user))
    if problems:
        raise MenuError(" ".join(problems), problems=problems)
    MenuSelection.objects.update_or_create(menu=menu, user=user, defaults={"confirmed": timezone.now()})


def take_promotion_notices(menu, user) -> list[str]:
    """Titles of options the learner was promoted into since their last visit; shown once."""
    rows = MenuPick.objects.filter(menu=menu, user=user, promoted_unseen=True)
    titles = list(rows.values_list("option__title", flat=True))
    if titles:
        rows.update(promoted_unseen=False)
    return titles
