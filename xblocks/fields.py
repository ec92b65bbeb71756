"""Field bounds declared once, next to the field, and the one credit-hours field of every block.

A field takes ``minimum=`` / ``maximum=`` as keyword arguments (XBlock keeps them in the field's
``runtime_options``); the Studio editor and OLX import both check a value with ``field_error``, so
an author meets the same limit whichever way the value arrives.
"""
from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytz

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from xblock.core import XBlockMixin
from xblock.fields import DateTime, Float, Integer, Scope

CREDIT_HOURS_MAX = 100


def field_bounds(field) -> tuple[float | None, float | None]:
    options = getattr(field, "runtime_options", {}) or {}
    return options.get("minimum"), options.get("maximum")


def field_error(field, value) -> str | None:
    """A translated message when ``value`` is outside the field's declared bounds, else None."""
    if value is None or not isinstance(field, (Integer, Float)):
        return None
    minimum, maximum = field_bounds(field)
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        return _("Between %(min)s and %(max)s.") % {"min": f"{minimum:g}", "max": f"{maximum:g}"}
    if minimum is not None and value < minimum:
        return _("At least %(min)s.") % {"min": f"{minimum:g}"}
    if maximum is not None and value > maximum:
        return _("At most %(max)s.") % {"max": f"{maximum:g}"}
    return None


# The form XBlock's DateTime writes (DATETIME_FORMAT), with an optional UTC offset.
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?([+-]\d{2}:\d{2})?")


class IsoDateTime(DateTime):
    """XBlock's DateTime, read faster: the form it writes is parsed by the standard library (about
    twenty times faster than ``dateutil``, which XBlock uses for every string and a handler pays on
    every field it reads); anything else goes to XBlock's parser. The same values either way."""

    def from_json(self, value):
        if isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
            moment = datetime.datetime.fromisoformat(value)
            return moment.astimezone(pytz.utc) if moment.tzinfo is not None else moment.replace(tzinfo=pytz.utc)
        return super().from_json(value)


def credit_hours_field(default: float = 0.0, help_text=None) -> Float:
    return Float(
        display_name=gettext_lazy("Credit hours"), default=default, scope=Scope.settings,
        minimum=0, maximum=CREDIT_HOURS_MAX,
        help=help_text or gettext_lazy("Credited to the learner's hours ledger once, on completion (0: none)."),
    )


def legacy_hours_field() -> Float:
    """The credit hours of knowledge contests and writing assignments before they shared the name
    ``credit_hours``: kept so that courses authored then keep their hours. Not edited any more."""
    return Float(default=None, scope=Scope.settings, minimum=0, maximum=CREDIT_HOURS_MAX)


class CreditHoursMixin(XBlockMixin):
    """The one credit-hours field (``credit_hours``, 0 to 100 hours) of every block."""

    credit_hours = credit_hours_field()
    # An OLX attribute spelled the old way is read into credit_hours (see xblocks.olx).
    olx_aliases = {"credit_hours": ("hours",)}

    def credit_hours_value(self) -> Decimal:
        """The hours to credit: the field when set, else a value stored under the old name."""
        fields = self.fields
        if not fields["credit_hours"].is_set_on(self) and "hours" in fields and fields["hours"].is_set_on(self):
            legacy = getattr(self, "hours")
            if legacy is not None:
                return Decimal(str(max(0.0, float(legacy))))
        return Decimal(str(max(0.0, float(self.credit_hours or 0))))
