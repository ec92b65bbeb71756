"""Text as every area stores and measures it: one HTML allow-list, one plain-text cleaner and one
character-counting rule, so a reflection, a reading note and a discussion post of the same length
count the same."""
from __future__ import annotations

import re

import nh3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import RuleError

# Authored rich text (lecture text, prompts, case materials): structure, emphasis, links, images,
# tables. No scripts, styles, forms or frames; links only http(s) and mailto.
RICH_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "pre", "code",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "caption", "span", "div",
}
RICH_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sanitize_html(value: str | None) -> str:
    """Authored HTML reduced to the allow-list; safe to mark as safe in a template."""
    return nh3.clean(value or "", tags=RICH_TAGS, attributes=RICH_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


def normalize_text(value) -> str:
    """Plain text as stored: line breaks as \\n, control characters removed. Never marked safe:
    templates and scripts escape it wherever it is shown."""
    if not isinstance(value, str):
        raise RuleError(_("The text is missing."))
    return _CONTROL_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def plain_text(value, max_chars: int, what=None) -> str:
    """Learner text (questions, answers, reflections, titles, comments) stored as typed: line breaks as
    \\n, control characters removed, trimmed; markup is kept as text (a learner quoting "<p>" keeps it)
    and escaped wherever it is shown. Longer than ``max_chars`` is refused, never cut: ``what`` names
    the field in the message."""
    text = normalize_text(value).strip()
    if len(text) > max_chars:
        params = {"max": max_chars, "count": len(text)}
        if what:
            raise RuleError(_("%(what)s is too long: %(count)d characters, at most %(max)d.")
                            % {**params, "what": what})
        raise RuleError(_("The text is too long: %(count)d characters, at most %(max)d.") % params)
    return text


EXCERPT_CHARS = 40


def excerpt(value, limit: int = EXCERPT_CHARS) -> str:
    """A value quoted in a message: at most its first ``limit`` characters and "…", so that a
    10,000-character cell does not come back whole in an error page."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def count_chars(text: str | None) -> int:
    """The one character-counting rule (字数): every character counts once (汉字, letters, digits,
    punctuation); spaces, tabs and line breaks do not. Minimum and maximum lengths of every block
    use it, and the pages' counters count the same way."""
    return len("".join((text or "").split()))


# Said wherever an author sets a length (Studio help texts) and a learner sees a counter.
COUNTING_RULE_HELP = gettext_lazy(
    "Every character counts once (Chinese characters, letters, digits, punctuation); spaces and line breaks do not.")
