"""Content gated by a menu choice (menu_selection): a user partition scheme
(``openedx.user_partition_scheme`` entry point ``menu_selection``) and a dynamic partition generator
(``openedx.dynamic_partition_generator``), so a course with a menu gets its partitions without
hand editing.

The model: a learner belongs to one group per user partition, and a learner may hold several
options of a menu, so every option is its own partition with a single group, "got this option".
A unit restricted to that group (``group_access = {partition id: [1]}``) is shown to learners
seated in the option, whichever other options they hold. Partition ids derive from the menu's
block id and the option's id only (stable across reruns, exports and imports; in the range the
platform leaves to dynamic partitions, below MySQL's largest int).

The platform's classes (``xmodule.partitions.partitions``) are imported when a partition is made,
never at import time: the plugin installs and its tests run without the platform.
"""
from __future__ import annotations

import hashlib
import logging

from django.utils.translation import gettext as _
from edx_django_utils.cache import RequestCache

from .models import MenuOption, MenuPick, PickStatus

log = logging.getLogger(__name__)

SCHEME = "menu_selection"
GOT_OPTION = 1  # the one group of an option's partition
PARTITION_ID_MIN = 1_100_000_000
PARTITION_ID_SPAN = 1_000_000_000  # ids stay below 2,147,483,647 (MySQL INT)
_CACHE = RequestCache("party_training.menu_selection")


def partition_id(block_id: str, option_key: str) -> int:
    digest = hashlib.sha256(f"{SCHEME}:{block_id}:{option_key}".encode("utf-8")).digest()
    return PARTITION_ID_MIN + int.from_bytes(digest[:8], "big") % PARTITION_ID_SPAN


def platform_classes():
    """The platform's ``(UserPartition, Group)``, or None outside the platform."""
    try:
        from xmodule.partitions.partitions import Group, UserPartition  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None
    return UserPartition, Group


def held_options(course_id: str, user_id: int) -> frozenset[int]:
    """Partition ids of every option the learner holds a seat in, in the whole course (one query per
    request: the scheme is asked once per gated unit and partition)."""
    key = f"{course_id}:{user_id}"
    cached = _CACHE.get_cached_response(key)
    if cached.is_found:
        return cached.value
    rows = MenuPick.objects.filter(menu__course_id=course_id, user_id=user_id, status=PickStatus.SEATED,
                                   option__active=True).values_list("menu__block_id", "option__key")
    held = frozenset(partition_id(block_id, key_) for block_id, key_ in rows)
    _CACHE.set(key, held)
    return held


def forget_held_options() -> None:
    """After a pick, drop or move in this request, the next check reads the database again."""
    _CACHE.clear()


class MenuSelectionPartitionScheme:
    """Learners who hold a seat in an option are in its partition's one group."""

    read_only = True  # groups come from the menu, never edited in Studio's group configurations

    @classmethod
    def get_group_for_user(cls, course_key, user, user_partition, **kwargs):  # pylint: disable=unused-argument
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        if user_partition.id not in held_options(str(course_key), user.id):
            return None
        return user_partition.get_group(GOT_OPTION)

    @classmethod
    def create_user_partition(cls, id, name, description, groups=None, parameters=None, active=True,
                              classes=None):  # pylint: disable=redefined-builtin,invalid-name
        found = classes or platform_classes()
        if found is None:
            return None
        user_partition, group = found
        return user_partition(id, str(name), str(description), groups or [group(GOT_OPTION, got_option_label())],
                              scheme=cls, parameters=parameters or {}, active=active, scheme_id=SCHEME)


def got_option_label() -> str:
    return _("Got this option")


def partition_rows(course_id: str) -> list[dict]:
    """One partition per offered option of every menu in the course: id, names and parameters."""
    options = MenuOption.objects.filter(menu__course_id=course_id, active=True).select_related("menu") \
        .order_by("menu__title", "menu_id", "position")
    return [{
        "id": partition_id(o.menu.block_id, o.key),
        "name": _("Menu “%(menu)s”: %(option)s") % {"menu": o.menu.title, "option": o.title},
        "description": _("Learners who got this option of the menu."),
        "parameters": {"course_id": course_id, "menu": o.menu.block_id, "option": o.key},
    } for o in options]


def create_menu_selection_partitions(course, classes=None) -> list:
    """The dynamic partition generator: the platform calls it with the course and extends the
    course's partitions with the list it returns (empty outside the platform)."""
    found = classes or platform_classes()
    if found is None:
        return []
    return [MenuSelectionPartitionScheme.create_user_partition(
        row["id"], row["name"], row["description"], parameters=row["parameters"], classes=found)
        for row in partition_rows(str(course.id))]


def unit_visible(course_id: str, user, group_access: dict | None, is_staff: bool) -> bool:
    """The platform's check of a unit's ``group_access`` for this scheme's partitions, as the demo
    site applies it: staff see everything; a learner must be in one of the listed groups of every
    menu partition named. Partitions of other schemes are not this plugin's to judge."""
    if is_staff or not group_access:
        return True
    held = None
    for raw_id, groups in group_access.items():
        pid = int(raw_id)
        if not PARTITION_ID_MIN <= pid < PARTITION_ID_MIN + PARTITION_ID_SPAN:
            continue
        if not groups:
            continue
        if held is None:
            held = held_options(course_id, user.id) if getattr(user, "is_authenticated", False) else frozenset()
        if pid not in held or GOT_OPTION not in groups:
            return False
    return True
