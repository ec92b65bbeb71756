"""Questions of a knowledge contest's banks (knowledge_contest): what makes a question valid, how
answers are compared, when two questions are the same, and retiring or restoring one.

Answers are compared after normalization (NFKC, spaces collapsed, Latin case folded), so a
full-width "Ａ" or "ｔｒｕｅ" typed on a Chinese keyboard matches its half-width form.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .banks import BankError, clean_cell
from .models import Difficulty, Question, QuestionBank, QuestionType

MAX_OPTIONS = 8
LETTERS = "ABCDEFGH"
MAX_STEM = 2000
MAX_OPTION = 500
MAX_EXPLANATION = 5000
MAX_BLANK_ANSWER = 200
MAX_CATEGORY = 100
QUESTIONS_PER_PAGE = 50
CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}
TRUE_LABEL = pgettext_lazy("true or false answer", "True")
FALSE_LABEL = pgettext_lazy("true or false answer", "False")
TRUE_WORDS = [TRUE_LABEL, pgettext_lazy("true or false answer", "Right"), pgettext_lazy("true or false answer", "Yes")]
FALSE_WORDS = [FALSE_LABEL, pgettext_lazy("true or false answer", "Wrong"), pgettext_lazy("true or false answer", "No")]
_SPACES = re.compile(r"\s+")


# --- normalization ----------------------------------------------------------------------------
def comparable_text(value: str) -> str:
    """NFKC (full-width letters, digits and punctuation become half-width), trimmed, inner runs of
    spaces collapsed to one, Latin letters case-folded (Chinese has no case and is unchanged)."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return _SPACES.sub(" ", text).strip().casefold()


def blank_matches(response: str, accepted: list[str]) -> bool:
    given = comparable_text(response)
    return bool(given) and any(given == comparable_text(a) for a in accepted)


def fingerprint(qtype: str, stem: str, options: list[str]) -> str:
    """Same type, stem and options (after normalization, options in any order) = the same question."""
    parts = [qtype, comparable_text(stem), *sorted(comparable_text(o) for o in options)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def label_words(labels) -> set[str]:
    """Each (lazy) label in English, in the active language and in Simplified Chinese, normalized."""
    found = set()
    for language in ("en", translation.get_language() or "en", "zh-cn"):
        with translation.override(language):
            found |= {comparable_text(str(label)) for label in labels}
    return found


def value_aliases() -> dict:
    """Words accepted in the type, difficulty and true-or-false answer cells (built once per file)."""
    types = {}
    for value, label in QuestionType.choices:
        for word in label_words([label]) | {value}:
            types[word] = value
    difficulties = {}
    english = {Difficulty.EASY: "easy", Difficulty.MEDIUM: "medium", Difficulty.HARD: "hard"}
    for value, label in Difficulty.choices:
        for word in label_words([label]) | {str(value), english[value]}:
            difficulties[word] = value
    return {"type": types, "difficulty": difficulties,
            "true": label_words(TRUE_WORDS) | {"t", "y", "1", "√", "✓"},
            "false": label_words(FALSE_WORDS) | {"f", "n", "0", "×", "✗", "x"}}


def type_label(qtype: str) -> str:
    return str(QuestionType(qtype).label)


def difficulty_label(difficulty: int) -> str:
    return str(Difficulty(difficulty).label)


def answer_text(question: Question) -> str:
    """The answer key as a bank file writes it (letters, True/False, accepted answers joined by |)."""
    if question.qtype == QuestionType.TRUE_FALSE:
        return str(TRUE_LABEL if question.answer == ["T"] else FALSE_LABEL)
    if question.qtype == QuestionType.FILL_BLANK:
        return "|".join(question.answer)
    return "".join(question.answer)


# --- one question -----------------------------------------------------------------------------
@dataclass
class QuestionData:
    qtype: str
    stem: str
    options: list[str]
    answer: list[str]
    explanation: str = ""
    category: str = ""
    difficulty: int = Difficulty.MEDIUM

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.qtype, self.stem, self.options)

    def question(self, bank: QuestionBank) -> Question:
        """An unsaved question of ``bank`` with these values."""
        return Question(bank=bank, qtype=self.qtype, stem=self.stem, options=self.options, answer=self.answer,
                        explanation=self.explanation, category=self.category, difficulty=self.difficulty,
                        fingerprint=self.fingerprint)


def _parse_letters(raw: str) -> list[str]:
    text = unicodedata.normalize("NFKC", raw).upper()
    letters = [ch for ch in text if ch.isalpha()]
    return sorted(set(letters)) if all(ch in LETTERS for ch in letters) else []


def _choice_errors(qtype: str, options: list[str], answer: list[str]) -> list[tuple[str, str]]:
    errors = []
    if len(options) < 2:
        errors.append(("option_a", _("A choice question needs at least two options.")))
    elif any(not o for o in options):
        errors.append(("option_a", _("Options must be filled in order without gaps.")))
    elif len({comparable_text(o) for o in options}) != len(options):
        errors.append(("option_a", _("Two options have the same text.")))
    elif any(len(o) > MAX_OPTION for o in options):
        long_option = next(letter for letter, o in zip(LETTERS, options) if len(o) > MAX_OPTION)
        errors.append((f"option_{long_option.lower()}", _("An option is longer than %(max)d characters.")
                       % {"max": MAX_OPTION}))
    if not answer or any(LETTERS.index(a) >= len(options) for a in answer):
        errors.append(("answer", _("The answer must be the letters of existing options, such as A or ACD.")))
    elif qtype == QuestionType.SINGLE and len(answer) != 1:
        errors.append(("answer", _("A single-choice question has exactly one correct option.")))
    elif qtype == QuestionType.MULTIPLE and len(answer) < 2:
        errors.append(("answer", _("A multiple-choice question has at least two correct options.")))
    return errors


def _answer(qtype: str | None, answer_raw: str, options: list[str], aliases: dict):
    """The answer key and the options kept, or the errors of the answer cell."""
    if qtype in CHOICE_TYPES:
        answer = _parse_letters(answer_raw)
        return answer, options, _choice_errors(qtype, options, answer)
    if qtype == QuestionType.TRUE_FALSE:
        word = comparable_text(answer_raw)
        if word in aliases["true"]:
            return ["T"], [], []
        if word in aliases["false"]:
            return ["F"], [], []
        return [], [], [("answer", _("The answer of a true-or-false question is True or False."))]
    if qtype == QuestionType.FILL_BLANK:
        # "|" separates accepted answers; NFKC turns the full-width bar into it first.
        answer = [a.strip() for a in unicodedata.normalize("NFKC", answer_raw).split("|") if a.strip()]
        if not answer:
            return answer, [], [("answer", _("Give at least one accepted answer; separate several with |."))]
        if any(len(a) > MAX_BLANK_ANSWER for a in answer):
            return answer, [], [("answer", _("An accepted answer is longer than %(max)d characters.")
                                 % {"max": MAX_BLANK_ANSWER})]
        return answer, [], []
    return [], options, []


def parse_row(row: dict[str, str], aliases: dict | None = None) -> tuple[QuestionData | None, list[tuple[str, str]]]:
    """Check one row (column key -> cell text). Returns the question or a list of (column, message)."""
    aliases = aliases or value_aliases()
    errors: list[tuple[str, str]] = []
    qtype = aliases["type"].get(comparable_text(row.get("type", "")))
    if qtype is None:
        errors.append(("type", _("Unknown question type; use single, multiple, true_false or fill_blank.")))
    stem = clean_cell(row.get("stem"))
    if not stem:
        errors.append(("stem", _("The question text is empty.")))
    elif len(stem) > MAX_STEM:
        errors.append(("stem", _("The question text is longer than %(max)d characters.") % {"max": MAX_STEM}))
    options = [clean_cell(row.get(f"option_{letter.lower()}")) for letter in LETTERS]
    while options and not options[-1]:
        options.pop()
    answer, options, answer_errors = _answer(qtype, clean_cell(row.get("answer")), options, aliases)
    errors.extend(answer_errors)
    explanation = clean_cell(row.get("explanation"))
    if len(explanation) > MAX_EXPLANATION:
        errors.append(("explanation", _("The explanation is longer than %(max)d characters.")
                       % {"max": MAX_EXPLANATION}))
    category = clean_cell(row.get("category"))
    if len(category) > MAX_CATEGORY:
        errors.append(("category", _("The category is longer than 100 characters.")))
    difficulty_raw = comparable_text(row.get("difficulty", ""))
    difficulty = aliases["difficulty"].get(difficulty_raw) if difficulty_raw else Difficulty.MEDIUM
    if difficulty is None:
        errors.append(("difficulty", _("Difficulty must be easy, medium or hard (or 1, 2, 3).")))
    if errors:
        return None, errors
    return QuestionData(qtype, stem, options, answer, explanation, category, difficulty), []


def add_question(bank: QuestionBank, data: QuestionData) -> Question:
    """Add one checked question; a duplicate of a question already in the bank is refused."""
    question = data.question(bank)
    if Question.objects.filter(bank=bank, fingerprint=question.fingerprint).exists():
        raise BankError(_("This question is already in the bank."))
    question.save()
    return question


# --- a bank's page ------------------------------------------------------------------------------
def type_choices() -> list[tuple[str, str]]:
    """Question types for the bank page's filter (pages and blocks do not import model enums)."""
    return [(value, str(label)) for value, label in QuestionType.choices]


def difficulty_choices() -> list[tuple[int, str]]:
    """Difficulties for the bank page's filter."""
    return [(value, str(label)) for value, label in Difficulty.choices]


def question_page(bank: QuestionBank, filters: dict[str, str], page_number) -> Page:
    """One page of a bank's questions, active first, filtered by text, type, category and difficulty."""
    questions = bank.questions.all().order_by("-active", "id")
    if filters.get("q"):
        questions = questions.filter(stem__icontains=filters["q"])
    if filters.get("type") in QuestionType.values:
        questions = questions.filter(qtype=filters["type"])
    if filters.get("category"):
        questions = questions.filter(category=filters["category"])
    if str(filters.get("difficulty", "")).isdigit():
        questions = questions.filter(difficulty=int(filters["difficulty"]))
    return Paginator(questions, QUESTIONS_PER_PAGE).get_page(page_number)


def bank_categories(bank: QuestionBank) -> list[dict]:
    """The categories of a bank's active questions, each with ``n`` questions (one grouped query)."""
    return list(bank.questions.filter(active=True).values("category").annotate(n=Count("id")).order_by("category"))


def set_question_active(bank: QuestionBank, question_id: int, active: bool) -> Question:
    """Retire a question (no longer drawn; attempts that used it keep it) or restore it."""
    question = Question.objects.filter(pk=question_id, bank=bank).first()
    if question is None:
        raise BankError(_("This question is not in the bank."), status=404)
    question.active = active
    question.save(update_fields=["active", "modified"])
    return question
