"""core.jobs, the one path of every background job: queued on commit, claimed once (a second
delivery runs nothing), progress with a heartbeat, failure with a translated message, dead workers
swept to "failed", old job files deleted by the scheduled sweep and its command."""
import datetime
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone, translation

from party_training.edx_plugin.core import jobs
from party_training.edx_plugin.core.models import JobStatus
from party_training.edx_plugin.core.registry import JobKind, registry
from party_training.edx_plugin.core.tasks import run_job
from party_training.edx_plugin.writing_assignment.models import WritingJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(settings, tmp_path):
    """Registers a test job kind over WritingJob (restored afterwards); records each run."""
    settings.MEDIA_ROOT = str(tmp_path)
    label = WritingJob._meta.label_lower
    real = registry._jobs.get(label)  # pylint: disable=protected-access
    runs = []
    behaviour = {"run": lambda job, progress: {"file_name": "x.zip"}}

    def run(job, progress):
        runs.append(job.pk)
        return behaviour["run"](job, progress)

    registry.add_job_kind(JobKind(model=WritingJob, run=run))
    yield runs, behaviour
    registry._jobs.pop(label)  # pylint: disable=protected-access
    if real is not None:
        registry.add_job_kind(real)


@pytest.fixture
def job(make_user):
    return WritingJob.objects.create(kind=WritingJob.Kind.ARCHIVE, course_id="course-v1:A+B+C", language="zh-cn",
                                     requested_by=make_user("requester"))


def test_a_job_is_sent_on_commit_and_stores_what_the_work_returned(work, make_user,  # pylint: disable=redefined-outer-name
                                                                  django_capture_on_commit_callbacks):
    runs, _ = work
    with django_capture_on_commit_callbacks(execute=True):
        job = WritingJob.objects.create(kind=WritingJob.Kind.ARCHIVE, course_id="c", requested_by=make_user("r"))
        jobs.enqueue(job)
        assert runs == []  # not before the row is committed
    job.refresh_from_db()
    assert runs == [job.pk]
    assert (job.status, job.file_name, job.error) == (JobStatus.DONE, "x.zip", "")
    assert job.started and job.finished and job.heartbeat


def test_a_task_delivered_twice_runs_once(work, job):  # pylint: disable=redefined-outer-name
    runs, _ = work
    run_job(WritingJob._meta.label_lower, job.pk)
    run_job(WritingJob._meta.label_lower, job.pk)
    assert runs == [job.pk]
    assert jobs.run(WritingJob._meta.label_lower, job.pk) is False


def test_progress_moves_the_heartbeat(work, job):  # pylint: disable=redefined-outer-name
    _, behaviour = work
    seen = []

    def run(current, progress):
        progress(3, 10)
        seen.append(WritingJob.objects.values_list("status", "done", "total").get(pk=current.pk))
        return {}

    behaviour["run"] = run
    jobs.run(WritingJob._meta.label_lower, job.pk)
    assert seen == [(JobStatus.RUNNING, 3, 10)]


def test_a_refusal_keeps_its_message_and_an_accident_gets_a_translated_one(work, job, make_user):  # pylint: disable=redefined-outer-name
    _, behaviour = work

    def refuse(current, progress):
        raise jobs.JobError("没有可以归档的作品。")

    behaviour["run"] = refuse
    jobs.run(WritingJob._meta.label_lower, job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "没有可以归档的作品。") and job.finished

    def crash(current, progress):
        raise OSError("disk full")

    behaviour["run"] = crash
    other = WritingJob.objects.create(kind=WritingJob.Kind.ARCHIVE, course_id="c", language="zh-cn",
                                      requested_by=make_user("r2"))
    jobs.run(WritingJob._meta.label_lower, other.pk)
    other.refresh_from_db()
    assert other.status == JobStatus.FAILED
    assert other.error.startswith("任务失败") and "disk" not in other.error


def test_the_sweep_fails_jobs_whose_worker_died(work, job, make_user):  # pylint: disable=redefined-outer-name
    now = timezone.now()
    old = now - datetime.timedelta(hours=2)
    WritingJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started=old, heartbeat=old)
    alive = WritingJob.objects.create(kind=WritingJob.Kind.ARCHIVE, course_id="c", requested_by=make_user("a"),
                                      status=JobStatus.RUNNING, started=old, heartbeat=now)
    lost = WritingJob.objects.create(kind=WritingJob.Kind.ARCHIVE, course_id="c", language="en",
                                     requested_by=make_user("b"))
    WritingJob.objects.filter(pk=lost.pk).update(created=old)
    result = jobs.sweep(now)
    assert result.stale == 2
    job.refresh_from_db()
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error.startswith("任务已中止")
    assert lost.status == JobStatus.FAILED and lost.error.startswith("The job stopped")
    assert alive.status == JobStatus.RUNNING


def test_old_job_files_are_deleted_by_the_scheduled_sweep_and_the_command(work, make_user):  # pylint: disable=redefined-outer-name
    now = timezone.now()
    names = []
    for age_days in (8, 1):
        name = default_storage.save(f"party_training/test/{age_days}.zip", ContentFile(b"zip"))
        names.append(name)
        WritingJob.objects.create(kind=WritingJob.Kind.ARCHIVE, course_id="c", requested_by=make_user(),
                                  status=JobStatus.DONE, file_name=name,
                                  finished=now - datetime.timedelta(days=age_days))
    out = StringIO()
    with translation.override("en"):
        call_command("party_training_jobs", stdout=out)
    assert "old job files deleted: 1" in out.getvalue()
    assert not default_storage.exists(names[0]) and default_storage.exists(names[1])
    assert list(WritingJob.objects.order_by("finished").values_list("files_removed", flat=True)) == [True, False]
    assert jobs.sweep(now).files == 0  # done once


def test_every_area_job_model_is_registered():
    labels = {kind.model._meta.label_lower for kind in registry.job_kinds()}
    assert labels >= {"party_training.contestexport", "party_training.writingjob", "party_training.rosterimportjob"}


def test_a_fresh_web_process_knows_the_job_task_by_name():
    """A web process (no worker started, nothing imported but Django's setup) can queue a job: the
    task core.jobs.enqueue sends by name is registered when the app is ready."""
    script = ("import django; django.setup(); from celery import current_app; "
              "from party_training.edx_plugin.core import jobs; print(current_app.tasks[jobs.TASK_NAME].name)")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "demo.settings"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "party_training.jobs.run"
