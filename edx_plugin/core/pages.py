"""Rendering of the plugin's pages: Django templates shipped in ``static/templates/plugin``."""
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.middleware.csrf import get_token
from django.utils import translation

from party_training.resources import read_static, render_template

from .xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE


def render_page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    language = translation.get_language() or "zh-cn"
    full_context = {
        "request": request, "user": request.user, "csrf_token": get_token(request),
        "html_lang": "zh-CN" if language.startswith("zh") else language,
        "party_css": read_static("css", "core.css"),
        **context,
    }
    return HttpResponse(render_template(template, full_context), status=status)




def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook as a download (the name may be Chinese: RFC 6266 encoding)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
