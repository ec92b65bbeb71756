"""Pages of case discussions (case_discussion): the course's discussions for staff (posts, hidden
posts, who has not posted, grades) and the XLSX export of a whole discussion.

Role of every view: course staff of the course (``is_course_staff``), or 403. Moderation and
grading happen in the block's staff view; these pages only read and export.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from party_training.resources import read_static

from ..core.pages import render_page, xlsx_response
from ..core.permissions import is_course_staff
from .discussions import course_discussions, settings_of
from .exports import discussion_workbook
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
    return render_page(request, "case_discussion/course.html", {
        "course_id": course_id, "rows": rows, "chosen": chosen,
        "overview": overview(settings_of(chosen)) if chosen else None,
        "case_css": read_static("css", "case_discussion.css"),
    })


@login_required
def export(request, course_id, pk):
    _require_staff(request, course_id)
    discussion = CaseDiscussion.objects.filter(pk=pk, course_id=course_id).first()
    if discussion is None:
        raise Http404
    return xlsx_response(discussion_workbook(settings_of(discussion)), f"case-discussion-{discussion.pk}.xlsx")
