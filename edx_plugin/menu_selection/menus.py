"""A menu's authored configuration (menu_selection): options and rules, checked once here for the
Studio editor and OLX import alike, and the plugin's copy of it (``sync_menu``) that seats, picks,
partitions and staff pages use."""
from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..core.errors import RuleError
from ..core.members import is_member_category
from ..core.models import MemberCategoryCode
from ..core.text import plain_text, sanitize_html
from .models import Menu, MenuMode, MenuOption
from .waiting_list import fill_free_seats, lock_option

TOPICS = {
    "theory": gettext_lazy("Theory"),
    "party_knowledge": gettext_lazy("Party knowledge"),
    "policy": gettext_lazy("Policy"),
    "business": gettext_lazy("Business skills"),
    "integrity": gettext_lazy("Honesty and self-discipline"),
}
MAX_OPTIONS = 200
MAX_HOURS = 100
MAX_CAPACITY = 100000
TITLE_MAX = 200
TOPIC_MAX = 100
DESCRIPTION_MAX = 20000
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def topic_label(topic: str) -> str:
    """The label of a topic: a known one translated, or the author's own words."""
    return str(TOPICS[topic]) if topic in TOPICS else topic


def category_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in MemberCategoryCode.choices]


def parse_moment(raw) -> datetime.datetime | None:
    """An option's date and time as authored ("2026-05-01T09:00", site time) as an aware datetime."""
    if raw in (None, ""):
        return None
    moment = datetime.datetime.fromisoformat(str(raw))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _problem(number: int, message: str) -> str:
    return _("Option %(number)d: %(problem)s") % {"number": number, "problem": message}


def _clean_option(raw, number: int, problems: list[str]) -> dict | None:
    if not isinstance(raw, dict):
        problems.append(_problem(number, _("not an option.")))
        return None
    key = str(raw.get("id") or "").strip()
    if not _KEY.match(key):
        problems.append(_problem(number, _("the id must be 1 to 40 letters, digits, - or _.")))
    title = plain_text(str(raw.get("title") or ""), TITLE_MAX)
    if not title:
        problems.append(_problem(number, _("the title is missing.")))
    topic = plain_text(str(raw.get("topic") or ""), TOPIC_MAX)
    try:
        hours = Decimal(str(raw.get("hours") or 0))
        if not Decimal(0) <= hours <= MAX_HOURS:
            raise ValueError
    except (ArithmeticError, ValueError):
        problems.append(_problem(number, _("credit hours must be a number from 0 to %(max)d.") % {"max": MAX_HOURS}))
        hours = Decimal(0)
    capacity = raw.get("capacity")
    if capacity in ("", None):
        capacity = None
    else:
        try:
            capacity = int(str(capacity))
            if not 1 <= capacity <= MAX_CAPACITY:
                raise ValueError
        except ValueError:
            problems.append(_problem(number, _("the capacity must be a whole number from 1 to %(max)d, or empty "
                                               "for no limit.") % {"max": MAX_CAPACITY}))
            capacity = None
    try:
        starts, ends = parse_moment(raw.get("starts")), parse_moment(raw.get("ends"))
    except (TypeError, ValueError):
        problems.append(_problem(number, _("the schedule is not a valid date and time.")))
        starts = ends = None
    if starts and ends and ends <= starts:
        problems.append(_problem(number, _("the schedule ends before it starts.")))
    if bool(starts) != bool(ends):
        problems.append(_problem(number, _("give both the start and the end of the schedule, or neither.")))
    lists = {}
    for name in ("recommended_for", "restricted_to"):
        values = raw.get(name) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and is_member_category(v) for v in values):
            problems.append(_problem(number, _("unknown member category.")))
            values = []
        lists[name] = sorted(set(values))
    description = sanitize_html(str(raw.get("description") or ""))
    if len(description) > DESCRIPTION_MAX:
        problems.append(_problem(number, _("the description is too long.")))
    return {
        "id": key, "title": title, "description": description, "topic": topic, "hours": float(hours),
        "capacity": capacity, "starts": starts.strftime("%Y-%m-%dT%H:%M") if starts else "",
        "ends": ends.strftime("%Y-%m-%dT%H:%M") if ends else "", "required": bool(raw.get("required")), **lists,
    }


def clean_options(options) -> tuple[list[dict], list[str]]:
    """The options as stored (plain titles, sanitised descriptions, checked numbers) and the
    problems found, each naming the option by its number."""
    if not isinstance(options, list):
        return [], [_("The options must be a list.")]
    if len(options) > MAX_OPTIONS:
        return [], [_("At most %(max)d options.") % {"max": MAX_OPTIONS}]
    problems: list[str] = []
    cleaned = []
    for number, raw in enumerate(options, start=1):
        try:
            option = _clean_option(raw, number, problems)
        except RuleError as exc:  # the text cleaner's refusal (too long, not text)
            problems.append(_problem(number, exc.message))
            continue
        if option:
            cleaned.append(option)
    keys = [o["id"] for o in cleaned]
    if len(set(keys)) != len(keys):
        problems.append(_("Two options have the same id."))
    return cleaned, problems


def rule_problems(rules: dict, options: list[dict]) -> dict[str, str]:
    """Checks across the rules (each field's own bounds are declared on the field)."""
    errors = {}
    if rules["min_picks"] > rules["max_picks"]:
        errors["min_picks"] = _("The minimum number of picks cannot be above the maximum.")
    if rules["opens"] and rules["closes"] and rules["closes"] <= rules["opens"]:
        errors["closes"] = _("The selection window closes before it opens.")
    if rules["mode"] == MenuMode.PREFERENCE and not rules["closes"]:
        errors["closes"] = _("Preference allocation needs a closing date: seats are allocated when the window closes.")
    if rules["mode"] == MenuMode.PREFERENCE and any(o["required"] for o in options):
        errors["mode"] = _("Required options are for first-come menus: in preference mode every option is ranked.")
    elective = sum(o["hours"] for o in options if not o["required"])
    if rules["min_elective_hours"] > elective:
        errors["min_elective_hours"] = _("The options offer only %(hours)s elective hours.") % {"hours": f"{elective:g}"}
    return errors


@dataclass
class MenuSettings:
    """What the plugin keeps of a menu block (``Block._menu_settings`` builds it)."""

    course_id: str
    usage_id: str
    block_id: str
    title: str
    mode: str
    opens: datetime.datetime | None
    closes: datetime.datetime | None
    options: list[dict]
    rules: dict = field(default_factory=dict)

    def digest(self) -> str:
        payload = json.dumps([self.title, self.mode, str(self.opens), str(self.closes), self.options, self.rules],
                             sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def sync_menu(settings: MenuSettings) -> Menu:
    """The plugin's copy of the block, written only when the block changed (one query otherwise)."""
    digest = settings.digest()
    menu = Menu.objects.filter(usage_id=settings.usage_id).first()
    if menu is not None and menu.rules.get("digest") == digest:
        return menu
    with transaction.atomic():
        menu, _created = Menu.objects.select_for_update().get_or_create(usage_id=settings.usage_id, defaults={
            "course_id": settings.course_id, "block_id": settings.block_id, "title": settings.title})
        menu.course_id, menu.block_id, menu.title = settings.course_id, settings.block_id, settings.title[:255]
        menu.mode, menu.opens, menu.closes = settings.mode, settings.opens, settings.closes
        menu.rules = {**settings.rules, "digest": digest}
        menu.save()
        existing = {o.key: o for o in menu.options.all()}
        for position, raw in enumerate(settings.options):
            option = existing.pop(raw["id"], None) or MenuOption(menu=menu, key=raw["id"])
            raised = option.pk and option.capacity is not None and (raw["capacity"] is None
                                                                     or raw["capacity"] > option.capacity)
            option.title, option.topic, option.hours = raw["title"], raw["topic"], Decimal(str(raw["hours"]))
            option.capacity, option.required, option.position, option.active = raw["capacity"], raw["required"], \
                position, True
            option.starts, option.ends = parse_moment(raw["starts"]), parse_moment(raw["ends"])
            option.recommended_for, option.restricted_to = raw["recommended_for"], raw["restricted_to"]
            option.save()
            if raised:  # the new seats go to the learners waiting
                fill_free_seats(lock_option(option.pk))
        for gone in existing.values():  # removed from the block: kept for its picks, takes no more
            if gone.active:
                gone.active = False
                gone.save(update_fields=["active"])
    return menu


def menu_for(usage_id: str) -> Menu | None:
    return Menu.objects.filter(usage_id=usage_id).first()


def course_menus(course_id: str) -> list[Menu]:
    return list(Menu.objects.filter(course_id=course_id).order_by("title", "pk"))
