"""The grading queue of writing assignments: a staff page across all writing blocks of a course.

Role of every view: course staff of the course (``is_course_staff``), or 403. Judges of a
contest are course staff placed on its panel. Rules come from ``services.writing``.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .models import AssessmentRole, GradingFlow, NearCopyPair, WritingAssignment, WritingJob, WritingKind, WritingStatus, WritingSubmission
from ..core.models import Organization
from party_training.resources import read_static

from ..core.pages import render_page, xlsx_response
from ..writing_assignment import rules as svc
from ..core.permissions import is_course_staff

PAGE_SIZE = 50


def _page(request, template: str, context: dict, status: int = 200):
    return render_page(request, template, {
        **context, "writing_css": read_static("css", "writing_assignment.css"),
        "grading_js": read_static("js", "writing_assignment_queue.js"),
    }, status=status)


def _require_staff(request, course_id: str) -> None:
    if not is_course_staff(request.user, course_id):
        raise PermissionDenied


def _filters(request, course_id: str) -> svc.QueueFilters:
    branch = None
    if request.GET.get("branch", "").isdigit():
        branch = Organization.objects.filter(pk=int(request.GET["branch"])).first()
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    return svc.QueueFilters(
        usage_id=request.GET.get("block", ""), kind=kind if kind in WritingKind.values else "",
        status=status if status in WritingStatus.values else "", branch=branch, mine=request.GET.get("mine") == "1",
    )


@login_required
def grading_queue(request, course_id):
    _require_staff(request, course_id)
    filters = _filters(request, course_id)
    page = Paginator(svc.queue(course_id, filters, request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    flags = svc.near_copy_flags([row.pk for row in rows])
    now = timezone.now()
    for row in rows:
        row.near_copy = flags.get(row.pk)
        row.claim_active = bool(row.claimed_by_id and row.claim_expires and row.claim_expires > now)
        row.author = svc.author_name(row)
        profile = getattr(row.user, "party_profile", None)
        row.branch = profile.organization.name if profile else ""
    query = {k: v for k, v in request.GET.items() if k not in {"page", "job"} and v}
    branches = svc.branches_in_course(course_id)
    top = min((org.depth for org in branches), default=0)
    for org in branches:
        org.indent = "— " * (org.depth - top)
    return _page(request, "writing_assignment/queue.html", {
        "course_id": course_id, "page": page, "rows": rows, "filters": filters, "query": urlencode(query),
        "assignments": WritingAssignment.objects.filter(course_id=course_id).order_by("title"),
        "kinds": WritingKind.choices, "statuses": WritingStatus.choices,
        "branches": branches, "jobs": svc.latest_jobs(course_id),
        "job_status_base": reverse("party_training:writing_job", kwargs={"course_id": course_id, "pk": 0}),
        "strings": {"running": _("Working… %(done)s of %(total)s"), "done": _("Done."),
                    "failed": _("Failed: %(error)s"),
                    "download": _("Download the archive")},
    })


def _piece_context(request, course_id: str, submission: WritingSubmission) -> dict:
    assignment = submission.assignment
    mine = submission.assessments.filter(attempt=submission.attempt, assessor=request.user).first()
    proposal = svc.proposal_of(submission) if submission.status == WritingStatus.PROPOSED else None
    chosen = (mine or proposal).selections if (mine or proposal) else {}
    rubric = [{
        "index": index, "name": criterion.get("name", ""),
        "levels": [{"number": number, "name": level.get("name", ""), "points": level.get("points", 0),
                    "checked": str(chosen.get(str(index))) == str(number)}
                   for number, level in enumerate(criterion.get("levels", []))],
    } for index, criterion in enumerate(assignment.rubric or [])]
    is_contest = assignment.flow == GradingFlow.CONTEST
    return {
        "course_id": course_id, "sub": submission, "assignment": assignment, "rubric": rubric,
        "author": svc.author_name(submission), "status_label": dict(WritingStatus.choices)[submission.status],
        "kind_label": dict(WritingKind.choices).get(assignment.kind, ""),
        "flow_label": dict(GradingFlow.choices).get(assignment.flow, ""),
        "holds_claim": svc.holds_claim(submission, request.user),
        "claim_active": bool(submission.claimed_by_id and submission.claim_expires
                             and submission.claim_expires > timezone.now()),
        "waiting": submission.status in svc.WAITING, "is_contest": is_contest,
        "is_judge": is_contest and svc.is_judge(assignment, request.user),
        "results_published": bool(assignment.results_published),
        "proposal": proposal, "can_approve": bool(proposal and proposal.assessor_id != request.user.pk),
        "my_comment": mine.comment if mine else "",
        "history": submission.assessments.select_related("assessor").order_by("-attempt", "-updated"),
        "versions": submission.versions.order_by("-attempt"),
        "near_copies": svc.near_copies_of(submission),
        "total_template": _("Total: %(points)s of %(max)s"),
        "has_rubric": bool(rubric) and not svc.validate_rubric(assignment.rubric),
        "award": svc.award_label(submission.award),
        "queue_url": reverse("party_training:grading_queue", kwargs={"course_id": course_id}),
    }


@login_required
@require_http_methods(["GET", "POST"])
def grade_piece(request, course_id, pk):
    """One piece: read it, claim it, score it with the rubric, return, approve, judge, showcase."""
    _require_staff(request, course_id)
    submission = (WritingSubmission.objects.select_related("assignment", "user", "claimed_by",
                                                           "user__party_profile__organization")
                  .filter(pk=pk, course_id=course_id).first())
    if submission is None:
        raise Http404
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        selections = {key[len("criterion-"):]: value for key, value in request.POST.items()
                      if key.startswith("criterion-")}
        comment = request.POST.get("comment", "")
        try:
            if action == "claim":
                svc.claim(submission.pk, request.user)
            elif action == "unclaim":
                svc.release_claim(submission.pk, request.user)
            elif action in {"grade", "return"}:
                svc.grade(submission.pk, course_id, request.user, selections=selections, comment=comment,
                          action=action)
            elif action == "approve":
                svc.approve(submission.pk, course_id, request.user)
            elif action == "send_back":
                svc.send_back(submission.pk, course_id, request.user, comment)
            elif action == "judge":
                svc.judge(submission.pk, course_id, request.user, selections=selections, comment=comment)
            elif action in {"showcase_on", "showcase_off"}:
                svc.set_showcase(submission.pk, course_id, action == "showcase_on")
            else:
                raise svc.WritingError(_("Unknown action."))
        except svc.WritingError as exc:
            error, status = exc.message, exc.status
            submission.refresh_from_db()
        else:
            return HttpResponseRedirect(f"{request.path}?done={action}")
    context = _piece_context(request, course_id, submission)
    done = {
        "claim": _("You are grading this piece now."), "unclaim": _("You released the piece."),
        "grade": _("The grade was saved."), "return": _("The piece was returned for revision."),
        "approve": _("The grade was approved and released."), "send_back": _("The grade was sent back to the graders."),
        "judge": _("Your score was saved."), "showcase_on": _("The piece is in the showcase."),
        "showcase_off": _("The piece was removed from the showcase."),
    }.get(request.GET.get("done", ""), "")
    return _page(request, "writing_assignment/piece.html", {**context, "error": error, "done": done},
                       status=status)


def _marked(text: str, other: str, width: int = 8) -> list[tuple[str, bool]]:
    """``text`` cut into runs that do / do not share a ``width``-character passage with ``other``
    (for the side-by-side view)."""
    grams = {other[i:i + width] for i in range(max(0, len(other) - width + 1))}
    covered = [False] * len(text)
    for i in range(max(0, len(text) - width + 1)):
        if text[i:i + width] in grams:
            covered[i:i + width] = [True] * width
    runs: list[tuple[str, bool]] = []
    for char, mark in zip(text, covered):
        if runs and runs[-1][1] == mark:
            runs[-1] = (runs[-1][0] + char, mark)
        else:
            runs.append((char, mark))
    return runs


@login_required
def near_copy(request, course_id, pk):
    """Two near-copies side by side, shared passages highlighted."""
    _require_staff(request, course_id)
    pair = (NearCopyPair.objects.select_related("first__user__party_profile", "second__user__party_profile",
                                                "first__assignment", "second__assignment")
            .filter(pk=pk, course_id=course_id).first())
    if pair is None:
        raise Http404
    sides = [{"sub": sub, "author": svc.author_name(sub), "runs": _marked(sub.text, other.text)}
             for sub, other in ((pair.first, pair.second), (pair.second, pair.first))]
    return _page(request, "writing_assignment/near_copy.html", {
        "course_id": course_id, "pair": pair, "sides": sides, "percent": round(pair.similarity * 100),
        "queue_url": reverse("party_training:grading_queue", kwargs={"course_id": course_id}),
    })


@login_required
def export_grades(request, course_id):
    _require_staff(request, course_id)
    return xlsx_response(svc.export_grades(course_id, _filters(request, course_id)), "writing-grades.xlsx")


@login_required
@require_POST
def start_job(request, course_id, kind):
    _require_staff(request, course_id)
    if kind not in WritingJob.Kind.values:
        raise Http404
    job = svc.start_job(kind, course_id, request.user)
    return HttpResponseRedirect(reverse("party_training:grading_queue", kwargs={"course_id": course_id})
                                + f"?job={job.pk}")


def _job(request, course_id: str, pk: int) -> WritingJob:
    _require_staff(request, course_id)
    job = WritingJob.objects.filter(pk=pk, course_id=course_id).first()
    if job is None:
        raise Http404
    return job


@login_required
def job_status(request, course_id, pk):
    job = _job(request, course_id, pk)
    download = ""
    if job.status == WritingJob.Status.DONE and job.file_name:
        download = reverse("party_training:writing_job_download", kwargs={"course_id": course_id, "pk": job.pk})
    return JsonResponse({"status": job.status, "percent": job.percent, "done": job.done, "total": job.total,
                         "error": job.error, "download": download})


@login_required
def job_download(request, course_id, pk):
    job = _job(request, course_id, pk)
    if job.status != WritingJob.Status.DONE or not job.file_name:
        raise Http404
    return FileResponse(default_storage.open(job.file_name, "rb"), as_attachment=True,
                        filename=f"writing-archive-{job.pk}.zip")


@login_required
@require_http_methods(["GET", "POST"])
def contest_panel(request, course_id, pk):
    """A contest's judges' panel: members and their progress, standings, publishing the results."""
    _require_staff(request, course_id)
    assignment = WritingAssignment.objects.filter(pk=pk, course_id=course_id, flow=GradingFlow.CONTEST).first()
    if assignment is None:
        raise Http404
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "judges":
                names = [n.strip() for n in request.POST.get("judges", "").replace("，", ",").split(",") if n.strip()]
                users = list(get_user_model().objects.filter(username__in=names))
                unknown = sorted(set(names) - {u.get_username() for u in users})
                not_staff = sorted(u.get_username() for u in users if not is_course_staff(u, course_id))
                if unknown:
                    raise svc.WritingError(_("Unknown users: %(names)s") % {"names": ", ".join(unknown)})
                if not_staff:
                    raise svc.WritingError(_("Judges must be course staff: %(names)s")
                                           % {"names": ", ".join(not_staff)})
                svc.set_judges(assignment, users)
            elif request.POST.get("action") == "publish":
                svc.publish_contest(assignment, request.user)
            else:
                raise svc.WritingError(_("Unknown action."))
        except svc.WritingError as exc:
            error, status = exc.message, exc.status
        else:
            return HttpResponseRedirect(request.path)
        assignment.refresh_from_db()
    progress = svc.judge_progress(assignment)
    return _page(request, "writing_assignment/contest.html", {
        "course_id": course_id, "assignment": assignment, "progress": progress,
        "judges": ", ".join(row["judge"].get_username() for row in progress),
        "standings": svc.contest_standings(assignment), "tiers": [(svc.award_label(c), n) for c, n in
                                                                   svc.tier_counts(assignment)],
        "error": error, "judge_role": AssessmentRole.JUDGE,
        "queue_url": reverse("party_training:grading_queue", kwargs={"course_id": course_id}),
    }, status=status)
