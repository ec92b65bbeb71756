"""What writing assignments (writing_assignment) contribute to what gathers from every area: the
ledger's "writing" lines link to the assignment's unit, the learning file lists the member's
writing of the year, and course staff find the grading queue (with the pieces waiting) among the
course's staff tools."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.lms import ledger_line_unit
from ..core.models import HourSource
from ..core.registry import ExportKind, JobKind, LearningFileSection, LedgerSource, StaffTool
from ..core.text import count_chars
from .archives import run_job
from .assignments import kind_label, status_label
from .models import GradingFlow, WritingAssignment, WritingJob, WritingKind, WritingStatus, WritingSubmission
from .queue import export_grades, waiting_count

SAMPLE_COURSE = "course-v1:Sample+WA+2026"

def _score(piece: WritingSubmission) -> str:
    """The released score ("70", "72.5"), "" before release."""
    if piece.status != WritingStatus.GRADED or piece.score is None:
        return ""
    return f"{piece.score.normalize():f}"


def writing_of_the_year(user, year: int) -> tuple[list, list[list]]:
    """The pieces ``user`` submitted in ``year``: kind, title, status and the released score (one query)."""
    pieces = (WritingSubmission.objects.filter(user=user, submitted_at__year=year).select_related("assignment")
              .order_by("submitted_at"))
    columns = [_("Submitted"), _("Kind"), _("Assignment"), _("Title"), _("Status"), _("Score")]
    rows = [[timezone.localtime(p.submitted_at).strftime("%Y-%m-%d"), kind_label(p.assignment.kind),
             p.assignment.title, p.title, status_label(p.status),
             _score(p)] for p in pieces]
    return columns, rows


def reading_notes_by_quarter(user, year: int) -> tuple[list, list[list]]:
    """The year's reading notes per quarter (one query): how many, their titles and released scores, and
    the quarters without one flagged, as the organisation checks them."""
    pieces = (WritingSubmission.objects.filter(user=user, submitted_at__year=year,
                                               assignment__kind=WritingKind.READING_NOTES)
              .select_related("assignment").order_by("submitted_at"))
    quarters: dict[int, list[WritingSubmission]] = {quarter: [] for quarter in range(1, 5)}
    for piece in pieces:
        quarters[(timezone.localtime(piece.submitted_at).month - 1) // 3 + 1].append(piece)
    this_quarter = (timezone.localdate().month - 1) // 3 + 1 if year == timezone.localdate().year else 5
    columns = [_("Quarter"), _("Reading notes"), _("Titles"), _("Score"), _("Check")]
    rows = []
    for quarter, found in quarters.items():
        if quarter > this_quarter:
            check = _("Not yet due")
        else:
            check = _("Submitted") if found else _("Missing: no reading notes this quarter")
        rows.append([_("Quarter %(number)d") % {"number": quarter}, len(found),
                     "、".join(p.title or p.assignment.title for p in found),
                     "、".join(score for score in (_score(p) for p in found) if score), check])
    return columns, rows


def _sample_piece(text: str, member) -> WritingSubmission:
    """A graded piece whose assignment title, author, branch, title, text and feedback hold ``text``."""
    usage_id = "block-v1:Sample+WA+2026+type@writing_assignment+block@export_sample"
    now = timezone.now()
    assignment = WritingAssignment.objects.create(
        course_id=SAMPLE_COURSE, usage_id=usage_id, title=text[:255], kind=WritingKind.REFLECTION,
        flow=GradingFlow.SINGLE, points_possible=Decimal(100))
    return WritingSubmission.objects.create(
        course_id=SAMPLE_COURSE, usage_id=usage_id, assignment=assignment, user=member(),
        status=WritingStatus.GRADED, title=text[:200], text=text, char_count=count_chars(text), student_id="sample",
        submission_uuid="sample", submitted_at=now, score=Decimal(80), feedback=text, released_at=now)


def grades_sample(text: str, member) -> dict[str, bytes]:
    _sample_piece(text, member)
    return {"grades.xlsx": export_grades(SAMPLE_COURSE)}


def archive_sample(text: str, member) -> dict[str, bytes]:
    """The archive's index (the piece files inside are the learners' own text, not a table)."""
    piece = _sample_piece(text, member)
    job = WritingJob.objects.create(kind=WritingJob.Kind.ARCHIVE, course_id=SAMPLE_COURSE, requested_by=piece.user)
    name = run_job(job, lambda *args: None)["file_name"]
    try:
        with default_storage.open(name, "rb") as stored:
            return {"index.csv": zipfile.ZipFile(io.BytesIO(stored.read())).read("index.csv")}
    finally:
        default_storage.delete(name)


def register(registry) -> None:
    registry.add_ledger_source(LedgerSource(kind=HourSource.WRITING, label=HourSource.WRITING.label,
                                            link=ledger_line_unit))
    registry.add_learning_file_section(LearningFileSection(
        key="writing_assignment", title=_("Writing of the year"), rows=writing_of_the_year, order=30))
    registry.add_learning_file_section(LearningFileSection(
        key="writing_assignment_reading_notes", title=_("Reading notes by quarter"), rows=reading_notes_by_quarter,
        order=31))
    registry.add_staff_tool(StaffTool(
        key="writing_assignment", label=_("Grading queue"),
        url=lambda course_id: reverse("party_training:grading_queue", kwargs={"course_id": course_id}),
        count=waiting_count, order=30, count_label=_("Pieces waiting"),
        links=lambda course_id: [(_("Grades (XLSX)"),
                                  reverse("party_training:writing_export", kwargs={"course_id": course_id}))]))
    registry.add_job_kind(JobKind(model=WritingJob, run=run_job))
    registry.add_export(ExportKind(key="writing_assignment_grades", label=_("Grades"), sample=grades_sample))
    registry.add_export(ExportKind(key="writing_assignment_archive", label=_("Archive of all submissions"),
                                   sample=archive_sample))
