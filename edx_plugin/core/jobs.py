"""The one path of every background job (roster imports, contest exports, writing archives and
near-copy scans):

1. ``enqueue(job)``: the area creates its job row (a ``BackgroundJob``) and the task is sent once the
   row is committed, so a worker never looks for a row that is not there yet;
2. ``run(label, pk)`` (the ``party_training.jobs.run`` task) claims the row with one conditional
   UPDATE: a broker that delivers the task twice gets nothing on the second delivery;
3. the area's work (registered as a ``JobKind``) reports progress, which also moves the heartbeat;
4. it ends done (with the values the work returns) or failed, with a message in the requester's
   language: a ``JobError``'s own message, or a general one (the log keeps the traceback);
5. ``sweep()`` (Celery beat, and ``manage.py party_training_jobs``) fails jobs whose worker died
   (no heartbeat for ``JOB_STALE_MINUTES``) and deletes job files older than ``JOB_FILES_MAX_AGE_DAYS``.
"""
from __future__ import annotations

import datetime
import logging
import tempfile
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .conf import setting
from .errors import RuleError
from .models import JobStatus
from .registry import registry

log = logging.getLogger(__name__)

TASK_NAME = "party_training.jobs.run"


class JobError(RuleError):
    """The work refused with a message meant for the requester (already translated)."""


def store_file(content: bytes, folder: str, stem: str, extension: str = "xlsx") -> str:
    """Put a job's file (``content``) into the site's storage under ``party_training/<folder>/``, its
    name stamped with the local time; returns the stored name (the job's ``file_name``)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    with tempfile.TemporaryFile() as tmp:
        tmp.write(content)
        tmp.seek(0)
        return default_storage.save(f"party_training/{folder}/{stem}-{stamp}.{extension}", File(tmp))


def enqueue(job) -> None:
    """Send the job's task once the transaction that created the row commits."""
    label, pk = job._meta.label_lower, job.pk
    # By name: rules never import task modules; the plugin's tasks module registers the task.
    transaction.on_commit(lambda: current_app.tasks[TASK_NAME].delay(label, pk))


def run(label: str, pk: int) -> bool:
    """Claim and run one job; False when another delivery already claimed it."""
    kind = registry.job_kind(label)
    rows = kind.model.objects.filter(pk=pk)
    now = timezone.now()
    if not rows.filter(status=JobStatus.QUEUED).update(status=JobStatus.RUNNING, started=now, heartbeat=now):
        log.info("job %s %s: already claimed, nothing to do", label, pk)
        return False
    job = rows.get()

    def progress(done: int, total: int | None = None) -> None:
        values = {"done": done, "heartbeat": timezone.now()}
        if total is not None:
            values["total"] = total
        rows.update(**values)

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            values = kind.run(job, progress) or {}
        except JobError as exc:
            rows.update(status=JobStatus.FAILED, error=exc.message[:500], finished=timezone.now())
            return True
        except Exception:  # pylint: disable=broad-except
            log.exception("job %s %s failed", label, pk)
            rows.update(status=JobStatus.FAILED, error=failure_message()[:500], finished=timezone.now())
            return True
    rows.update(status=JobStatus.DONE, finished=timezone.now(), heartbeat=timezone.now(), **values)
    return True


def failure_message() -> str:
    return _("The job failed. Please try again; if it fails again, tell the site administrator.")


@dataclass
class SweepResult:
    stale: int = 0
    files: int = 0


def sweep(now: datetime.datetime | None = None) -> SweepResult:
    """Fail jobs whose worker died; delete the files of jobs older than the kept age."""
    now = now or timezone.now()
    result = SweepResult()
    stale_before = now - datetime.timedelta(minutes=setting("JOB_STALE_MINUTES"))
    files_before = now - datetime.timedelta(days=setting("JOB_FILES_MAX_AGE_DAYS"))
    for kind in registry.job_kinds():
        result.stale += _fail_stale(kind.model, stale_before, now)
        result.files += _remove_files(kind, files_before)
    return result


def _fail_stale(model, before: datetime.datetime, now: datetime.datetime) -> int:
    # Running without a heartbeat since ``before``, or queued since then (its message was lost).
    stale = (model.objects.filter(status=JobStatus.RUNNING, heartbeat__lt=before)
             | model.objects.filter(status=JobStatus.QUEUED, created__lt=before))
    count = 0
    for language in set(stale.values_list("language", flat=True)):
        with translation.override(language or settings.LANGUAGE_CODE):
            message = _("The job stopped: the server running it did not answer for too long. Please start it again.")
        # The status is checked again in the UPDATE: a job that finished meanwhile stays finished.
        count += model.objects.filter(pk__in=stale.filter(language=language).values("pk"),
                                      status__in=(JobStatus.RUNNING, JobStatus.QUEUED)).update(
            status=JobStatus.FAILED, error=message, finished=now)
    return count


def _remove_files(kind, before: datetime.datetime) -> int:
    removed = 0
    old = kind.model.objects.filter(finished__lt=before, files_removed=False)
    for job in old.iterator(chunk_size=200):
        for name in kind.files(job) if kind.files else [job.file_name]:
            if name:
                default_storage.delete(name)
                removed += 1
        kind.model.objects.filter(pk=job.pk).update(files_removed=True)
    return removed
