"""Property tests of the question bank upload path (knowledge_contest: the import rule and the
bank's import page): whatever file arrives, the answer is a result or one clear refusal, never an
exception or a server error, and a refused or checked-only import writes nothing."""
import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from party_training.edx_plugin.core.models import CourseRole
from party_training.edx_plugin.knowledge_contest import bank_files
from party_training.edx_plugin.knowledge_contest.banks import BankError
from party_training.edx_plugin.knowledge_contest.models import QuestionBank
from tests.conftest import COURSE_ID
from tests.core.file_strategies import hostile_files

pytestmark = pytest.mark.django_db
WORDS = ["type", "stem", "option_a", "option_b", "option_c", "answer", "explanation", "category", "difficulty",
         "题型", "题干", "选项A", "答案", "single", "multiple", "true_false", "fill_blank", "单选", "A", "AB",
         "true", "正确", "easy", "1|一"]
SETTINGS = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture
def bank():
    return QuestionBank.objects.create(code="hyp", name="题库", course_id=COURSE_ID)


def test_the_import_answers_every_file_and_writes_nothing_when_it_refuses(bank):
    @settings(SETTINGS, max_examples=150)
    @given(upload=hostile_files(WORDS), dry_run=st.booleans())
    def check(upload, dry_run):
        name, data = upload
        before = bank.questions.count()
        try:
            result = bank_files.import_questions(bank, data, name, dry_run=dry_run)
        except BankError as exc:
            assert exc.message
            assert bank.questions.count() == before
            return
        if result.errors or dry_run:
            assert bank.questions.count() == before
        else:
            assert bank.questions.count() == before + result.created

    check()


def test_the_import_page_never_fails(client, bank, make_user):
    teacher = make_user("teacher")
    CourseRole.objects.create(user=teacher, course_id=COURSE_ID)
    client.force_login(teacher)

    @settings(SETTINGS, max_examples=30)
    @given(upload=hostile_files(WORDS))
    def check(upload):
        name, data = upload
        before = bank.questions.count()
        upload_file = io.BytesIO(data)
        upload_file.name = name
        response = client.post(f"/party-training/contest/banks/{bank.pk}/import/", {"file": upload_file})
        assert response.status_code in (200, 400)
        if response.status_code == 400:
            assert bank.questions.count() == before

    check()
