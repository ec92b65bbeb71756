"""Fixtures of the knowledge contest tests: banks of generated questions and contest OLX."""
from __future__ import annotations

import pytest
from django.core.cache import cache

from party_training.edx_plugin.knowledge_contest.models import Question, QuestionBank
from party_training.edx_plugin.knowledge_contest.questions import fingerprint

# Markers that must never reach a learner before their attempt is closed.
SECRET_EXPLANATION = "EXPLAIN-SECRET"
SECRET_BLANK = "blanksecret"


def make_question(bank, qtype="single", stem=None, options=None, answer=None, category="", difficulty=2,
                  explanation=None, index=0):
    stem = stem or f"{qtype} question {index} of {bank.code}"
    if options is None:
        options = [f"option {index}-{n}" for n in range(4)] if qtype in ("single", "multiple") else []
    if answer is None:
        answer = {"single": ["B"], "multiple": ["A", "C"], "true_false": ["T"],
                  "fill_blank": [f"{SECRET_BLANK}{index}", "Ｍｉｘｅｄ　Ｃａｓｅ"]}[qtype]
    return Question.objects.create(
        bank=bank, qtype=qtype, stem=stem, options=options, answer=answer, category=category,
        difficulty=difficulty, explanation=explanation or f"{SECRET_EXPLANATION} {index}",
        fingerprint=fingerprint(qtype, stem, options),
    )


@pytest.fixture(autouse=True)
def empty_cache():
    """Leaderboards and live figures are cached briefly per contest, and tests reuse contest ids."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_bank(db):
    def _make(code="bank", size=8, course_id="", types=("single", "multiple", "true_false", "fill_blank"),
              category="", difficulty=2):
        bank = QuestionBank.objects.create(code=code, name=f"Bank {code}", course_id=course_id)
        for index in range(size):
            make_question(bank, types[index % len(types)], category=category, difficulty=difficulty, index=index)
        return bank
    return _make


def contest_olx(url_name="contest1", bank="bank", count=4, **attrs) -> str:
    defaults = {"time_limit_minutes": "10", "max_attempts": "2", "show_explanations": "after_attempt"}
    defaults.update({k: str(v) for k, v in attrs.items()})
    attributes = " ".join(f'{k}="{v}"' for k, v in defaults.items())
    return (f'<knowledge_contest url_name="{url_name}" display_name="竞赛" {attributes}>'
            f'<draw bank="{bank}" count="{count}"/></knowledge_contest>')
