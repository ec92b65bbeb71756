"""What rotation training (rotation) tells the compliance screens: branch secretaries not yet rotated
this year (the regulation asks that branch secretaries be trained every year)."""
from __future__ import annotations

from django.db.models import Count

from ..core.models import MemberCategoryCode, MemberProfile, Organization
from ..core.organizations import subtree_of_many
from .models import Attendance, AttendanceStatus, ProgramKind


def secretaries_not_rotated(org_ids: list[int], year: int) -> dict[int, int]:
    """For each organisation id of ``org_ids``: how many branch secretaries it has who are not yet rotated
    in ``year``.

    Counted: members whose own organisation is that organisation (not its subtree: a caller wanting a
    subtree passes every id of it and adds up), having the member category ``branch_secretary``, and
    having no attendance with status *present* or *late* at any session of a program of kind
    "branch secretaries' rotation" whose year is ``year``. (Left early, excused and absent do not count
    as rotated.) Every id of ``org_ids`` is in the answer, with 0 when none. One query.
    """
    rotated = Attendance.objects.filter(
        status__in=(AttendanceStatus.PRESENT, AttendanceStatus.LATE),
        session__program__kind=ProgramKind.SECRETARIES, session__program__year=year).values("user_id")
    counts = dict(MemberProfile.objects.filter(
        organization_id__in=org_ids, categories__code=MemberCategoryCode.BRANCH_SECRETARY)
        .exclude(user_id__in=rotated).values("organization_id")
        .annotate(n=Count("pk", distinct=True)).values_list("organization_id", "n"))
    return {org_id: counts.get(org_id, 0) for org_id in org_ids}


def secretaries_not_rotated_in_subtrees(org_ids: list[int], year: int) -> dict[int, int]:
    """The compliance column: for each organisation id, the secretaries not yet rotated in ``year`` in its
    whole subtree (the drill-down counts every row over its subtree). Three queries whatever the tree."""
    shown = list(Organization.objects.filter(pk__in=org_ids).only("pk", "path"))
    under = list(subtree_of_many(shown).values_list("pk", "path"))
    counts = secretaries_not_rotated([pk for pk, _path in under], year)
    return {org.pk: sum(counts[pk] for pk, path in under if path.startswith(org.path)) for org in shown}
