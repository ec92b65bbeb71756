"""Pages of the learning file (learning_file): a member's file for any year, its print page (学时证明)
and XLSX, and the self-study log.

Roles: the file of the signed-in user (any signed-in user); another member's file for an
organisation admin of a subtree holding the member, or a site admin (``access.member_for``; anyone
else gets 404). The self-study log is changed by its owner only, and only in the current year."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from party_training.resources import read_static

from ..core.errors import RuleError
from ..core.pages import render_page, xlsx_response
from ..core.permissions import is_org_admin, is_site_admin
from .access import member_for
from .errors import LearningFileError
from .file import learning_file as build_learning_file
from .file_export import file_workbook
from .self_study import add_entry, delete_entry, update_entry

MIN_YEAR, MAX_YEAR = 2000, 2100


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return timezone.localdate().year
    if not (raw.isascii() and raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR):
        raise LearningFileError(_("The year must be a whole number between %(min)d and %(max)d.") % {
            "min": MIN_YEAR, "max": MAX_YEAR})
    return int(raw)


def _refused(request, exc: RuleError):
    if exc.status == 404:
        raise Http404(exc.message)
    return render_page(request, "core/forbidden.html", {"text": exc.message}, status=exc.status)


def _render(request, username: str | None, template: str, extra: dict | None = None, status: int = 200):
    try:
        member = member_for(request.user, username) if username else request.user
        year = _year(request)
    except RuleError as exc:
        return _refused(request, exc)
    file = build_learning_file(member, year)
    own = member.pk == request.user.pk
    edit_id = request.GET.get("edit", "")
    return render_page(request, template, {
        "file": file, "summary": file.summary, "profile": file.profile, "categories": file.categories,
        "organizations": file.organizations, "lines": file.lines, "sections": file.sections,
        "log": file.self_study, "own": own, "member": member, "edit_id": edit_id,
        "can_log": own and file.self_study.editable,
        # Organisation and site admins reach the compliance pages from their own file.
        "sees_compliance": own and (is_site_admin(request.user) or is_org_admin(request.user)), "today": timezone.localdate().isoformat(),
        "urls": {page or "file": _file_url(None if own else member, page) for page in ("", "print", "xlsx")},
        "learning_file_css": read_static("css", "learning_file.css"), **(extra or {}),
    }, status=status)


def _file_url(member=None, page: str = "") -> str:
    if member is None:
        return reverse({"": "party_training:learning_file", "print": "party_training:learning_file_print",
                        "xlsx": "party_training:learning_file_xlsx"}[page])
    name = {"": "party_training:member_file", "print": "party_training:member_file_print",
            "xlsx": "party_training:member_file_xlsx"}[page]
    return reverse(name, kwargs={"username": member.get_username()})


@login_required
@require_GET
def learning_file(request, username=None):
    """A learning file (role: its member, an organisation admin of the member's subtree, a site admin)."""
    return _render(request, username, "learning_file/learning_file.html")


@login_required
@require_GET
def print_page(request, username=None):
    """The file as a printable certificate of hours (学时证明), A4, with a signature line (same roles)."""
    return _render(request, username, "learning_file/print.html",
                   {"printed": timezone.localdate()})


@login_required
@require_GET
def xlsx(request, username=None):
    """The file as XLSX (same roles)."""
    try:
        member = member_for(request.user, username) if username else request.user
        year = _year(request)
    except RuleError as exc:
        return _refused(request, exc)
    content = file_workbook(build_learning_file(member, year))
    return xlsx_response(content, f"learning-file-{member.get_username()}-{year}.xlsx")


def _log_action(request, action):
    """Run a change of the signed-in user's self-study log; back to the file, or the file with the
    refusal (400/404/409) and nothing written."""
    try:
        action()
    except RuleError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        return _render(request, None, "learning_file/learning_file.html",
                       {"log_error": exc.message, "log_values": request.POST}, status=exc.status)
    return redirect(reverse("party_training:learning_file") + "#party-self-study")


@login_required
@require_POST
def self_study_add(request):
    """Add a line to the signed-in user's log (role: any signed-in user, own log only)."""
    return _log_action(request, lambda: add_entry(request.user, request.POST))


@login_required
@require_POST
def self_study_edit(request, pk):
    """Change a line of the signed-in user's log (own lines only; 404 for anyone else's)."""
    return _log_action(request, lambda: update_entry(request.user, pk, request.POST))


@login_required
@require_POST
def self_study_delete(request, pk):
    """Remove a line of the signed-in user's log (own lines only; 404 for anyone else's)."""
    return _log_action(request, lambda: delete_entry(request.user, pk))
