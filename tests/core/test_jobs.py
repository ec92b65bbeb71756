"""Background job rows say running, done (with the work's values) or failed (with the error)."""
import pytest

from party_training.edx_plugin.writing_assignment.models import WritingJob
from party_training.edx_plugin.core.jobs import run_tracked

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(make_user):
    return WritingJob.objects.create(kind=WritingJob.Kind.ARCHIVE, course_id="course-v1:A+B+C",
                                     requested_by=make_user("requester"))


def test_done_job_stores_what_the_work_returned(job):  # pylint: disable=redefined-outer-name
    seen = []
    run_tracked(WritingJob, job.pk, lambda: seen.append(WritingJob.objects.get(pk=job.pk).status) or
                {"file_name": "x.zip"})
    job.refresh_from_db()
    assert seen == [WritingJob.Status.RUNNING]
    assert (job.status, job.file_name, job.error) == (WritingJob.Status.DONE, "x.zip", "") and job.finished


def test_failed_job_keeps_the_error(job):  # pylint: disable=redefined-outer-name

    def work():
        raise OSError("disk full")

    run_tracked(WritingJob, job.pk, work)
    job.refresh_from_db()
    assert (job.status, job.error) == (WritingJob.Status.FAILED, "disk full") and job.finished
