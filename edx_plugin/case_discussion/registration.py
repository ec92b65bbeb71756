"""What case discussions (case_discussion) contribute to what gathers from every area: the ledger's
"case discussion" lines link to the discussion's unit, the learning file lists the discussions a
member joined that year, and course staff find the course's discussions (with their exports)
among the staff tools; large exports run as background jobs."""
from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..core.lms import course_titles, ledger_line_unit
from ..core.models import HourSource
from ..core.registry import ExportKind, JobKind, LearningFileSection, LedgerSource, StaffTool
from .discussions import local_time
from .exports import export_sample, run_export
from .models import CaseDiscussion, CaseExportJob, CaseGrade, CaseMember


def discussions_joined(user, year: int) -> tuple[list, list[list]]:
    """The discussions ``user`` joined in ``year``: when, which, posted or not, and the score (one query)."""
    score = CaseGrade.objects.filter(usage_id=OuterRef("usage_id"), user=user).values("score")[:1]
    members = (CaseMember.objects.filter(user=user, joined__year=year)
               .select_related("group__discussion", "analysis").annotate(score=Subquery(score)).order_by("joined"))
    columns = [_("Joined"), _("Case discussion"), _("Course"), _("Analysis posted"), _("Score")]
    members = list(members)
    titles = course_titles(m.group.discussion.course_id for m in members)
    rows = [[local_time(m.joined), m.group.discussion.title, titles.get(m.group.discussion.course_id, ""),
             local_time(m.analysis.created) if getattr(m, "analysis", None) else "",
             "" if m.score is None else f"{m.score.normalize():f}"] for m in members]
    return columns, rows


def count_discussions(course_id: str) -> int:
    return CaseDiscussion.objects.filter(course_id=course_id).count()


def register(registry) -> None:
    registry.add_ledger_source(LedgerSource(kind=HourSource.CASE_DISCUSSION, label=HourSource.CASE_DISCUSSION.label,
                                            link=ledger_line_unit))
    registry.add_learning_file_section(LearningFileSection(
        key="case_discussion", title=_("Discussions joined"), rows=discussions_joined, order=40))
    registry.add_staff_tool(StaffTool(
        key="case_discussion", label=_("Case discussions"),
        url=lambda course_id: reverse("party_training:case_discussions", kwargs={"course_id": course_id}),
        count=count_discussions, order=40, count_label=_("Discussions")))
    registry.add_job_kind(JobKind(model=CaseExportJob, run=run_export))
    registry.add_export(ExportKind(key="case_discussion", label=_("Case discussions"), sample=export_sample))
