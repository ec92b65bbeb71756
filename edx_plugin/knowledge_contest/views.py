"""Plugin pages of knowledge contests: question bank management and import, the staff live view,
item analysis and the results export. Each view states its role check; rules are in the services."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from party_training.resources import read_static

from .models import ContestExport, Difficulty, Question, QuestionBank, QuestionType
from ..core.pages import XLSX_CONTENT_TYPE, render_page, xlsx_response
from ..knowledge_contest import rules as contests, banks as question_banks
from ..core.permissions import is_course_staff, is_site_admin

def _forbidden(request, text: str | None = None) -> HttpResponse:
    return render_page(request, "core/forbidden.html",
                       {"text": text or _("You do not have permission to see this page.")}, status=403)


def _contest_key(usage_id: str):
    try:
        key = UsageKey.from_string(usage_id)
    except InvalidKeyError as exc:
        raise Http404 from exc
    if key.block_type != "knowledge_contest":
        raise Http404
    return key


def _may_manage_any_bank(user) -> bool:
    from ..core.models import CourseRole  # pylint: disable=import-outside-toplevel
    return is_site_admin(user) or CourseRole.objects.filter(user=user).exists()


# --- question banks -----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def banks(request):
    """Banks the user manages, and a form to create one (role: site admin or course staff)."""
    if not _may_manage_any_bank(request.user):
        return _forbidden(request)
    error = None
    form = {"code": "", "name": "", "course_id": "", "description": ""}
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        try:
            bank = question_banks.create_bank(request.user, form["code"], form["name"], form["course_id"],
                                              form["description"])
        except question_banks.BankError as exc:
            error = exc.args[0]
        else:
            return redirect("party_training:contest_bank", bank_id=bank.pk)
    rows = question_banks.manageable_banks(request.user).annotate(
        n=Count("questions", filter=Q(questions__active=True))).order_by("name")
    return render_page(request, "knowledge_contest/banks.html", {
        "banks": rows, "error": error, "form": form, "site_admin": is_site_admin(request.user),
    }, status=400 if error else 200)


def _bank_for(request, bank_id: int) -> QuestionBank | None:
    bank = get_object_or_404(QuestionBank, pk=bank_id)
    return bank if question_banks.can_manage_bank(request.user, bank) else None


@login_required
@require_http_methods(["GET", "POST"])
def bank_detail(request, bank_id: int):
    """One bank's questions with filters; retire or restore a question (role: manager of the bank)."""
    bank = _bank_for(request, bank_id)
    if bank is None:
        return _forbidden(request)
    if request.method == "POST":
        if not request.POST.get("question", "").isdigit():
            return _bank_page(request, bank, error=_("The request is missing the question."), status=400)
        question = get_object_or_404(Question, pk=int(request.POST["question"]), bank=bank)
        question.active = request.POST.get("action") == "restore"
        question.save(update_fields=["active", "modified"])
        return redirect(request.get_full_path())
    return _bank_page(request, bank)


def _bank_page(request, bank: QuestionBank, result=None, error=None, status=200):
    questions = bank.questions.all().order_by("-active", "id")
    filters = {"q": request.GET.get("q", "").strip(), "type": request.GET.get("type", ""),
               "category": request.GET.get("category", ""), "difficulty": request.GET.get("difficulty", "")}
    if filters["q"]:
        questions = questions.filter(stem__icontains=filters["q"])
    if filters["type"] in QuestionType.values:
        questions = questions.filter(qtype=filters["type"])
    if filters["category"]:
        questions = questions.filter(category=filters["category"])
    if filters["difficulty"].isdigit():
        questions = questions.filter(difficulty=int(filters["difficulty"]))
    page = Paginator(questions, 50).get_page(request.GET.get("page"))
    categories = (bank.questions.filter(active=True).values("category").annotate(n=Count("id"))
                  .order_by("category"))
    return render_page(request, "knowledge_contest/bank.html", {
        "bank": bank, "page": page, "filters": filters, "categories": categories, "result": result,
        "error": error, "types": QuestionType.choices, "difficulties": Difficulty.choices,
        "letters": question_banks.LETTERS,
    }, status=status)


@login_required
@require_POST
def bank_import(request, bank_id: int):
    """Upload an XLSX/CSV file into a bank, or only check it (role: manager of the bank)."""
    bank = _bank_for(request, bank_id)
    if bank is None:
        return _forbidden(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _bank_page(request, bank, error=_("Choose a file to upload."), status=400)
    if upload.size > question_banks.MAX_IMPORT_BYTES:
        return _bank_page(request, bank, status=400, error=_("The file is larger than %(mb)d MB; split it into "
                          "smaller files.") % {"mb": question_banks.MAX_IMPORT_BYTES // (1024 * 1024)})
    try:
        result = question_banks.import_questions(bank, upload.read(), upload.name,
                                                 dry_run=request.POST.get("dry_run") == "1")
    except question_banks.BankError as exc:
        return _bank_page(request, bank, error=exc.args[0], status=400)
    return _bank_page(request, bank, result=result, status=200 if result.ok else 400)


@login_required
@require_GET
def bank_export(request, bank_id: int):
    bank = _bank_for(request, bank_id)
    if bank is None:
        return _forbidden(request)
    return xlsx_response(question_banks.export_bank(bank), f"{bank.code}.xlsx")


@login_required
@require_GET
def bank_template(request):
    """The import template (role: site admin or course staff)."""
    if not _may_manage_any_bank(request.user):
        return _forbidden(request)
    return xlsx_response(question_banks.template_workbook(), "question-bank-template.xlsx")


# --- a contest: live view, results ---------------------------------------------------------------
def _staff_of_contest(request, usage_id: str) -> bool:
    key = _contest_key(usage_id)
    return is_course_staff(request.user, str(key.context_key))


def _export_state(export: ContestExport | None) -> dict | None:
    if export is None:
        return None
    done = export.status == ContestExport.Status.DONE
    return {
        "status": export.status, "label": str(export.get_status_display()), "done": export.done,
        "total": export.total, "error": export.error,
        "url": reverse("party_training:contest_export_download", kwargs={"export_id": export.pk}) if done else "",
    }


def _live_context(usage_id: str) -> dict:
    large = contests.needs_background_export(usage_id)
    return {
        # The item analysis reads every closed attempt: for a large contest it is in the background export.
        "background_export": large, "items": None if large else contests.item_analysis(usage_id),
        "export": _export_state(contests.latest_export(usage_id)),
        "contest_css": read_static("css", "knowledge_contest.css"),
        "live_js": read_static("js", "knowledge_contest_live.js"),
        "usage_id": usage_id, "stats": contests.live_stats(usage_id),
        "data_url": reverse("party_training:contest_live_data", kwargs={"usage_id": usage_id}),
        "export_url": reverse("party_training:contest_results_export", kwargs={"usage_id": usage_id}),
        "reset_url": reverse("party_training:contest_reset", kwargs={"usage_id": usage_id}),
        "strings": {"updated": _("Updated at %(time)s"), "failed": _("Could not refresh; retrying."),
                    "progress": _("%(done)s of %(total)s rows")},
    }


@login_required
@require_GET
def live(request, usage_id: str):
    """The live view during a contest and the item analysis after it (role: course staff)."""
    if not _staff_of_contest(request, usage_id):
        return _forbidden(request)
    return render_page(request, "knowledge_contest/live.html", _live_context(usage_id))


@login_required
@require_GET
def live_data(request, usage_id: str):
    """The live figures as JSON for the page's refresh (role: course staff)."""
    if not _staff_of_contest(request, usage_id):
        return JsonResponse({"error": _("Only course staff may do this.")}, status=403)
    data = {**contests.live_stats(usage_id), "export": _export_state(contests.latest_export(usage_id))}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
@require_http_methods(["GET", "POST"])
def results_export(request, usage_id: str):
    """Results as XLSX (role: course staff): at once for a contest up to EXPORT_SYNC_LIMIT results,
    else (POST) prepared by a background task whose progress the live view shows."""
    if not _staff_of_contest(request, usage_id):
        return _forbidden(request)
    if request.method == "POST":
        contests.request_results_export(usage_id, str(_contest_key(usage_id).context_key), request.user)
        return redirect(reverse("party_training:contest_live", kwargs={"usage_id": usage_id}) + "#kc-export")
    if contests.needs_background_export(usage_id):
        return redirect(reverse("party_training:contest_live", kwargs={"usage_id": usage_id}) + "#kc-export")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(contests.results_workbook(usage_id), f"contest-results-{stamp}.xlsx")


@login_required
@require_GET
def export_download(request, export_id: int):
    """A finished background export (role: course staff of the export's course)."""
    export = get_object_or_404(ContestExport, pk=export_id)
    if not is_course_staff(request.user, export.course_id):
        return _forbidden(request)
    if export.status != ContestExport.Status.DONE or not default_storage.exists(export.file_name):
        raise Http404
    stamp = timezone.localtime(export.finished).strftime("%Y%m%d-%H%M")
    return FileResponse(default_storage.open(export.file_name, "rb"), as_attachment=True,
                        filename=f"contest-results-{stamp}.xlsx", content_type=XLSX_CONTENT_TYPE)


@login_required
@require_POST
def reset(request, usage_id: str):
    """Remove one learner's attempts so they may start again (role: course staff)."""
    if not _staff_of_contest(request, usage_id):
        return HttpResponseForbidden(_("Only course staff may do this."))
    user = get_user_model().objects.filter(username=request.POST.get("username", "").strip()).first()
    if user is None:
        text, kind = _("There is no user with this username."), "error"
    else:
        removed = contests.reset_learner(usage_id, user)
        text = _("Attempts removed for %(user)s: %(count)s") % {"count": removed, "user": user.username}
        kind = "success"
    context = {**_live_context(usage_id), "notice": text, "notice_kind": kind}
    return render_page(request, "knowledge_contest/live.html", context, status=200 if kind == "success" else 404)
