"""Hostile question bank files and names (knowledge_contest bank pages): a bank name no sheet
title may hold, a 5 MB single-line CSV, Big5, a header with no rows, an over-long course id."""
import io

import pytest
from openpyxl import load_workbook

from party_training.edx_plugin.core.models import CourseRole
from party_training.edx_plugin.knowledge_contest import bank_files
from party_training.edx_plugin.knowledge_contest.banks import BankError
from party_training.edx_plugin.knowledge_contest.models import QuestionBank
from tests.conftest import COURSE_ID

BANKS = "/party-training/contest/banks/"
HEADER = "type,stem,option_a,option_b,answer\n"
pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(client, make_user, settings):
    settings.LANGUAGE_CODE = "en"
    user = make_user("teacher")
    CourseRole.objects.create(user=user, course_id=COURSE_ID)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


@pytest.fixture
def bank(teacher):
    return QuestionBank.objects.create(code="mine", name="我的题库", course_id=COURSE_ID)


def _upload(data: bytes, name: str = "q.csv"):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_a_bank_named_with_sheet_title_characters_exports(client, bank):
    bank.name = "党章/党规\\题库?*:[2026]" + "长" * 40
    bank.save()
    response = client.get(f"{BANKS}{bank.pk}/export.xlsx")
    assert response.status_code == 200
    title = load_workbook(io.BytesIO(response.content)).active.title
    assert len(title) <= 31 and not set(title) & set("/\\?*:[]")


def test_a_5_mb_single_line_csv_is_refused_naming_row_and_column(client, bank):
    data = (HEADER + "single," + "题" * (5 * 1024 * 1024 // 3 - 100) + ",甲,乙,A\n").encode()
    assert len(data) <= bank_files.MAX_IMPORT_BYTES
    response = client.post(f"{BANKS}{bank.pk}/import/", {"file": _upload(data)})
    assert response.status_code == 400
    assert "Row 2, column B: the cell is longer than 32767 characters" in response.content.decode()
    assert bank.questions.count() == 0


def test_big5_is_read_as_big5(bank):
    data = (HEADER + "single,黨章規定黨員必須履行幾項義務？,八項,六項,A\n").encode("big5")
    result = bank_files.import_questions(bank, data, "q.csv")
    assert result.ok and bank.questions.get().stem == "黨章規定黨員必須履行幾項義務？"


def test_a_header_without_rows_is_refused(bank):
    with pytest.raises(BankError, match="no data rows"):
        bank_files.import_questions(bank, HEADER.encode(), "q.csv")
    assert bank.questions.count() == 0


def test_an_over_long_option_names_its_own_column(bank):
    result = bank_files.import_questions(bank, (HEADER + "single,题,甲," + "乙" * 600 + ",A\n").encode(), "q.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "Option B")]


def test_an_over_long_or_malformed_course_id_is_refused(client, teacher, make_user):
    admin = make_user("admin", staff=True)
    client.force_login(admin)
    for course_id in ("course-v1:X+Y+" + "Z" * 10_000, "not a course"):
        response = client.post(BANKS, {"code": "long", "name": "题库", "course_id": course_id})
        assert response.status_code == 400
        assert "is not a course id" in response.content.decode()
        assert len(response.content) < 60_000
    assert not QuestionBank.objects.filter(code="long").exists()
