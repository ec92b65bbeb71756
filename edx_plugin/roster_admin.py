"""The admin's "Import roster" page: upload with dry run, the row errors, the template downloads.

Mixed into the organisation admin, so the pages live under its URLs and its changelist links to
them. The templates ship in ``static/templates/plugin/admin`` and are compiled with the host's
Django template engine, because they extend the admin's own templates.
"""
from __future__ import annotations

from functools import lru_cache, partial

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from party_training.resources import read_static

from .services.permissions import is_site_admin
from .services.roster import import_roster_files
from .services.roster_files import MEMBERS, ORGANIZATIONS, SHEET_NAMES, template_csv, template_xlsx

# A file full of errors can have a hundred thousand of them; the page shows the first ones.
ERRORS_SHOWN = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# name in the URL -> (file name, content type, builder)
TEMPLATE_FILES = {
    "xlsx": ("party_roster_template.xlsx", XLSX_TYPE, template_xlsx),
    "organizations.csv": ("party_roster_organizations.csv", "text/csv; charset=utf-8",
                          partial(template_csv, ORGANIZATIONS)),
    "members.csv": ("party_roster_members.csv", "text/csv; charset=utf-8", partial(template_csv, MEMBERS)),
}


def can_import_roster(user) -> bool:
    """Site admins who may also create and change organisations, members and users in the admin."""
    user_opts = get_user_model()._meta
    return is_site_admin(user) and user.has_perms([
        "party_training.add_organization", "party_training.change_organization",
        "party_training.add_memberprofile", "party_training.change_memberprofile",
        f"{user_opts.app_label}.add_{user_opts.model_name}", f"{user_opts.app_label}.change_{user_opts.model_name}",
    ])


@lru_cache(maxsize=None)
def admin_template(name: str):
    engine = next(e for e in engines.all() if isinstance(e, DjangoTemplates))
    return engine.from_string(read_static("templates", "plugin", "admin", name))


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
                files = form.cleaned_data["files"]
                result = import_roster_files([(upload, upload.name) for upload in files],
                                             dry_run=form.cleaned_data["dry_run"])
        else:
            form = RosterImportForm()
        errors = result.errors if result else []
        request.current_app = self.admin_site.name
        return TemplateResponse(request, admin_template("roster_import.html"), {
            **self.admin_site.each_context(request),
            "title": _("Import roster"), "opts": self.opts, "form": form, "result": result,
            "errors": errors[:ERRORS_SHOWN], "errors_hidden": max(len(errors) - ERRORS_SHOWN, 0),
        })

    def roster_template_view(self, request, name: str):
        if not can_import_roster(request.user):
            raise PermissionDenied
        if name not in TEMPLATE_FILES:
            raise Http404
        filename, content_type, build = TEMPLATE_FILES[name]
        response = HttpResponse(build(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
