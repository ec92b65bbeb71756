"""The member export of a subtree (compliance): every member with the year's hours by source against
the requirement, as XLSX. Streamed end to end: the members come from the database in chunks
(``core.compliance_tree.member_rows``) into openpyxl's write-only workbook, so memory stays flat
at 100,000 members (tests/benchmarks/bench_compliance_export.py prints the peak). Always a background
job (``core.jobs``): a large subtree takes longer than a web request may."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..core import jobs
from ..core.compliance import SOURCE_KINDS
from ..core.compliance_tree import member_rows
from ..core.models import HourSource, MemberProfile, Organization
from ..core.permissions import visible_organizations
from ..core.xlsx import Sheet, workbook_bytes
from .errors import ComplianceError
from .models import ComplianceExport

PROGRESS_EVERY = 5000


def header() -> list:
    return [_("User name"), _("Full name"), _("Organisation"), _("Required hours"), _("Total hours"),
            _("Hours still to go"), *[HourSource(kind).label for kind in SOURCE_KINDS]]


def rows(year: int, root_path: str | None, category_id: int | None,
         progress: Callable[[int], None] | None = None) -> Iterator[list]:
    for n, member in enumerate(member_rows(year, root_path=root_path, category_id=category_id), 1):
        yield [member.username, member.full_name, member.organization, float(member.required), float(member.total),
               float(member.shortfall), *[float(member.by_source.get(kind, 0)) for kind in SOURCE_KINDS]]
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)


def members_workbook(year: int, organization: Organization | None, category_id: int | None = None,
                     progress: Callable[[int], None] | None = None) -> bytes:
    name = organization.name if organization is not None else _("All organisations")
    caption = _("Credit hours of %(organization)s in %(year)d") % {"organization": name, "year": year}
    return workbook_bytes([Sheet(title=str(year), header=header(), caption=caption,
                                 rows=rows(year, organization.path if organization else None, category_id, progress),
                                 widths={2: 14, 3: 30})])


def export_size(organization: Organization | None, category_id: int | None) -> int:
    members = MemberProfile.objects.all()
    if organization is not None:
        members = members.filter(organization__path__startswith=organization.path)
    if category_id is not None:
        members = members.filter(categories__pk=category_id)
    return members.count()


def request_export(user, year: int, organization: Organization | None, category_id: int | None) -> ComplianceExport:
    """Record the export (the caller checked ``user`` may see ``organization``); core's job path runs it
    once the row is committed."""
    job = ComplianceExport.objects.create(
        organization=organization, year=year, category_id=category_id, requested_by=user,
        language=translation.get_language() or "", total=export_size(organization, category_id))
    jobs.enqueue(job)
    return job


def run_export(job: ComplianceExport, progress: Callable[[int, int | None], None]) -> dict:
    content = members_workbook(job.year, job.organization, job.category_id, progress=lambda n: progress(n, None))
    name = jobs.store_file(content, "compliance", f"members-{job.year}-{job.pk}")
    return {"file_name": name, "done": job.total}


def latest_export(user) -> ComplianceExport | None:
    return ComplianceExport.objects.filter(requested_by=user).select_related("organization").first()


def export_file(user, job_id: int) -> tuple[File, str]:
    """A finished export's file for the user who asked for it, while they still see its organisation;
    404 otherwise (as one that does not exist)."""
    job = ComplianceExport.objects.filter(pk=job_id, requested_by=user).select_related("organization").first()
    if job is None or not job.offered_file or not default_storage.exists(job.offered_file):
        raise ComplianceError(_("This export does not exist."), 404)
    if job.organization is not None and not visible_organizations(user).filter(pk=job.organization_id).exists():
        raise ComplianceError(_("This export does not exist."), 404)
    stamp = timezone.localtime(job.finished).strftime("%Y%m%d-%H%M")
    return default_storage.open(job.file_name, "rb"), f"compliance-{job.year}-{stamp}.xlsx"
