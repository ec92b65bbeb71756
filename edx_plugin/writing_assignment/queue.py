"""The grading queue of writing assignments (writing_assignment): the course's pieces filtered by
assignment, kind, status, branch subtree and "claimed by me"; the branch filter's tree; near-copy
flags; and the grades workbook (through core's one XLSX writer)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.models import Organization
from ..core.xlsx import Sheet, workbook_bytes
from .access import WAITING, claim_active
from .assignments import award_label
from .models import NearCopyPair, WritingKind, WritingStatus, WritingSubmission
from .submissions import author_name, branch_name


@dataclass
class QueueFilters:
    usage_id: str = ""
    kind: str = ""
    status: str = ""
    branch: Organization | None = None
    mine: bool = False


def filters_from(params: Mapping[str, str]) -> QueueFilters:
    """The queue's filters from a page's query string; unknown values are ignored."""
    branch = None
    if str(params.get("branch", "")).isdigit():
        branch = Organization.objects.filter(pk=int(params["branch"])).first()
    status, kind = params.get("status", ""), params.get("kind", "")
    return QueueFilters(
        usage_id=params.get("block", ""), kind=kind if kind in WritingKind.values else "",
        status=status if status in WritingStatus.values else "", branch=branch, mine=params.get("mine") == "1",
    )


def filter_choices() -> dict:
    """The kinds and statuses the queue's filter offers."""
    return {"kinds": WritingKind.choices, "statuses": WritingStatus.choices}


def queue(course_id: str, filters: QueueFilters | None = None, user=None) -> QuerySet[WritingSubmission]:
    """Pieces of a course for the grading queue, oldest first (the queue index covers it)."""
    filters = filters or QueueFilters()
    qs = (WritingSubmission.objects.filter(course_id=course_id)
          .select_related("user", "assignment", "claimed_by", "user__party_profile__organization")
          .defer("text").order_by("submitted_at", "pk"))
    if filters.usage_id:
        qs = qs.filter(usage_id=filters.usage_id)
    if filters.kind:
        qs = qs.filter(assignment__kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.branch is not None:
        qs = qs.filter(user__party_profile__organization__path__startswith=filters.branch.path)
    if filters.mine and user is not None:
        qs = qs.filter(claimed_by=user, claim_expires__gt=timezone.now())
    return qs


def annotate_rows(rows: list[WritingSubmission]) -> list[WritingSubmission]:
    """A page of the queue with what each row shows: near-copy flag, active claim, author and
    branch (one query for the flags)."""
    flags = near_copy_flags([row.pk for row in rows])
    now = timezone.now()
    for row in rows:
        row.near_copy = flags.get(row.pk)
        row.claim_active = claim_active(row, now)
        row.author = author_name(row)
        row.branch = branch_name(row)
    return rows


def waiting_count(course_id: str) -> int:
    """Pieces of the course waiting for a grader (one query, on the queue index)."""
    return WritingSubmission.objects.filter(course_id=course_id, status__in=WAITING).count()


def branches_in_course(course_id: str) -> list[Organization]:
    """Organisations of the course's authors and their ancestors, for the branch filter (two
    queries); each carries ``indent`` for its depth below the highest one shown."""
    paths = set(WritingSubmission.objects.filter(course_id=course_id, user__party_profile__isnull=False)
                .values_list("user__party_profile__organization__path", flat=True).distinct())
    ids = {int(seg) for path in paths for seg in path.strip("/").split("/") if seg}
    branches = list(Organization.objects.filter(pk__in=ids).order_by("path"))
    top = min((org.depth for org in branches), default=0)
    for org in branches:
        org.indent = "— " * (org.depth - top)
    return branches


def near_copy_flags(submission_ids) -> dict[int, float]:
    """Highest similarity of each piece to another piece (one query)."""
    flags: dict[int, float] = {}
    for first, second, similarity in NearCopyPair.objects.filter(
            Q(first_id__in=submission_ids) | Q(second_id__in=submission_ids)).values_list(
            "first_id", "second_id", "similarity"):
        for pk in (first, second):
            flags[pk] = max(flags.get(pk, 0.0), similarity)
    return flags


def _grade_rows(course_id: str, filters: QueueFilters | None) -> Iterator[list]:
    statuses, kinds = dict(WritingStatus.choices), dict(WritingKind.choices)
    for sub in queue(course_id, filters).iterator(chunk_size=1000):
        released = sub.status == WritingStatus.GRADED
        yield [
            sub.user.get_username(), author_name(sub), branch_name(sub), sub.assignment.title,
            str(kinds.get(sub.assignment.kind, "")), str(statuses.get(sub.status, "")), sub.attempt, sub.char_count,
            timezone.localtime(sub.submitted_at).replace(tzinfo=None),
            float(sub.score) if released and sub.score is not None else None,
            float(sub.assignment.points_possible), (_("Yes") if sub.passed else _("No")) if released else "",
            sub.rank, award_label(sub.award),
            timezone.localtime(sub.released_at).replace(tzinfo=None) if sub.released_at else None,
        ]


def export_grades(course_id: str, filters: QueueFilters | None = None) -> bytes:
    """Grades of the course as an XLSX workbook (streamed row by row, whatever the size)."""
    header = [_("Username"), _("Name"), _("Branch"), _("Assignment"), _("Kind"), _("Status"), _("Attempt"),
              _("Characters"), _("Submitted"), _("Score"), _("Maximum score"), _("Passed"), _("Rank"),
              _("Award"), _("Released")]
    return workbook_bytes([Sheet(_("Grades"), header, _grade_rows(course_id, filters))])
