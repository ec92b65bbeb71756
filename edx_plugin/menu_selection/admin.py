"""Admin of menu-based selection (menu_selection): menus and options (authored in Studio, read
here), picks (read-mostly: staff move learners on the menu page, where the reason is recorded),
moves and allocation runs."""
from django.contrib import admin

from .models import Menu, MenuAllocation, MenuMove, MenuOption, MenuPick


class OptionInline(admin.TabularInline):
    model = MenuOption
    fields = ("key", "title", "topic", "hours", "capacity", "taken", "required", "active")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Menu)
class MenuAdmin(admin.ModelAdmin):
    list_display = ("title", "course_id", "mode", "opens", "closes", "closed")
    list_filter = ("mode", "closed")
    search_fields = ("title", "course_id", "usage_id")
    readonly_fields = ("course_id", "usage_id", "block_id", "title", "mode", "rules", "opens", "closes", "published")
    inlines = [OptionInline]


@admin.register(MenuPick)
class MenuPickAdmin(admin.ModelAdmin):
    list_display = ("user", "menu", "option", "status", "queued", "updated")
    list_filter = ("status",)
    search_fields = ("user__username", "menu__title", "option__title")
    list_select_related = ("user", "menu", "option")
    readonly_fields = ("menu", "option", "user", "status", "queued", "promoted_unseen", "promoted_at")


@admin.register(MenuMove)
class MenuMoveAdmin(admin.ModelAdmin):
    list_display = ("moved_at", "menu", "user", "from_option", "to_option", "reason", "moved_by")
    raw_id_fields = ("user", "moved_by", "from_option", "to_option", "allocation")
    search_fields = ("user__username", "reason")


@admin.register(MenuAllocation)
class MenuAllocationAdmin(admin.ModelAdmin):
    list_display = ("menu", "requested_by", "status", "seed", "created", "finished", "published_at")
    list_filter = ("status",)
    raw_id_fields = ("requested_by", "menu")
    readonly_fields = ("result", "summary")
