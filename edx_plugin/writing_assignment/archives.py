"""Background jobs of writing assignments (writing_assignment): the archive of every piece of a
course (one text file each plus index.csv, in a zip) and the near-copy scan, with the progress
the grading queue polls."""
from __future__ import annotations

import io
import re
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..core import jobs
from ..core.files import BOM, CsvWriter
from . import near_copies
from .models import NearCopyPair, WritingJob, WritingStatus, WritingSubmission
from .submissions import author_name, branch_name

PROGRESS_EVERY = 200
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def is_job_kind(kind: str) -> bool:
    return kind in WritingJob.Kind.values


def start_job(kind: str, course_id: str, user) -> WritingJob:
    """Record a background job; core's job path runs it once the record is committed."""
    job = WritingJob.objects.create(kind=kind, course_id=course_id, requested_by=user,
                                    language=translation.get_language() or "")
    jobs.enqueue(job)
    return job


def run_job(job: WritingJob, progress) -> dict:
    """The work of a claimed job (``core.jobs.run``): the archive, or the near-copy scan."""
    if job.kind == WritingJob.Kind.ARCHIVE:
        return {"file_name": _build_archive(job, progress)}
    _scan_near_copies(job, progress)
    return {"file_name": ""}



def _safe_name(text: str) -> str:
    return _UNSAFE_NAME.sub("_", text).strip(" .")[:80] or "_"


def _build_archive(job: WritingJob, progress) -> str:
    """All pieces of the course, one text file each plus an index, streamed into a zip in a
    temporary file (memory holds one chunk of rows, not the archive), then stored."""
    pieces = (WritingSubmission.objects.filter(course_id=job.course_id)
              .select_related("user", "assignment", "user__party_profile__organization").order_by("usage_id", "pk"))
    total = pieces.count()
    progress(0, total)
    statuses = dict(WritingStatus.choices)
    index = io.StringIO()
    writer = CsvWriter(index)
    writer.writerow([_("File"), _("Username"), _("Name"), _("Branch"), _("Assignment"), _("Status"),
                     _("Characters"), _("Submitted"), _("Score")])
    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, sub in enumerate(pieces.iterator(chunk_size=500), start=1):
                name = f"{_safe_name(sub.assignment.title)}-{sub.assignment.pk}/" \
                       f"{_safe_name(sub.user.get_username())}-{_safe_name(author_name(sub))}.txt"
                header = f"{sub.title}\n{author_name(sub)} · {branch_name(sub)}\n" \
                         f"{timezone.localtime(sub.submitted_at):%Y-%m-%d %H:%M}\n\n"
                archive.writestr(name, header + sub.text + "\n")
                score = sub.score if sub.status == WritingStatus.GRADED else ""
                writer.writerow([name, sub.user.get_username(), author_name(sub), branch_name(sub),
                                 sub.assignment.title, statuses.get(sub.status, ""), sub.char_count,
                                 f"{timezone.localtime(sub.submitted_at):%Y-%m-%d %H:%M}", score])
                if done % PROGRESS_EVERY == 0:
                    progress(done)
            # A BOM so that spreadsheet programs open the Chinese index as UTF-8.
            archive.writestr("index.csv", BOM + index.getvalue())
        tmp.seek(0)
        stored = default_storage.save(f"party_training/writing/archive-{job.pk}.zip", File(tmp))
    progress(total)
    return stored


def _scan_near_copies(job: WritingJob, progress) -> None:
    """Compare every piece of the course with every other and keep the pairs at >= 0.8."""
    pieces = WritingSubmission.objects.filter(course_id=job.course_id).values_list("pk", "text")
    total = pieces.count()
    progress(0, total)
    found = near_copies.find_near_copies(pieces.iterator(chunk_size=1000))
    with transaction.atomic():
        NearCopyPair.objects.filter(course_id=job.course_id).delete()
        NearCopyPair.objects.bulk_create([
            NearCopyPair(course_id=job.course_id, first_id=min(p.first, p.second), second_id=max(p.first, p.second),
                         similarity=p.similarity) for p in found
        ], batch_size=1000)
    progress(total)


def latest_jobs(course_id: str) -> dict[str, WritingJob | None]:
    jobs = {kind: None for kind in WritingJob.Kind.values}
    for job in WritingJob.objects.filter(course_id=course_id).order_by("-created")[:20]:
        if jobs.get(job.kind) is None:
            jobs[job.kind] = job
    return jobs


def job_in_course(course_id: str, pk: int) -> WritingJob | None:
    return WritingJob.objects.filter(pk=pk, course_id=course_id).first()


def job_file(job: WritingJob) -> str:
    """The stored file a finished job offers for download ("" when none)."""
    return job.offered_file
