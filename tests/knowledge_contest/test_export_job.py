"""A knowledge_contest results export runs on core's job path: once, even when the broker
delivers its task twice, and its file is the one the live view offers."""
import pytest
from django.core.files.storage import default_storage

from party_training.edx_plugin.core.models import JobStatus
from party_training.edx_plugin.core.tasks import run_job
from party_training.edx_plugin.knowledge_contest import exports
from party_training.edx_plugin.knowledge_contest.models import ContestExport

pytestmark = pytest.mark.django_db
USAGE = "block-v1:TestOrg+T101+2026+type@knowledge_contest+block@quiz"


def test_an_export_delivered_twice_runs_once(make_user, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_results_export(USAGE, "course-v1:TestOrg+T101+2026", make_user("staff", staff=True))
    export.refresh_from_db()
    assert export.status == JobStatus.DONE and default_storage.exists(export.file_name)
    first = (export.file_name, export.finished)
    run_job(ContestExport._meta.label_lower, export.pk)  # the broker delivers it again
    export.refresh_from_db()
    assert (export.file_name, export.finished) == first
    assert len(list((tmp_path / "party_training" / "contests").iterdir())) == 1
