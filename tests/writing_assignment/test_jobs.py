"""writing_assignment's background jobs (archive, near-copy scan) run on core's job path: once,
even when the broker delivers the task twice."""
import pytest

from party_training.edx_plugin.core.models import JobStatus
from party_training.edx_plugin.core.registry import JobKind, registry
from party_training.edx_plugin.core.tasks import run_job
from party_training.edx_plugin.writing_assignment import archives
from party_training.edx_plugin.writing_assignment.models import WritingJob

pytestmark = pytest.mark.django_db
COURSE = "course-v1:TestOrg+T101+2026"


@pytest.mark.parametrize("kind", [WritingJob.Kind.ARCHIVE, WritingJob.Kind.NEAR_COPIES])
def test_a_job_delivered_twice_runs_once(kind, make_user, settings, tmp_path, django_capture_on_commit_callbacks,
                                         monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    runs = []
    real = archives.run_job

    def counted(job, progress):
        runs.append(job.pk)
        return real(job, progress)

    # The registry as it is, with the writing job's work counted (restored after the test).
    monkeypatch.setattr(registry, "_jobs", dict(registry._jobs))  # pylint: disable=protected-access
    registry.add_job_kind(JobKind(model=WritingJob, run=counted))
    with django_capture_on_commit_callbacks(execute=True):
        job = archives.start_job(kind, COURSE, make_user("grader", staff=True))
    run_job(WritingJob._meta.label_lower, job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and runs == [job.pk]
