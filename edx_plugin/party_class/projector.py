"""The projector of a party class (party_class): the screen the lecturer shows in the room, with
the rotating code of ``core.sign_in_code``, a QR code of the unit's address with the code filled
in, and the live count. The QR code only ever points at this site."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.urls import reverse
from django.utils import translation

from ..core import sign_in_code
from .attendance import expected_count
from .sign_in import SignInRules, sign_in_count

CODE_PARAMETER = "party_code"


def unit_address(unit: str, host_url: str, fallback_unit: str) -> str:
    """Where the learner goes after signing in: ``unit`` (the page that opened the projector) if it is
    on this site (``host_url``), else ``fallback_unit``; relative addresses get this site."""
    parts = urlsplit(unit)
    site = urlsplit(host_url)
    same_site = (parts.scheme in ("http", "https") and parts.netloc == site.netloc) or (
        not parts.scheme and not parts.netloc and unit.startswith("/"))
    if not (unit and same_site):
        parts = urlsplit(fallback_unit)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != CODE_PARAMETER]
    scheme, netloc = (parts.scheme, parts.netloc) if parts.netloc else (site.scheme, site.netloc)
    return urlunsplit((scheme, netloc, parts.path, urlencode(query), ""))


def sign_in_url(usage_id: str, unit: str, host_url: str, fallback_unit: str, code: str) -> str:
    """The QR code's address: the plugin's sign-in page of this class (outside the Learning MFE, whose
    iframe a query string never reaches), with the code, and the unit to go on to afterwards."""
    landing = urlsplit(host_url)._replace(
        path=reverse("party_training:party_class_sign_in", kwargs={"usage_id": usage_id}),
        query=urlencode({CODE_PARAMETER: code, "next": unit_address(unit, host_url, fallback_unit)}), fragment="")
    return urlunsplit(landing)


def projector_state(usage_id: str, rules: SignInRules, codes: list[str], *, unit: str, host_url: str,
                    fallback_unit: str) -> dict:
    """What the projector shows now: code, seconds left, QR code, signed-in and expected counts."""
    code, seconds_left, url, qr = "", 0, "", ""
    if rules.onsite:
        code, seconds_left = sign_in_code.current_code(usage_id, rules.code_period)
        url = sign_in_url(usage_id, unit, host_url, fallback_unit, code)
        qr = sign_in_code.qr_svg(url, svg_class="party-class-qr-svg")
    return {"code": code, "seconds_left": seconds_left, "period": rules.code_period, "url": url,
            "qr_svg": qr, "count": sign_in_count(usage_id), "expected": expected_count(codes)}


def html_lang() -> str:
    """The projector page's ``lang`` (a BCP 47 tag: zh-CN, not Django's zh-cn)."""
    language = translation.get_language() or "zh-cn"
    return "zh-CN" if language.startswith("zh") else language
