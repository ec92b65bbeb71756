"""Staff pages of menu-based selection (menu_selection): the course's menus, a menu (options with
seats, waiting lists and branches; learners and their picks; moves; close and reopen; export),
and a preference menu's allocation runs (run, progress, result chart and table, adjust, publish).

Role of every view: course staff of the course (``core.permissions.is_course_staff``), or 403.
Pages read the request and render; every lookup and write is a rule of this area.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from party_training.resources import read_static

from ..core.js_catalog import js_catalog
from ..core.pages import render_page, xlsx_response
from ..core.permissions import is_course_staff
from . import allocation_runs, staff
from .errors import MenuError
from .exports import menu_workbook
from .menus import course_menus as menus_of_course
from .models import Menu
from .selection_rules import is_preference, window

DONE_MESSAGES = {
    "close": lambda: _("The menu is closed: learners can no longer change their picks."),
    "reopen": lambda: _("The menu is open again."),
    "move": lambda: _("The learner was moved; the reason is recorded."),
    "allocate": lambda: _("The allocation has run."),
    "adjust": lambda: _("The allocation was adjusted; the reason is recorded."),
    "publish": lambda: _("The allocation is published: learners see their seats."),
}


def _page(request, template: str, context: dict, status: int = 200):
    return render_page(request, template, {
        **context, "menu_css": read_static("css", "menu_selection.css"), "core_js": read_static("js", "core.js"),
        "staff_js": read_static("js", "menu_selection_staff.js"),
        "i18n": js_catalog("core.js", "menu_selection_staff.js"),
    }, status=status)


def _menu(request, course_id: str, pk: int) -> Menu:
    if not is_course_staff(request.user, course_id):
        raise PermissionDenied
    menu = Menu.objects.filter(course_id=course_id, pk=pk).first()
    if menu is None:
        raise Http404
    return menu


def _menu_url(menu: Menu) -> str:
    return reverse("party_training:menu_page", kwargs={"course_id": menu.course_id, "pk": menu.pk})


@login_required
def course_menus(request, course_id):
    if not is_course_staff(request.user, course_id):
        raise PermissionDenied
    return _page(request, "menu_selection/course.html", {"course_id": course_id, "menus": menus_of_course(course_id)})


@login_required
def menu_page(request, course_id, pk):
    return _menu_page(request, _menu(request, course_id, pk))


def _menu_page(request, menu: Menu, error: str = "", status: int = 200):
    options = staff.option_rows(menu)
    return _page(request, "menu_selection/menu.html", {
        "course_id": menu.course_id, "menu": menu, "options": options, "learners": staff.learner_rows(menu),
        "moves": staff.recent_moves(menu), "window": window(menu), "preference": is_preference(menu),
        "allocations": list(menu.allocations.all()[:10]) if is_preference(menu) else [],
        "error": error, "done": DONE_MESSAGES.get(request.GET.get("done", ""), lambda: "")(),
    }, status=status)


@login_required
@require_POST
def menu_action(request, course_id, pk):
    """close, reopen, move, allocate, adjust, publish: each a rule; a refusal re-renders with it."""
    menu = _menu(request, course_id, pk)
    action = request.POST.get("action", "")
    target = _menu_url(menu)
    try:
        if action in ("close", "reopen"):
            staff.set_closed(menu, action == "close")
        elif action == "move":
            staff.move(menu, _int(request.POST.get("user")), request.POST.get("from", ""), request.POST.get("to", ""),
                       request.POST.get("reason", ""), request.user)
        elif action == "allocate":
            raw = request.POST.get("seed", "").strip()
            job = allocation_runs.start_allocation(menu, request.user, _int(raw) if raw else None)
            target = reverse("party_training:menu_allocation", kwargs={"course_id": course_id, "pk": pk,
                                                                        "job": job.pk})
        elif action in ("adjust", "publish"):
            job = allocation_runs.allocation_in(menu, _int(request.POST.get("job")))
            if action == "adjust":
                allocation_runs.adjust(job, _int(request.POST.get("user")), request.POST.get("to", ""),
                                       request.POST.get("reason", ""), request.user)
            else:
                allocation_runs.publish(job)
            target = reverse("party_training:menu_allocation", kwargs={"course_id": course_id, "pk": pk, "job": job.pk})
        else:
            raise MenuError(_("Unknown action."))
    except MenuError as exc:
        return _menu_page(request, menu, error=exc.message, status=exc.status)
    return HttpResponseRedirect(f"{target}?done={action}")


def _int(raw) -> int:
    try:
        return int(str(raw))
    except ValueError as exc:
        raise MenuError(_("A number is expected.")) from exc


@login_required
def export_menu(request, course_id, pk):
    menu = _menu(request, course_id, pk)
    return xlsx_response(menu_workbook(menu), f"menu-{menu.pk}.xlsx")


@login_required
def allocation_page(request, course_id, pk, job):
    menu = _menu(request, course_id, pk)
    run = _run(menu, job)
    context = {"course_id": course_id, "menu": menu, "run": run, "menu_url": _menu_url(menu),
               "done": DONE_MESSAGES.get(request.GET.get("done", ""), lambda: "")()}
    if run.status == run.Status.DONE:
        context.update(allocation_runs.result_tables(menu, run, request.GET.get("page", 1)))
    return _page(request, "menu_selection/allocation.html", context)


@login_required
def allocation_status(request, course_id, pk, job):
    run = _run(_menu(request, course_id, pk), job)
    return JsonResponse({"status": run.status, "percent": run.percent, "error": run.error})


def _run(menu: Menu, pk: int):
    try:
        return allocation_runs.allocation_in(menu, pk)
    except MenuError as exc:
        raise Http404 from exc
