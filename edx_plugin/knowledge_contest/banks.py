"""Question banks: validation, answer normalization, duplicate detection, XLSX/CSV import and export.

Files come from training centres' own spreadsheets: XLSX, or CSV saved by Excel or WPS in
UTF-8, UTF-8 with BOM or GB18030. Headers may be the column keys, the English labels or the
Simplified Chinese labels. Every row is checked; a file with any error imports nothing and
reports each error with its row and column, so the centre fixes the file and uploads again.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .models import Difficulty, Question, QuestionBank, QuestionType
from ..core.permissions import is_course_staff, is_site_admin
from ..core.files import decode_text

MAX_OPTIONS = 8
LETTERS = "ABCDEFGH"
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
MAX_STEM = 2000
MAX_OPTION = 500
MAX_EXPLANATION = 5000
MAX_BLANK_ANSWER = 200
CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}

# (key, label). Labels are translated when a template is written and recognised in any of English,
# the active language and Simplified Chinese when a file is read. The context keeps these short
# words apart from the same English words elsewhere in the catalogs.
COLUMNS = [
    ("type", pgettext_lazy("question bank column", "Type")),
    ("stem", pgettext_lazy("question bank column", "Question")),
    ("option_a", pgettext_lazy("question bank column", "Option A")),
    ("option_b", pgettext_lazy("question bank column", "Option B")),
    ("option_c", pgettext_lazy("question bank column", "Option C")),
    ("option_d", pgettext_lazy("question bank column", "Option D")),
    ("option_e", pgettext_lazy("question bank column", "Option E")),
    ("option_f", pgettext_lazy("question bank column", "Option F")),
    ("option_g", pgettext_lazy("question bank column", "Option G")),
    ("option_h", pgettext_lazy("question bank column", "Option H")),
    ("answer", pgettext_lazy("question bank column", "Answer")),
    ("explanation", pgettext_lazy("question bank column", "Explanation")),
    ("category", pgettext_lazy("question bank column", "Category")),
    ("difficulty", pgettext_lazy("question bank column", "Difficulty")),
]
TRUE_LABEL = pgettext_lazy("true or false answer", "True")
FALSE_LABEL = pgettext_lazy("true or false answer", "False")
TRUE_WORDS = [TRUE_LABEL, pgettext_lazy("true or false answer", "Right"), pgettext_lazy("true or false answer", "Yes")]
FALSE_WORDS = [FALSE_LABEL, pgettext_lazy("true or false answer", "Wrong"), pgettext_lazy("true or false answer", "No")]
_SPACES = re.compile(r"\s+")


class BankError(ValueError):
    """A refused bank operation; the message is translated and safe to show."""


# --- normalization ----------------------------------------------------------------------------
def normalize_text(value: str) -> str:
    """NFKC (full-width letters, digits and punctuation become half-width), trimmed, inner runs of
    spaces collapsed to one, Latin letters case-folded (Chinese has no case and is unchanged)."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return _SPACES.sub(" ", text).strip().casefold()


def blank_matches(response: str, accepted: list[str]) -> bool:
    given = normalize_text(response)
    return bool(given) and any(given == normalize_text(a) for a in accepted)


def _clean_plain(value) -> str:
    """Plain text from a cell: no control characters except newlines; escaped on output, never trusted."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch == "\n" or ch == "\t" or unicodedata.category(ch) != "Cc").strip()


def fingerprint(qtype: str, stem: str, options: list[str]) -> str:
    """Same type, stem and options (after normalization, options in any order) = the same question."""
    parts = [qtype, normalize_text(stem), *sorted(normalize_text(o) for o in options)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# --- words in several languages -----------------------------------------------------------------
def _words(labels) -> set[str]:
    """Each (lazy) label in English, in the active language and in Simplified Chinese, normalized."""
    found = set()
    for language in ("en", translation.get_language() or "en", "zh-cn"):
        with translation.override(language):
            found |= {normalize_text(str(label)) for label in labels}
    return found


def _type_aliases() -> dict[str, str]:
    aliases = {}
    for value, label in QuestionType.choices:
        for word in _words([label]) | {value}:
            aliases[word] = value
    return aliases


def _difficulty_aliases() -> dict[str, int]:
    aliases = {}
    english = {Difficulty.EASY: "easy", Difficulty.MEDIUM: "medium", Difficulty.HARD: "hard"}
    for value, label in Difficulty.choices:
        for word in _words([label]) | {str(value), english[value]}:
            aliases[word] = value
    return aliases


def value_aliases() -> dict:
    """Words accepted in the type, difficulty and true-or-false answer cells (built once per file)."""
    return {"type": _type_aliases(), "difficulty": _difficulty_aliases(),
            "true": _words(TRUE_WORDS) | {"t", "y", "1", "√", "✓"},
            "false": _words(FALSE_WORDS) | {"f", "n", "0", "×", "✗", "x"}}


def _header_aliases() -> dict[str, str]:
    aliases = {}
    for key, label in COLUMNS:
        for word in _words([label]) | {key}:
            aliases[word] = key
    for letter in LETTERS:
        aliases[normalize_text(letter)] = f"option_{letter.lower()}"
    return aliases


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


def _parse_letters(raw: str) -> list[str]:
    text = unicodedata.normalize("NFKC", raw).upper()
    letters = [ch for ch in text if ch.isalpha()]
    return sorted(set(letters)) if all(ch in LETTERS for ch in letters) else []


def parse_row(row: dict[str, str], aliases: dict | None = None) -> tuple[QuestionData | None, list[tuple[str, str]]]:
    """Check one row (column key -> cell text). Returns the question or a list of (column, message)."""
    aliases = aliases or value_aliases()
    errors: list[tuple[str, str]] = []
    qtype = aliases["type"].get(normalize_text(row.get("type", "")))
    if qtype is None:
        errors.append(("type", _("Unknown question type; use single, multiple, true_false or fill_blank.")))
    stem = _clean_plain(row.get("stem"))
    if not stem:
        errors.append(("stem", _("The question text is empty.")))
    elif len(stem) > MAX_STEM:
        errors.append(("stem", _("The question text is longer than %(max)d characters.") % {"max": MAX_STEM}))
    raw_options = [_clean_plain(row.get(f"option_{letter.lower()}")) for letter in LETTERS]
    while raw_options and not raw_options[-1]:
        raw_options.pop()
    options = raw_options
    answer_raw = _clean_plain(row.get("answer"))
    answer: list[str] = []
    if qtype in CHOICE_TYPES:
        if len(options) < 2:
            errors.append(("option_a", _("A choice question needs at least two options.")))
        elif any(not o for o in options):
            errors.append(("option_a", _("Options must be filled in order without gaps.")))
        elif len({normalize_text(o) for o in options}) != len(options):
            errors.append(("option_a", _("Two options have the same text.")))
        elif any(len(o) > MAX_OPTION for o in options):
            errors.append(("option_a", _("An option is longer than %(max)d characters.") % {"max": MAX_OPTION}))
        answer = _parse_letters(answer_raw)
        if not answer or any(LETTERS.index(a) >= len(options) for a in answer):
            errors.append(("answer", _("The answer must be the letters of existing options, such as A or ACD.")))
        elif qtype == QuestionType.SINGLE and len(answer) != 1:
            errors.append(("answer", _("A single-choice question has exactly one correct option.")))
        elif qtype == QuestionType.MULTIPLE and len(answer) < 2:
            errors.append(("answer", _("A multiple-choice question has at least two correct options.")))
    elif qtype == QuestionType.TRUE_FALSE:
        word = normalize_text(answer_raw)
        if word in aliases["true"]:
            answer = ["T"]
        elif word in aliases["false"]:
            answer = ["F"]
        else:
            errors.append(("answer", _("The answer of a true-or-false question is True or False.")))
        options = []
    elif qtype == QuestionType.FILL_BLANK:
        # "|" separates accepted answers; NFKC turns the full-width bar into it first.
        answer = [a.strip() for a in unicodedata.normalize("NFKC", answer_raw).split("|") if a.strip()]
        if not answer:
            errors.append(("answer", _("Give at least one accepted answer; separate several with |.")))
        elif any(len(a) > MAX_BLANK_ANSWER for a in answer):
            errors.append(("answer", _("An accepted answer is longer than %(max)d characters.")
                           % {"max": MAX_BLANK_ANSWER}))
        options = []
    explanation = _clean_plain(row.get("explanation"))
    if len(explanation) > MAX_EXPLANATION:
        errors.append(("explanation", _("The explanation is longer than %(max)d characters.")
                       % {"max": MAX_EXPLANATION}))
    category = _clean_plain(row.get("category"))
    if len(category) > 100:
        errors.append(("category", _("The category is longer than 100 characters.")))
    difficulty_raw = normalize_text(row.get("difficulty", ""))
    difficulty = aliases["difficulty"].get(difficulty_raw) if difficulty_raw else Difficulty.MEDIUM
    if difficulty is None:
        errors.append(("difficulty", _("Difficulty must be easy, medium or hard (or 1, 2, 3).")))
    if errors:
        return None, errors
    return QuestionData(qtype, stem, options, answer, explanation, category, difficulty), []


def add_question(bank: QuestionBank, data: QuestionData) -> Question:
    """Add one checked question; a duplicate of a question already in the bank is refused."""
    question = Question(
        bank=bank, qtype=data.qtype, stem=data.stem, options=data.options, answer=data.answer,
        explanation=data.explanation, category=data.category, difficulty=data.difficulty,
        fingerprint=data.fingerprint,
    )
    if Question.objects.filter(bank=bank, fingerprint=question.fingerprint).exists():
        raise BankError(_("This question is already in the bank."))
    question.save()
    return question


# --- files ------------------------------------------------------------------------------------
def _csv_rows(raw: bytes) -> list[list[str]]:
    text = decode_text(raw)
    if text is None:
        raise BankError(_("The file is not in UTF-8 or GB18030 text encoding."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # pylint: disable=import-outside-toplevel

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise BankError(_("The file could not be read as an XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else _clean_plain(v) for v in values])
            if len(rows) > MAX_IMPORT_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(raw: bytes, filename: str) -> list[list[str]]:
    if len(raw) > MAX_IMPORT_BYTES:
        raise BankError(_("The file is larger than %(mb)d MB; split it into smaller files.")
                        % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(raw)
    if name.endswith((".csv", ".txt")):
        return _csv_rows(raw)
    raise BankError(_("Upload an .xlsx or .csv file."))


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    checked: int = 0
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def column_label(key: str) -> str:
    return next((str(label) for k, label in COLUMNS if k == key), key)


def import_questions(bank: QuestionBank, raw: bytes, filename: str, *, dry_run: bool = False) -> ImportResult:
    """Check every row of a file and add its questions to ``bank``.

    Any error: nothing is imported. Duplicates (of a question already in the bank or of an earlier
    row) are skipped and listed. Row numbers are the spreadsheet's (the header is row 1).
    """
    table = read_table(raw, filename)
    result = ImportResult(dry_run=dry_run)
    while table and not any(cell.strip() for cell in table[0]):
        table.pop(0)
    if not table:
        raise BankError(_("The file is empty."))
    header_aliases = _header_aliases()
    keys = [header_aliases.get(normalize_text(cell)) for cell in table[0]]
    missing = [k for k in ("type", "stem", "answer") if k not in keys]
    if missing:
        raise BankError(_("Missing columns: %(columns)s. Download the template to see the expected columns.")
                        % {"columns": ", ".join(column_label(k) for k in missing)})
    body = table[1:]
    if len(body) > MAX_IMPORT_ROWS:
        raise BankError(_("The file has more than %(max)d questions; split it into smaller files.")
                        % {"max": MAX_IMPORT_ROWS})
    aliases = value_aliases()
    parsed: list[tuple[int, QuestionData]] = []
    for offset, cells in enumerate(body):
        row_number = offset + 2
        if not any(c.strip() for c in cells):
            continue
        row = {key: cells[i] for i, key in enumerate(keys) if key and i < len(cells)}
        data, errors = parse_row(row, aliases)
        result.checked += 1
        if errors:
            result.errors.extend(RowError(row_number, column_label(col), msg) for col, msg in errors)
        else:
            parsed.append((row_number, data))
    existing = set(Question.objects.filter(
        bank=bank, fingerprint__in=[d.fingerprint for _row, d in parsed],
    ).values_list("fingerprint", flat=True)) if parsed else set()
    seen: dict[str, int] = {}
    fresh: list[Question] = []
    for row_number, data in parsed:
        key = data.fingerprint
        if key in existing:
            result.duplicates.append(RowError(row_number, column_label("stem"), _("Already in the bank; skipped.")))
        elif key in seen:
            result.duplicates.append(RowError(
                row_number, column_label("stem"), _("Same as row %(row)d; skipped.") % {"row": seen[key]}))
        else:
            seen[key] = row_number
            fresh.append(Question(
                bank=bank, qtype=data.qtype, stem=data.stem, options=data.options, answer=data.answer,
                explanation=data.explanation, category=data.category, difficulty=data.difficulty,
                fingerprint=key,
            ))
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        Question.objects.bulk_create(fresh, batch_size=500)
    result.created = len(fresh)
    return result


def workbook_bytes(sheets: list[tuple[str, Iterable[list]]]) -> bytes:
    """Write (title, rows) sheets as XLSX, streaming. Text cells are always text: a name or stem
    starting with "=" must not become a formula in the centre's Excel (formula injection)."""
    from openpyxl import Workbook  # pylint: disable=import-outside-toplevel
    from openpyxl.cell import WriteOnlyCell  # pylint: disable=import-outside-toplevel
    from openpyxl.styles import Font  # pylint: disable=import-outside-toplevel

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        for number, row in enumerate(rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if number == 0:
                    cell.font = bold
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header_row() -> list[str]:
    return [str(label) for _key, label in COLUMNS]


def _type_label(qtype: str) -> str:
    return str(QuestionType(qtype).label)


def template_workbook() -> bytes:
    """The import template in the active language, with one example row per question type."""
    blanks = [""] * MAX_OPTIONS

    def options(*texts):
        return list(texts) + blanks[len(texts):]
    rows = [
        _header_row(),
        [_type_label("single"), _("Which is the highest leading body of the Party?"),
         *options(_("The National Congress and the Central Committee it elects"), _("The Political Bureau"),
                  _("The Central Military Commission"), _("The Secretariat")),
         "A", _("Article 10 of the Party Constitution."), _("Party Constitution"), str(Difficulty.EASY.label)],
        [_type_label("multiple"), _("Which of the following are duties of a Party member?"),
         *options(_("Study the Party's theories earnestly"), _("Carry out the Party's basic line"),
                  _("Put personal interests first"), _("Keep in close contact with the people")),
         "ABD", _("Article 3 of the Party Constitution."), _("Party Constitution"), str(Difficulty.MEDIUM.label)],
        [_type_label("true_false"), _("A probationary member has the right to vote."), *blanks,
         str(FALSE_LABEL), _("Probationary members have no right to vote, elect or stand for election."),
         _("Party Constitution"), str(Difficulty.MEDIUM.label)],
        [_type_label("fill_blank"), _("The probationary period of a new member is ____ year(s)."), *blanks,
         _("1|one"), _("Article 7 of the Party Constitution."), _("Party Constitution"), str(Difficulty.EASY.label)],
    ]
    return workbook_bytes([(_("Questions"), rows)])


def answer_text(question: Question) -> str:
    if question.qtype == QuestionType.TRUE_FALSE:
        return str(TRUE_LABEL if question.answer == ["T"] else FALSE_LABEL)
    if question.qtype == QuestionType.FILL_BLANK:
        return "|".join(question.answer)
    return "".join(question.answer)


def export_bank(bank: QuestionBank) -> bytes:
    """The bank as XLSX in the import layout, so an exported file imports back unchanged."""
    def rows():
        yield _header_row()
        for q in bank.questions.filter(active=True).order_by("id").iterator(chunk_size=1000):
            options = list(q.options) + [""] * (MAX_OPTIONS - len(q.options))
            yield [_type_label(q.qtype), q.stem, *options, answer_text(q), q.explanation, q.category,
                   str(Difficulty(q.difficulty).label)]
    return workbook_bytes([(bank.name, rows())])


# --- who manages banks --------------------------------------------------------------------------
def can_manage_bank(user, bank: QuestionBank) -> bool:
    """Site admins manage every bank; course staff the banks of their course. Site-wide banks: admins."""
    if is_site_admin(user):
        return True
    return bool(bank.course_id) and is_course_staff(user, bank.course_id)


def manageable_banks(user):
    from ..core.models import CourseRole  # pylint: disable=import-outside-toplevel

    if is_site_admin(user):
        return QuestionBank.objects.all()
    if not (user and user.is_authenticated):
        return QuestionBank.objects.none()
    courses = CourseRole.objects.filter(user=user).values_list("course_id", flat=True)
    return QuestionBank.objects.filter(course_id__in=list(courses)).exclude(course_id="")


def can_create_bank(user, course_id: str) -> bool:
    if is_site_admin(user):
        return True
    return bool(course_id) and is_course_staff(user, course_id)


def create_bank(user, code: str, name: str, course_id: str = "", description: str = "") -> QuestionBank:
    code = (code or "").strip().lower()
    name = _clean_plain(name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", code):
        raise BankError(_("The code may use lower-case letters, digits, - and _ (at most 64)."))
    if not name or len(name) > 200:
        raise BankError(_("Give the bank a name of at most 200 characters."))
    if not can_create_bank(user, course_id):
        raise BankError(_("You may not create a bank for this course."))
    if QuestionBank.objects.filter(code=code).exists():
        raise BankError(_("A bank with this code already exists."))
    return QuestionBank.objects.create(code=code, name=name, course_id=course_id.strip(),
                                       description=_clean_plain(description), created_by=user)


def load_bank_fixtures(directory: Path, course_id: str = "") -> list[tuple[QuestionBank, ImportResult]]:
    """Create the banks listed in ``directory/banks.json`` and import their files (demo and seeding).

    Safe to run again: existing banks are kept and questions already in them are skipped as duplicates.
    """
    results = []
    for entry in json.loads((directory / "banks.json").read_text(encoding="utf-8")):
        bank, _created = QuestionBank.objects.get_or_create(
            code=entry["code"], defaults={"name": entry["name"], "description": entry.get("description", ""),
                                          "course_id": course_id},
        )
        result = import_questions(bank, (directory / entry["file"]).read_bytes(), entry["file"])
        if not result.ok:
            raise BankError("; ".join(f"{entry['file']}:{e.row} {e.column}: {e.message}" for e in result.errors))
        results.append((bank, result))
    return results
