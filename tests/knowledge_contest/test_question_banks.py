"""Question bank import and export: encodings, row-level errors, duplicates, template, round trip."""
import csv
import io
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from party_training.edx_plugin.knowledge_contest.models import Question, QuestionBank
from party_training.edx_plugin.knowledge_contest import bank_files, banks, questions

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "question_banks"
HEADER = ["type", "stem", "option_a", "option_b", "option_c", "option_d", "answer", "explanation", "category",
          "difficulty"]
ROWS = [
    ["single", "党的最高领导机关是？", "全国代表大会和中央委员会", "中央政治局", "", "", "A", "第十条", "组织", "easy"],
    ["multiple", "党的优良作风有？", "理论联系实际", "密切联系群众", "批评和自我批评", "脱离群众", "ABC", "", "作风", "2"],
    ["true_false", "预备党员有表决权。", "", "", "", "", "F", "", "", "hard"],
    ["fill_blank", "中国共产党成立于____年。", "", "", "", "", "1921｜一九二一", "", "", ""],
]


def csv_bytes(rows, encoding="utf-8", header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def bank(db):
    return QuestionBank.objects.create(code="b1", name="题库")


def test_normalization_full_width_spaces_and_case():
    assert questions.comparable_text("  ＣＰＣ　 党章\t第 1 条 ") == "cpc 党章 第 1 条"
    assert questions.blank_matches("ｃｐｃ", ["CPC"]) and questions.blank_matches(" 人民 ", ["人民"])
    assert not questions.blank_matches("", ["x"]) and not questions.blank_matches("人 民", ["人民"])
    assert questions.fingerprint("single", "题干 ", ["b", "a"]) == questions.fingerprint("single", "题干", ["a", "b"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_imports_all_types(bank, encoding):
    result = bank_files.import_questions(bank, csv_bytes(ROWS, encoding), "questions.csv")
    assert result.ok and result.created == 4, result.errors
    single = Question.objects.get(bank=bank, qtype="single")
    assert single.options == ["全国代表大会和中央委员会", "中央政治局"] and single.answer == ["A"]
    assert single.difficulty == 1 and single.category == "组织"
    assert Question.objects.get(bank=bank, qtype="multiple").answer == ["A", "B", "C"]
    assert Question.objects.get(bank=bank, qtype="true_false").answer == ["F"]
    assert Question.objects.get(bank=bank, qtype="fill_blank").answer == ["1921", "一九二一"]


def test_xlsx_import_and_row_level_errors_import_nothing(bank):
    rows = ROWS + [
        ["single", "", "a", "b", "", "", "A", "", "", ""],               # row 6: empty stem
        ["single", "两个答案？", "a", "b", "c", "", "AB", "", "", ""],       # row 7: two answers
        ["multiple", "选项缺口？", "a", "", "c", "", "AC", "", "", ""],      # row 8: gap in options
        ["essay", "未知题型", "", "", "", "", "x", "", "", ""],             # row 9: unknown type
        ["true_false", "判断", "", "", "", "", "maybe", "", "", ""],        # row 10: bad answer
        ["single", "难度错", "a", "b", "", "", "E", "", "", "extreme"],     # row 11: answer + difficulty
    ]
    with translation.override("en"):
        result = bank_files.import_questions(bank, xlsx_bytes(rows), "questions.xlsx")
    assert not result.ok and result.created == 0
    assert not Question.objects.filter(bank=bank).exists()
    by_row = {}
    for error in result.errors:
        by_row.setdefault(error.row, []).append(error.column)
    assert set(by_row) == {6, 7, 8, 9, 10, 11}
    assert by_row[11] == ["Answer", "Difficulty"]
    assert bank_files.import_questions(bank, xlsx_bytes(ROWS), "questions.xlsx").created == 4


def test_duplicates_in_the_file_and_in_the_bank_are_skipped(bank):
    same_again = [ROWS[0][0], "  党的最高领导机关是？ ", "中央政治局", "全国代表大会和中央委员会", "", "", "B", "", "", ""]
    result = bank_files.import_questions(bank, csv_bytes(ROWS + [same_again]), "q.csv")
    assert result.created == 4 and [d.row for d in result.duplicates] == [6]
    again = bank_files.import_questions(bank, csv_bytes(ROWS), "q.csv")
    assert again.ok and again.created == 0 and len(again.duplicates) == 4
    assert Question.objects.filter(bank=bank).count() == 4


def test_dry_run_checks_without_importing(bank):
    result = bank_files.import_questions(bank, csv_bytes(ROWS), "q.csv", dry_run=True)
    assert result.ok and result.checked == 4 and result.created == 0
    assert not Question.objects.filter(bank=bank).exists()


@translation.override("en")
def test_file_level_problems_are_reported(bank):
    with pytest.raises(banks.BankError, match="xlsx"):
        bank_files.import_questions(bank, b"x", "questions.pdf")
    with pytest.raises(banks.BankError, match="Missing columns"):
        bank_files.import_questions(bank, csv_bytes(ROWS, header=["kind", "stem"]), "q.csv")
    with pytest.raises(banks.BankError, match="XLSX"):
        bank_files.import_questions(bank, b"PK\x03\x04 broken", "q.xlsx")
    with pytest.raises(banks.BankError, match="empty"):
        bank_files.import_questions(bank, b"\n\n", "q.csv")


def test_template_and_export_import_back(bank):
    template = bank_files.template_workbook()
    result = bank_files.import_questions(bank, template, "template.xlsx")
    assert result.ok and result.created == 4, result.errors
    other = QuestionBank.objects.create(code="b2", name="副本")
    exported = bank_files.export_bank(bank)
    copy = bank_files.import_questions(other, exported, "export.xlsx")
    assert copy.ok and copy.created == 4
    key = lambda q: (q.qtype, q.stem, q.options, q.answer, q.explanation, q.category, q.difficulty)  # noqa: E731
    assert sorted(map(key, bank.questions.all())) == sorted(map(key, other.questions.all()))


def test_chinese_template_headers_and_values_import(bank):
    with translation.override("zh-cn"):
        template = bank_files.template_workbook()
    sheet = load_workbook(io.BytesIO(template)).active
    assert [c.value for c in sheet[1]][:3] == ["题型", "题干", "选项A"]
    assert sheet["A2"].value == "单选题"
    with translation.override("en"):  # a Chinese file is read whatever the uploader's language
        result = bank_files.import_questions(bank, template, "模板.xlsx")
    assert result.ok and result.created == 4, result.errors


def test_a_centres_own_chinese_csv_in_gb18030(bank):
    header = ["题型", "题干", "选项A", "选项B", "选项C", "答案", "解析", "分类", "难度"]
    rows = [["单选题", "题一", "甲", "乙", "丙", "Ｂ", "", "党章", "简单"],
            ["多选题", "题二", "甲", "乙", "丙", "A、C", "", "党章", "困难"],
            ["判断题", "题三", "", "", "", "错", "", "", "中等"],
            ["判断题", "题四", "", "", "", "√", "", "", ""],
            ["填空题", "题五", "", "", "", "人民", "", "", ""]]
    result = bank_files.import_questions(bank, csv_bytes(rows, "gb18030", header=header), "题库.csv")
    assert result.ok and result.created == 5, result.errors
    assert dict(bank.questions.values_list("stem", "answer")) == {
        "题一": ["B"], "题二": ["A", "C"], "题三": ["F"], "题四": ["T"], "题五": ["人民"]}


def test_export_keeps_formula_like_text_as_text(bank):
    Question.objects.create(bank=bank, qtype="fill_blank", stem="=HYPERLINK(\"http://x\",\"y\")", answer=["=1+1"],
                            fingerprint="f1")
    sheet = load_workbook(io.BytesIO(bank_files.export_bank(bank))).active
    cells = [c for c in sheet[2] if c.value]
    assert all(c.data_type == "s" for c in cells)


def test_demo_fixture_bank_loads_and_is_idempotent(db):
    first = bank_files.load_bank_fixtures(FIXTURES)
    bank, result = first[0]
    assert result.ok and result.created >= 30
    assert set(bank.questions.values_list("qtype", flat=True)) == {"single", "multiple", "true_false", "fill_blank"}
    _bank, again = bank_files.load_bank_fixtures(FIXTURES)[0]
    assert again.created == 0 and len(again.duplicates) == result.created


def test_bank_creation_rules(make_user):
    admin, teacher, learner = make_user("adm", staff=True), make_user("teach"), make_user("learn")
    from party_training.edx_plugin.core.models import CourseRole
    CourseRole.objects.create(user=teacher, course_id="course-v1:A+B+C")
    assert banks.create_bank(admin, "site-bank", "全站题库").course_id == ""
    with pytest.raises(banks.BankError):
        banks.create_bank(teacher, "t-bank", "题库")  # course staff cannot create site-wide banks
    bank = banks.create_bank(teacher, "t-bank", "课程题库", "course-v1:A+B+C")
    with pytest.raises(banks.BankError):
        banks.create_bank(learner, "l-bank", "题库", "course-v1:A+B+C")
    with pytest.raises(banks.BankError):
        banks.create_bank(admin, "Bad Code!", "x")
    with pytest.raises(banks.BankError):
        banks.create_bank(admin, "t-bank", "again")
    assert banks.can_manage_bank(teacher, bank) and not banks.can_manage_bank(learner, bank)
    assert list(banks.manageable_banks(teacher)) == [bank]
