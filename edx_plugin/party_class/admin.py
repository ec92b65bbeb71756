"""Admin of party classes (party_class): attendance, questions and reflections, for site admins to look up
and correct. Day-to-day work (answering, scoring, attendance) happens in the block's staff view."""
from django.contrib import admin

from .models import PartyClassProgress, PartyClassQuestion, PartyClassReflection, PartyClassSignIn


@admin.register(PartyClassSignIn)
class PartyClassSignInAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "usage_id", "method", "created")
    list_filter = ("method",)
    search_fields = ("user__username", "course_id", "usage_id")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(PartyClassQuestion)
class PartyClassQuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "tag", "votes", "hidden", "answer_published", "created")
    list_filter = ("tag", "hidden", "answer_published")
    search_fields = ("text", "answer", "course_id", "usage_id")
    raw_id_fields = ("author", "answered_by", "merged_into")
    # Vote counts follow the vote rows; editing them here would break "one vote per learner".
    readonly_fields = ("votes", "course_id", "usage_id", "created")


@admin.register(PartyClassReflection)
class PartyClassReflectionAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "status", "submitted_at", "score")
    list_filter = ("status",)
    search_fields = ("user__username", "course_id", "usage_id")
    list_select_related = ("user",)
    raw_id_fields = ("user", "scored_by")
    readonly_fields = ("course_id", "usage_id", "user", "text", "updated", "submitted_at")


@admin.register(PartyClassProgress)
class PartyClassProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "usage_id", "content_done_at", "completed_at")
    search_fields = ("user__username", "course_id", "usage_id")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("course_id", "usage_id", "user", "content_done_at", "completed_at")
