"""What the long lists of the rotation forms can choose from, searched (the forms list the first
1,000 organisations and 500 lecturers; a training centre's tree holds thousands): the organisations the
staff member manages and the active lecturers of the pool whose name (or code) holds the search text.

Role: rotation staff (others 403). Answers JSON ``{"results": [{"id", "label"}]}``, at most 30 rows.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from ...core.lecturers import pool
from ...core.permissions import visible_organizations
from ..access import is_rotation_staff

LIMIT = 30


def _query(request) -> str:
    if not is_rotation_staff(request.user):
        raise PermissionDenied
    return request.GET.get("q", "").strip()[:100]


@login_required
@require_GET
def organizations(request):
    text = _query(request)
    rows = visible_organizations(request.user).filter(Q(name__icontains=text) | Q(code__icontains=text)) if text \
        else visible_organizations(request.user)
    return JsonResponse({"results": [{"id": pk, "label": name} for pk, name
                                     in rows.order_by("path").values_list("pk", "name")[:LIMIT]]})


@login_required
@require_GET
def lecturers(request):
    text = _query(request)
    rows = pool().filter(name__icontains=text) if text else pool()
    return JsonResponse({"results": [{"id": pk, "label": f"{name}（{title}）" if title else name} for pk, name, title
                                     in rows.order_by("name").values_list("pk", "name", "title")[:LIMIT]]})
