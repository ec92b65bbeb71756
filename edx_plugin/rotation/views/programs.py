"""Staff pages of rotation-training programs (rotation): the list (and a new program), a program's
page (classes, automatic assignment, moves, who is in no class, sessions, the attendance summary) and
its export.

Role of every view: site admins, or organisation admins for the programs run by their subtree
(``access.program_for_staff``): others get 403, a program outside the subtree 404.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...core.errors import RuleError
from ...core.lecturers import pool
from ...core.models import MemberCategory
from ...core.pages import xlsx_response
from ...core.permissions import visible_members, visible_organizations
from .. import classes, sessions
from ..access import is_rotation_staff, managed_programs, managed_surveys, program_for_staff
from ..errors import RotationError
from ..exports import program_workbook
from ..models import ProgramKind, Season, SessionMode
from ..programs import create_program, form_values, update_program
from ..summary import program_summary
from . import found, page

ORGANIZATIONS_LISTED = 1000
DONE = {
    "add_class": lambda: _("The class was added."),
    "assign": lambda: _("The assignment has run."),
    "seat": lambda: _("The member was moved."),
    "add_session": lambda: _("The session was added."),
    "edit_session": lambda: _("The session was saved."),
    "created": lambda: _("The program was created."),
    "edit_program": lambda: _("The program was saved."),
    "edit_class": lambda: _("The class was saved."),
}


def form_choices(user, form=None, chosen_roots=(), chosen_categories=()) -> dict:
    """What the program and target fields offer, with what the form holds chosen (a posted form's,
    or the program's when it is being changed)."""
    organizations = list(visible_organizations(user).order_by("path")[:ORGANIZATIONS_LISTED])
    wanted = {str(pk) for pk in chosen_roots} | ({str(form.get("organization"))} if form else set())
    missing = wanted - {str(org.pk) for org in organizations}
    if missing:  # beyond the first 1,000: still shown, so a program's own choices are never lost
        organizations += list(visible_organizations(user).filter(pk__in=[int(v) for v in missing if v.isdigit()]))
    return {"organizations": organizations, "categories": list(MemberCategory.objects.all()),
            "seasons": Season.choices, "kinds": ProgramKind.choices,
            "chosen_roots": {str(pk) for pk in chosen_roots}, "chosen_categories": set(chosen_categories)}


@login_required
def programs_page(request):
    if not is_rotation_staff(request.user):
        raise PermissionDenied
    error, status = "", 200
    if request.method == "POST":
        try:
            program = create_program(request.user, request.POST)
        except RuleError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(reverse("party_training:rotation_program", args=[program.pk]) + "?done=created")
    programs = managed_programs(request.user).select_related("organization").order_by("-year", "-starts")[:200]
    return page(request, "rotation/programs.html", {
        "programs": programs, "surveys": managed_surveys(request.user)[:20], "error": error, "form": request.POST,
        **form_choices(request.user, request.POST, request.POST.getlist("roots"), request.POST.getlist("categories"))},
        status=status)


@login_required
def program_page(request, pk):
    program = found(lambda: program_for_staff(request.user, pk))
    return _program_page(request, program)


def _program_page(request, program, error: str = "", status: int = 200):
    unseated_count, unseated = classes.unseated_rows(program)
    summary = program_summary(program)
    session_rows = [{"session": s, "lecturer": sessions.lecturer_of(s)}
                    for s in program.sessions.select_related("training_class", "lecturer")]
    raw_edit = request.GET.get("edit", "")
    editing = program.sessions.filter(pk=int(raw_edit)).first() if raw_edit.isdigit() else None
    if request.method == "POST" and request.POST.get("action") == "edit_program":
        form, roots, categories = request.POST, request.POST.getlist("roots"), request.POST.getlist("categories")
    else:
        form = form_values(program)
        roots, categories = form["roots"], form["categories"]
    raw_class = request.GET.get("edit_class", "")
    editing_class = program.classes.filter(pk=int(raw_class)).first() if raw_class.isdigit() else None
    chart = {"classes": [r["name"] for r in summary["classes"]],
             "rates": [r["rate"] or 0 for r in summary["classes"]]}
    return page(request, "rotation/program.html", {
        "program": program, "classes": classes.class_rows(program), "unseated_count": unseated_count,
        "unseated": unseated, "sessions": session_rows, "summary": summary, "chart_data": chart,
        "editing": editing, "editing_class": editing_class, "program_form": form,
        **form_choices(request.user, form, roots, categories), "runs": list(program.assignments.all()[:5]),
        "lecturers": list(pool()[:500]), "modes": SessionMode.choices,
        "error": error, "form": request.POST, "done": DONE.get(request.GET.get("done", ""), lambda: "")(),
    }, status=status, chart=True)


@login_required
@require_POST
def program_action(request, pk):
    """add_class, edit_class, assign, seat (move a member, by user name, to a class or out), add_session,
    edit_session, edit_program."""
    program = found(lambda: program_for_staff(request.user, pk))
    action = request.POST.get("action", "")
    try:
        if action == "add_class":
            classes.create_class(program, request.POST.get("name", ""), request.POST.get("capacity", ""))
        elif action == "assign":
            run = classes.start_assignment(program, request.user)
            if run.status == run.Status.FAILED:
                raise RotationError(run.error, status=409)
        elif action == "seat":
            username = request.POST.get("username", "").strip()
            member = visible_members(request.user).filter(user__username=username).first()
            if member is None:
                raise RotationError(_("No member you manage has the user name “%(name)s”.") % {"name": username[:40]},
                                    status=404)
            raw = request.POST.get("training_class", "").strip()
            classes.seat(program, member.user_id, int(raw) if raw.isdigit() else None)
        elif action == "edit_program":
            update_program(request.user, program, request.POST)
        elif action == "edit_class":
            classes.update_class(program, request.POST.get("training_class", ""), request.POST.get("name", ""),
                                 request.POST.get("capacity", ""))
        elif action == "add_session":
            sessions.save_session(program, request.POST)
        elif action == "edit_session":
            raw = request.POST.get("session", "")
            session = program.sessions.filter(pk=int(raw) if raw.isdigit() else 0).first()
            if session is None:
                raise RotationError(_("No such session."), status=404)
            sessions.save_session(program, request.POST, session)
        else:
            raise RotationError(_("Unknown action."))
    except RuleError as exc:
        return _program_page(request, program, error=exc.message, status=exc.status)
    return HttpResponseRedirect(reverse("party_training:rotation_program", args=[program.pk]) + f"?done={action}")


@login_required
def program_export(request, pk):
    program = found(lambda: program_for_staff(request.user, pk))
    return xlsx_response(program_workbook(program), f"rotation-program-{program.pk}.xlsx")
