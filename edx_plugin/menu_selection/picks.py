"""Picks of a first-come menu (menu_selection): pick (a seat or a place on the waiting list), drop
(the first waiting learner is promoted), confirm (the rules are met). Each runs a constant number
of queries whatever the size of the menu and the number of learners.

Seats: the common case is one conditional UPDATE (``taken < capacity``); a full option is decided
under the option row's lock, which drops and moves also take, so nobody joins a waiting list while
a seat is free and no seat is given twice.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.db import GroupConcat
from ..core.models import MemberCategory
from .errors import MenuError
from .models import MenuOption, MenuPick, MenuSelection, PickStatus
from .selection_rules import (ACTIVE, check_pick, confirm_problems, is_preference, require_changes_allowed,
                              require_open)
from .waiting_list import lock_option, release_seat


@dataclass
class PickResult:
    status: str
    message: str
    promoted_user_id: int | None = None


def categories_of(user) -> list[str]:
    return list(MemberCategory.objects.filter(members__user=user).values_list("code", flat=True))


def option_for(usage_id: str, key, user) -> MenuOption:
    """The option with its menu, whether ``user`` confirmed their selection, and the user's member
    categories (``learner_categories``, for an option restricted to some): one query."""
    if not isinstance(key, str) or not key:
        raise MenuError(_("Choose an option."))
    codes = (MemberCategory.objects.filter(members__user=user).order_by().values("members__user")
             .annotate(codes=GroupConcat("code")).values("codes"))
    option = (MenuOption.objects.select_related("menu")
              .annotate(confirmed=Exists(MenuSelection.objects.filter(menu=OuterRef("menu"), user=user)),
                        category_codes=Subquery(codes[:1]))
              .filter(menu__usage_id=usage_id, key=key).first())
    if option is None:
        raise MenuError(_("There is no such option in this menu."), status=404)
    return option


def pick(usage_id: str, key, user) -> PickResult:
    option = option_for(usage_id, key, user)
    menu = option.menu
    if is_preference(menu):
        raise MenuError(_("In this menu you rank the options; seats are allocated when the window closes."))
    require_open(menu)
    require_changes_allowed(menu, option.confirmed)
    categories = option.category_codes.split(",") if option.category_codes else []
    try:
        with transaction.atomic():
            # One learner's picks are serialised on their user row, so two picks of different options
            # sent at once cannot both pass the maximum-picks and overlap rules; other learners' picks
            # never wait on it. It is taken before the option's lock, the only order picks use. A no-op
            # UPDATE rather than SELECT ... FOR UPDATE: SQLite (the demo) then takes its write lock at the
            # start instead of failing to upgrade a read lock when two picks meet.
            get_user_model().objects.filter(pk=user.pk).update(last_login=F("last_login"))
            mine = list(MenuPick.objects.filter(menu=menu, user=user).select_related("option"))
            check_pick(menu, option, [p for p in mine if p.status in ACTIVE], categories)
            previous = next((p for p in mine if p.option_id == option.pk), None)
            status = _take_seat(option)
            if status is None:
                raise MenuError(_("“%(title)s” is full.") % {"title": option.title}, status=409)
            now = timezone.now()
            values = {"status": status, "queued": now if status == PickStatus.WAITING else None,
                      "promoted_unseen": False}
            if previous is not None:  # dropped before: the row is reused (only if still dropped)
                if not MenuPick.objects.filter(pk=previous.pk, status=PickStatus.DROPPED).update(updated=now, **values):
                    raise MenuError(_("You have already picked this option."), status=409)
            else:
                MenuPick.objects.create(menu=menu, option=option, user=user, **values)
    except IntegrityError as exc:  # the same learner's second request won the race
        raise MenuError(_("You have already picked this option."), status=409) from exc
    if status == PickStatus.SEATED:
        return PickResult(status, _("You have a seat in “%(title)s”.") % {"title": option.title})
    return PickResult(status, _("“%(title)s” is full: you are on its waiting list and will get a seat if one "
                                "becomes free.") % {"title": option.title})


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
