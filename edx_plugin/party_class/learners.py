"""Learners of a party class (party_class) as its rules see them: the name shown for a learner and
the learner's own row of a per-learner model (reflection, progress)."""
from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.models import MemberProfile
from .errors import PartyClassError


def display_name(user, profile: MemberProfile | None) -> str:
    """The name shown for a learner: the roster's full name, else the account's name."""
    if profile is not None and profile.full_name:
        return profile.full_name
    return user.get_full_name() or user.get_username()


def profile_of(user) -> MemberProfile | None:
    """The member profile loaded with ``select_related`` (None when the user has none)."""
    return getattr(user, "party_profile", None)


def learner_row(model, user, course_id: str, usage_id: str, **defaults):
    """The learner's row of ``model`` for the block, created if missing.

    Called outside any transaction: a request that loses the insert race to a concurrent one
    then reads the winner's committed row (inside a REPEATABLE READ transaction it could not)."""
    row, _created = model.objects.get_or_create(usage_id=usage_id, user=user,
                                                defaults={"course_id": course_id, **defaults})
    return row


def row_id(value) -> int:
    """A row id sent by the browser, or a 400 refusal."""
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise PartyClassError(_("The request names no valid question.")) from exc


def local_minute(value: datetime.datetime | None) -> str:
    """A moment in the site's local time, to the minute ("" for none)."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
