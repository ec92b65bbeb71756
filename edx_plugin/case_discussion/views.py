"""Pages of case discussions (case_discussion): the course's discussions for staff (posts, hidden
posts, who has not posted, grades) and the XLSX export of a whole discussion.

Role of every view: course staff of the course (``is_course_staff``), or 403. Moderation and
grading happen in the block's staff view; these pages only read and export.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from party_training.resources import read_static

from ..core.errors import RuleError
from ..core.pages import render_page, xlsx_response
from ..core.permissions import is_course_staff
from ..core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from . import exports
from .discussions import course_discussions, settings_of
from .models import CaseDiscussion
from .staff import analyses_count, overview


def _require_staff(request, course_id: str) -> None:
    if not is_course_staff(request.user, course_id):
        raise PermissionDenied


@login_required
def course_page(request, course_id):
    """The course's discussions: posts, hidden posts, groups, who has not posted, grades (bounded queries)."""
    _require_staff(request, course_id)
    discussions = course_discussions(course_id)
    counts = analyses_count([d.usage_id for d in discussions])
    rows = [{"discussion": d, "posts": counts.get(d.usage_id, {}).get("posts", 0),
             "hidden": counts.get(d.usage_id, {}).get("hidden", 0)} for d in discussions]
    chosen = next((d for d in discussions if str(d.pk) == request.GET.get("discussion")), None)
    job = exports.latest_export(chosen.usage_id) if chosen else None
    return render_page(request, "case_discussion/course.html", {
        "course_id": course_id, "rows": rows, "chosen": chosen,
        "overview": overview(settings_of(chosen)) if chosen else None,
        "background_export": bool(chosen) and exports.needs_background_export(chosen.usage_id), "job": job,
        "case_css": read_static("css", "case_discussion.css"),
    })


def export_page(course_id: str, discussion: CaseDiscussion) -> str:
    """Where staff follow the export of a large discussion."""
    return reverse("party_training:case_discussions", kwargs={"course_id": course_id}) \
        + f"?discussion={discussion.pk}#cd-export"


@login_required
@require_http_methods(["GET", "POST"])
def export(request, course_id, pk):
    """The discussion as XLSX at once, or (POST, for a large one) prepared by a background job."""
    _require_staff(request, course_id)
    discussion = CaseDiscussion.objects.filter(pk=pk, course_id=course_id).first()
    if discussion is None:
        raise Http404
    if request.method == "POST":
        exports.request_export(discussion, request.user)
        return redirect(export_page(course_id, discussion))
    if exports.needs_background_export(discussion.usage_id):
        return redirect(export_page(course_id, discussion))
    return xlsx_response(exports.discussion_workbook(settings_of(discussion)), f"case-discussion-{discussion.pk}.xlsx")


@login_required
@require_GET
def export_download(request, course_id, job_id):
    """A finished background export (role: course staff of the export's course)."""
    try:
        file, filename = exports.export_file(request.user, course_id, job_id)
    except RuleError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        raise Http404 from exc
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
