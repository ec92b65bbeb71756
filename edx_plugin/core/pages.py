"""Rendering of the plugin's pages: Django templates shipped in ``static/templates/plugin``."""
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from party_training.resources import read_static, render_template

from . import lms
from .xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE


def render_page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    language = translation.get_language() or "zh-cn"
    full_context = {
        "request": request, "user": request.user, "csrf_token": get_token(request),
        "html_lang": "zh-CN" if language.startswith("zh") else language,
        "party_css": read_static("css", "core.css"),
        **context,
    }
    if full_context.get("course_id") and "course_title" not in full_context:
        # Pages name their course by its title, never by its id.
        full_context["course_title"] = lms.course_title(str(full_context["course_id"]))
    return HttpResponse(render_template(template, full_context), status=status)


def refused_page(request, text: str = "") -> HttpResponse:
    """The one translated refusal every page answers with (HTTP 403), instead of a bare "403 Forbidden"."""
    return render_page(request, "core/forbidden.html",
                       {"text": text or _("You do not have permission to see this page.")}, status=403)


def translated_refusals(view):
    """A view whose ``PermissionDenied`` becomes the translated refusal page (and no traceback in the
    log: a refusal is an answer, not an error)."""
    if getattr(view, "translated_refusals", False):
        return view

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return refused_page(request, str(exc) if exc.args else "")

    wrapped.translated_refusals = True
    return wrapped


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook as a download (the name may be Chinese: RFC 6266 encoding)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def block_key_or_404(usage_id: str, block_type: str):
    """The usage key a page's address names, when it is a block of ``block_type``; otherwise 404."""
    try:
        key = UsageKey.from_string(usage_id)
    except InvalidKeyError as exc:
        raise Http404 from exc
    if key.block_type != block_type:
        raise Http404
    return key
