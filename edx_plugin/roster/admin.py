"""The admin's "Import roster" page (roster): upload with dry run, the row errors, the template downloads.

Files with more rows than ``ROSTER_SYNC_ROWS`` are imported by a background job (``roster.jobs``, on core's job path):
the page redirects to the job's page, which polls the job's status and then shows the same result.

Mixed into the organisation admin, so the pages live under its URLs and its changelist links to
them. The templates ship in ``static/templates/roster/admin`` and are compiled with the host's
Django template engine, because they extend the admin's own templates.
"""
from __future__ import annotations

from functools import lru_cache

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from party_training.resources import read_static

from ..core import conf
from ..core.admin import OrganizationModelAdmin
from ..core.models import Organization
from ..core.pages import xlsx_response
from .columns import MEMBERS, ORGANIZATIONS, SHEET_NAMES
from .imports import can_import_roster, import_roster_files, rows_exceed
from .jobs import job_for
from .models import RosterImportJob
from .jobs import ERRORS_KEPT, queue_import, written_key
from .templates import template_file

# A file full of errors can have a hundred thousand of them; the page shows the first ones
# (a background job keeps only those).
ERRORS_SHOWN = ERRORS_KEPT


@lru_cache(maxsize=None)
def admin_template(name: str):
    engine = next(e for e in engines.all() if isinstance(e, DjangoTemplates))
    return engine.from_string(read_static("templates", "roster", "admin", name))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: an organisations CSV and a members CSV are imported together."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv,.txt"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        # An empty list goes through as one empty value, so that "required" is enforced.
        items = data if isinstance(data, (list, tuple)) and data else [data]
        return [single(item, initial) for item in items]


class RosterImportForm(forms.Form):
    files = MultipleFileField(label=_("Roster files"))
    dry_run = forms.BooleanField(label=_("Dry run: check the files and show the result without saving"),
                                 required=False, initial=True, label_suffix="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "An XLSX workbook with the sheets %(organizations)s and %(members)s, or CSV files (UTF-8 or GB18030). "
            "Several files are checked and imported together.") % {
            "organizations": SHEET_NAMES[ORGANIZATIONS][0], "members": SHEET_NAMES[MEMBERS][0]}


def _job_status(job: RosterImportJob) -> dict:
    """What the job page shows of a job's progress, and what its poll reads."""
    written = job.rows_written
    if job.is_running:
        # Rows are written inside the import's transaction: their count is in the cache until it ends.
        written = cache.get(written_key(job.pk), written)
    return {
        "status": job.status, "finished": job.is_finished,
        "label": str(job.get_status_display()),
        "progress": str(_("Rows read: %(read)d; rows written: %(written)d.") % {
            "read": job.rows_read, "written": written}),
    }


class RosterImportMixin:
    """Adds the import pages to a ModelAdmin (role: site admin with the add/change permissions)."""

    @property
    def change_list_template(self):
        return admin_template("organization_change_list.html")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import/", self.admin_site.admin_view(self.roster_import_view), name="%s_%s_import" % info),
            path("import/template/<str:name>", self.admin_site.admin_view(self.roster_template_view),
                 name="%s_%s_import_template" % info),
            path("import/job/<int:pk>/", self.admin_site.admin_view(self.roster_job_view),
                 name="%s_%s_import_job" % info),
            path("import/job/<int:pk>/status", self.admin_site.admin_view(self.roster_job_status_view),
                 name="%s_%s_import_job_status" % info),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import_roster": can_import_roster(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def roster_import_view(self, request):
        if not can_import_roster(request.user):
            raise PermissionDenied
        result = None
        if request.method == "POST":
            form = RosterImportForm(request.POST, request.FILES)
            if form.is_valid():
                files, dry_run = form.cleaned_data["files"], form.cleaned_data["dry_run"]
                if rows_exceed([(upload, upload.name) for upload in files], conf.setting("ROSTER_SYNC_ROWS")):
                    job = queue_import(request.user, files, dry_run=dry_run)
                    return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_job", pk=job.pk)
                result = import_roster_files([(upload, upload.name) for upload in files], dry_run=dry_run)
        else:
            form = RosterImportForm()
        outcome = {"ok": result.ok, "summary": result.summary()} if result else None
        errors = result.errors if result else []
        return self._roster_page(request, {
            "title": _("Import roster"), "form": form, "outcome": outcome,
            "errors": errors[:ERRORS_SHOWN], "errors_hidden": max(len(errors) - ERRORS_SHOWN, 0),
        })

    def roster_job_view(self, request, pk: int):
        """A background import: its progress while it runs (the page polls the status view), then its result."""
        job = self._roster_job(request, pk)
        outcome = {"ok": job.ok, "summary": job.summary} if job.status == job.Status.DONE else None
        return self._roster_page(request, {
            "title": _("Import roster: background job"), "job": job,
            "status": _job_status(job), "outcome": outcome, "errors": job.errors,
            "errors_hidden": max(job.errors_total - len(job.errors), 0),
        })

    def roster_job_status_view(self, request, pk: int):
        return JsonResponse(_job_status(self._roster_job(request, pk)))

    def _roster_job(self, request, pk: int) -> RosterImportJob:
        """The job, to whoever may import and started it (any job to a superuser); others get a 404."""
        if not can_import_roster(request.user):
            raise PermissionDenied
        job = job_for(request.user, pk)
        if job is None:
            raise Http404
        return job

    def _roster_page(self, request, context: dict) -> TemplateResponse:
        request.current_app = self.admin_site.name
        return TemplateResponse(request, admin_template("roster_import.html"), {
            **self.admin_site.each_context(request), "opts": self.opts, **context})

    def roster_template_view(self, request, name: str):
        if not can_import_roster(request.user):
            raise PermissionDenied
        template = template_file(name)
        if template is None:
            raise Http404
        filename, content = template
        if filename.endswith(".xlsx"):
            return xlsx_response(content, filename)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# The organisation admin of core, with this area's import pages: core knows no area, so the
# roster registers the organisation admin again with its mixin.
admin.site.unregister(Organization)


@admin.register(Organization)
class RosterOrganizationAdmin(RosterImportMixin, OrganizationModelAdmin):
    pass


@admin.register(RosterImportJob)
class RosterImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by the import page and finished by their task."""

    list_display = ("created", "requested_by", "status", "dry_run", "rows_read", "rows_written", "errors_total")
    list_filter = ("status", "dry_run")
    list_select_related = ("requested_by",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
