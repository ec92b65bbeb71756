"""The organisation tree: creation, moves, subtree queries, roll-ups."""
from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Concat, Length, Substr

from ..models import PATH_DIGITS, Organization


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_DIGITS}d}/"


@transaction.atomic
def save_organization(org: Organization) -> Organization:
    """Insert or update an organisation, keeping the materialized paths of its subtree right."""
    parent_path = org.parent.path if org.parent_id else ""
    if org.pk is None:
        org.save()
        org.path = parent_path + _segment(org.pk)
        org.depth = org.path.count("/") - 1
        Organization.objects.filter(pk=org.pk).update(path=org.path, depth=org.depth)
        return org
    old_path = Organization.objects.filter(pk=org.pk).values_list("path", flat=True).get()
    new_path = parent_path + _segment(org.pk)
    if new_path.startswith(old_path) and new_path != old_path:
        raise ValueError("cycle")
    org.path, org.depth = new_path, new_path.count("/") - 1
    org.save()
    if new_path != old_path:
        # Re-root the whole subtree in one statement.
        shift = new_path.count("/") - old_path.count("/")
        from django.db.models import F  # pylint: disable=import-outside-toplevel
        Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
            depth=F("depth") + shift,
        )
    return org


def subtree(org: Organization, include_self: bool = True) -> QuerySet[Organization]:
    qs = Organization.objects.filter(path__startswith=org.path)
    return qs if include_self else qs.exclude(pk=org.pk)


def subtree_of_many(orgs) -> QuerySet[Organization]:
    """Organisations under any of ``orgs`` (one query, ORed prefixes)."""
    from django.db.models import Q  # pylint: disable=import-outside-toplevel
    query = Q(pk__in=[])
    for org in orgs:
        query |= Q(path__startswith=org.path)
    return Organization.objects.filter(query)


def ancestors(org: Organization) -> list[Organization]:
    """Ancestors from the root down to ``org``'s parent."""
    ids = [int(seg) for seg in org.path.strip("/").split("/")[:-1] if seg]
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def ancestor_ids_from_path(path: str) -> list[int]:
    """Primary keys on a materialized path, root first, the node itself last."""
    return [int(seg) for seg in path.strip("/").split("/") if seg]
