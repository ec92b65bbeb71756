"""Sign-in to a party class (party_class): online check-in within its window, on site with the
rotating code of ``core.sign_in_code`` (the block's usage id is the code's subject), or recorded by
staff. One sign-in per learner, made safe by the database's unique constraint."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core import sign_in_code
from ..core.conf import setting
from ..core.db import statement_guard
from ..core.errors import RuleError
from .errors import PartyClassError
from .learners import local_minute
from .models import PartyClassSignIn, SignInMethod

CODE_DIGITS = sign_in_code.CODE_DIGITS
MIN_CODE_PERIOD, MAX_CODE_PERIOD = sign_in_code.MIN_PERIOD, sign_in_code.MAX_PERIOD


@dataclass(frozen=True)
class SignInRules:
    """How a class takes sign-ins, as its author set it. A class held on site (on-site sign-in on)
    takes only the rotating code shown in the room, never an online check-in; both are taken only
    around the session (``session_start``/``session_end`` widened by the site's margin,
    ``SIGN_IN_MARGIN_MINUTES``), online check-in inside its own window when the author set one."""

    online: bool = True
    online_start: datetime.datetime | None = None
    online_end: datetime.datetime | None = None
    onsite: bool = True
    code_period: int = 30
    session_start: datetime.datetime | None = None
    session_end: datetime.datetime | None = None

    @property
    def online_offered(self) -> bool:
        return self.online and not self.onsite

    def session_window(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        margin = datetime.timedelta(minutes=int(setting("SIGN_IN_MARGIN_MINUTES")))
        return (self.session_start - margin if self.session_start else None,
                self.session_end + margin if self.session_end else None)

    def online_window(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        start, end = self.session_window()
        return self.online_start or start, self.online_end or end


def phase(start: datetime.datetime | None, end: datetime.datetime | None,
          now: datetime.datetime | None = None) -> str:
    """Where ``now`` stands against an optional [start, end] window: "early", "open" or "late"."""
    now = now or timezone.now()
    if start is not None and now < start:
        return "early"
    if end is not None and now > end:
        return "late"
    return "open"


def online_open(rules: SignInRules, now: datetime.datetime | None = None) -> bool:
    return rules.online_offered and phase(*rules.online_window(), now) == "open"


def find_sign_in(user, usage_id: str) -> PartyClassSignIn | None:
    return PartyClassSignIn.objects.filter(usage_id=usage_id, user=user).first()


def sign_in(user, course_id: str, usage_id: str, rules: SignInRules, *, method: str, code: str = "",
            now: datetime.datetime | None = None) -> tuple[PartyClassSignIn, bool]:
    """Sign ``user`` in once. A second sign-in, also a concurrent one, returns the first and False.

    The checks run first and the INSERT decides (the unique constraint): no read before the write. A
    learner already signed in whose checks fail (the class is over, the code has changed) gets the
    sign-in they have, as before."""
    try:
        _check(user, usage_id, rules, method, code, now or timezone.now())
    except RuleError:  # the class's refusals and the code's (wrong, expired, too many guesses)
        existing = find_sign_in(user, usage_id)
        if existing is not None:
            return existing, False
        raise
    return _insert_sign_in(course_id, usage_id, user, method)


def _check(user, usage_id: str, rules: SignInRules, method: str, code, now: datetime.datetime) -> None:
    """Refuse (``PartyClassError``) a sign-in the class does not take now."""
    if method == SignInMethod.ONLINE:
        if rules.onsite:
            raise PartyClassError(_("This class is held on site: sign in with the code shown in the room."))
        if not rules.online:
            raise PartyClassError(_("Online check-in is not offered for this class."))
        start, end = rules.online_window()
        window = phase(start, end, now)
        if window == "early":
            raise PartyClassError(_("Online check-in opens at %(time)s.") % {"time": local_minute(start)})
        if window == "late":
            raise PartyClassError(_("Online check-in has closed."))
    elif method == SignInMethod.ONSITE:
        if not rules.onsite:
            raise PartyClassError(_("On-site sign-in is not offered for this class."))
        start, end = rules.session_window()
        window = phase(start, end, now)
        if window == "early":
            raise PartyClassError(_("On-site sign-in opens at %(time)s, shortly before the class.")
                                  % {"time": local_minute(start)})
        if window == "late":
            raise PartyClassError(_("On-site sign-in has closed: the class is over."))
        sign_in_code.verify_typed_code(usage_id, user.pk, rules.code_period, code, now)
    else:
        raise PartyClassError(_("Unknown way of signing in."))


def _insert_sign_in(course_id: str, usage_id: str, user, method: str) -> tuple[PartyClassSignIn, bool]:
    """Insert the sign-in; the unique constraint turns a concurrent second one into (the first, False)."""
    try:
        with statement_guard():
            return PartyClassSignIn.objects.create(course_id=course_id, usage_id=usage_id, user=user,
                                                   method=method), True
    except IntegrityError:
        return PartyClassSignIn.objects.get(usage_id=usage_id, user=user), False


def record_sign_in(course_id: str, usage_id: str, username) -> tuple[PartyClassSignIn, bool]:
    """Staff record a learner present (补签: no phone, a lost code). Once per learner, like any sign-in."""
    user = get_user_model().objects.filter(username=str(username or "").strip()).first()
    if user is None:
        raise PartyClassError(_("No learner has this user name."), status=404)
    return _insert_sign_in(course_id, usage_id, user, SignInMethod.STAFF)


def sign_in_count(usage_id: str) -> int:
    return PartyClassSignIn.objects.filter(usage_id=usage_id).count()


def method_label(method: str) -> str:
    """The translated name of a sign-in method (for pages, blocks and exports)."""
    return str(SignInMethod(method).label)


def sign_in_state(signin: PartyClassSignIn | None, rules: SignInRules) -> dict:
    """What the learner's view shows of their sign-in, and whether online check-in is open now."""
    return {
        "signed_in": signin is not None,
        "method": signin.method if signin else "",
        "method_label": method_label(signin.method) if signin else "",
        "time": local_minute(signin.created) if signin else "",
        "online_open": online_open(rules),
    }

