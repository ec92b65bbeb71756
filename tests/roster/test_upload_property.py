"""Property tests of the roster upload paths (roster: the import rule, which the admin page, the
command and the background job all call, and the admin page itself): whatever file arrives, the
answer is a result or clear errors, never an exception or a server error, and a refused import
writes nothing."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings, strategies as st

from party_training.edx_plugin.core.models import Organization
from party_training.edx_plugin.roster.columns import CATEGORY_LABELS, COLUMNS, KIND_LABELS
from party_training.edx_plugin.roster.imports import import_roster

from tests.core.file_strategies import hostile_files

from .conftest import counts
from .test_admin import IMPORT_URL, _client, importer  # noqa: F401  pylint: disable=unused-import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
WORDS = sorted({c.header for columns in COLUMNS.values() for c in columns}
               | {c.aliases[0] for columns in COLUMNS.values() for c in columns}
               | set(KIND_LABELS) | set(CATEGORY_LABELS) | {"SW001", "zhangsan", "张三"})
SETTINGS = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture
def branch():
    return Organization.objects.create(code="SW001", name="示范支部", kind="branch", path="0001")


def test_the_import_answers_every_file_and_writes_nothing_when_it_refuses(branch):
    @settings(SETTINGS, max_examples=150)
    @given(upload=hostile_files(WORDS), dry_run=st.booleans())
    def check(upload, dry_run):
        name, data = upload
        before = counts()
        result = import_roster(io.BytesIO(data), name, dry_run=dry_run)
        assert all(str(error) for error in result.errors)
        if result.errors or dry_run:
            assert counts() == before

    check()


def test_the_import_page_never_fails(branch, importer):  # noqa: F811
    client = _client(importer)

    @settings(SETTINGS, max_examples=30)
    @given(upload=hostile_files(WORDS))
    def check(upload):
        name, data = upload
        before = counts()
        response = client.post(IMPORT_URL, {"files": SimpleUploadedFile(name, data), "dry_run": ""})
        assert response.status_code == 200
        if b"errorlist" in response.content or b"nothing was imported" in response.content:
            assert counts() == before

    check()
