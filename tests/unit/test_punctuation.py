"""Chinese text uses full-width punctuation (issue 14, defect 15) and a word with two meanings has a
message context (defect 1): checked over the catalogs and the templates, so a new string cannot
bring "状态: 已提交" or a grading link reading "开放时间" back."""
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = [ROOT / "edx_plugin" / "locale" / "zh_CN" / "LC_MESSAGES" / "django.po",
            ROOT / "demo" / "locale" / "zh_CN" / "LC_MESSAGES" / "django.po"]
CJK = "\u3400-\u9fff\uff00-\uffef\u3000-\u303f"
ASCII_BESIDE_CJK = re.compile(rf"[{CJK}][:;!?,]|[:;!?,][{CJK}]|[{CJK}] [:;]")
# A label and its value written as two pieces with an ASCII colon between them in a template.
SPLIT_LABEL = re.compile(r"\{% trans \"[^\"]+\" %\}\s*:|\}\}:\s")
# Inside blocktrans the whole sentence, colon included, is translated.
BLOCKTRANS = re.compile(r"\{% blocktrans.*?%\}.*?\{% endblocktrans %\}", re.S)
# Template folders not yet held to the rule (none: every area is).
NOT_YET: set[str] = set()


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-5])
def test_chinese_strings_use_full_width_punctuation(path):
    bad = [(entry.msgid, entry.msgstr) for entry in polib.pofile(str(path))
           if ASCII_BESIDE_CJK.search(entry.msgstr)]
    assert not bad, bad


def test_templates_translate_a_label_with_its_colon():
    bad = []
    for template in sorted((ROOT / "static" / "templates").glob("*/*.html")) + \
            sorted((ROOT / "demo" / "templates").glob("*/*.html")):
        if template.parent.name in NOT_YET:
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            if SPLIT_LABEL.search(BLOCKTRANS.sub("", line)):
                bad.append(f"{template.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not bad, "\n".join(bad)


def test_open_a_piece_is_not_opening_hours():
    with translation.override("zh-cn"):
        assert translation.pgettext("open a piece of writing", "Open") == "打开"
        assert translation.gettext("Opening window: ") == "开放时间："  # the contest's window, its own words
    queue = (ROOT / "static" / "templates" / "writing_assignment" / "queue.html").read_text(encoding="utf-8")
    assert '{% trans "Open" %}' not in queue and queue.count('context "open a piece of writing"') == 2
