"""Admin of writing assignments (writing_assignment): pieces and their workflow (read-mostly), judges, jobs."""
from django.contrib import admin

from .models import NearCopyPair, RubricAssessment, WritingAssignment, WritingJob, WritingJudge, WritingSubmission


class JudgeInline(admin.TabularInline):
    model = WritingJudge
    raw_id_fields = ("user",)
    extra = 0


@admin.register(WritingAssignment)
class WritingAssignmentAdmin(admin.ModelAdmin):
    list_display = ("title", "course_id", "kind", "flow", "points_possible", "hours", "results_published")
    list_filter = ("kind", "flow")
    search_fields = ("title", "course_id", "usage_id")
    # Settings are authored in Studio; the block keeps this copy current.
    readonly_fields = ("course_id", "usage_id", "title", "kind", "flow", "rubric", "points_possible", "pass_points",
                       "hours", "min_chars", "max_chars", "due", "award_tiers", "results_published")
    inlines = [JudgeInline]


class AssessmentInline(admin.TabularInline):
    model = RubricAssessment
    fields = ("attempt", "assessor", "role", "points", "comment", "updated")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(WritingSubmission)
class WritingSubmissionAdmin(admin.ModelAdmin):
    list_display = ("user", "assignment", "status", "attempt", "char_count", "submitted_at", "score", "showcase")
    list_filter = ("status", "assignment__kind", "showcase")
    search_fields = ("user__username", "course_id", "title")
    list_select_related = ("user", "assignment")
    raw_id_fields = ("user", "claimed_by", "released_by", "assignment")
    readonly_fields = ("course_id", "usage_id", "assignment", "user", "title", "text", "char_count", "attempt",
                       "student_id", "submission_uuid", "submitted_at", "score", "passed", "feedback", "released_at",
                       "released_by", "published_score", "rank", "award", "status")
    inlines = [AssessmentInline]


@admin.register(NearCopyPair)
class NearCopyPairAdmin(admin.ModelAdmin):
    list_display = ("course_id", "first", "second", "similarity", "detected")
    raw_id_fields = ("first", "second")


@admin.register(WritingJob)
class WritingJobAdmin(admin.ModelAdmin):
    list_display = ("kind", "course_id", "requested_by", "status", "done", "total", "created", "finished")
    list_filter = ("kind", "status")
    raw_id_fields = ("requested_by",)
