"""Role checks of REST API v1 (api). Which rows a role sees is decided in ``core.permissions``."""
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ..core.permissions import is_org_admin, is_site_admin


class IsOrganizationViewer(BasePermission):
    """Site admins and organisation admins; learners have no organisation reports."""

    message = _("Only organisation admins and site admins can see organisations.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return is_site_admin(user) or is_org_admin(user)
