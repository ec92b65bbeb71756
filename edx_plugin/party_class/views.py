"""Pages of party classes (party_class) outside the course: the sign-in page a QR code opens, and the
course's classes for staff (projector, attendance). Each states its role check."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.http import url_has_allowed_host_and_scheme

from party_training.resources import read_static

from ..core import lms
from ..core.js_catalog import js_catalog
from ..core.pages import block_key_or_404, render_page
from ..core.permissions import is_course_staff
from .models import PartyClassSignIn
from .projector import CODE_PARAMETER



@login_required
def sign_in_page(request, usage_id: str):
    """The page a party class's QR code opens (role: any signed-in learner; one who is not signed in to
    the site logs in first and comes back here). It signs the learner in through the block's own
    sign-in handler, so the class's rules (on-site code, window) decide, then goes on to the unit."""
    key = block_key_or_404(usage_id, "party_class")
    course_id = str(key.course_key)
    unit = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(unit, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        unit = lms.unit_url(course_id, usage_id)
    code = request.GET.get(CODE_PARAMETER, "")
    return render_page(request, "party_class/sign_in.html", {
        "code": code if code.isdigit() else "", "unit": unit,
        "handler": lms.handler_url(course_id, usage_id, "sign_in"),
        "course_title": lms.course_title(course_id),
        "core_js": read_static("js", "core.js"), "page_js": read_static("js", "party_class_sign_in.js"),
        "i18n": js_catalog("core.js", "party_class_sign_in.js"),
    })


@login_required
def course_classes(request, course_id: str):
    """The course's party classes with their projector, attendance and sign-in counts (role: course staff)."""
    if not is_course_staff(request.user, course_id):
        raise PermissionDenied
    classes = lms.course_components(course_id, "party_class")
    counts = dict(PartyClassSignIn.objects.filter(course_id=course_id).values_list("usage_id")
                  .annotate(n=Count("id")).values_list("usage_id", "n"))
    rows = [{"title": title, "signed_in": counts.get(usage_id, 0),
             "projector": lms.handler_url(course_id, usage_id, "projector"),
             "unit": lms.unit_url(course_id, usage_id)} for usage_id, title in classes]
    return render_page(request, "party_class/course.html", {
        "course_id": course_id, "course_title": lms.course_title(course_id), "classes": rows,
    })
