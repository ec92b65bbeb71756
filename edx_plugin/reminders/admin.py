"""Admin of reminders (reminders): who opted out of the digests (an admin may add or lift an opt-out
on a member's behalf, e.g. at their request by phone) and every digest sent, read-only: it is the
record of what was said to whom."""
from django.contrib import admin

from .models import ReminderDigest, ReminderOptOut


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(admin.ModelAdmin):
    list_display = ("user", "created")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    list_select_related = ("user",)


@admin.register(ReminderDigest)
class ReminderDigestAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "period_start", "sent", "subject")
    list_filter = ("kind", "period_start")
    search_fields = ("user__username", "subject")
    list_select_related = ("user",)
    readonly_fields = ("user", "kind", "period_start", "sent", "subject", "body")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
