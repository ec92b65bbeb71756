"""Admin of core: organisations, members, category requirements, roles, course credit, the (read-only) ledger."""
from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import (CourseCredit, CourseRole, HourEntry, Lecturer, MemberCategory, MemberProfile, Organization,
                     OrganizationAdmin)
from .ledger import HoursError, reverse_entry
from .organizations import save_organization, validate_placement


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ("code", "name", "kind", "parent")

    def clean(self):
        cleaned = super().clean()
        # Cycles and over-deep trees become form errors instead of server errors on save.
        validate_placement(Organization(pk=self.instance.pk, parent=cleaned.get("parent")))
        return cleaned


@admin.register(Organization)
class OrganizationModelAdmin(admin.ModelAdmin):
    form = OrganizationForm
    list_display = ("indented_name", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return "— " * obj.depth + obj.name

    def save_model(self, request, obj, form, change):
        save_organization(obj)


@admin.register(MemberCategory)
class MemberCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "required_hours", "period_years")
    list_editable = ("required_hours", "period_years")


@admin.register(MemberProfile)
class MemberProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "organization", "position", "join_date")
    search_fields = ("full_name", "user__username", "organization__name")
    raw_id_fields = ("user", "organization")
    filter_horizontal = ("categories",)
    list_select_related = ("user", "organization")


@admin.register(OrganizationAdmin)
class OrganizationAdminAdmin(admin.ModelAdmin):
    list_display = ("user", "organization")
    raw_id_fields = ("user", "organization")


@admin.register(CourseRole)
class CourseRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "role")
    raw_id_fields = ("user",)
    search_fields = ("course_id", "user__username")


@admin.register(HourEntry)
class HourEntryAdmin(admin.ModelAdmin):
    """Lines can be added and reversed, never edited or deleted."""

    list_display = ("user", "year", "hours", "source_kind", "source_ref", "date", "recorded_by")
    list_filter = ("year", "source_kind")
    search_fields = ("user__username", "source_ref", "course_id")
    raw_id_fields = ("user", "recorded_by", "reverses")
    list_select_related = ("user", "recorded_by")
    actions = ["reverse_selected"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("reverses", "recorded_by")
        return [f.name for f in self.model._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        obj.recorded_by = request.user
        obj.year = obj.date.year
        obj.save()

    @admin.action(description=_("Reverse the selected entries (add correcting lines)"))
    def reverse_selected(self, request, queryset):
        done = 0
        for entry in queryset:
            try:
                reverse_entry(entry, recorded_by=request.user, note=str(_("Reversed in the admin")))
                done += 1
            except HoursError as exc:
                self.message_user(request, f"{entry}: {exc}", messages.WARNING)
        self.message_user(request, _("%(count)d entries reversed.") % {"count": done})


@admin.register(CourseCredit)
class CourseCreditAdmin(admin.ModelAdmin):
    list_display = ("course_id", "hours")
    search_fields = ("course_id",)


@admin.register(Lecturer)
class LecturerModelAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "organization", "owner", "active")
    list_filter = ("active",)
    search_fields = ("name", "organization", "topics")
    raw_id_fields = ("user", "owner")
