"""Pages of the demo LMS: home, course outline, unit (student or Studio view), handler endpoint, jump_to."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey
from webob import Request as WebobRequest
from xblock.exceptions import NoSuchHandlerError, NoSuchUsage
from xblock.plugin import PluginMissingError

from django.utils.translation import gettext as _

from party_training.edx_plugin.core.compliance import summary_for_user
from party_training.edx_plugin.core.ledger import course_hours
from party_training.edx_plugin.core.pages import refused_page
from party_training.edx_plugin.core.permissions import is_org_admin, is_site_admin, record_course_staff
from party_training.edx_plugin.menu_selection.partitions import unit_visible
from party_training.resources import static_path

from .models import BlockEvent, Course, CourseUnit
from .runtime import DemoRuntime, is_course_staff_user


def home(request):
    """What the site is and what each role does next: learners continue their course and see their
    learning file, course staff open the staff dashboard, organisation admins the compliance page."""
    course_ids = sorted(set(CourseUnit.objects.values_list("course_id", flat=True)))
    titles = dict(Course.objects.filter(course_id__in=course_ids).values_list("course_id", "title"))
    user = request.user
    courses = []
    for course_id in course_ids:
        course = {"id": course_id, "title": titles.get(course_id) or course_id}
        if user.is_authenticated:
            if is_course_staff_user(user):
                record_course_staff(user.pk, course_id)
            units = visible_units(request, course_id)
            done = completed_units(user, units)
            course["next"] = next((u for u in units if u.pk not in done), None)
            course["done"], course["total"] = len(done), len(units)
            course["hours"] = course_hours(user.pk, course_id)
        courses.append(course)
    context = {"courses": courses}
    if user.is_authenticated:
        context.update(staff=is_course_staff_user(user), org_admin=is_org_admin(user) or is_site_admin(user),
                       summary=summary_for_user(user))
    return render(request, "demo/home.html", context)


def completed_units(user, units: list[CourseUnit]) -> set[int]:
    """The units whose every component that counts completion is complete for ``user`` (one query), as the
    LMS's completion service marks them: a component is complete when it published completion or a grade.
    Units of text only (html) count as complete once opened, which the demo does not record: not marked."""
    counted = {u.pk: [c for c in u.children if UsageKey.from_string(c).block_type != "html"] for u in units}
    wanted = [c for children in counted.values() for c in children]
    finished = set(BlockEvent.objects.filter(user=user, usage_id__in=wanted, event_type__in=("completion", "grade"))
                   .values_list("usage_id", flat=True))
    return {pk for pk, children in counted.items() if children and all(c in finished for c in children)}


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
    course = Course.objects.filter(course_id=course_id).first()
    staff = is_course_staff_user(request.user)
    if staff:  # as the LMS's course tab does when it shows the staff dashboard (party_training.edx_plugin.tabs)
        record_course_staff(request.user.pk, course_id)
    return render(request, "demo/course.html", {
        "course_id": course_id, "course_title": course.title if course else course_id, "chapters": chapters.items(),
        "done": completed_units(request.user, units), "hours": course_hours(request.user.pk, course_id),
        "staff": staff,
    })


def framed_units(request) -> bool:
    """Whether a unit shows its components in iframes of ``render_xblock``, as the Learning MFE does:
    ``?inline=1`` or the cookie ``demo_units`` (``inline`` or ``frame``) decide, else ``DEMO_UNITS``."""
    if request.GET.get("inline") == "1":
        return False
    return request.COOKIES.get("demo_units", getattr(settings, "DEMO_UNITS", "frame")) == "frame"


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
    # Studio's editors open in Studio's own page (a modal), never in the MFE's frame.
    framed = view_name == "student_view" and framed_units(request)
    runtime = DemoRuntime(request.user, course_key)
    fragments = []
    for usage_id in current.children:
        block = runtime.get_block(UsageKey.from_string(usage_id))
        title = getattr(block, "display_name", "")
        if framed:
            fragments.append({"usage_id": usage_id, "title": title,
                              "src": reverse("demo:render_xblock", kwargs={"usage_id": usage_id})})
            continue
        frag = runtime.render(block, view_name if hasattr(block, view_name) else "student_view", {})
        fragments.append({"usage_id": usage_id, "title": title, "frag": frag})
    index = units.index(current)
    titles = {item["usage_id"]: item["title"] for item in fragments}
    events = [describe_event(event, titles) for event in
              BlockEvent.objects.filter(user=request.user, usage_id__in=current.children)[:20]]
    return render(request, "demo/unit.html", {
        "course_id": course_id, "unit": current, "fragments": fragments, "staff": staff, "view_name": view_name,
        "previous": units[index - 1] if index > 0 else None,
        "next": units[index + 1] if index + 1 < len(units) else None,
        "events": events, "framed": framed,
    })


@login_required
@require_http_methods(["POST"])
def bench_insert(request):
    """The benchmarks' floor (only with DEMO_BENCH=1): session, user and one INSERT, nothing else."""
    BlockEvent.objects.create(user=request.user, usage_id="bench", event_type="bench", data={})
    return JsonResponse({"saved": True})


@login_required
@xframe_options_sameorigin
def render_xblock(request, usage_id):
    """The LMS's ``render_xblock``: one component's student view alone, for the MFE's iframe (only for a
    user who may see the unit that holds it)."""
    try:
        key = UsageKey.from_string(usage_id)
    except InvalidKeyError as exc:
        raise Http404 from exc
    course_id = str(key.context_key)
    if not any(usage_id in unit_.children for unit_ in visible_units(request, course_id)):
        raise Http404
    runtime = DemoRuntime(request.user, key.context_key)
    block = runtime.get_block(key)
    frag = runtime.render(block, "student_view", {})
    return render(request, "demo/xblock.html", {"frag": frag, "title": getattr(block, "display_name", "")})


def _number(value) -> str:
    return f"{float(value):g}" if isinstance(value, (int, float)) else str(value)


def describe_event(event: BlockEvent, titles: dict[str, str]) -> dict:
    """A recorded event as a person reads it ("成绩：75 / 100"), never the raw data."""
    data = event.data if isinstance(event.data, dict) else {}
    if event.event_type == "grade" and "value" in data:
        text = _("Grade: %(value)s / %(max)s") % {"value": _number(data["value"]),
                                                 "max": _number(data.get("max_value", ""))}
    elif event.event_type == "completion":
        text = _("Completed") if float(data.get("completion", 0) or 0) >= 1 else _("Started")
    elif event.event_type == "progress":
        text = _("Progress recorded")
    else:
        text = _("Event recorded")
    return {"created": event.created, "title": titles.get(event.usage_id, ""), "text": text}


@login_required
def jump_to(request, course_id, usage_id):
    """The LMS's jump_to: the unit that holds a component (as the QR sign-in page goes on to it)."""
    for unit_ in visible_units(request, course_id):
        if usage_id in unit_.children:
            return redirect("demo:unit", course_id=course_id, url_name=unit_.url_name)
    raise Http404


def favicon(request):
    return HttpResponse(FAVICON, content_type="image/svg+xml")


FAVICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" '
           b'fill="#b22222"/><path d="M8 3l1.3 3.2H13l-2.9 2.1 1.1 3.5L8 9.7l-3.2 2.1 1.1-3.5L3 6.2h3.7z" '
           b'fill="#ffd700"/></svg>')


def forbidden(request, exception=None):  # pylint: disable=unused-argument
    """Every refused page of the site, translated (the plugin's pages answer with the same page)."""
    return refused_page(request)


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
    except (NoSuchUsage, PluginMissingError) as exc:  # no such block, or a type this site does not install
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
