"""Admin of case discussions (case_discussion): discussions and groups (read-mostly), analyses with
their moderation, grades."""
from django.contrib import admin

from .models import CaseAnalysis, CaseDiscussion, CaseGrade, CaseGroup


@admin.register(CaseDiscussion)
class CaseDiscussionAdmin(admin.ModelAdmin):
    list_display = ("title", "course_id", "grouping", "group_size", "max_score", "hours", "groups_formed")
    list_filter = ("grouping",)
    search_fields = ("title", "course_id", "usage_id")
    # Settings are authored in Studio; the block keeps this copy current.
    readonly_fields = ("course_id", "usage_id", "title", "questions", "grouping", "group_size", "rubric",
                       "max_score", "hours", "groups_formed")


@admin.register(CaseGroup)
class CaseGroupAdmin(admin.ModelAdmin):
    list_display = ("discussion", "number", "name", "key", "organization")
    search_fields = ("discussion__title", "name")
    readonly_fields = ("discussion", "key", "organization")


@admin.register(CaseAnalysis)
class CaseAnalysisAdmin(admin.ModelAdmin):
    list_display = ("pk", "usage_id", "author", "group", "created", "featured", "hidden", "like_count", "reply_count")
    list_filter = ("featured", "hidden")
    search_fields = ("usage_id", "author__username")
    raw_id_fields = ("author", "member", "group")
    readonly_fields = ("like_count", "reply_count", "created", "edited", "char_count")


@admin.register(CaseGrade)
class CaseGradeAdmin(admin.ModelAdmin):
    list_display = ("usage_id", "user", "score", "graded_by", "graded_at")
    search_fields = ("usage_id", "user__username")
    raw_id_fields = ("user", "graded_by")
