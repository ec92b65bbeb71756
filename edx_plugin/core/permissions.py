"""Who may see what. Every view, API endpoint and block handler asks here."""
from __future__ import annotations

from django.db import IntegrityError
from django.db.models import QuerySet

from .models import CourseRole, MemberProfile, Organization, OrganizationAdmin
from .organizations import subtree_of_many


def is_site_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_staff or user.is_superuser))


def administered_organizations(user) -> list[Organization]:
    if not (user and user.is_authenticated):
        return []
    return list(Organization.objects.filter(admins__user=user))


def is_org_admin(user) -> bool:
    return bool(user and user.is_authenticated and OrganizationAdmin.objects.filter(user=user).exists())


def visible_organizations(user) -> QuerySet[Organization]:
    """Site admins see every organisation, organisation admins their subtrees, others none."""
    if is_site_admin(user):
        return Organization.objects.all()
    roots = administered_organizations(user)
    return subtree_of_many(roots) if roots else Organization.objects.none()


def visible_members(user) -> QuerySet[MemberProfile]:
    """Members a user may see: all (site admin), their subtrees (org admin), themselves (learner)."""
    if is_site_admin(user):
        return MemberProfile.objects.all()
    if not (user and user.is_authenticated):
        return MemberProfile.objects.none()
    roots = administered_organizations(user)
    own = MemberProfile.objects.filter(user=user)
    if not roots:
        return own
    return MemberProfile.objects.filter(organization__in=subtree_of_many(roots)) | own


def is_course_staff(user, course_id: str) -> bool:
    if is_site_admin(user):
        return True
    if not (user and user.is_authenticated):
        return False
    return CourseRole.objects.filter(user=user, course_id=course_id).exists()


def record_course_staff(user_id: int, course_id: str) -> None:
    """Remember that the platform told a block this user is course staff (see ``CourseRole``)."""
    if CourseRole.objects.filter(user_id=user_id, course_id=course_id).exists():
        return
    try:
        CourseRole.objects.create(user_id=user_id, course_id=course_id)
    except IntegrityError:
        pass  # a concurrent request recorded it
