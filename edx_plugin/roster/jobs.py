"""Background roster imports (roster), on core's one job path: the upload is stored, a job row
records it, and a worker imports it (eagerly in the demo and the tests); the import page shows
which job a user may see and how far it got.

The import keeps its all-or-nothing transaction. Rows are read before that transaction begins,
so their count goes to the job row; rows are written inside it, where an update of the job row
would stay invisible to the page polling it until the commit, so that count goes through
Django's cache (Redis or memcached in production, shared by every process).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation

from ..core import jobs
from .imports import RosterResult, can_import_roster, import_roster_files
from .models import RosterImportJob

# Row errors kept on the job (the page shows as many as the synchronous page does); the total is kept too.
ERRORS_KEPT = 500
# The written count lives in the cache while the job runs; an hour outlasts any import.
PROGRESS_TIMEOUT = 3600


def written_key(job_id: int) -> str:
    return f"party_training:roster_import:{job_id}:written"


def queue_import(user, files: Sequence[File], *, dry_run: bool) -> RosterImportJob:
    """Store the uploaded files, record the job and queue it once the job row is committed."""
    with transaction.atomic():
        job = RosterImportJob.objects.create(
            requested_by=user, dry_run=dry_run, language=translation.get_language() or settings.LANGUAGE_CODE,
            file_names=[upload.name for upload in files])
        job.storage_paths = [default_storage.save(f"party_training/roster/job-{job.pk}/{index}", upload)
                             for index, upload in enumerate(files)]
        job.save(update_fields=["storage_paths"])
        jobs.enqueue(job)
    return job


def run_import_job(job: RosterImportJob, progress: Callable[[int, int | None], None]) -> dict:
    """The work of a claimed roster job (``core.jobs.run`` calls it in the uploader's language)."""

    def report(rows_read: int, rows_written: int) -> None:
        # Written rows are reported only from inside the import's transaction (see the module's docstring).
        if rows_written:
            cache.set(written_key(job.pk), rows_written, PROGRESS_TIMEOUT)
        else:
            RosterImportJob.objects.filter(pk=job.pk).update(rows_read=rows_read)
            progress(rows_read)

    try:
        return _result_values(_import(job, report))
    finally:
        # Whatever happened, the upload is not kept: the import rolled back or is recorded.
        cache.delete(written_key(job.pk))
        for name in job.storage_paths:
            default_storage.delete(name)


def _import(job: RosterImportJob, report) -> RosterResult:
    files = [default_storage.open(name, "rb") for name in job.storage_paths]
    try:
        return import_roster_files(list(zip(files, job.file_names)), dry_run=job.dry_run, progress=report)
    finally:
        for fileobj in files:
            fileobj.close()


def _result_values(result: RosterResult) -> dict:
    written = 0 if result.errors or result.dry_run else (
        result.organizations_created + result.organizations_updated + result.members_created
        + result.members_updated)
    return {
        "ok": result.ok, "summary": result.summary(), "rows_written": written,
        "errors": [{"source": error.source, "row": error.row, "reason": error.reason}
                   for error in result.errors[:ERRORS_KEPT]],
        "errors_total": len(result.errors),
    }


def job_files(job: RosterImportJob) -> list[str]:
    return list(job.storage_paths or [])


def job_for(user, pk: int) -> RosterImportJob | None:
    """The job, to whoever may import and started it (any job to a superuser); None to anyone else,
    exactly as for a job that does not exist, so the page answers 404 without telling which."""
    if not can_import_roster(user):
        return None
    jobs = RosterImportJob.objects.all()
    if not user.is_superuser:
        jobs = jobs.filter(requested_by=user)
    return jobs.filter(pk=pk).first()

