"""What course staff see and do with a menu (menu_selection): per option taken, capacity, waiting
and by branch; per learner their picks; move a learner (with a recorded reason); close and reopen.
Each table is a bounded number of queries whatever the number of learners."""
from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from .errors import MenuError
from .menus import topic_label
from .models import Menu, MenuMove, MenuOption, MenuPick, PickStatus
from .partitions import forget_held_options, partition_id
from .selection_rules import ACTIVE
from .waiting_list import lock_option, release_seat


def option_rows(menu: Menu) -> list[dict]:
    """Every option with its seats, waiting list and seated learners by branch (two queries)."""
    options = list(menu.options.annotate(
        waiting=Count("picks", filter=Q(picks__status=PickStatus.WAITING))).order_by("-active", "position"))
    by_branch: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (MenuPick.objects.filter(menu=menu, status=PickStatus.SEATED)
            .values("option_id", "user__party_profile__organization__name").annotate(n=Count("pk")))
    for row in rows:
        name = row["user__party_profile__organization__name"] or str(_("No branch"))
        by_branch[row["option_id"]][name] = row["n"]
    return [{
        "option": o, "taken": o.taken, "capacity": o.capacity, "waiting": o.waiting,
        "left": None if o.capacity is None else max(o.capacity - o.taken, 0),
        "percent": 0 if not o.capacity else min(100, round(100 * o.taken / o.capacity)),
        "branches": sorted(by_branch.get(o.pk, {}).items()),
        "partition_id": partition_id(menu.block_id, o.key), "topic": topic_label(o.topic),
    } for o in options]


def learner_rows(menu: Menu) -> list[dict]:
    """Every learner with active picks: name, branch, picks (seated / waiting). One query."""
    learners: dict[int, dict] = {}
    picks = (MenuPick.objects.filter(menu=menu, status__in=ACTIVE)
             .select_related("user", "option", "user__party_profile__organization")
             .order_by("user__username", "option__position"))
    for pick in picks:
        profile = getattr(pick.user, "party_profile", None)
        row = learners.setdefault(pick.user_id, {
            "user": pick.user, "name": (profile.full_name if profile else "") or pick.user.get_username(),
            "branch": profile.organization.name if profile else "", "seated": [], "waiting": []})
        row["seated" if pick.status == PickStatus.SEATED else "waiting"].append(pick.option)
    return list(learners.values())


def move(menu: Menu, user_id: int, from_key: str, to_key: str, reason: str, by) -> MenuMove:
    """Move a learner's seat from one option to another (either may be empty: add or remove a seat).
    The freed seat goes to the first waiting learner; a full target refuses the move."""
    reason = (reason or "").strip()
    if not reason:
        raise MenuError(_("Give a reason for the move."))
    if not from_key and not to_key:
        raise MenuError(_("Choose the option to move from or to."))
    if from_key == to_key:
        raise MenuError(_("Choose two different options."))
    options = {o.key: o for o in menu.options.all()}
    for key in (from_key, to_key):
        if key and key not in options:
            raise MenuError(_("There is no such option in this menu."), status=404)
    source, target = options.get(from_key), options.get(to_key)
    with transaction.atomic():
        # Locks in one order (by id) so two moves in opposite directions cannot deadlock.
        locked = {o.pk: lock_option(o.pk) for o in sorted(filter(None, (source, target)), key=lambda o: o.pk)}
        if source is not None:
            current = MenuPick.objects.select_for_update().filter(option=source, user_id=user_id,
                                                                  status=PickStatus.SEATED).first()
            if current is None:
                raise MenuError(_("This learner has no seat in “%(title)s”.") % {"title": source.title}, status=409)
        if target is not None:
            _seat(locked[target.pk], menu, user_id)
        if source is not None:
            current.status = PickStatus.DROPPED
            current.save(update_fields=["status", "updated"])
            release_seat(locked[source.pk])
        record = MenuMove.objects.create(menu=menu, user_id=user_id, from_option=source, to_option=target,
                                         reason=reason[:500], moved_by=by)
    forget_held_options()
    return record


def _seat(option: MenuOption, menu: Menu, user_id: int) -> None:
    if option.capacity is not None and option.taken >= option.capacity:
        raise MenuError(_("“%(title)s” is full.") % {"title": option.title}, status=409)
    existing = MenuPick.objects.select_for_update().filter(option=option, user_id=user_id).first()
    if existing is not None and existing.status == PickStatus.SEATED:
        raise MenuError(_("This learner already has a seat in “%(title)s”.") % {"title": option.title}, status=409)
    if existing is None:
        MenuPick.objects.create(menu=menu, option=option, user_id=user_id, status=PickStatus.SEATED)
    else:
        existing.status, existing.queued = PickStatus.SEATED, None
        existing.save(update_fields=["status", "queued", "updated"])
    MenuOption.objects.filter(pk=option.pk).update(taken=F("taken") + 1)


def set_closed(menu: Menu, closed: bool) -> None:
    Menu.objects.filter(pk=menu.pk).update(closed=closed)
    menu.closed = closed


def recent_moves(menu: Menu, limit: int = 50) -> list[MenuMove]:
    return list(menu.moves.select_related("user", "from_option", "to_option", "moved_by")[:limit])
