"""The organisation tree: creation, moves, subtree queries, roll-ups."""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from .models import PATH_DIGITS, Organization

SEGMENT = PATH_DIGITS + 1  # a zero-padded pk and its "/"
PATH_LENGTH = Organization._meta.get_field("path").max_length
MAX_DEPTH = PATH_LENGTH // SEGMENT - 1  # depth is 0 at the root


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_DIGITS}d}/"


def _too_deep() -> ValidationError:
    return ValidationError({"parent": _("The organisation tree cannot be deeper than %(levels)d levels.") % {
        "levels": MAX_DEPTH + 1}})


def _check_placement(pk: int | None, old_path: str | None, parent_path: str) -> None:
    """Refuse a cycle or a tree deeper than the path column holds."""
    if pk is None:
        if len(parent_path) + SEGMENT > PATH_LENGTH:
            raise _too_deep()
        return
    new_path = parent_path + _segment(pk)
    if new_path == old_path:
        return
    if new_path.startswith(old_path):
        raise ValidationError({"parent": _("An organisation cannot be placed under itself or its subtree.")})
    longest = Organization.objects.filter(path__startswith=old_path).aggregate(longest=Max(Length("path")))["longest"]
    if longest - len(old_path) + len(new_path) > PATH_LENGTH:
        raise _too_deep()


def validate_placement(org: Organization) -> None:
    """The checks of ``save_organization`` without its locks, for forms (the admin) to show as errors."""
    parent_path = ""
    if org.parent_id:
        parent_path = Organization.objects.filter(pk=org.parent_id).values_list("path", flat=True).first() or ""
    old_path = Organization.objects.filter(pk=org.pk).values_list("path", flat=True).first() if org.pk else None
    _check_placement(org.pk, old_path, parent_path)


@transaction.atomic
def save_organization(org: Organization) -> Organization:
    """Insert or update an organisation, keeping the materialized paths of its subtree right.

    Moving an organisation re-roots its whole subtree in one UPDATE. Raises ``ValidationError`` when
    the new parent is the organisation itself or one of its descendants, or when the tree would get
    deeper than the path column holds.
    """
    # Paths are read from the database under row locks (taken in pk order, so two concurrent moves
    # wait for each other instead of deadlocking): an in-memory parent may be stale after a move,
    # and two crossing moves would otherwise both pass the cycle check.
    locked = dict(
        Organization.objects.select_for_update().filter(pk__in=[pk for pk in (org.pk, org.parent_id) if pk])
        .order_by("pk").values_list("pk", "path")
    )
    if org.parent_id and org.parent_id not in locked:
        raise Organization.DoesNotExist(f"parent organisation {org.parent_id} does not exist")
    parent_path = locked[org.parent_id] if org.parent_id else ""
    _check_placement(org.pk, locked.get(org.pk), parent_path)
    if org.pk is None:
        org.save()
        org.path = parent_path + _segment(org.pk)
        org.depth = org.path.count("/") - 1
        Organization.objects.filter(pk=org.pk).update(path=org.path, depth=org.depth)
        return org
    old_path = locked[org.pk]
    new_path = parent_path + _segment(org.pk)
    if new_path != old_path:
        subtree_paths = Organization.objects.filter(path__startswith=old_path)
        shift = new_path.count("/") - old_path.count("/")
        subtree_paths.exclude(pk=org.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
            depth=F("depth") + shift,
        )
    org.path, org.depth = new_path, new_path.count("/") - 1
    org.save()
    return org


def subtree(org: Organization, include_self: bool = True) -> QuerySet[Organization]:
    qs = Organization.objects.filter(path__startswith=org.path)
    return qs if include_self else qs.exclude(pk=org.pk)


def subtree_of_many(orgs: Iterable[Organization]) -> QuerySet[Organization]:
    """Organisations under any of ``orgs`` (one query, ORed prefixes)."""
    query = Q(pk__in=[])
    for org in orgs:
        query |= Q(path__startswith=org.path)
    return Organization.objects.filter(query)


def ancestors(org: Organization) -> list[Organization]:
    """Ancestors from the root down to ``org``'s parent."""
    ids = ancestor_ids_from_path(org.path)[:-1]
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def ancestor_ids_from_path(path: str) -> list[int]:
    """Primary keys on a materialized path, root first, the node itself last."""
    return [int(seg) for seg in path.strip("/").split("/") if seg]
