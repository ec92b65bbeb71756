"""Who may do what in rotation training (rotation), asked by every page, the API and the rules.

- Training-centre staff (site admins) manage every program and survey.
- An organisation admin manages the programs and surveys run by an organisation of their subtree
  (``organization``), and may only target organisations of their subtree.
- A learner sees the programs they have a seat in and the surveys whose target population they belong to.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from ..core.models import MemberProfile
from ..core.permissions import is_org_admin, is_site_admin, visible_organizations
from .models import NeedsSurvey, TrainingProgram


def is_rotation_staff(user) -> bool:
    """Site admins and organisation admins: the people who see the rotation staff pages at all."""
    return is_site_admin(user) or is_org_admin(user)


def managed_programs(user) -> QuerySet[TrainingProgram]:
    if is_site_admin(user):
        return TrainingProgram.objects.all()
    return TrainingProgram.objects.filter(organization__in=visible_organizations(user))


def managed_surveys(user) -> QuerySet[NeedsSurvey]:
    if is_site_admin(user):
        return NeedsSurvey.objects.all()
    return NeedsSurvey.objects.filter(organization__in=visible_organizations(user))


def program_for_staff(user, pk) -> TrainingProgram:
    """The program ``pk`` if ``user`` manages it; PermissionDenied for a non-staff user; DoesNotExist
    (a 404) for a program outside their subtree, exactly as for one that does not exist."""
    if not is_rotation_staff(user):
        raise PermissionDenied
    return managed_programs(user).select_related("organization").get(pk=pk)


def survey_for_staff(user, pk) -> NeedsSurvey:
    if not is_rotation_staff(user):
        raise PermissionDenied
    return managed_surveys(user).select_related("organization").get(pk=pk)


def target_filter(target, prefix: str = "") -> Q:
    """The condition on ``MemberProfile`` (or, with ``prefix`` such as ``"party_profile__"``, on a model
    reaching it) that selects ``target``'s population: in a subtree of its roots, in one of its
    categories (any when it names none). Two queries read the roots and categories."""
    paths = list(target.roots.values_list("path", flat=True))
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}organization__path__startswith": path})
    codes = list(target.categories.values_list("pk", flat=True))
    if codes:
        condition &= Q(**{f"{prefix}categories__in": codes})
    return condition


def target_members(target) -> QuerySet[MemberProfile]:
    """The target population as member profiles (distinct: a member in two categories counts once)."""
    rows = MemberProfile.objects.filter(target_filter(target))
    return rows.distinct() if target.categories.exists() else rows


def in_target(target, user) -> bool:
    return target_members(target).filter(user=user).exists()
