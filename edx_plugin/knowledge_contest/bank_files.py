"""Question bank files of knowledge contests (knowledge_contest): XLSX/CSV import, the import
template and the export of a bank.

Files come from training centres' own spreadsheets: XLSX, or CSV saved by Excel or WPS in
UTF-8, UTF-8 with BOM, GB18030 or Big5 (read by ``core.files``). Headers may be the column keys,
the English labels or the Simplified Chinese labels. Every row is checked; a file with any error imports nothing and
reports each error with its row and column, so the centre fixes the file and uploads again.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ..core.files import FileRefused, csv_rows, decode_text
from ..core.xlsx import Sheet, sheet_title, workbook_bytes
from .banks import BankError, clean_cell
from .models import Difficulty, Question, QuestionBank
from .questions import (
    FALSE_LABEL, LETTERS, MAX_OPTIONS, QuestionData, answer_text, difficulty_label, label_words, comparable_text,
    parse_row, type_label, value_aliases,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000

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
COLUMN_WIDTHS = {1: 12, 2: 48, 11: 10, 12: 36, 13: 16, 14: 10}


def _header_aliases() -> dict[str, str]:
    aliases = {}
    for key, label in COLUMNS:
        for word in label_words([label]) | {key}:
            aliases[word] = key
    for letter in LETTERS:
        aliases[comparable_text(letter)] = f"option_{letter.lower()}"
    return aliases


def column_label(key: str) -> str:
    """A column's label in the active language (row errors name the column as the file shows it)."""
    return next((str(label) for k, label in COLUMNS if k == key), key)


# --- reading a file -----------------------------------------------------------------------------
def _csv_rows(raw: bytes) -> list[list[str]]:
    try:
        text = decode_text(raw)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        return list(csv_rows(text, dialect))
    except FileRefused as exc:  # undecodable, damaged, or a cell longer than a spreadsheet holds
        raise BankError(exc.message) from exc


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
            rows.append(["" if v is None else clean_cell(v) for v in values])
            if len(rows) > MAX_IMPORT_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(raw: bytes, filename: str) -> list[list[str]]:
    """The cells of an uploaded XLSX or CSV file, refused when too large or of another kind."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise BankError(too_large_message())
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(raw)
    if name.endswith((".csv", ".txt")):
        return _csv_rows(raw)
    raise BankError(_("Upload an .xlsx or .csv file."))


def too_large_message() -> str:
    return (_("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})


# --- importing ----------------------------------------------------------------------------------
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


def _column_keys(table: list[list[str]]) -> list[str | None]:
    while table and not any(cell.strip() for cell in table[0]):
        table.pop(0)
    if not table:
        raise BankError(_("The file is empty."))
    header_aliases = _header_aliases()
    keys = [header_aliases.get(comparable_text(cell)) for cell in table[0]]
    missing = [k for k in ("type", "stem", "answer") if k not in keys]
    if missing:
        raise BankError(_("Missing columns: %(columns)s. Download the template to see the expected columns.")
                        % {"columns": ", ".join(column_label(k) for k in missing)})
    if not any(any(cell.strip() for cell in cells) for cells in table[1:]):
        raise BankError(_("The file has no data rows below its header; nothing was imported."))
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise BankError(_("The file has more than %(max)d questions; split it into smaller files.")
                        % {"max": MAX_IMPORT_ROWS})
    return keys


def import_questions(bank: QuestionBank, raw: bytes, filename: str, *, dry_run: bool = False) -> ImportResult:
    """Check every row of a file and add its questions to ``bank``.

    Any error: nothing is imported. Duplicates (of a question already in the bank or of an earlier
    row) are skipped and listed. Row numbers are the spreadsheet's (the header is row 1).
    """
    table = read_table(raw, filename)
    result = ImportResult(dry_run=dry_run)
    keys = _column_keys(table)
    aliases = value_aliases()
    parsed: list[tuple[int, QuestionData]] = []
    for offset, cells in enumerate(table[1:]):
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
            fresh.append(data.question(bank))
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        Question.objects.bulk_create(fresh, batch_size=500)
    result.created = len(fresh)
    return result


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


# --- writing a file -----------------------------------------------------------------------------
def _header_row() -> list[str]:
    return [str(label) for _key, label in COLUMNS]


def template_workbook() -> bytes:
    """The import template in the active language, with one example row per question type."""
    blanks = [""] * MAX_OPTIONS

    def options(*texts):
        return list(texts) + blanks[len(texts):]
    rows = [
        [type_label("single"), _("Which is the highest leading body of the Party?"),
         *options(_("The National Congress and the Central Committee it elects"), _("The Political Bureau"),
                  _("The Central Military Commission"), _("The Secretariat")),
         "A", _("Article 10 of the Party Constitution."), _("Party Constitution"), difficulty_label(Difficulty.EASY)],
        [type_label("multiple"), _("Which of the following are duties of a Party member?"),
         *options(_("Study the Party's theories earnestly"), _("Carry out the Party's basic line"),
                  _("Put personal interests first"), _("Keep in close contact with the people")),
         "ABD", _("Article 3 of the Party Constitution."), _("Party Constitution"),
         difficulty_label(Difficulty.MEDIUM)],
        [type_label("true_false"), _("A probationary member has the right to vote."), *blanks,
         str(FALSE_LABEL), _("Probationary members have no right to vote, elect or stand for election."),
         _("Party Constitution"), difficulty_label(Difficulty.MEDIUM)],
        [type_label("fill_blank"), _("The probationary period of a new member is ____ year(s)."), *blanks,
         _("1|one"), _("Article 7 of the Party Constitution."), _("Party Constitution"),
         difficulty_label(Difficulty.EASY)],
    ]
    return workbook_bytes([Sheet(_("Questions"), _header_row(), rows, widths=COLUMN_WIDTHS)])


def export_bank(bank: QuestionBank) -> bytes:
    """The bank as XLSX in the import layout, so an exported file imports back unchanged."""
    def rows():
        for q in bank.questions.filter(active=True).order_by("id").iterator(chunk_size=1000):
            options = list(q.options) + [""] * (MAX_OPTIONS - len(q.options))
            yield [type_label(q.qtype), q.stem, *options, answer_text(q), q.explanation, q.category,
                   difficulty_label(q.difficulty)]
    return workbook_bytes([Sheet(sheet_title(bank.name), _header_row(), rows(), widths=COLUMN_WIDTHS)])
