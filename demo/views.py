"""Pages of the demo LMS: course outline, unit (student or Studio view), handler endpoint."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey
from webob import Request as WebobRequest
from xblock.exceptions import NoSuchHandlerError, NoSuchUsage

from party_training.edx_plugin.core.registry import registry
from party_training.edx_plugin.menu_selection.partitions import unit_visible
from party_training.resources import static_path

from .models import BlockEvent, CourseUnit
from .runtime import DemoRuntime, is_course_staff_user


def home(request):
    courses = CourseUnit.objects.values_list("course_id", flat=True).distinct()
    if len(set(courses)) == 1 and request.user.is_authenticated:
        return redirect("demo:course", course_id=courses[0])
    return render(request, "demo/home.html", {"courses": sorted(set(courses))})


def visible_units(request, course_id: str) -> list[CourseUnit]:
    """The course's units the user may see: a unit restricted by ``group_access`` shows to the
    learners in its groups (the menu-selection partition scheme, as the LMS applies it) and to staff."""
    staff = is_course_staff_user(request.user)
    return [u for u in CourseUnit.objects.filter(course_id=course_id)
            if unit_visible(course_id, request.user, u.group_access, staff)]


@login_required
def course_outline(request, course_id):
    if not CourseUnit.objects.filter(course_id=course_id).exists():
        raise Http404
    units = visible_units(request, course_id)
    chapters: dict[str, list] = {}
    for unit_ in units:
        chapters.setdefault(unit_.chapter, []).append(unit_)
    # Course staff see the tools every area registered (as the LMS's course tab will list them).
    tools = registry.staff_tools_for(course_id) if is_course_staff_user(request.user) else []
    return render(request, "demo/course.html", {"course_id": course_id, "chapters": chapters.items(), "tools": tools})


@login_required
def unit(request, course_id, url_name):
    try:
        course_key = CourseKey.from_string(course_id)
    except InvalidKeyError as exc:
        raise Http404 from exc
    units = visible_units(request, course_id)
    current = next((u for u in units if u.url_name == url_name), None)
    if current is None:
        raise Http404
    staff = is_course_staff_user(request.user)
    view_name = "studio_view" if staff and request.GET.get("view") == "studio" else "student_view"
    runtime = DemoRuntime(request.user, course_key)
    fragments = []
    for usage_id in current.children:
        block = runtime.get_block(UsageKey.from_string(usage_id))
        frag = runtime.render(block, view_name if hasattr(block, view_name) else "student_view", {})
        fragments.append({"usage_id": usage_id, "title": getattr(block, "display_name", ""), "frag": frag})
    index = units.index(current)
    events = BlockEvent.objects.filter(user=request.user, usage_id__in=current.children)[:20] \
        if request.user.is_authenticated else []
    return render(request, "demo/unit.html", {
        "course_id": course_id, "unit": current, "fragments": fragments, "staff": staff, "view_name": view_name,
        "previous": units[index - 1] if index > 0 else None,
        "next": units[index + 1] if index + 1 < len(units) else None,
        "events": events,
    })


@login_required
@require_http_methods(["POST"])
def bench_insert(request):
    """The benchmarks' floor (only with DEMO_BENCH=1): session, user and one INSERT, nothing else."""
    BlockEvent.objects.create(user=request.user, usage_id="bench", event_type="bench", data={})
    return JsonResponse({"saved": True})


@login_required
def jump_to(request, course_id, usage_id):
    """As the LMS's jump_to: the unit that holds a block (links from QR codes and PIN pages land here)."""
    current = next((u for u in visible_units(request, course_id) if usage_id in u.children), None)
    if current is None:
        raise Http404
    return redirect("demo:unit", course_id=course_id, url_name=current.url_name)


class _BlockRequest(WebobRequest):
    """As the LMS's request: the body is read from Django when the block asks for it, so Django's
    size limit (``RequestDataTooBig``) is met inside the block's handler, as in the LMS."""

    def __init__(self, django_request):
        super().__init__(django_request.META.copy())
        self.django_request = django_request

    @property
    def body(self):
        return self.django_request.body


@require_http_methods(["GET", "POST"])
def handler(request, usage_id, handler, suffix=""):  # pylint: disable=redefined-outer-name
    """The LMS's handler endpoint: the block answers a webob request."""
    try:
        usage_key = UsageKey.from_string(usage_id)
    except InvalidKeyError:
        return HttpResponseBadRequest("bad usage id")
    runtime = DemoRuntime(request.user, usage_key.context_key)
    try:
        block = runtime.get_block(usage_key)
    except NoSuchUsage as exc:
        raise Http404 from exc
    webob_request = _BlockRequest(request)
    try:
        webob_response = runtime.handle(block, handler, webob_request, suffix)
    except NoSuchHandlerError as exc:
        raise Http404 from exc
    response = HttpResponse(webob_response.body, status=webob_response.status_code)
    for name, value in webob_response.headerlist:
        if name.lower() not in {"content-length", "set-cookie"}:
            response[name] = value
    return response


def block_resource(request, block_type, uri):
    if ".." in uri or uri.startswith("/"):
        raise Http404
    path = static_path(*uri.split("/"))
    if not path.is_file():
        raise Http404
    content_type = {"js": "application/javascript", "css": "text/css", "png": "image/png", "svg": "image/svg+xml"}
    return HttpResponse(path.read_bytes(), content_type=content_type.get(uri.rsplit(".", 1)[-1], "text/plain"))
