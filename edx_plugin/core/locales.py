"""Django's own strings and formats in the platform's language codes (core).

Django ships Simplified Chinese as ``zh_Hans``; Open edX names it ``zh-cn``, whose catalogs Django
looks for under ``zh_CN`` and does not find, so the admin ("Django administration", "Save and add
another") and Django's messages stayed English, and dates read "Dec. 1, 2026". For every language
of the site whose own Django catalog is missing, the catalogs of the language Django names as its
fallback (``LANG_INFO``: zh-cn → zh-hans, zh-tw → zh-hant) answer what the site's catalogs do not.
Formats come from ``party_training.edx_plugin.formats`` (``FORMAT_MODULE_PATH``, set by the plugin's
settings)."""
from __future__ import annotations

from pathlib import Path

import django
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_noop, to_locale, trans_real

_DJANGO_LOCALE = Path(django.__file__).resolve().parent / "conf" / "locale"


def django_fallback(language: str) -> str | None:
    """The language whose Django catalogs stand in for ``language``'s, or None when Django has its own."""
    language = (language or "").lower()
    if (_DJANGO_LOCALE / to_locale(language)).is_dir():
        return None
    for candidate in LANG_INFO.get(language, {}).get("fallback", []):
        if (_DJANGO_LOCALE / to_locale(candidate)).is_dir():
            return candidate
    return None


def install() -> None:
    """Make ``trans_real.translation`` add the fallback catalogs to a language that needs them (once
    per loaded translation; Django drops its cache when the language settings change)."""
    original = trans_real.translation
    if getattr(original, "party_training_fallbacks", False):
        return

    def translation(language):
        current = original(language)
        if getattr(current, "_party_django_fallback", False):
            return current
        current._party_django_fallback = True  # pylint: disable=protected-access
        fallback = django_fallback(language)
        if fallback:
            stand_in = trans_real.DjangoTranslation(fallback)
            # Asked only for what the site's own catalogs lack; then on as before (English, or the default).
            stand_in._fallback = current._fallback  # pylint: disable=protected-access
            current._fallback = stand_in  # pylint: disable=protected-access
        return current

    translation.party_training_fallbacks = True
    trans_real.translation = translation


# Strings of Django's admin that Django 5.2's own zh_Hans catalog leaves untranslated (the admin index's
# hidden table headings): the plugin's catalog translates them, so the admin is Chinese throughout.
DJANGO_GAPS = (gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"))
