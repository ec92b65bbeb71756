"""REST API v1 (api): organisations, members, hours. Read-only.

Role checks: every endpoint needs a signed-in user (session, or a JWT where ``JWT_AUTH`` holds the
LMS's public signing keys, as on the platform). Rows come from core's rules (``core.members`` over
``core.permissions``, ``core.ledger`` for hours), never from a query of the view: learners see themselves,
organisation admins their subtrees, site admins everything. An organisation or member outside the
caller's scope answers 404, exactly like one that does not exist, so the API never tells a learner
who else is a member (this is also what a learner asking for another member's hours gets).
"""
from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.ledger import ledger_lines

from ..core.compliance import ComplianceRow, compliance_summary, summary_for_user
from ..core.members import (is_member_category, member_list, member_rows, organization_list, organization_rows,
                            subtree_rows)
from .permissions import IsOrganizationViewer
from .schema import PartyAutoSchema, documented
from .serializers import (ComplianceRowSerializer, HourEntrySerializer, HoursSummarySerializer, MemberSerializer,
                          OrganizationSerializer)

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


YEAR_PARAMETER = OpenApiParameter("year", int, description=gettext_lazy("Year (2000–2100); this year when absent."))


class APIMixin:
    """Authentication, pagination, the OpenAPI description and the browsable API's titles (translated:
    ``title`` and ``description`` rather than the class name and docstring) shared by every endpoint."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    schema = PartyAutoSchema()
    title = gettext_lazy("API")
    description = ""

    def get_view_name(self):
        return str(self.title)

    def get_view_description(self, html=False):
        return str(self.description)

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


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("parent", int, description=gettext_lazy("Only the children of this organisation.")),
    OpenApiParameter("root", int, description=gettext_lazy("Only this organisation's subtree (itself included)."))]))
class OrganizationViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """``organizations/`` (``?parent=<id>`` children, ``?root=<id>`` a subtree, root included),
    ``organizations/<id>/`` and ``organizations/<id>/compliance/?year=``.

    Role: site admin (every organisation) or organisation admin (their subtrees); learners get 403.
    """

    permission_classes = [IsAuthenticated, IsOrganizationViewer]
    serializer_class = OrganizationSerializer
    title = gettext_lazy("Organisations")
    description = gettext_lazy("Party organisations you administer (site admins: all), with compliance by year.")

    def get_queryset(self):
        if self.action != "list":
            return organization_rows(self.request.user)
        return organization_list(self.request.user, parent_id=id_param(self.request, "parent"),
                                 root_id=id_param(self.request, "root"))

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("No such organisation.")) from exc

    @documented(parameters=[YEAR_PARAMETER, OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
                   responses=inline_serializer("CompliancePage", {
                       "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
                       "previous": serializers.URLField(allow_null=True), "year": serializers.IntegerField(),
                       "organization": ComplianceRowSerializer(), "results": ComplianceRowSerializer(many=True)}))
    @action(detail=True)
    def compliance(self, request, pk=None):  # pylint: disable=unused-argument
        """Compliance of the organisation's subtree in a year: one row per organisation (paginated, tree
        order), each counting the members of its whole subtree; ``organization`` is the row of the root."""
        root = self.get_object()
        year = requested_year(request)
        rows = compliance_summary(year, root)
        page = self.paginate_queryset(subtree_rows(root))
        for org in [root, *page]:
            # An organisation added since the summary was computed has no members yet.
            org.row = rows.get(org.pk) or ComplianceRow(org.pk)
        response = self.get_paginated_response(ComplianceRowSerializer(page, many=True).data)
        response.data["year"] = year
        response.data["organization"] = ComplianceRowSerializer(root).data
        return response


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("organization", int, description=gettext_lazy("Only the members of this organisation's subtree.")),
    OpenApiParameter("category", str, description=gettext_lazy("Only the members of this category (member, activist…)."))]))
class MemberViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """``members/`` (``?organization=<id>`` a subtree, ``?category=<code>``), ``members/<username>/``,
    ``members/<username>/hours/?year=`` and ``members/<username>/entries/?year=``.

    Role: any signed-in user; learners see only themselves, organisation admins the members of their
    subtrees, site admins everyone. Others' records answer 404.
    """

    serializer_class = MemberSerializer
    title = gettext_lazy("Members")
    description = gettext_lazy("Members you may see: yourself; organisation admins their subtrees; site admins all.")
    lookup_field = "user__username"
    lookup_url_kwarg = "username"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        if self.action != "list":
            return member_rows(self.request.user)
        organization_id = id_param(self.request, "organization")
        category = self.request.query_params.get("category", "")
        if category and not is_member_category(category):
            raise ValidationError({"category": [_("Unknown member category.")]})
        return member_list(self.request.user, organization_id=organization_id, category=category)

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("No such member.")) from exc

    @documented(parameters=[YEAR_PARAMETER], responses=HoursSummarySerializer)
    @action(detail=True)
    def hours(self, request, username=None):  # pylint: disable=unused-argument
        member = self.get_object()
        return Response(HoursSummarySerializer(summary_for_user(member.user, requested_year(request))).data)

    @documented(parameters=[YEAR_PARAMETER], responses=HourEntrySerializer(many=True))
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

    title = gettext_lazy("My hours")
    description = gettext_lazy("Your hours of a year by source against your yearly requirement.")

    @documented(parameters=[YEAR_PARAMETER], responses=HoursSummarySerializer)
    def get(self, request):
        return Response(HoursSummarySerializer(summary_for_user(request.user, requested_year(request))).data)
