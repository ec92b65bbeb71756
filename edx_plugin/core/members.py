"""Members and organisations as a signed-in user may look them up (core), for the REST API (api).

Which rows a role sees is decided once, in ``core.permissions`` (``visible_members``,
``visible_organizations``); these lookups narrow that scope (a subtree, a category, children of
one organisation) and load what a member's record shows, so a list costs a bounded number of
queries however many members it holds. A subtree outside the caller's scope gives no rows, as
one that does not exist.
"""
from __future__ import annotations

from django.db.models import QuerySet

from .models import MemberCategoryCode, MemberProfile, Organization
from .organizations import subtree
from .permissions import visible_members, visible_organizations


def is_member_category(code: str) -> bool:
    """Whether ``code`` names a member category (leading_cadre, member, activist…)."""
    return code in MemberCategoryCode.values


def member_rows(user) -> QuerySet[MemberProfile]:
    """The members ``user`` may see, oldest first, with their user, organisation and categories loaded."""
    rows = visible_members(user).select_related("user", "organization").prefetch_related("categories")
    return rows.order_by("pk")


def member_list(user, *, organization_id: int | None = None, category: str = "") -> QuerySet[MemberProfile]:
    """``member_rows`` narrowed to the subtree of ``organization_id`` and to one category (see
    ``is_member_category``); nothing when that organisation is outside what ``user`` may see."""
    rows = member_rows(user)
    if organization_id is not None:
        rows = _within_subtree(rows, user, organization_id, "organization__path")
    if category:
        rows = rows.filter(categories__code=category)
    return rows


def organization_rows(user) -> QuerySet[Organization]:
    """The organisations ``user`` may see, in tree order."""
    return visible_organizations(user).order_by("path")


def organization_list(user, *, parent_id: int | None = None, root_id: int | None = None) -> QuerySet[Organization]:
    """``organization_rows`` narrowed to the children of ``parent_id`` and to the subtree of ``root_id``
    (the root included); nothing when that root is outside what ``user`` may see."""
    rows = organization_rows(user)
    if parent_id is not None:
        rows = rows.filter(parent_id=parent_id)
    if root_id is not None:
        rows = _within_subtree(rows, user, root_id, "path")
    return rows


def subtree_rows(root: Organization) -> QuerySet[Organization]:
    """``root`` and every organisation under it, in tree order."""
    return subtree(root).order_by("path")


def _within_subtree(rows: QuerySet, user, root_id: int, field: str) -> QuerySet:
    """Restrict ``rows`` to the subtree of ``root_id``; nothing when that root is not visible to ``user``."""
    root_path = visible_organizations(user).filter(pk=root_id).values_list("path", flat=True).first()
    if root_path is None:
        return rows.none()
    return rows.filter(**{f"{field}__startswith": root_path})
