"""Every user-facing string is translated: the committed zh_CN and en catalogs hold a
translation for every msgid in the sources, and are compiled."""
import subprocess
import sys
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def test_catalogs_complete_and_compiled():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, "untranslated strings (add them to i18n/zh_CN/*.po, run make i18n):\n" + result.stdout


def test_chinese_is_the_default_and_english_available():
    from party_training.edx_plugin.core.models import HourSource  # pylint: disable=import-outside-toplevel
    with translation.override("zh-cn"):
        assert str(HourSource.PARTY_CLASS.label) == "党课"
    with translation.override("en"):
        assert str(HourSource.PARTY_CLASS.label) == "Party class"


def test_words_with_two_meanings_are_translated_by_context():
    from party_training.edx_plugin.knowledge_contest.models import ContestAttempt, Question
    from party_training.edx_plugin.party_class.models import PartyClassQuestion
    from party_training.edx_plugin.writing_assignment.models import WritingStatus
    with translation.override("zh-cn"):
        assert str(Question._meta.verbose_name) == "题目"
        assert str(PartyClassQuestion._meta.get_field("text").verbose_name) == "问题"
        assert dict(ContestAttempt._meta.get_field("status").choices)["submitted"] == "已交卷"
        assert str(WritingStatus.SUBMITTED.label) == "已提交"
