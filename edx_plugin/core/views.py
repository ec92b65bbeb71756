"""Pages and files of core: the staff dashboard of a course (the course tab), listing every tool the
areas registered (``core.registry``) with its counts; and the vendored Apache ECharts, shipped in the
wheel under ``static/vendor/echarts`` with its licence (no role check: a public library file)."""
from __future__ import annotations

from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from party_training.resources import static_path

from . import lms
from .pages import render_page
from .permissions import is_course_staff
from .registry import registry

ECHARTS_VERSION = "5.6.0"


@login_required
def staff_dashboard(request, course_id: str):
    """Every party-training tool of one course (role: course staff; one query per counted tool)."""
    if not is_course_staff(request.user, course_id):
        raise PermissionDenied
    return render_page(request, "core/dashboard.html", {
        "course_id": course_id, "course_title": lms.course_title(course_id),
        "tools": registry.staff_tools_for(course_id),
    })


@lru_cache(maxsize=1)
def _echarts() -> bytes:
    return static_path("vendor", "echarts", "echarts.min.js").read_bytes()


@require_GET
def echarts(request):
    response = HttpResponse(_echarts(), content_type="text/javascript; charset=utf-8")
    # The address carries the version, so browsers may keep the file.
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response
