"""What writing assignments (writing_assignment) contribute to what gathers from every area: the
ledger's "writing" lines link to the assignment's unit, the learning file lists the member's
writing of the year, and course staff find the grading queue (with the pieces waiting) among the
course's staff tools."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.lms import ledger_line_unit
from ..core.models import HourSource
from ..core.registry import JobKind, LearningFileSection, LedgerSource, StaffTool
from .archives import run_job
from .assignments import kind_label, status_label
from .models import WritingJob, WritingStatus, WritingSubmission
from .queue import waiting_count

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


def register(registry) -> None:
    registry.add_ledger_source(LedgerSource(kind=HourSource.WRITING, label=HourSource.WRITING.label,
                                            link=ledger_line_unit))
    registry.add_learning_file_section(LearningFileSection(
        key="writing_assignment", title=_("Writing of the year"), rows=writing_of_the_year, order=30))
    registry.add_staff_tool(StaffTool(
        key="writing_assignment", label=_("Grading queue"),
        url=lambda course_id: reverse("party_training:grading_queue", kwargs={"course_id": course_id}),
        count=waiting_count, order=30))
    registry.add_job_kind(JobKind(model=WritingJob, run=run_job))
