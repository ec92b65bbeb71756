"""Attendance pages of rotation training (rotation): the staff roll call (phone-friendly marking, the
rotating code and its QR code to project, bulk marking from XLSX), and the learner's pages (their
sessions; a session: sign in with the code, ask to be excused, rate it).

Roles: roll call, marking, the code and the attendance file: staff of the session's program
(``access.program_for_staff``; others 403, another subtree's session 404). A session's learner page:
learners expected at it (in its class), else 403. The learner's list: any signed-in user (own data).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...core.errors import RuleError
from ...core.pages import xlsx_response
from ...core.permissions import visible_members
from ...core.sign_in_code import current_code, qr_svg
from .. import attendance, attendance_files, ratings, sessions
from ..access import program_for_staff
from ..errors import RotationError
from ..models import Attendance, AttendanceStatus, SessionRating, TrainingSession
from ..needs_surveys import surveys_for_member
from . import found, page


def _staff_session(request, pk) -> TrainingSession:
    session = found(lambda: TrainingSession.objects.select_related("program", "training_class", "lecturer").get(pk=pk))
    found(lambda: program_for_staff(request.user, session.program_id))
    return session


@login_required
def roll_call_page(request, pk):
    session = _staff_session(request, pk)
    error, problems, done, status = "", [], "", 200
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            if upload is None:
                raise RotationError(_("Choose an XLSX file."))
            count = attendance_files.import_file(session, upload.read(), request.user)
            done = _("%(count)d statuses were marked from the file.") % {"count": count}
        except attendance_files.AttendanceFileRefused as exc:
            error, problems, status = exc.message, exc.problems, 400
        except RuleError as exc:
            error, status = exc.message, exc.status
    rows = attendance.roll_call(session)
    counts = {value: 0 for value in AttendanceStatus.values}
    for row in rows:
        if row["status"]:
            counts[row["status"]] += 1
    return page(request, "rotation/roll_call.html", {
        "session": session, "lecturer": sessions.lecturer_of(session), "rows": rows,
        "statuses": AttendanceStatus.choices, "counts": [(label, counts[value]) for value, label in AttendanceStatus.choices],
        "window": sessions.window(session), "error": error, "problems": problems, "done": done,
        "ratings": ratings.session_ratings(session),
    }, status=status)


@login_required
@require_POST
def mark(request, pk):
    """Staff mark one learner (``user`` id or ``username``): JSON for the roll call's script, else a redirect."""
    session = _staff_session(request, pk)
    raw_user = request.POST.get("user", "").strip()
    wants_json = request.headers.get("x-requested-with") == "XMLHttpRequest"
    try:
        if not raw_user.isdigit() or not visible_members(request.user).filter(user_id=int(raw_user)).exists():
            raise RotationError(_("There is no such member among those you manage."), status=404)
        if not sessions.expected_seats(session).filter(user_id=int(raw_user)).exists():
            raise RotationError(_("This member is not in a class of this session."), status=404)
        row, changed = attendance.set_status(session, int(raw_user), request.POST.get("status", ""),
                                             method=Attendance.Method.ROLL_CALL, by=request.user,
                                             reason=request.POST.get("reason", ""))
    except RuleError as exc:
        if wants_json:
            return JsonResponse(exc.as_dict(), status=exc.status)
        return HttpResponseRedirect(reverse("party_training:rotation_roll_call", args=[pk]))
    if wants_json:
        return JsonResponse({"status": row.status, "label": str(row.get_status_display()),
                             "credited": f"{float(row.credited):g}", "changed": changed})
    return HttpResponseRedirect(reverse("party_training:rotation_roll_call", args=[pk]))


@login_required
def session_code(request, pk):
    """The code to project now, the seconds it stays, and its QR code (the learner page with the code)."""
    session = _staff_session(request, pk)
    code, seconds = current_code(sessions.code_subject(session), sessions.CODE_PERIOD)
    url = request.build_absolute_uri(reverse("party_training:rotation_session", args=[pk])) + f"?code={code}"
    return JsonResponse({"code": code, "seconds": seconds, "qr": qr_svg(url, "party-rotation-qr-svg"),
                         "window": sessions.window_state(session)})


@login_required
def attendance_template(request, pk):
    session = _staff_session(request, pk)
    return xlsx_response(attendance_files.template_bytes(session), f"rotation-attendance-{session.pk}.xlsx")


@login_required
def session_page(request, pk):
    session = found(lambda: TrainingSession.objects.select_related("program", "training_class", "lecturer").get(pk=pk))
    if not sessions.is_expected(session, request.user):
        return page(request, "core/forbidden.html", {"text": _("You are not in a class of this session.")}, status=403)
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "sign_in":
                attendance.sign_in(session, request.user, request.POST.get("code", ""))
            elif action == "rate":
                ratings.rate(session, request.user, request.POST.get("score", ""), request.POST.get("comment", ""))
            elif action == "excuse":
                attendance.excuse_in_advance(session, request.user, request.POST.get("reason", ""))
            else:
                raise RotationError(_("Unknown action."))
        except RuleError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(reverse("party_training:rotation_session", args=[pk]) + f"?done={action}")
    mark_row = Attendance.objects.filter(session=session, user=request.user).first()
    done = {"sign_in": _("You are signed in."), "rate": _("Thank you for rating the session."),
            "excuse": _("Your request to be excused is recorded.")}.get(request.GET.get("done", ""), "")
    return page(request, "rotation/session.html", {
        "session": session, "lecturer": sessions.lecturer_of(session), "mark": mark_row,
        "attended": mark_row is not None and mark_row.status in attendance.ATTENDED,
        "window_state": sessions.window_state(session), "code": request.GET.get("code", "")[:6],
        "may_rate": ratings.may_rate(session, request.user),
        "rated": SessionRating.objects.filter(session=session, user=request.user).exists(),
        "error": error, "done": done,
    }, status=status)


@login_required
def my_rotation(request):
    rows = list(sessions.sessions_of_learner(request.user)[:300])
    marks = {a.session_id: a for a in Attendance.objects.filter(user=request.user, session__in=[s.pk for s in rows])}
    return page(request, "rotation/my.html", {
        "rows": [{"session": s, "lecturer": sessions.lecturer_of(s), "mark": marks.get(s.pk)} for s in rows],
        "surveys": surveys_for_member(request.user)})
