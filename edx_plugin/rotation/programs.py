"""Training programs of rotation training (rotation): creating one (also from a needs survey, whose
chosen topics become its sessions), reading the fields a form or the API sends, and the credit
rule per attendance status.

Every input is checked before anything is written; a refusal names the field and the rule.
"""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.models import MemberCategory
from ..core.permissions import visible_organizations
from ..core.text import plain_text
from .errors import RotationError
from .models import Attendance, AttendanceStatus, NeedsSurvey, ProgramKind, Season, TrainingProgram, TrainingSession

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_PROGRAM_HOURS = Decimal("1000")


def _get(data, name):
    """One value of a form (QueryDict) or of JSON data."""
    value = data.get(name, "")
    return "" if value is None else value


def _many(data, name) -> list:
    if hasattr(data, "getlist"):
        values = data.getlist(name)
    else:
        values = data.get(name) or []
        values = values if isinstance(values, list) else [values]
    return [str(v).strip() for v in values if str(v).strip()]


def whole_number(raw, label, low: int, high: int) -> int:
    text = str(raw).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise RotationError(_("%(field)s must be a whole number from %(low)d to %(high)d.")
                            % {"field": label, "low": low, "high": high})
    return int(text)


def decimal_hours(raw, label, high: Decimal) -> Decimal:
    try:
        value = Decimal(str(raw).strip()).quantize(Decimal("0.1"))
    except InvalidOperation as exc:
        raise RotationError(_("%(field)s must be a number.") % {"field": label}) from exc
    if not Decimal("0") < value <= high:
        raise RotationError(_("%(field)s must be greater than 0 and at most %(max)s.") % {"field": label, "max": high})
    return value


def a_date(raw, label) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(raw).strip())
    except ValueError as exc:
        raise RotationError(_("%(field)s must be a date (YYYY-MM-DD).") % {"field": label}) from exc


def a_datetime(raw, label) -> datetime.datetime:
    """A local date and time as a form (``YYYY-MM-DDTHH:MM``) or the API (ISO 8601) sends it."""
    try:
        value = datetime.datetime.fromisoformat(str(raw).strip())
    except ValueError as exc:
        raise RotationError(_("%(field)s must be a date and time (YYYY-MM-DD HH:MM).") % {"field": label}) from exc
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def target_fields(user, data) -> dict:
    """The organisation running it, the target organisations and categories, all within what ``user``
    may see. Returns the objects, not yet saved."""
    visible = visible_organizations(user)
    raw_org = str(_get(data, "organization")).strip()
    organization = visible.filter(pk=int(raw_org)).first() if raw_org.isdigit() else None
    if organization is None:
        raise RotationError(_("Choose the organisation that runs it, among those you manage."))
    root_ids = [int(v) for v in _many(data, "roots") if v.isdigit()]
    roots = list(visible.filter(pk__in=root_ids)) if root_ids else [organization]
    if len(roots) != len(set(root_ids or [organization.pk])):
        raise RotationError(_("Target only organisations you manage."), status=403)
    codes = _many(data, "categories")
    categories = list(MemberCategory.objects.filter(code__in=codes))
    if len(categories) != len(set(codes)):
        raise RotationError(_("Unknown member category."))
    year = whole_number(_get(data, "year"), _("Year"), MIN_YEAR, MAX_YEAR)
    return {"organization": organization, "roots": roots, "categories": categories, "year": year}


def _program_values(data) -> dict:
    name = plain_text(_get(data, "name"), 200, _("The name"))
    if not name:
        raise RotationError(_("The program's name is required."))
    season = str(_get(data, "season") or Season.OTHER)
    kind = str(_get(data, "kind") or ProgramKind.MEMBERS)
    if season not in Season.values:
        raise RotationError(_("Unknown season."))
    if kind not in ProgramKind.values:
        raise RotationError(_("Unknown kind of program."))
    starts, ends = a_date(_get(data, "starts"), _("Start date")), a_date(_get(data, "ends"), _("End date"))
    if ends < starts:
        raise RotationError(_("The program cannot end before it starts."))
    values = {"name": name, "season": season, "kind": kind, "starts": starts, "ends": ends,
              "required_hours": decimal_hours(_get(data, "required_hours"), _("Required hours"), MAX_PROGRAM_HOURS)}
    for status, default in CREDIT_DEFAULTS.items():
        raw = _get(data, f"credit_{status}")
        values[f"credit_{status}"] = default if raw == "" else whole_number(raw, credit_label(status), 0, 100)
    for name_, label, default in (("sign_in_margin", _("Sign-in margin"), 15), ("late_after", _("Late after"), 10)):
        raw = _get(data, name_)
        values[name_] = default if raw == "" else whole_number(raw, label, 0, 240)
    return values


CREDIT_DEFAULTS = {"present": 100, "late": 50, "left_early": 50, "excused": 0}


def credit_label(status: str) -> str:
    return _("Credit for “%(status)s” (%%)") % {"status": AttendanceStatus(status).label}


def credit_percent(program: TrainingProgram, status: str) -> int:
    """The share of a session's hours a status credits (absent: nothing)."""
    return getattr(program, f"credit_{status}", 0) if status != AttendanceStatus.ABSENT else 0


@transaction.atomic
def create_program(user, data, survey: NeedsSurvey | None = None) -> TrainingProgram:
    """A new program from form or API data; refused with ``RotationError`` and nothing written on bad input."""
    values = _program_values(data)
    target = target_fields(user, data)
    program = TrainingProgram.objects.create(
        **values, organization=target["organization"], year=target["year"], created_by=user, survey=survey)
    program.roots.set(target["roots"])
    program.categories.set(target["categories"])
    return program


# What attendance already recorded was credited under: once a roll call exists these stay, so every
# member's hours follow one rule (re-crediting a whole program is not something to do from a form).
FIXED_ONCE_ATTENDED = ("year", "credit_present", "credit_late", "credit_left_early", "credit_excused")


@transaction.atomic
def update_program(user, program: TrainingProgram, data) -> TrainingProgram:
    """Change a program from the same fields as ``create_program``; refused with ``RotationError``
    and nothing written on bad input, or when it would change the year or a credit rule after
    attendance was recorded. The program's row is locked meanwhile (as seat changes lock it)."""
    values = _program_values(data)
    target = target_fields(user, data)
    locked = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    values["year"] = target["year"]
    changed = [name for name in FIXED_ONCE_ATTENDED if getattr(locked, name) != values[name]]
    if changed and Attendance.objects.filter(session__program=locked).exists():
        raise RotationError(_("Attendance has already been recorded: the year and the hours credited per "
                              "status can no longer change."), status=409)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.organization = target["organization"]
    locked.save()
    locked.roots.set(target["roots"])
    locked.categories.set(target["categories"])
    return locked


def form_values(program: TrainingProgram) -> dict:
    """A program's fields as its form shows them and ``update_program`` reads them (strings, as a posted
    form holds them; the target organisations and categories as lists)."""
    values = {name: str(getattr(program, name)) for name in ("name", "season", "kind", "year", "sign_in_margin",
                                                             "late_after", *(f"credit_{s}" for s in CREDIT_DEFAULTS))}
    values.update(required_hours=f"{program.required_hours.normalize():f}", starts=program.starts.isoformat(),
                  ends=program.ends.isoformat(), organization=str(program.organization_id),
                  roots=[str(pk) for pk in program.roots.values_list("pk", flat=True)],
                  categories=list(program.categories.values_list("code", flat=True)))
    return values


@transaction.atomic
def create_from_survey(user, survey: NeedsSurvey, data) -> TrainingProgram:
    """A program for the survey's target population, whose sessions are the topics staff chose
    (``topics``: topic ids), one session each, dated from the program's start at ``session_hours``
    hours (staff then set the times, places and lecturers)."""
    topic_ids = [int(v) for v in _many(data, "topics") if v.isdigit()]
    topics = list(survey.topics.filter(pk__in=topic_ids))
    if not topics:
        raise RotationError(_("Choose at least one topic to become a session."))
    merged = {"organization": survey.organization_id, "year": survey.year}
    for key in ("name", "season", "kind", "required_hours", "starts", "ends", "credit_present", "credit_late",
                "credit_left_early", "credit_excused", "sign_in_margin", "late_after"):
        merged[key] = _get(data, key)
    merged["roots"] = [str(pk) for pk in survey.roots.values_list("pk", flat=True)]
    merged["categories"] = list(survey.categories.values_list("code", flat=True))
    hours = decimal_hours(_get(data, "session_hours") or "3", _("Hours per session"), Decimal("24"))
    program = create_program(user, merged, survey=survey)
    day = datetime.datetime.combine(program.starts, datetime.time(9, 0))
    start = timezone.make_aware(day)
    TrainingSession.objects.bulk_create([
        TrainingSession(program=program, topic=topic.title, survey_topic=topic, hours=hours,
                        starts=start + datetime.timedelta(days=i),
                        ends=start + datetime.timedelta(days=i, minutes=int(hours * 60)))
        for i, topic in enumerate(topics)])
    return program
