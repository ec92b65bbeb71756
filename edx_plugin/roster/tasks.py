"""Roster imports too big for a web request: the upload is stored, a job row records it, and a
Celery task (on the platform's workers; eager in the demo and the tests) imports it.

The import keeps its all-or-nothing transaction. Rows are read before that transaction begins,
so their count goes to the job row; rows are written inside it, where an update of the job row
would stay invisible to the page polling it until the commit, so that count goes through
Django's cache (Redis or memcached in production, shared by every process).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import shared_task
from django.core.cache import cache
from django.core.files.base import File
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from .models import RosterImportJob
from .imports import RosterResult, import_roster_files

log = logging.getLogger(__name__)

# Row errors kept on the job (the page shows as many as the synchronous page does); the total is kept too.
ERRORS_KEPT = 500
# The written count lives in the cache while the job runs; an hour outlasts any import.
PROGRESS_TIMEOUT = 3600


def written_key(job_id: int) -> str:
    return f"party_training:roster_import:{job_id}:written"


def queue_import(user, files: Sequence[File], *, dry_run: bool) -> RosterImportJob:
    """Store the uploaded files, record the job and queue the task once the job row is committed."""
    with transaction.atomic():
        job = RosterImportJob.objects.create(
            requested_by=user, dry_run=dry_run, language=translation.get_language() or settings.LANGUAGE_CODE,
            file_names=[upload.name for upload in files])
        job.storage_paths = [default_storage.save(f"party_training/roster/job-{job.pk}/{index}", upload)
                             for index, upload in enumerate(files)]
        job.save(update_fields=["storage_paths"])
        transaction.on_commit(lambda: import_roster_job.delay(job.pk))
    return job


@shared_task(name="party_training.roster.import_files", ignore_result=True)
def import_roster_job(job_id: int) -> None:
    # Claim the job: a broker may deliver a task twice, and the second delivery must not run the
    # import again (its upload is gone) nor overwrite the first one's result.
    if not RosterImportJob.objects.filter(pk=job_id, status=RosterImportJob.Status.QUEUED).update(
            status=RosterImportJob.Status.RUNNING):
        return
    job = RosterImportJob.objects.get(pk=job_id)

    def progress(rows_read: int, rows_written: int) -> None:
        # The service reports written rows only from inside its transaction (see the module's docstring).
        if rows_written:
            cache.set(written_key(job_id), rows_written, PROGRESS_TIMEOUT)
        else:
            RosterImportJob.objects.filter(pk=job_id).update(rows_read=rows_read)

    try:
        with translation.override(job.language):
            result = _import(job, progress)
            values = _result_values(result)
    except Exception:  # pylint: disable=broad-except
        # The import rolled back; the page says the job failed and the log says why.
        log.exception("roster import job %s failed", job_id)
        values = {"status": RosterImportJob.Status.FAILED}
    finally:
        cache.delete(written_key(job_id))
        for name in job.storage_paths:
            default_storage.delete(name)
    RosterImportJob.objects.filter(pk=job_id).update(finished=timezone.now(), **values)


def _import(job: RosterImportJob, progress) -> RosterResult:
    files = [default_storage.open(name, "rb") for name in job.storage_paths]
    try:
        return import_roster_files(list(zip(files, job.file_names)), dry_run=job.dry_run, progress=progress)
    finally:
        for fileobj in files:
            fileobj.close()


def _result_values(result: RosterResult) -> dict:
    written = 0 if result.errors or result.dry_run else (
        result.organizations_created + result.organizations_updated + result.members_created
        + result.members_updated)
    return {
        "status": RosterImportJob.Status.DONE, "ok": result.ok, "summary": result.summary(), "rows_written": written,
        "errors": [{"source": error.source, "row": error.row, "reason": error.reason}
                   for error in result.errors[:ERRORS_KEPT]],
        "errors_total": len(result.errors),
    }
