"""Admin of rotation training (rotation): programs, classes, sessions and surveys for reading and small
fixes; attendance and ratings read-only (statuses change on the roll call page, where hours are
re-credited, never here)."""
from django.contrib import admin

from .models import Attendance, ClassAssignment, NeedsSurvey, SessionRating, TrainingClass, TrainingProgram, TrainingSession


class ClassInline(admin.TabularInline):
    model = TrainingClass
    fields = ("name", "capacity", "seated", "position")
    readonly_fields = ("seated",)
    extra = 0


@admin.register(TrainingProgram)
class TrainingProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "season", "kind", "organization", "starts", "ends", "required_hours")
    list_filter = ("year", "season", "kind")
    search_fields = ("name",)
    raw_id_fields = ("organization", "survey", "created_by")
    filter_horizontal = ("roots", "categories")
    inlines = [ClassInline]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ("topic", "program", "training_class", "starts", "ends", "mode", "hours", "lecturer")
    list_filter = ("mode",)
    search_fields = ("topic", "program__name")
    raw_id_fields = ("program", "training_class", "lecturer", "survey_topic")


@admin.register(NeedsSurvey)
class NeedsSurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "organization", "closes", "closed")
    search_fields = ("title",)
    raw_id_fields = ("organization", "created_by")
    filter_horizontal = ("roots", "categories")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("session", "user", "status", "method", "credited", "marked_at")
    list_filter = ("status", "method")
    search_fields = ("user__username", "session__topic")
    list_select_related = ("session", "user")
    readonly_fields = ("session", "user", "status", "reason", "method", "marked_by", "credited", "entry", "version")

    def has_add_permission(self, request):
        return False


@admin.register(SessionRating)
class SessionRatingAdmin(admin.ModelAdmin):
    list_display = ("session", "score", "created")
    readonly_fields = ("session", "user", "score", "comment")

    def has_add_permission(self, request):
        return False


@admin.register(ClassAssignment)
class ClassAssignmentAdmin(admin.ModelAdmin):
    list_display = ("program", "status", "seated_count", "left_out", "created", "finished")
    readonly_fields = ("program", "requested_by", "status", "seated_count", "left_out", "error")
