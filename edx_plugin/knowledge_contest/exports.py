"""Results exports of a knowledge contest (knowledge_contest): the workbook (results in rank order
and the item analysis), built at once for a small contest or by a background job for a large one,
and the finished job's file for staff of its course.
"""
from __future__ import annotations

from collections.abc import Callable

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import translation
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.conf import setting
from ..core import jobs
from ..core.permissions import is_course_staff
from ..core.xlsx import Sheet, workbook_bytes
from .config import ContestError
from .item_analysis import item_analysis
from .leaderboards import person_name
from .models import ContestExport, ContestResult

EXPORT_PROGRESS_EVERY = 2000


def results_workbook(usage_id: str, progress: Callable[[int], object] | None = None) -> bytes:
    """Results (rank order) and item analysis as an XLSX workbook, written row by row.
    ``progress(rows_done)`` is called every few thousand rows (background exports report it)."""
    def results():
        rows = (ContestResult.objects.filter(usage_id=usage_id).order_by("-total", "duration_ms", "id")
                .values("total", "max_score", "duration_ms", "attempts", "attempt__finished", "attempt__score",
                        "attempt__bonus", "user__username",
                        "user__first_name", "user__last_name", "user__party_profile__full_name",
                        "organization__name"))
        rank, previous = 0, None
        for position, row in enumerate(rows.iterator(chunk_size=2000), start=1):
            if (row["total"], row["duration_ms"]) != previous:
                rank, previous = position, (row["total"], row["duration_ms"])
            finished = row["attempt__finished"]
            if progress and position % EXPORT_PROGRESS_EVERY == 0:
                progress(position)
            # The score against its true maximum (and its percent); the bonus apart; the total ranks.
            score = row["attempt__score"]
            yield [
                rank, row["user__username"], person_name(row), row["organization__name"] or "", score,
                row["max_score"], round(score * 100.0 / row["max_score"], 1) if row["max_score"] else 0,
                row["attempt__bonus"], row["total"],
                round(row["duration_ms"] / 1000, 1), row["attempts"],
                timezone.localtime(finished).strftime("%Y-%m-%d %H:%M:%S") if finished else "",
            ]

    def analysis():
        for item in item_analysis(usage_id):
            yield [item["stem"], item["type_label"], item["category"], item["drawn"], item["correct"],
                   item["difficulty"], item["discrimination"]]

    return workbook_bytes([
        Sheet(_("Results"), [_("Rank"), _("Username"), _("Name"), _("Branch"), _("Score"), _("Maximum score"),
                             _("Percent"), _("Bonus"), _("Total with bonus"), _("Time (seconds)"), _("Attempts"),
                             _("Finished")],
              results(), widths={3: 16, 4: 24, 12: 20}),
        Sheet(_("Item analysis"), [_("Question"), _("Type"), _("Category"), _("Drawn"), _("Correct"),
                                   _("Difficulty"), _("Discrimination")], analysis(), widths={1: 60}),
    ])


def needs_background_export(usage_id: str) -> bool:
    """Whether the contest has more results than a request may write (EXPORT_SYNC_LIMIT)."""
    limit = setting("EXPORT_SYNC_LIMIT")
    return ContestResult.objects.filter(usage_id=usage_id)[:limit + 1].count() > limit


def request_results_export(usage_id: str, course_id: str, user) -> ContestExport:
    """Record an export of a large contest; core's job path runs it once the row is committed."""
    export = ContestExport.objects.create(usage_id=usage_id, course_id=course_id, requested_by=user,
                                          language=translation.get_language() or "",
                                          total=ContestResult.objects.filter(usage_id=usage_id).count())
    jobs.enqueue(export)
    return export


def run_results_export(export: ContestExport, progress: Callable[[int, int | None], None]) -> dict:
    """The work of a claimed export job: the workbook into a temporary file, then into the site's
    storage, reporting progress."""
    content = results_workbook(export.usage_id, progress=progress)
    name = jobs.store_file(content, "contests", f"results-{export.pk}")
    return {"file_name": name, "done": export.total}



def latest_export(usage_id: str) -> ContestExport | None:
    """The contest's most recent export (the live view shows its state)."""
    return ContestExport.objects.filter(usage_id=usage_id).order_by("-created").first()


def export_state(export: ContestExport | None) -> dict | None:
    """An export as the live view shows it: its state, progress, error and, when ready, its download."""
    if export is None:
        return None
    return {
        "status": export.status, "label": str(export.get_status_display()), "done": export.done,
        "total": export.total, "error": export.error,
        "url": reverse("party_training:contest_export_download", kwargs={"export_id": export.pk})
        if export.offered_file else "",
    }


def export_file(user, export_id: int) -> tuple[File, str]:
    """A finished export's open file and download name, for course staff of the export's course.
    ContestError 404 (no such export or not ready) or 403 (not staff of its course)."""
    export = ContestExport.objects.filter(pk=export_id).first()
    if export is None:
        raise ContestError(_("This export does not exist."), status=404)
    if not is_course_staff(user, export.course_id):
        raise ContestError(_("Only course staff may do this."), status=403)
    if not export.offered_file or not default_storage.exists(export.offered_file):
        raise ContestError(_("This export does not exist."), status=404)
    stamp = timezone.localtime(export.finished).strftime("%Y%m%d-%H%M")
    return default_storage.open(export.file_name, "rb"), f"contest-results-{stamp}.xlsx"
