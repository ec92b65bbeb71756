"""What an admin asks of the compliance drill-down (compliance): which organisation, year and member
category, checked against what the admin may see (``core.permissions``). Site admins see every
organisation, organisation admins their subtrees; learners are refused (403); an organisation outside
the admin's scope answers 404, as one that does not exist."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.models import MemberCategory, Organization
from ..core.organizations import ancestor_ids_from_path
from ..core.permissions import administered_organizations, is_org_admin, is_site_admin, visible_organizations
from .errors import ComplianceError

MIN_YEAR, MAX_YEAR = 2000, 2100
YEARS_OFFERED = 5
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass
class Scope:
    """The organisation shown (None: the top of what the admin sees), the year, the category filter,
    the top organisations (the admin's roots) and the breadcrumbs from them down to ``node``."""

    node: Organization | None
    year: int
    category: MemberCategory | None
    tops: list[Organization]
    breadcrumbs: list[Organization]


def may_see_compliance(user) -> bool:
    return is_site_admin(user) or is_org_admin(user)


def _number(raw: str, message: str) -> int:
    if not WHOLE_NUMBER.fullmatch(raw):
        raise ComplianceError(message)
    return int(raw)


def parse_year(raw: str) -> int:
    if not raw:
        return timezone.localdate().year
    message = _("The year must be a whole number between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
    year = _number(raw, message)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ComplianceError(message)
    return year


def years_offered(year: int) -> list[int]:
    this_year = timezone.localdate().year
    return sorted({*range(this_year - YEARS_OFFERED + 1, this_year + 1), year}, reverse=True)


def resolve(user, *, organization: str = "", year: str = "", category: str = "") -> Scope:
    """The drill-down ``user`` asked for. Raises ``ComplianceError``: 403 for a learner, 404 for an
    organisation outside what the user sees, 400 for a bad year or category."""
    if not may_see_compliance(user):
        raise ComplianceError(_("Only organisation admins and site admins can see compliance."), 403)
    chosen_year = parse_year(year)
    chosen_category = None
    if category:
        chosen_category = MemberCategory.objects.filter(code=category).first()
        if chosen_category is None:
            raise ComplianceError(_("Unknown member category."))
    if is_site_admin(user):
        tops = list(Organization.objects.filter(parent=None).order_by("name", "pk"))
    else:
        tops = sorted(administered_organizations(user), key=lambda org: org.path)
    node = None
    if organization:
        pk = _number(organization, _("An organisation id must be a whole number."))
        node = visible_organizations(user).filter(pk=pk).first()
        if node is None:
            raise ComplianceError(_("No such organisation."), 404)
    elif len(tops) == 1 and not is_site_admin(user):
        node = tops[0]  # an organisation admin of one organisation starts there
    return Scope(node=node, year=chosen_year, category=chosen_category, tops=tops,
                 breadcrumbs=_breadcrumbs(node, tops))


def _breadcrumbs(node: Organization | None, tops: list[Organization]) -> list[Organization]:
    """From the admin's top organisation containing ``node`` down to ``node``'s parent (one query)."""
    if node is None:
        return []
    top = next((org for org in tops if node.path.startswith(org.path)), None)
    ids = ancestor_ids_from_path(node.path)[:-1]
    if top is not None:
        ids = ids[ids.index(top.pk):] if top.pk in ids else []
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
