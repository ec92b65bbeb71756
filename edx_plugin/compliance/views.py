"""Pages of compliance (compliance): the drill-down of an admin's subtree with its charts, the
member export and its download.

Role of every view: organisation admin (their subtrees) or site admin (everything); learners get the
translated 403 page; an organisation outside the admin's subtree answers 404."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from party_training.resources import read_static

from ..core.compliance_tree import compliance_tree, member_rows
from ..core.errors import RuleError
from ..core.models import MemberCategory
from ..core.pages import render_page
from ..core.permissions import is_site_admin
from ..core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from . import exports
from .charts import chart_data
from .drill_down import resolve, years_offered

MEMBERS_SHOWN = 200


def _refused(request, exc: RuleError):
    if exc.status == 404:
        raise Http404(exc.message)
    status = 403 if exc.status == 403 else 400
    return render_page(request, "core/forbidden.html", {"text": exc.message}, status=status)


def _scope(request, params):
    return resolve(request.user, organization=params.get("org", ""), year=params.get("year", ""),
                   category=params.get("category", ""))


def tree_url(node_id=None, year=None, category="") -> str:
    query = {key: value for key, value in (("org", node_id), ("year", year), ("category", category)) if value}
    return reverse("party_training:compliance") + (f"?{urlencode(query)}" if query else "")


@login_required
@require_GET
def tree(request):
    """The drill-down: one row per child organisation, the members placed directly in the organisation
    shown, the charts, and the export (a bounded number of queries whatever the size)."""
    try:
        scope = _scope(request, request.GET)
    except RuleError as exc:
        return _refused(request, exc)
    category_id = scope.category.pk if scope.category else None
    data = compliance_tree(scope.year, scope.node, scope.tops, category_id)
    members = []
    if scope.node is not None:
        members = list(member_rows(scope.year, organization_id=scope.node.pk, category_id=category_id,
                                   limit=MEMBERS_SHOWN, behind_first=True))
    category_code = scope.category.code if scope.category else ""
    return render_page(request, "compliance/tree.html", {
        "scope": scope, "tree": data, "members": members, "members_shown": MEMBERS_SHOWN,
        "years": years_offered(scope.year), "categories": list(MemberCategory.objects.all()),
        "category_code": category_code, "charts": chart_data(data),
        "can_export": scope.node is not None or is_site_admin(request.user),
        "job": exports.latest_export(request.user),
        "top_url": tree_url(year=scope.year, category=category_code),
        "compliance_css": read_static("css", "compliance.css"), "compliance_js": read_static("js", "compliance.js"),
    })


@login_required
@require_POST
def export(request):
    """Start the member export of the organisation shown (a background job); back to the page."""
    try:
        scope = _scope(request, request.POST)
        if scope.node is None and not is_site_admin(request.user):
            raise RuleError(_("Choose an organisation to export."))
    except RuleError as exc:
        return _refused(request, exc)
    exports.request_export(request.user, scope.year, scope.node, scope.category.pk if scope.category else None)
    return redirect(tree_url(scope.node.pk if scope.node else None, scope.year,
                             scope.category.code if scope.category else "") + "#compliance-export")


@login_required
@require_GET
def export_download(request, job_id):
    """A finished export (role: the admin who asked for it, while they still see its organisation)."""
    try:
        file, filename = exports.export_file(request.user, job_id)
    except RuleError as exc:
        raise Http404(exc.message) from exc
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
