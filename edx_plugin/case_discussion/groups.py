"""Discussion groups (case_discussion): the whole course, one group per party branch (the member's
organisation in core's tree), or automatic groups of N. Automatic groups are formed once, under a
lock on the discussion's row, balanced (sizes differ by at most one) and mixed across branches;
later arrivals join the smallest group, so nobody formed is ever moved except by staff."""
from __future__ import annotations

import math

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.models import MemberProfile, Organization
from ..core.organizations import subtree_of_many
from .discussions import DiscussionSettings, sync_discussion
from .errors import CaseDiscussionError
from .models import CaseAnalysis, CaseDiscussion, CaseGroup, CaseMember, GroupingMode

COURSE_KEY = "course"
NO_BRANCH_KEY = "none"


def group_label(group: CaseGroup) -> str:
    """The group's name as people read it, in their language."""
    if group.key == COURSE_KEY:
        return _("Whole course")
    if group.key == NO_BRANCH_KEY:
        return _("Not in a party branch")
    if group.organization_id or group.name:
        return group.name
    return _("Group %(number)d") % {"number": group.number}


def member_of(usage_id: str, user_id: int) -> CaseMember | None:
    """A learner's membership with their group and own analysis (one query), None before their first visit."""
    return (CaseMember.objects.select_related("group", "analysis", "user")
            .filter(usage_id=usage_id, user_id=user_id).first())


def join(config: DiscussionSettings, user_id: int) -> CaseMember:
    """The learner's membership, placing them in their group on their first visit."""
    member = member_of(config.usage_id, user_id)
    if member is not None:
        return member
    discussion = sync_discussion(config)
    if config.grouping == GroupingMode.AUTO:
        _join_automatic(discussion, config, user_id)
    else:
        group = _fixed_group(discussion, config, user_id)
        try:
            with transaction.atomic():
                CaseMember.objects.create(usage_id=config.usage_id, user_id=user_id, group=group)
        except IntegrityError:
            pass  # another tab placed them first
    return member_of(config.usage_id, user_id)


def _get_group(discussion: CaseDiscussion, key: str, **defaults) -> CaseGroup:
    try:
        with transaction.atomic():
            return CaseGroup.objects.get_or_create(discussion=discussion, key=key, defaults=defaults)[0]
    except IntegrityError:
        return CaseGroup.objects.get(discussion=discussion, key=key)


def _fixed_group(discussion: CaseDiscussion, config: DiscussionSettings, user_id: int) -> CaseGroup:
    if config.grouping == GroupingMode.BRANCH:
        profile = MemberProfile.objects.select_related("organization").filter(user_id=user_id).first()
        if profile is not None:
            org = profile.organization
            return _get_group(discussion, f"org:{org.pk}", organization=org, name=org.name[:200], number=org.pk)
        return _get_group(discussion, NO_BRANCH_KEY, number=0, name="")
    return _get_group(discussion, COURSE_KEY, number=1, name="")


def population(config: DiscussionSettings) -> list[int]:
    """Who takes part before anyone visits: the members of the participating organisations (their
    subtrees), ordered by branch then user, so that dealing them out mixes the branches."""
    if not config.organizations:
        return []
    roots = list(Organization.objects.filter(code__in=config.organizations))
    if not roots:
        return []
    return list(MemberProfile.objects.filter(organization__in=subtree_of_many(roots))
                .order_by("organization__path", "user_id").values_list("user_id", flat=True))


def _join_automatic(discussion: CaseDiscussion, config: DiscussionSettings, user_id: int) -> None:
    with transaction.atomic():
        # The lock makes forming happen once: a second first visitor waits here, then finds it done.
        locked = CaseDiscussion.objects.select_for_update().get(pk=discussion.pk)
        if locked.groups_formed is None:
            form_groups(locked, config)
        if CaseMember.objects.filter(usage_id=config.usage_id, user_id=user_id).exists():
            return
        sizes = (CaseGroup.objects.filter(discussion=locked).annotate(size=Count("members"))
                 .order_by("size", "number"))
        smallest = sizes.first()
        if smallest is None or smallest.size >= config.group_size:
            number = (CaseGroup.objects.filter(discussion=locked).aggregate(top=Max("number"))["top"] or 0) + 1
            smallest = CaseGroup.objects.create(discussion=locked, key=f"auto:{number}", number=number, name="")
        CaseMember.objects.create(usage_id=config.usage_id, user_id=user_id, group=smallest)


def form_groups(discussion: CaseDiscussion, config: DiscussionSettings) -> int:
    """Deal the population into ceil(P / N) groups, one by one in branch order: sizes differ by at
    most one and each branch is spread over the groups. The caller holds the discussion's lock.
    Returns the number of groups formed."""
    users = population(config)
    count = math.ceil(len(users) / config.group_size) if users else 0
    groups = CaseGroup.objects.bulk_create([
        CaseGroup(discussion=discussion, key=f"auto:{n}", number=n, name="") for n in range(1, count + 1)])
    if count:
        groups = list(CaseGroup.objects.filter(discussion=discussion).order_by("number"))
        CaseMember.objects.bulk_create([
            CaseMember(usage_id=config.usage_id, user_id=user, group=groups[index % count])
            for index, user in enumerate(users)], ignore_conflicts=True)
    discussion.groups_formed = timezone.now()
    discussion.save(update_fields=["groups_formed"])
    return len(groups)


def discussion_groups(usage_id: str) -> list[CaseGroup]:
    """The groups of a discussion with their member counts (one query)."""
    return list(CaseGroup.objects.filter(discussion__usage_id=usage_id).annotate(size=Count("members"))
                .order_by("number", "pk"))


def move_member(config: DiscussionSettings, user_id, group_id) -> CaseMember:
    """Staff move a learner (and their analysis) to another group of the same discussion."""
    try:
        user_id, group_id = int(user_id), int(group_id)
    except (TypeError, ValueError) as exc:
        raise CaseDiscussionError(_("Choose a learner and a group.")) from exc
    group = CaseGroup.objects.filter(pk=group_id, discussion__usage_id=config.usage_id).first()
    if group is None:
        raise CaseDiscussionError(_("This group is not part of this discussion."), 404)
    with transaction.atomic():
        moved = CaseMember.objects.filter(usage_id=config.usage_id, user_id=user_id).update(group=group)
        if not moved:
            raise CaseDiscussionError(_("This learner has not joined the discussion yet."), 404)
        CaseAnalysis.objects.filter(usage_id=config.usage_id, author_id=user_id).update(group=group)
    return member_of(config.usage_id, user_id)
