"""The grading pages of writing assignments (writing_assignment): the queue across all writing
blocks of a course, a piece, near-copies, exports, background jobs and a contest's judges' panel.

Role of every view: course staff of the course (``is_course_staff``), or 403. Judges of a
contest are course staff placed on its panel. Pages only read the request and render: every
lookup, permission and write is a rule of this area (``access``, ``queue``, ``pieces``, ...).
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from party_training.resources import read_static

from ..core.errors import RuleError
from ..core.js_catalog import js_catalog
from ..core.pages import render_page, xlsx_response
from ..core.permissions import is_course_staff
from . import archives, judges, pieces, queue
from .assignments import contest_in_course, course_assignments
from .errors import WritingError

PAGE_SIZE = 50


def _page(request, template: str, context: dict, status: int = 200):
    return render_page(request, template, {
        **context, "i18n": js_catalog("core.js", "writing_assignment_queue.js"), "writing_css": read_static("css", "writing_assignment.css"),
        "core_js": read_static("js", "core.js"),
        "grading_js": read_static("js", "writing_assignment_queue.js"),
    }, status=status)


def _require_staff(request, course_id: str) -> None:
    if not is_course_staff(request.user, course_id):
        raise PermissionDenied


def _queue_url(course_id: str) -> str:
    return reverse("party_training:grading_queue", kwargs={"course_id": course_id})


@login_required
def grading_queue(request, course_id):
    _require_staff(request, course_id)
    filters = queue.filters_from(request.GET)
    page = Paginator(queue.queue(course_id, filters, request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = queue.annotate_rows(list(page.object_list))
    query = {k: v for k, v in request.GET.items() if k not in {"page", "job"} and v}
    return _page(request, "writing_assignment/queue.html", {
        "course_id": course_id, "page": page, "rows": rows, "filters": filters, "query": urlencode(query),
        "assignments": course_assignments(course_id), **queue.filter_choices(),
        "branches": queue.branches_in_course(course_id), "jobs": archives.latest_jobs(course_id),
    })


@login_required
@require_http_methods(["GET", "POST"])
def grade_piece(request, course_id, pk):
    """One piece: read it, claim it, score it with the rubric, return, approve, judge, showcase."""
    _require_staff(request, course_id)
    submission = pieces.piece_in_course(course_id, pk)
    if submission is None:
        raise Http404
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            pieces.perform(action, submission, request.user, request.POST)
        except RuleError as exc:
            error, status = exc.message, exc.status
            submission.refresh_from_db()
        else:
            return HttpResponseRedirect(f"{request.path}?done={action}")
    context = pieces.piece_details(request.user, submission)
    return _page(request, "writing_assignment/piece.html", {
        **context, "course_id": course_id, "error": error, "done": pieces.done_message(request.GET.get("done", "")),
        "queue_url": _queue_url(course_id),
    }, status=status)


@login_required
def near_copy(request, course_id, pk):
    """Two near-copies side by side, shared passages highlighted."""
    _require_staff(request, course_id)
    pair = pieces.near_copy_pair(course_id, pk)
    if pair is None:
        raise Http404
    return _page(request, "writing_assignment/near_copy.html", {
        "course_id": course_id, "pair": pair, "sides": pieces.side_by_side(pair),
        "percent": round(pair.similarity * 100), "queue_url": _queue_url(course_id),
    })


@login_required
def export_grades(request, course_id):
    _require_staff(request, course_id)
    return xlsx_response(queue.export_grades(course_id, queue.filters_from(request.GET)), "writing-grades.xlsx")


@login_required
@require_POST
def start_job(request, course_id, kind):
    _require_staff(request, course_id)
    if not archives.is_job_kind(kind):
        raise Http404
    job = archives.start_job(kind, course_id, request.user)
    return HttpResponseRedirect(_queue_url(course_id) + f"?job={job.pk}")


def _job(request, course_id: str, pk: int):
    _require_staff(request, course_id)
    job = archives.job_in_course(course_id, pk)
    if job is None:
        raise Http404
    return job


@login_required
def job_status(request, course_id, pk):
    job = _job(request, course_id, pk)
    download = ""
    if archives.job_file(job):
        download = reverse("party_training:writing_job_download", kwargs={"course_id": course_id, "pk": job.pk})
    return JsonResponse({"status": job.status, "percent": job.percent, "done": job.done, "total": job.total,
                         "error": job.error, "download": download})


@login_required
def job_download(request, course_id, pk):
    job = _job(request, course_id, pk)
    name = archives.job_file(job)
    if not name:
        raise Http404
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True,
                        filename=f"writing-archive-{job.pk}.zip")


@login_required
@require_http_methods(["GET", "POST"])
def contest_panel(request, course_id, pk):
    """A contest's judges' panel: members and their progress, standings, publishing the results."""
    _require_staff(request, course_id)
    assignment = contest_in_course(course_id, pk)
    if assignment is None:
        raise Http404
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "judges":
                judges.set_judges_by_name(assignment, request.POST.get("judges", ""))
            elif request.POST.get("action") == "publish":
                judges.publish_contest(assignment, request.user)
            else:
                raise WritingError(_("Unknown action."))
        except RuleError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(request.path)
        assignment.refresh_from_db()
    progress = judges.judge_progress(assignment)
    return _page(request, "writing_assignment/contest.html", {
        "course_id": course_id, "assignment": assignment, "progress": progress,
        "judges": ", ".join(row["judge"].get_username() for row in progress),
        "standings": judges.contest_standings(assignment), "tiers": judges.tier_labels(assignment),
        "error": error, "queue_url": _queue_url(course_id),
    }, status=status)
