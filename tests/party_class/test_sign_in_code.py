"""The rotating code moved from the party class (party_class) rules into core.sign_in_code, keyed by
an opaque subject: for a party class the subject is its usage id, and the code must stay what the
old formula gave (same salt, same HOTP), so codes projected before and after the move agree. The
wrong-guess limit counts per subject and learner in Django's cache."""
import datetime
import hashlib
import hmac
import struct

import pytest
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from party_training.edx_plugin.core import sign_in_code
from party_training.edx_plugin.core.errors import RuleError

USAGE_ID = "block-v1:Demo+PC101+2026+type@party_class+block@pc1"
WINDOW = 59_352_000  # 2026-06-04 00:00 UTC in 30-second windows


def old_code(usage_id: str, window: int) -> str:
    """The formula of edx_plugin/party_class/rules.py before the move, copied verbatim."""
    key = salted_hmac("party_training.party_class.signin_code", usage_id, algorithm="sha256").digest()
    digest = hmac.new(key, struct.pack(">Q", window), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** 6).zfill(6)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_code_is_the_one_the_old_formula_gave():
    for window in (WINDOW, WINDOW + 1, 0, 2 ** 40):
        assert sign_in_code.code_for_window(USAGE_ID, window) == old_code(USAGE_ID, window)
    now = datetime.datetime.fromtimestamp(WINDOW * 30 + 7, tz=datetime.timezone.utc)
    code, seconds_left = sign_in_code.current_code(USAGE_ID, 30, now)
    assert code == old_code(USAGE_ID, WINDOW) and seconds_left == 23
    assert sign_in_code.check_code(USAGE_ID, 30, old_code(USAGE_ID, WINDOW - 1), now) == "valid"


def test_subjects_other_than_party_classes_get_their_own_codes():
    assert sign_in_code.code_for_window("rotation-session:42", WINDOW) != \
        sign_in_code.code_for_window(USAGE_ID, WINDOW)


def _wrong(now):
    window = int(now.timestamp() // 30)
    taken = {sign_in_code.code_for_window(USAGE_ID, window - back) for back in range(0, 25)}
    return next(str(n).zfill(6) for n in range(10 ** 6) if str(n).zfill(6) not in taken)


def test_the_guess_limit_holds_per_subject_and_learner():
    now = datetime.datetime.fromtimestamp(WINDOW * 30 + 7, tz=datetime.timezone.utc)
    wrong, right = _wrong(now), sign_in_code.current_code(USAGE_ID, 30, now)[0]
    for attempt in range(1, sign_in_code.GUESS_LIMIT + 1):
        with pytest.raises(RuleError) as refused:
            sign_in_code.verify_typed_code(USAGE_ID, 7, 30, wrong, now)
        assert refused.value.extra["tries_left"] == sign_in_code.GUESS_LIMIT - attempt
        assert refused.value.status == (429 if attempt == sign_in_code.GUESS_LIMIT else 400)
    assert sign_in_code.wrong_guesses(USAGE_ID, 7) == sign_in_code.GUESS_LIMIT
    with pytest.raises(RuleError) as refused:  # even the right code, while the limit holds
        sign_in_code.verify_typed_code(USAGE_ID, 7, 30, right, now)
    assert refused.value.status == 429
    sign_in_code.verify_typed_code(USAGE_ID, 8, 30, right, now)  # another learner
    sign_in_code.verify_typed_code("rotation-session:42", 7, 30,  # another subject
                                   sign_in_code.current_code("rotation-session:42", 30, now)[0], now)
    cache.clear()  # the window passed
    sign_in_code.verify_typed_code(USAGE_ID, 7, 30, f" {right[:3]} {right[3:]} ", now)


def test_malformed_and_expired_codes_are_not_counted():
    now = datetime.datetime.fromtimestamp(WINDOW * 30 + 7, tz=datetime.timezone.utc)
    for typed in ("12ab", None, "1234567"):
        with pytest.raises(RuleError):
            sign_in_code.verify_typed_code(USAGE_ID, 7, 30, typed, now)
    with pytest.raises(RuleError) as refused:
        sign_in_code.verify_typed_code(USAGE_ID, 7, 30, old_code(USAGE_ID, WINDOW - 5), now)
    assert "tries_left" not in refused.value.extra
    assert sign_in_code.wrong_guesses(USAGE_ID, 7) == 0
