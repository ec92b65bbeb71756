"""Sign-in: the rotating code (HMAC of a per-block key and the time window), wrong and expired
codes, the per-learner guess limit, online check-in windows, one sign-in per learner, and the
projector page with its QR code."""
import datetime
import json
import re
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from party_training.edx_plugin.party_class.models import PartyClassSignIn
from party_training.edx_plugin.core import sign_in_code
from tests.conftest import call_handler, get_block, handler_queries, load_block
from tests.party_class.conftest import sign_in_on_site

NOW = datetime.datetime(2026, 12, 1, 1, 0, 10, tzinfo=datetime.timezone.utc)


def test_code_is_stable_within_a_window_and_differs_per_block():
    code, seconds_left = sign_in_code.current_code("block-a", 30, NOW)
    assert re.fullmatch(r"\d{6}", code) and 1 <= seconds_left <= 30
    assert sign_in_code.current_code("block-a", 30, NOW + datetime.timedelta(seconds=5))[0] == code
    assert sign_in_code.current_code("block-b", 30, NOW)[0] != code
    assert sign_in_code.current_code("block-a", 30, NOW + datetime.timedelta(seconds=30))[0] != code


def test_code_depends_on_the_site_secret():
    code = sign_in_code.current_code("block-a", 30, NOW)[0]
    with override_settings(SECRET_KEY="another-site-secret-" + "x" * 40):
        assert sign_in_code.current_code("block-a", 30, NOW)[0] != code


def test_current_and_previous_window_accepted_older_expired():
    code = sign_in_code.current_code("block-a", 30, NOW)[0]
    assert sign_in_code.check_code("block-a", 30, code, NOW) == "valid"
    assert sign_in_code.check_code("block-a", 30, code, NOW + datetime.timedelta(seconds=30)) == "valid"
    assert sign_in_code.check_code("block-a", 30, code, NOW + datetime.timedelta(seconds=60)) == "expired"
    assert sign_in_code.check_code("block-a", 30, code, NOW + datetime.timedelta(hours=2)) == "wrong"
    wrong = str((int(code) + 1) % 10 ** 6).zfill(6)
    assert sign_in_code.check_code("block-a", 30, wrong, NOW) in {"wrong", "expired"}


def _code(usage_id, period=30):
    return sign_in_code.current_code(usage_id, period)[0]


def _wrong(usage_id):
    window = int(timezone.now().timestamp() // 30)
    current = {sign_in_code.code_for_window(usage_id, window - back) for back in range(0, 25)}
    return next(str(n).zfill(6) for n in range(10 ** 6) if str(n).zfill(6) not in current)


@pytest.mark.django_db
def test_onsite_sign_in_once(block_id, people):
    status, body = call_handler(block_id, "sign_in", people["a"], {"method": "onsite", "code": _code(block_id)})
    assert status == 200 and body["created"] and body["signin"]["signed_in"]
    assert body["requirements"]["signin"] is True and body["requirements"]["completed"] is False
    status, body = call_handler(block_id, "sign_in", people["a"], {"method": "onsite", "code": "000000"})
    assert status == 200 and body["created"] is False
    assert PartyClassSignIn.objects.filter(usage_id=block_id).count() == 1


@pytest.mark.django_db
def test_code_with_spaces_is_accepted(block_id, people):
    code = _code(block_id)
    spaced = f" {code[:3]} {code[3:]} "
    status, body = call_handler(block_id, "sign_in", people["a"], {"method": "onsite", "code": spaced})
    assert status == 200 and body["created"]


@pytest.mark.django_db
def test_wrong_and_malformed_codes_get_clear_messages(block_id, people):
    status, body = call_handler(block_id, "sign_in", people["a"], {"method": "onsite", "code": "12ab"})
    assert status == 400 and "6" in body["error"]
    status, body = call_handler(block_id, "sign_in", people["a"], {"method": "onsite", "code": _wrong(block_id)})
    assert status == 400 and body["tries_left"] == sign_in_code.GUESS_LIMIT - 1
    assert not PartyClassSignIn.objects.filter(usage_id=block_id).exists()


@pytest.mark.django_db
def test_expired_code_is_explained_and_not_counted(block_id, people):
    old = sign_in_code.code_for_window(block_id, int(timezone.now().timestamp() // 30) - 5)
    status, body = call_handler(block_id, "sign_in", people["a"], {"method": "onsite", "code": old})
    assert status == 400 and "tries_left" not in body
    assert sign_in_code.wrong_guesses(block_id, people["a"].pk) == 0


@pytest.mark.django_db
def test_guessing_is_rate_limited_per_learner(block_id, people):
    wrong = _wrong(block_id)
    for attempt in range(sign_in_code.GUESS_LIMIT):
        status, body = call_handler(block_id, "sign_in", people["a"], {"method": "onsite", "code": wrong})
        assert status == (429 if attempt == sign_in_code.GUESS_LIMIT - 1 else 400)
    # Even the right code is refused while the limit holds...
    status, body = call_handler(block_id, "sign_in", people["a"], {"method": "onsite", "code": _code(block_id)})
    assert status == 429 and body["error"]
    # ...for this learner only.
    status, body = call_handler(block_id, "sign_in", people["b"], {"method": "onsite", "code": _code(block_id)})
    assert status == 200 and body["created"]


@pytest.mark.django_db
def test_online_check_in_window(people):
    online = 'online_signin="true" onsite_signin="false"'
    usage_id = load_block(f'<party_class url_name="win" {online} online_signin_start="2000-01-01T00:00:00+00:00" '
                          'online_signin_end="2000-01-02T00:00:00+00:00"/>')
    status, body = call_handler(usage_id, "sign_in", people["a"], {"method": "online"})
    assert status == 400 and body["error"]
    usage_id = load_block(f'<party_class url_name="win2" {online} online_signin_start="2099-01-01T00:00:00+00:00"/>')
    status, body = call_handler(usage_id, "sign_in", people["a"], {"method": "online"})
    assert status == 400
    usage_id = load_block(f'<party_class url_name="open" {online}/>')
    status, body = call_handler(usage_id, "sign_in", people["a"], {"method": "online"})
    assert status == 200 and body["signin"]["method"] == "online"


@pytest.mark.django_db
def test_switched_off_methods_are_refused(people):
    usage_id = load_block('<party_class url_name="off" online_signin="false" onsite_signin="false" '
                          'require_signin="false"/>')
    assert call_handler(usage_id, "sign_in", people["a"], {"method": "online"})[0] == 400
    assert call_handler(usage_id, "sign_in", people["a"], {"method": "onsite", "code": _code(usage_id)})[0] == 400
    assert call_handler(usage_id, "sign_in", people["a"], {"method": "teleport"})[0] == 400


@pytest.mark.django_db(transaction=True)
def test_sign_in_runs_at_most_five_queries(block_id, people):
    """The whole request, as in production (no test transaction around it): the session with the user
    and their course-staff role (one query, demo.sessions), the block's fields, the INSERT (the unique key decides, no read first),
    and where the learner stands (one query)."""
    status, queries = handler_queries(block_id, "sign_in", people["a"], {"method": "onsite", "code": _code(block_id)})
    assert status == 200
    assert len(queries) <= 4, "\n".join(queries)
    # Signing in again answers with the first sign-in: the refused INSERT, then that sign-in's read.
    status, again = handler_queries(block_id, "sign_in", people["a"], {"method": "onsite", "code": _code(block_id)})
    assert status == 200 and len(again) <= 5, "\n".join(again)


@pytest.mark.django_db
def test_projector_page_shows_code_qr_and_count(block_id, people):
    sign_in_on_site(block_id, people["b"])
    unit = "http://testserver/courses/x/unit/u/"
    status, html = call_handler(block_id, "projector", people["staff"], {"unit": unit}, method="GET")
    assert status == 200 and "<svg" in html and "pc-code-big" in html
    code = re.search(r'data-code="(\d{6})"', html).group(1)
    assert sign_in_code.check_code(block_id, 30, code) == "valid"
    status, state = call_handler(block_id, "projector_state", people["staff"], {"unit": unit}, method="GET")
    assert state["count"] == 1 and state["expected"] == 4
    landing = urlsplit(state["url"])
    assert (landing.scheme, landing.netloc) == ("http", "testserver")
    assert unquote(landing.path) == f"/party-training/class/{block_id}/sign-in/"
    assert dict(parse_qsl(landing.query)) == {"party_code": state["code"], "next": unit}
    assert state["qr_svg"].startswith("<svg")


@pytest.mark.django_db
def test_projector_url_refuses_other_sites(block_id, people):
    status, state = call_handler(block_id, "projector_state", people["staff"],
                                 {"unit": "https://phishing.example.com/"}, method="GET")
    after = dict(parse_qsl(urlsplit(state["url"]).query))["next"]
    assert after.startswith("http://testserver/courses/") and "jump_to" in after
    assert "phishing" not in state["url"]


@pytest.mark.django_db
def test_projector_is_staff_only(block_id, people):
    status, _ = call_handler(block_id, "projector", people["a"], method="GET")
    assert status == 403
    status, _ = call_handler(block_id, "projector_state", people["a"], method="GET")
    assert status == 403


def test_qr_svg_is_scalable():
    svg = sign_in_code.qr_svg("https://lms.example.com/courses/x/jump_to/y?party_code=123456")
    assert svg.startswith("<svg") and "viewBox" in svg and 'width="' not in svg.split(">")[0]


@pytest.mark.django_db
def test_every_lms_process_agrees_on_the_code(block_id):
    """No process memory: a fresh block object (another request, another process) derives the same code."""
    first = get_block(block_id)
    second = get_block(block_id)
    assert sign_in_code.current_code(first.usage_id_str, first.onsite_code_period)[0] == \
        sign_in_code.current_code(second.usage_id_str, second.onsite_code_period)[0]


@pytest.mark.django_db
def test_a_class_held_on_site_takes_only_the_code(block_id, people):
    status, body = call_handler(block_id, "sign_in", people["a"], {"method": "online"})
    assert status == 400 and "现场" in body["error"] and "签到码" in body["error"]
    assert not PartyClassSignIn.objects.filter(usage_id=block_id).exists()
    # Even a class saved with both switched on (before this rule) takes no online check-in.
    both = load_block('<party_class url_name="both" online_signin="true" onsite_signin="true"/>')
    assert call_handler(both, "sign_in", people["a"], {"method": "online"})[0] == 400
    assert call_handler(both, "sign_in", people["a"], {"method": "onsite", "code": _code(both)})[0] == 200


def _class_at(url_name: str, start: datetime.datetime, hours: int = 2, extra: str = "") -> str:
    end = start + datetime.timedelta(hours=hours)
    return load_block(f'<party_class url_name="{url_name}" session_start="{start.isoformat()}" '
                      f'session_end="{end.isoformat()}" {extra}/>')


@pytest.mark.django_db
def test_on_site_code_only_around_the_session_with_the_sites_margin(people):
    now = timezone.now()
    later = _class_at("later", now + datetime.timedelta(hours=3))
    status, body = call_handler(later, "sign_in", people["a"], {"method": "onsite", "code": _code(later)})
    assert status == 400 and "开放" in body["error"]
    over = _class_at("over", now - datetime.timedelta(hours=5))
    status, body = call_handler(over, "sign_in", people["a"], {"method": "onsite", "code": _code(over)})
    assert status == 400 and "结束" in body["error"]
    # 10 minutes before the start: inside the default margin (15), outside a margin of 5.
    soon = _class_at("soon", now + datetime.timedelta(minutes=10))
    with override_settings(PARTY_TRAINING={"SIGN_IN_MARGIN_MINUTES": 5}):
        assert call_handler(soon, "sign_in", people["a"], {"method": "onsite", "code": _code(soon)})[0] == 400
    assert call_handler(soon, "sign_in", people["a"], {"method": "onsite", "code": _code(soon)})[0] == 200
    assert sign_in_code.wrong_guesses(soon, people["a"].pk) == 0, "a closed window is not a wrong guess"


@pytest.mark.django_db
def test_online_check_in_follows_the_session_when_it_has_no_window(people):
    online = 'online_signin="true" onsite_signin="false"'
    later = _class_at("olater", timezone.now() + datetime.timedelta(hours=3), extra=online)
    status, body = call_handler(later, "sign_in", people["a"], {"method": "online"})
    assert status == 400 and "开放" in body["error"]
    now_on = _class_at("onow", timezone.now() - datetime.timedelta(minutes=20), extra=online)
    assert call_handler(now_on, "sign_in", people["a"], {"method": "online"})[0] == 200


@pytest.mark.django_db
def test_studio_editor_refuses_both_ways_and_says_why(block_id, people):
    status, body = call_handler(block_id, "studio_submit", people["staff"],
                                {"values": {"online_signin": True, "onsite_signin": True}})
    assert status == 400 and "online_signin" in body["fields"] and "现场" in body["fields"]["online_signin"]
    from django.utils import translation  # pylint: disable=import-outside-toplevel
    with translation.override("zh-cn"):
        help_text = str(get_block(block_id, people["staff"]).fields["onsite_signin"].help)
    assert "投影" in help_text and "不提供在线签到" in help_text
