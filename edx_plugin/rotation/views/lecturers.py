"""The lecturer pool's pages (师资库), kept by rotation training (rotation): the pool with each lecturer's
sessions, hours taught and average rating; a new lecturer; a lecturer's page (their sessions with
ratings and the comments, without names: ratings are anonymous to the lecturer); the pool's export.

Role: site admins and organisation admins (others 403); editing an entry asks core's
``lecturers.managed_lecturers`` (an organisation admin edits their subtree's entries).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse

from ...core.errors import RuleError
from ...core.lecturers import managed_lecturers, pool, save_lecturer
from ...core.models import Lecturer
from ...core.pages import xlsx_response
from ...core.permissions import visible_organizations
from ..access import is_rotation_staff
from ..exports import pool_workbook
from ..models import SessionRating
from ..ratings import lecturer_sessions, pool_rows
from . import found, page


def _staff(request) -> None:
    if not is_rotation_staff(request.user):
        raise PermissionDenied


@login_required
def lecturers_page(request):
    _staff(request)
    error, status = "", 200
    if request.method == "POST":
        try:
            lecturer = save_lecturer(request.user, request.POST)
        except RuleError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(reverse("party_training:rotation_lecturer", args=[lecturer.pk]))
    show_all = request.GET.get("all") == "1"
    return page(request, "rotation/lecturers.html", {
        "rows": pool_rows(pool(active_only=not show_all).order_by("name", "pk"), limit=500), "show_all": show_all,
        "organizations": list(visible_organizations(request.user).order_by("path")[:1000]),
        "error": error, "form": request.POST}, status=status)


@login_required
def lecturer_page(request, pk):
    _staff(request)
    lecturer = found(lambda: Lecturer.objects.select_related("user", "owner").get(pk=pk))
    may_edit = managed_lecturers(request.user).filter(pk=lecturer.pk).exists()
    error, status = "", 200
    if request.method == "POST":
        try:
            save_lecturer(request.user, request.POST, lecturer)
        except RuleError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(reverse("party_training:rotation_lecturer", args=[lecturer.pk]))
    comments = list(SessionRating.objects.filter(session__lecturer=lecturer).exclude(comment="")
                    .order_by("-pk").values_list("score", "comment")[:200])
    return page(request, "rotation/lecturer.html", {
        "lecturer": lecturer, "sessions": lecturer_sessions(lecturer), "comments": comments, "may_edit": may_edit,
        "organizations": list(visible_organizations(request.user).order_by("path")[:1000]),
        "error": error}, status=status)


@login_required
def lecturers_export(request):
    _staff(request)
    return xlsx_response(pool_workbook(pool(active_only=False).order_by("name", "pk")), "lecturer-pool.xlsx")
