"""Plugin pages of knowledge contests (knowledge_contest): question bank management and import,
the staff live view, item analysis, the results export and resets. Each view states its role
check; every lookup, permission and write is a rule of the area's modules."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from party_training.resources import read_static

from ..core.errors import RuleError
from ..core.pages import XLSX_CONTENT_TYPE, block_key_or_404, render_page, xlsx_response
from ..core.permissions import is_course_staff, is_site_admin
from ..core.lms import course_titles, unit_url
from . import bank_files, banks, exports, live_games, live_payloads, live_tokens, questions, titles
from .attempts import reset_learner_named
from .item_analysis import HARDEST_MIN_ANSWERS, item_analysis, live_stats


def _forbidden(request, text: str | None = None) -> HttpResponse:
    return render_page(request, "core/forbidden.html",
                       {"text": text or _("You do not have permission to see this page.")}, status=403)


def _refused(request, exc: RuleError) -> HttpResponse:
    """A rule's refusal as a page: 404 as Django's not-found, anything else as forbidden."""
    if exc.status == 404:
        raise Http404(exc.message)
    return _forbidden(request)



# --- question banks -----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def banks_page(request):
    """Banks the user manages, and a form to create one (role: site admin or course staff)."""
    if not banks.may_manage_banks(request.user):
        return _forbidden(request)
    error = None
    form = {"code": "", "name": "", "course_id": "", "description": ""}
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        try:
            bank = banks.create_bank(request.user, form["code"], form["name"], form["course_id"], form["description"])
        except banks.BankError as exc:
            error = exc.message
        else:
            return redirect("party_training:contest_bank", bank_id=bank.pk)
    listed = list(banks.bank_list(request.user))
    titles_of = course_titles(bank.course_id for bank in listed)
    for bank in listed:  # the course by its title, as people know it
        bank.course_title = titles_of.get(bank.course_id, "")
    return render_page(request, "knowledge_contest/banks.html", {
        "banks": listed, "error": error, "form": form,
        "site_admin": is_site_admin(request.user),
    }, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def bank_detail(request, bank_id: int):
    """One bank's questions with filters; retire or restore a question (role: manager of the bank)."""
    try:
        bank = banks.managed_bank(request.user, bank_id)
        if request.method == "POST":
            if not request.POST.get("question", "").isdigit():
                return _bank_page(request, bank, error=_("The request is missing the question."), status=400)
            questions.set_question_active(bank, int(request.POST["question"]),
                                          active=request.POST.get("action") == "restore")
            return redirect(request.get_full_path())
    except banks.BankError as exc:
        return _refused(request, exc)
    return _bank_page(request, bank)


def _bank_page(request, bank, result=None, error=None, status=200):
    filters = {"q": request.GET.get("q", "").strip(), "type": request.GET.get("type", ""),
               "category": request.GET.get("category", ""), "difficulty": request.GET.get("difficulty", "")}
    return render_page(request, "knowledge_contest/bank.html", {
        "bank": bank, "page": questions.question_page(bank, filters, request.GET.get("page")), "filters": filters,
        "categories": questions.bank_categories(bank), "result": result, "error": error,
        "types": questions.type_choices(), "difficulties": questions.difficulty_choices(),
        "letters": questions.LETTERS,
    }, status=status)


@login_required
@require_POST
def bank_import(request, bank_id: int):
    """Upload an XLSX/CSV file into a bank, or only check it (role: manager of the bank)."""
    try:
        bank = banks.managed_bank(request.user, bank_id)
    except banks.BankError as exc:
        return _refused(request, exc)
    upload = request.FILES.get("file")
    if upload is None:
        return _bank_page(request, bank, error=_("Choose a file to upload."), status=400)
    if upload.size > bank_files.MAX_IMPORT_BYTES:
        return _bank_page(request, bank, error=bank_files.too_large_message(), status=400)
    try:
        result = bank_files.import_questions(bank, upload.read(), upload.name,
                                             dry_run=request.POST.get("dry_run") == "1")
    except banks.BankError as exc:
        return _bank_page(request, bank, error=exc.message, status=400)
    return _bank_page(request, bank, result=result, status=200 if result.ok else 400)


@login_required
@require_GET
def bank_export(request, bank_id: int):
    """The bank as XLSX in the import layout (role: manager of the bank)."""
    try:
        bank = banks.managed_bank(request.user, bank_id)
    except banks.BankError as exc:
        return _refused(request, exc)
    return xlsx_response(bank_files.export_bank(bank), f"{bank.code}.xlsx")


@login_required
@require_GET
def bank_template(request):
    """The import template (role: site admin or course staff)."""
    if not banks.may_manage_banks(request.user):
        return _forbidden(request)
    return xlsx_response(bank_files.template_workbook(), "question-bank-template.xlsx")


# --- a contest: live view, results ---------------------------------------------------------------
def _staff_of_contest(request, usage_id: str) -> bool:
    key = block_key_or_404(usage_id, "knowledge_contest")
    return is_course_staff(request.user, str(key.context_key))


def _live_context(usage_id: str) -> dict:
    large = exports.needs_background_export(usage_id)
    return {
        # The item analysis reads every closed attempt: for a large contest it is in the background export.
        "background_export": large, "items": None if large else item_analysis(usage_id),
        "export": exports.export_state(exports.latest_export(usage_id)),
        "contest_css": read_static("css", "knowledge_contest.css"),
        "live_js": read_static("js", "knowledge_contest_live.js"),
        "usage_id": usage_id, "stats": live_stats(usage_id), "title": titles.contest_title(usage_id),
        "min_answers": HARDEST_MIN_ANSWERS,
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
    data = {**live_stats(usage_id), "export": exports.export_state(exports.latest_export(usage_id))}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
@require_http_methods(["GET", "POST"])
def results_export(request, usage_id: str):
    """Results as XLSX (role: course staff): at once for a contest up to EXPORT_SYNC_LIMIT results,
    else (POST) prepared by a background task whose progress the live view shows."""
    if not _staff_of_contest(request, usage_id):
        return _forbidden(request)
    live_export = reverse("party_training:contest_live", kwargs={"usage_id": usage_id}) + "#kc-export"
    if request.method == "POST":
        exports.request_results_export(usage_id, str(block_key_or_404(usage_id, "knowledge_contest").context_key), request.user)
        return redirect(live_export)
    if exports.needs_background_export(usage_id):
        return redirect(live_export)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(exports.results_workbook(usage_id), f"contest-results-{stamp}.xlsx")


@login_required
@require_GET
def export_download(request, export_id: int):
    """A finished background export (role: course staff of the export's course)."""
    try:
        file, filename = exports.export_file(request.user, export_id)
    except RuleError as exc:
        return _refused(request, exc)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@login_required
@require_POST
def reset(request, usage_id: str):
    """Remove one learner's attempts so they may start again (role: course staff)."""
    if not _staff_of_contest(request, usage_id):
        raise PermissionDenied(_("Only course staff may do this."))
    try:
        text, kind, status = reset_learner_named(usage_id, request.POST.get("username", ""))["message"], "success", 200
    except RuleError as exc:
        text, kind, status = exc.message, "error", exc.status
    context = {**_live_context(usage_id), "notice": text, "notice_kind": kind}
    return render_page(request, "knowledge_contest/live.html", context, status=status)


# --- live games ---------------------------------------------------------------------------------
@login_required
@require_GET
def join(request):
    """A live game's PIN (typed, or in the QR code's address) leads to the unit holding the contest,
    where the learner joins with their own account (role: any signed-in user; the LMS decides who
    may see the unit)."""
    pin = request.GET.get("pin", "").strip()
    error = None
    if pin:
        try:
            game = live_games.game_for_pin(pin)
        except RuleError as exc:
            error = exc.message
        else:
            return redirect(unit_url(game.course_id, game.usage_id))
    return render_page(request, "knowledge_contest/join.html", {"pin": pin, "error": error},
                       status=404 if error else 200)


@require_GET
def game_state(request, game_id: int):
    """A live game's state for one of its players (role: a player of the game), polled by the phones:
    an empty 304 while the ETag they send is current, else the state as the block's handler gives it.
    Outside the XBlock runtime on purpose: 300 phones polling every two seconds must not each load a
    course and a block.

    The phones send their poll token (``t``, see ``live_tokens`` for why that is safe): then neither
    the session nor the user is read, and a poll costs one query, which finds the caller's player row
    with the game's version (the role check), and with the shared part of the state cached a full
    poll costs the same one query. Without a token the signed-in user is looked up as on any page."""
    now = timezone.now()
    since = request.headers.get("If-None-Match") or request.GET.get("since", "")
    token = request.GET.get("t", "")
    if token:
        player_id = live_tokens.player_of_token(token, game_id)
        row = live_payloads.poll_row(game_id, player_id=player_id) if player_id is not None else None
    elif request.user.is_authenticated:
        row = live_payloads.poll_row(game_id, user_id=request.user.pk)
    else:
        return JsonResponse({"error": _("Sign in to play.")}, status=401)
    if row is None:
        return JsonResponse({"error": _("Join the game first.")}, status=403)
    tag = live_payloads.row_etag(game_id, row, now)
    if since and since == tag:
        response = HttpResponse(status=304)
    else:
        state = live_payloads.player_payload(game_id, row, now)
        tag = state["etag"]  # newer than the row's if the game moved meanwhile
        response = JsonResponse(state, json_dumps_params={"ensure_ascii": False})
    response["ETag"] = tag
    response["Cache-Control"] = "no-cache"
    return response
