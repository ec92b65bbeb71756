"""Waiting lists of a menu's options (menu_selection): a freed seat goes to the first learner
waiting, exactly once, under the option row's lock; the learner is told on their next visit.

Every change of ``taken`` other than the pick's conditional UPDATE happens here, with the option
row locked, so concurrent drops, picks and moves neither lose a seat nor promote anyone twice.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import MenuOption, MenuPick, PickStatus


def lock_option(option_id: int) -> MenuOption:
    """The option row, locked until the caller's transaction ends."""
    if connection.vendor == "sqlite":
        # SQLite has no row locks and refuses (rather than waits) to turn a read lock into a write lock
        # under contention: writing first takes the write lock, waiting for it like any other writer.
        MenuOption.objects.filter(pk=option_id).update(taken=F("taken"))
    return MenuOption.objects.select_for_update().get(pk=option_id)


def first_waiting(option: MenuOption) -> MenuPick | None:
    return (MenuPick.objects.select_for_update().filter(option=option, status=PickStatus.WAITING)
            .order_by("queued", "pk").first())


def release_seat(option: MenuOption) -> MenuPick | None:
    """A seated pick of the locked ``option`` was dropped or moved away: the first waiting learner
    takes the seat (``taken`` unchanged), else the seat is freed. Returns the promoted pick."""
    promoted = first_waiting(option)
    if promoted is None:
        MenuOption.objects.filter(pk=option.pk, taken__gt=0).update(taken=F("taken") - 1)
        return None
    now = timezone.now()
    promoted.status, promoted.queued, promoted.promoted_unseen, promoted.promoted_at = \
        PickStatus.SEATED, None, True, now
    promoted.save(update_fields=["status", "queued", "promoted_unseen", "promoted_at", "updated"])
    return promoted


def fill_free_seats(option: MenuOption) -> list[MenuPick]:
    """Seats freed while nobody waited, or a capacity raised by the author: promote waiting learners
    into them (the option row locked by the caller)."""
    promoted = []
    while option.capacity is None or option.taken < option.capacity:
        pick = first_waiting(option)
        if pick is None:
            break
        pick.status, pick.queued, pick.promoted_unseen, pick.promoted_at = \
            PickStatus.SEATED, None, True, timezone.now()
        pick.save(update_fields=["status", "queued", "promoted_unseen", "promoted_at", "updated"])
        option.taken += 1
        promoted.append(pick)
    if promoted:
        MenuOption.objects.filter(pk=option.pk).update(taken=option.taken)
    return promoted


def waiting_places(option_ids: list[int], user) -> dict[int, int]:
    """The learner's place (1 = next) on each of these options' waiting lists (one query)."""
    mine = {p.option_id: (p.queued, p.pk) for p in MenuPick.objects.filter(
        option_id__in=option_ids, user=user, status=PickStatus.WAITING)}
    if not mine:
        return {}
    ahead = MenuPick.objects.filter(option_id__in=list(mine), status=PickStatus.WAITING).values_list(
        "option_id", "queued", "pk")
    places = {option_id: 1 for option_id in mine}
    for option_id, queued, pk in ahead:
        if (queued, pk) < mine[option_id]:
            places[option_id] += 1
    return places
