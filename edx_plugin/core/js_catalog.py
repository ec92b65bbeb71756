"""JavaScript strings through the translation catalog (core): scripts of blocks and pages call ``gettext("…")``
with the English text; the block hands each script the translations of exactly the msgids its
files contain (found once per process), so no block keeps a copy of its strings in Python.
``scripts/i18n.py`` extracts the same calls into the catalog."""
from __future__ import annotations

import re
from functools import lru_cache

from django.utils.translation import gettext

from party_training.resources import read_static

# gettext("…") or gettext('…'), one literal (escaped quotes allowed).
_CALL = re.compile(r"""\bgettext\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
_ESCAPES = re.compile(r"\\(.)")


@lru_cache(maxsize=None)
def js_msgids(filename: str) -> tuple[str, ...]:
    source = read_static("js", filename)
    found = []
    for double, single in _CALL.findall(source):
        msgid = _ESCAPES.sub(r"\1", double or single)
        if msgid not in found:
            found.append(msgid)
    return tuple(found)


def js_catalog(*filenames: str) -> dict[str, str]:
    """msgid -> translation in the current language, for every gettext call of the files."""
    return {msgid: gettext(msgid) for name in filenames for msgid in js_msgids(name)}
