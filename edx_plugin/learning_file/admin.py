"""Admin of the learning file (learning_file): self-study log entries, to look up and read. They are
read-only here because each change must go through the log's rules (the yearly cap, the ledger line
re-credited under a lock, past years frozen); a learner edits their own log on the learning file page."""
from django.contrib import admin

from .models import SelfStudyEntry


@admin.register(SelfStudyEntry)
class SelfStudyEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "date", "topic", "minutes", "updated")
    list_filter = ("year",)
    search_fields = ("user__username", "topic")
    date_hierarchy = "date"
    list_select_related = ("user",)
    readonly_fields = ("user", "year", "date", "topic", "minutes", "note", "created", "updated")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
