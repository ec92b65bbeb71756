"""The self-study log (learning_file): a learner writes down what they studied on their own (date,
what, minutes, a note); the log counts as self-study hours up to a yearly cap
(``SELF_STUDY_YEARLY_CAP_HOURS``). Only the current year's log can change: past years stay as they were.

The ledger is append-only, so the log's hours stand in it as one line per year: when the log changes,
the line standing for it is reversed and a line with the new (capped) total is credited under the next
revision. The year's ``SelfStudyYear`` row is locked meanwhile, so concurrent saves credit the right total
exactly once, and a bad line changes nothing (one transaction)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.conf import setting
from .errors import LearningFileError as RuleError
from ..core.ledger import CENT, ZERO, credit_hours, reverse_entry
from ..core.models import HourSource
from ..core.text import plain_text
from .models import SelfStudyEntry, SelfStudyYear

TOPIC_MAX = SelfStudyEntry._meta.get_field("topic").max_length
NOTE_MAX = 2000


class SelfStudyError(RuleError):
    """A refused change of the self-study log; the message is translated and names the field."""


@dataclass
class YearLog:
    year: int
    entries: list[SelfStudyEntry]
    minutes: int
    counted: Decimal  # hours the log counts this year (capped)
    cap: Decimal
    editable: bool

    @property
    def logged_hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(CENT)


def cap_hours() -> Decimal:
    return Decimal(str(setting("SELF_STUDY_YEARLY_CAP_HOURS"))).quantize(CENT)


def counted_hours(minutes: int) -> Decimal:
    return min(cap_hours(), (Decimal(minutes) / 60).quantize(CENT))


def year_log(user, year: int) -> YearLog:
    """The log of ``year`` (two queries)."""
    entries = list(SelfStudyEntry.objects.filter(user=user, year=year).order_by("-date", "-id"))
    minutes = sum(entry.minutes for entry in entries)
    return YearLog(year=year, entries=entries, minutes=minutes, counted=counted_hours(minutes), cap=cap_hours(),
                   editable=year == timezone.localdate().year)


def _parse(data) -> dict:
    """The fields of a log line, checked: a date of this year not in the future, what was studied
    (1 to 200 characters), minutes (a whole number from 1 to SELF_STUDY_MAX_MINUTES), an optional note."""
    today = timezone.localdate()
    try:
        date = datetime.date.fromisoformat(str(data.get("date", "")).strip())
    except ValueError as exc:
        raise SelfStudyError(_("Date: enter a date such as %(example)s.") % {"example": today.isoformat()}) from exc
    if date.year != today.year or date > today:
        raise SelfStudyError(_("Date: only days of this year up to today can be logged."))
    topic = plain_text(data.get("topic", ""), TOPIC_MAX, _("What was studied"))
    if not topic:
        raise SelfStudyError(_("What was studied: this field is required."))
    raw_minutes = str(data.get("minutes", "")).strip()
    most = int(setting("SELF_STUDY_MAX_MINUTES"))
    if not raw_minutes.isascii() or not raw_minutes.isdigit() or not 1 <= int(raw_minutes) <= most:
        raise SelfStudyError(_("Minutes: a whole number from 1 to %(max)d.") % {"max": most})
    note = plain_text(data.get("note", ""), NOTE_MAX, _("Note"))
    return {"date": date, "year": date.year, "topic": topic, "minutes": int(raw_minutes), "note": note}


def _ensure_year(user, year: int) -> None:
    """Create the year's row before the transaction that locks it: created inside, two first saves
    would each hold a lock on the new key and wait for the other's (a deadlock on MariaDB)."""
    if SelfStudyYear.objects.filter(user=user, year=year).exists():
        return
    try:
        with transaction.atomic():
            SelfStudyYear.objects.create(user=user, year=year)
    except IntegrityError:
        pass  # a concurrent request created it


def _locked_year(user, year: int) -> SelfStudyYear:
    return SelfStudyYear.objects.select_for_update().get(user=user, year=year)


def _recredit(user, state: SelfStudyYear) -> None:
    """Make the ledger's self-study line of the year equal the log's capped total."""
    minutes = SelfStudyEntry.objects.filter(user=user, year=state.year).aggregate(total=Sum("minutes"))["total"] or 0
    target = counted_hours(minutes)
    current = state.entry.hours if state.entry is not None else ZERO
    if target == current:
        return
    if state.entry is not None:
        reverse_entry(state.entry, note=_("Self-study log changed"))
    state.revision += 1
    state.entry = None
    if target > 0:
        # Dated the last day of the year logged so far (today): the line stands for the whole log.
        state.entry, _created = credit_hours(
            user, target, HourSource.SELF_STUDY, f"self_study_log:{state.year}:{state.revision}",
            date=min(timezone.localdate(), datetime.date(state.year, 12, 31)),
            note=_("Self-study log: %(minutes)d minutes") % {"minutes": minutes})
    state.save()


def add_entry(user, data) -> SelfStudyEntry:
    values = _parse(data)
    _ensure_year(user, values["year"])
    with transaction.atomic():
        state = _locked_year(user, values["year"])
        entry = SelfStudyEntry.objects.create(user=user, **values)
        _recredit(user, state)
    return entry


def _own_entry(user, pk) -> SelfStudyEntry:
    entry = SelfStudyEntry.objects.filter(pk=pk, user=user).first() if str(pk).isdigit() else None
    if entry is None:
        raise SelfStudyError(_("No such line in your self-study log."), 404)
    if entry.year != timezone.localdate().year:
        raise SelfStudyError(_("Only this year's log can be changed; past years stay as they were."), 409)
    return entry


def update_entry(user, pk, data) -> SelfStudyEntry:
    values = _parse(data)
    _ensure_year(user, _own_entry(user, pk).year)
    with transaction.atomic():
        state = _locked_year(user, _own_entry(user, pk).year)
        entry = _own_entry(user, pk)  # read again under the lock: a concurrent delete is seen
        for name, value in values.items():
            setattr(entry, name, value)
        entry.save()
        _recredit(user, state)
    return entry


def delete_entry(user, pk) -> None:
    _ensure_year(user, _own_entry(user, pk).year)
    with transaction.atomic():
        state = _locked_year(user, _own_entry(user, pk).year)
        _own_entry(user, pk).delete()
        _recredit(user, state)
