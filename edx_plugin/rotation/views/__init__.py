"""Pages of rotation training (rotation), one module per concept: programs (classes, assignment,
sessions, summary), attendance (roll call, marking, the code, the learner's session page), needs
surveys and the lecturer pool. Each view states its role check; lookups and writes are rules."""
from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from party_training.resources import read_static

from ...core.js_catalog import js_catalog
from ...core.pages import render_page

DONE_MESSAGES = {}


def page(request, template: str, context: dict, status: int = 200, chart: bool = False):
    """A rotation page: the area's CSS and staff script (with its strings), and ECharts where it charts."""
    return render_page(request, template, {
        **context, "rotation_css": read_static("css", "rotation.css"), "core_js": read_static("js", "core.js"),
        "rotation_js": read_static("js", "rotation_staff.js"), "chart": chart,
        "i18n": js_catalog("core.js", "rotation_staff.js"),
    }, status=status)


def found(lookup):
    """Run a lookup; a missing or out-of-scope row is a 404 (never telling which)."""
    try:
        return lookup()
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404 from exc
