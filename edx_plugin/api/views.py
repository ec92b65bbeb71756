"""REST API v1: organisations, members, hours. Read-only.

Role checks: every endpoint needs a signed-in user (session, or a JWT where ``JWT_AUTH`` holds the
LMS's public signing keys, as on the platform). Rows come from ``services.permissions``: learners see themselves,
organisation admins their subtrees, site admins everything. An organisation or member outside the
caller's scope answers 404, exactly like one that does not exist, so the API never tells a learner
who else is a member (this is also what a learner asking for another member's hours gets).
"""
from __future__ import annotations

import re

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.models import MemberCategoryCode, Organization
from ..core.ledger import ComplianceRow, compliance_summary, ledger_lines, summary_for_user
from ..core.permissions import visible_members, visible_organizations
from .permissions import IsOrganizationViewer
from .serializers import ComplianceRowSerializer, HourEntrySerializer, HoursSummarySerializer, MemberSerializer, OrganizationSerializer

try:
    from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
except ImportError:  # edx-drf-extensions is optional outside the platform
    JwtAuthentication = None

MIN_YEAR, MAX_YEAR = 2000, 2100
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only, and within a BIGINT


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class APIMixin:
    """Authentication and pagination shared by every endpoint of the API."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    def get_authenticators(self):
        authenticators = [SessionAuthentication()]
        if jwt_configured():
            authenticators.insert(0, JwtAuthentication())  # first, as in the LMS
        return authenticators


def jwt_configured() -> bool:
    """JWT is accepted only where the site has the LMS's public signing keys. Without JWT_AUTH, drf-jwt
    answers any Authorization header with a server error; and edx-drf-extensions (10.6) checks the
    signature against an empty key set, which accepts any token, when no public keys are configured."""
    jwt_auth = getattr(settings, "JWT_AUTH", None) or {}
    return JwtAuthentication is not None and bool(jwt_auth.get("JWT_PUBLIC_SIGNING_JWK_SET"))


def requested_year(request) -> int:
    raw = request.query_params.get("year", "")
    if not raw:
        return timezone.localdate().year
    if not WHOLE_NUMBER.fullmatch(raw) or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        raise ValidationError({"year": [_("The year must be a whole number between %(min)d and %(max)d.") % {
            "min": MIN_YEAR, "max": MAX_YEAR}]})
    return int(raw)


def id_param(request, name: str) -> int | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    if not WHOLE_NUMBER.fullmatch(raw):
        raise ValidationError({name: [_("An organisation id must be a whole number.")]})
    return int(raw)


def within_subtree(queryset: QuerySet, organizations: QuerySet[Organization], root_id: int, field: str) -> QuerySet:
    """Restrict ``queryset`` to the subtree of ``root_id``; nothing when that root is not in ``organizations``."""
    root_path = organizations.filter(pk=root_id).values_list("path", flat=True).first()
    if root_path is None:
        return queryset.none()
    return queryset.filter(**{f"{field}__startswith": root_path})


class OrganizationViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """``organizations/`` (``?parent=<id>`` children, ``?root=<id>`` a subtree, root included),
    ``organizations/<id>/`` and ``organizations/<id>/compliance/?year=``.

    Role: site admin (every organisation) or organisation admin (their subtrees); learners get 403.
    """

    permission_classes = [IsAuthenticated, IsOrganizationViewer]
    serializer_class = OrganizationSerializer

    def get_queryset(self):
        queryset = visible_organizations(self.request.user).order_by("path")
        if self.action != "list":
            return queryset
        parent_id = id_param(self.request, "parent")
        if parent_id is not None:
            queryset = queryset.filter(parent_id=parent_id)
        root_id = id_param(self.request, "root")
        if root_id is not None:
            queryset = within_subtree(queryset, visible_organizations(self.request.user), root_id, "path")
        return queryset

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("No such organisation.")) from exc

    @action(detail=True)
    def compliance(self, request, pk=None):  # pylint: disable=unused-argument
        """Compliance of the organisation's subtree in a year: one row per organisation (paginated, tree
        order), each counting the members of its whole subtree; ``organization`` is the row of the root."""
        root = self.get_object()
        year = requested_year(request)
        rows = compliance_summary(year, root)
        page = self.paginate_queryset(Organization.objects.filter(path__startswith=root.path).order_by("path"))
        for org in [root, *page]:
            # An organisation added since the summary was computed has no members yet.
            org.row = rows.get(org.pk) or ComplianceRow(org.pk)
        response = self.get_paginated_response(ComplianceRowSerializer(page, many=True).data)
        response.data["year"] = year
        response.data["organization"] = ComplianceRowSerializer(root).data
        return response


class MemberViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """``members/`` (``?organization=<id>`` a subtree, ``?category=<code>``), ``members/<username>/``,
    ``members/<username>/hours/?year=`` and ``members/<username>/entries/?year=``.

    Role: any signed-in user; learners see only themselves, organisation admins the members of their
    subtrees, site admins everyone. Others' records answer 404.
    """

    serializer_class = MemberSerializer
    lookup_field = "user__username"
    lookup_url_kwarg = "username"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        user = self.request.user
        queryset = visible_members(user).select_related("user", "organization").prefetch_related("categories")
        queryset = queryset.order_by("pk")
        if self.action != "list":
            return queryset
        org_id = id_param(self.request, "organization")
        if org_id is not None:
            queryset = within_subtree(queryset, visible_organizations(user), org_id, "organization__path")
        category = self.request.query_params.get("category", "")
        if category:
            if category not in MemberCategoryCode.values:
                raise ValidationError({"category": [_("Unknown member category.")]})
            queryset = queryset.filter(categories__code=category)
        return queryset

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("No such member.")) from exc

    @action(detail=True)
    def hours(self, request, username=None):  # pylint: disable=unused-argument
        member = self.get_object()
        return Response(HoursSummarySerializer(summary_for_user(member.user, requested_year(request))).data)

    @action(detail=True)
    def entries(self, request, username=None):  # pylint: disable=unused-argument
        """The member's ledger lines, newest first (read-only: corrections are reversing lines)."""
        member = self.get_object()
        year = requested_year(request) if request.query_params.get("year") else None
        page = self.paginate_queryset(ledger_lines(member.user_id, year))
        return self.get_paginated_response(HourEntrySerializer(page, many=True).data)


class MyHoursView(APIMixin, APIView):
    """``me/hours/?year=``: the caller's own hours by source against their yearly requirement.

    Role: any signed-in user, own data only.
    """

    def get(self, request):
        return Response(HoursSummarySerializer(summary_for_user(request.user, requested_year(request))).data)
