"""The rotating sign-in code (签到码) that party classes (party_class) and rotation-training sessions
share: a 6-digit code of the current time window, projected with its QR code, that a learner types
or scans on site.

A code is the HOTP (RFC 4226) of the time window under a key derived from the site's SECRET_KEY and
an opaque ``subject`` string (a party class passes its usage id, a session its own reference), so
every LMS process agrees on the code without sharing memory. Wrong guesses are counted per subject
and learner in Django's shared cache.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import io
import re
import struct

import segno
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import RuleError

# The key's salt. Unchanged since party classes introduced the code: changing it changes every code.
KEY_SALT = "party_training.party_class.signin_code"
CODE_DIGITS = 6
# Bounds of the period (seconds) a code stays on the screen.
MIN_PERIOD, MAX_PERIOD = 10, 3600
# A code this many windows old is "expired" (a clear message), not "wrong" (a counted guess).
EXPIRED_WINDOWS = 20
# Wrong codes a learner may type per subject before waiting GUESS_WINDOW seconds.
GUESS_LIMIT = 5
GUESS_WINDOW = 300


def _subject_key(subject: str) -> bytes:
    """The subject's own secret, derived from the site's SECRET_KEY: every LMS process agrees."""
    return salted_hmac(KEY_SALT, subject, algorithm="sha256").digest()


def code_for_window(subject: str, window: int) -> str:
    """HOTP of the time window under the subject's key: a zero-padded 6-digit code."""
    digest = hmac.new(_subject_key(subject), struct.pack(">Q", window), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** CODE_DIGITS).zfill(CODE_DIGITS)


def _window(period: int, now: datetime.datetime | None) -> tuple[int, float]:
    timestamp = (now or timezone.now()).timestamp()
    return int(timestamp // period), timestamp


def current_code(subject: str, period: int, now: datetime.datetime | None = None) -> tuple[str, int]:
    """The code to project now and the seconds until it changes."""
    window, timestamp = _window(period, now)
    return code_for_window(subject, window), max(1, int((window + 1) * period - timestamp + 0.999))


def check_code(subject: str, period: int, code: str, now: datetime.datetime | None = None) -> str:
    """"valid" for the current or the previous window's code, "expired" for an older one, else "wrong"."""
    window = _window(period, now)[0]
    if any(hmac.compare_digest(code, code_for_window(subject, w)) for w in (window, window - 1)):
        return "valid"
    if any(hmac.compare_digest(code, code_for_window(subject, window - back))
           for back in range(2, EXPIRED_WINDOWS + 1)):
        return "expired"
    return "wrong"


def qr_svg(url: str, svg_class: str = "sign-in-qr-svg") -> str:
    """The URL as a QR code in SVG (scalable: a viewBox, no fixed size)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=1, border=2, xmldecl=False, svgns=True, nl=False,
                                    omitsize=True, svgclass=svg_class, dark="#000", light="#fff")
    return out.getvalue().decode("ascii")


# --- the wrong-guess limit ---------------------------------------------------------------------
def _guess_key(subject: str, user_id: int) -> str:
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()[:32]
    return f"party_training:sign_in_code:wrong:{digest}:{user_id}"


def wrong_guesses(subject: str, user_id: int) -> int:
    return int(cache.get(_guess_key(subject, user_id)) or 0)


def count_wrong_guess(subject: str, user_id: int) -> int:
    """Count one wrong code atomically in the shared cache; the window starts at the first one."""
    key = _guess_key(subject, user_id)
    cache.add(key, 0, GUESS_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, GUESS_WINDOW)
        return 1


def verify_typed_code(subject: str, user_id: int, period: int, code, now: datetime.datetime | None = None) -> None:
    """Accept the code a learner typed (spaces ignored) or raise ``RuleError``: 429 while the learner
    has used up the wrong guesses, else 400 with a message saying what was wrong (``tries_left``
    after a counted wrong guess; an expired code is explained and not counted)."""
    if wrong_guesses(subject, user_id) >= GUESS_LIMIT:
        raise RuleError(
            _("Too many wrong codes. Please wait %(minutes)d minutes and try again, or ask the lecturer for help.")
            % {"minutes": GUESS_WINDOW // 60}, status=429)
    code = re.sub(r"\s+", "", code if isinstance(code, str) else "")
    if not re.fullmatch(rf"\d{{{CODE_DIGITS}}}", code):
        raise RuleError(_("Please type the %(digits)d-digit code shown on the screen.") % {"digits": CODE_DIGITS})
    verdict = check_code(subject, period, code, now)
    if verdict == "expired":
        raise RuleError(_("This code has expired. Please type the code shown on the screen now."))
    if verdict == "wrong":
        left = max(0, GUESS_LIMIT - count_wrong_guess(subject, user_id))
        raise RuleError(ngettext(
            "Wrong code. You may try %(left)d more time.", "Wrong code. You may try %(left)d more times.", left,
        ) % {"left": left}, status=400 if left else 429, tries_left=left)
