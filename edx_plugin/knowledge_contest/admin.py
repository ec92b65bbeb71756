"""Admin of knowledge contests (knowledge_contest): banks and questions are edited here or imported on the bank pages;
attempts and results are read-only records (staff reset attempts from the block or the live view)."""
from django.contrib import admin
from django.utils.translation import pgettext_lazy

from .models import ContestAttempt, ContestExport, ContestResult, Question, QuestionBank
from .questions import fingerprint


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "course_id", "modified")
    search_fields = ("name", "code", "course_id")
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("short_stem", "bank", "qtype", "category", "difficulty", "active")
    list_filter = ("qtype", "difficulty", "active", "bank")
    search_fields = ("stem", "category")
    raw_id_fields = ("bank",)
    list_select_related = ("bank",)

    @admin.display(description=pgettext_lazy("knowledge contest", "question"))
    def short_stem(self, obj):
        return obj.stem[:60]

    def save_model(self, request, obj, form, change):
        # Keep duplicate detection right when a question is edited here.
        obj.fingerprint = fingerprint(obj.qtype, obj.stem, obj.options)
        super().save_model(request, obj, form, change)


@admin.register(ContestAttempt)
class ContestAttemptAdmin(ReadOnlyAdmin):
    list_display = ("user", "usage_id", "number", "status", "started", "deadline", "score", "bonus")
    list_filter = ("status",)
    search_fields = ("user__username", "usage_id", "course_id")
    list_select_related = ("user",)


@admin.register(ContestResult)
class ContestResultAdmin(ReadOnlyAdmin):
    list_display = ("user", "usage_id", "total", "max_score", "duration_ms", "attempts", "organization")
    search_fields = ("user__username", "usage_id", "course_id")
    list_select_related = ("user", "organization")


@admin.register(ContestExport)
class ContestExportAdmin(ReadOnlyAdmin):
    list_display = ("usage_id", "status", "done", "total", "requested_by", "created", "finished")
    list_filter = ("status",)
    search_fields = ("usage_id", "course_id")
