"""Pages of core: the staff dashboard of a course (the course tab), listing every tool the areas
registered (``core.registry``) with its counts; and the compliance of an organisation admin's trees."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from . import lms
from .compliance import ComplianceRow, compliance_summary
from .members import subtree_rows
from .pages import render_page
from .permissions import administered_organizations, is_course_staff, is_site_admin, visible_organizations
from .registry import registry


@login_required
def staff_dashboard(request, course_id: str):
    """Every party-training tool of one course (role: course staff; one query per counted tool)."""
    if not is_course_staff(request.user, course_id):
        raise PermissionDenied
    return render_page(request, "core/dashboard.html", {
        "course_id": course_id, "course_title": lms.course_title(course_id),
        "tools": registry.staff_tools_for(course_id),
    })


@login_required
def compliance(request):
    """This year's compliance of the organisations an organisation admin looks after, each counting its
    whole subtree (role: organisation admin of those trees, or site admin; three queries per tree)."""
    roots = list(visible_organizations(request.user).filter(parent__isnull=True)) if is_site_admin(request.user) \
        else administered_organizations(request.user)
    if not roots:
        raise PermissionDenied
    year = timezone.localdate().year
    trees = []
    for root in roots:
        rows = compliance_summary(year, root)
        orgs = list(subtree_rows(root))
        depth0 = root.path.count("/")
        trees.append([{"org": org, "depth": org.path.count("/") - depth0, "row": rows.get(org.pk) or ComplianceRow(org.pk)}
                      for org in orgs])
    return render_page(request, "core/compliance.html", {"year": year, "trees": trees})
