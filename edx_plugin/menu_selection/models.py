"""Menu-based selection (menu_selection): the plugin's copy of each menu block's options (seats are
counted on the option row), learners' picks and rankings, staff moves and allocation runs.

The block's authored configuration (XBlock fields, OLX) is the source; ``menus.sync_menu`` keeps
these rows in step so that seats can be counted safely and the partition generator and staff
pages can query them without loading a block.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..core.models import BackgroundJob

__all__ = ["Menu", "MenuAllocation", "MenuMode", "MenuMove", "MenuOption", "MenuPick", "MenuRanking",
           "MenuSelection", "PickStatus"]


class MenuMode(models.TextChoices):
    FIRST_COME = "first_come", _("First come, first served")
    PREFERENCE = "preference", _("Preference allocation")


class PickStatus(models.TextChoices):
    SEATED = "seated", pgettext_lazy("menu pick", "Got a seat")
    WAITING = "waiting", _("On the waiting list")
    DROPPED = "dropped", _("Dropped")


class Menu(models.Model):
    """A menu block as the plugin knows it: its rules (a snapshot of the block's settings) and the
    staff's state (closed, published allocation)."""

    course_id = models.CharField(_("course"), max_length=255, db_index=True)
    usage_id = models.CharField(_("course component"), max_length=255, unique=True)
    # The block id alone (url_name): partition ids derive from it, so they survive a course rerun.
    block_id = models.CharField(max_length=255)
    title = models.CharField(_("title"), max_length=255)
    mode = models.CharField(_("mode"), max_length=20, choices=MenuMode.choices, default=MenuMode.FIRST_COME)
    rules = models.JSONField(default=dict)
    opens = models.DateTimeField(_("opens"), null=True, blank=True)
    closes = models.DateTimeField(_("closes"), null=True, blank=True)
    closed = models.BooleanField(_("closed by staff"), default=False)
    published = models.ForeignKey("MenuAllocation", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("published allocation"))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("menu")
        verbose_name_plural = _("menus")

    def __str__(self):
        return self.title


class MenuOption(models.Model):
    """One option of a menu. ``taken`` counts seated picks and only changes by a conditional UPDATE or
    under the row's lock, so seats are never oversubscribed."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(max_length=40)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=2, default=0)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    taken = models.PositiveIntegerField(_("seats taken"), default=0)
    required = models.BooleanField(_("required"), default=False)
    starts = models.DateTimeField(null=True, blank=True)
    ends = models.DateTimeField(null=True, blank=True)
    recommended_for = models.JSONField(default=list)
    restricted_to = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)
    # An option removed from the block keeps its row (and the picks on it) but takes no picks.
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("menu option")
        verbose_name_plural = _("menu options")
        ordering = ["menu", "position"]
        constraints = [models.UniqueConstraint(fields=["menu", "key"], name="party_menu_option_key")]

    def __str__(self):
        return self.title


class MenuPick(models.Model):
    """A learner's pick of an option: seated or waiting (in ``queued`` order), or dropped. One row per
    learner and option; picking again after a drop reuses it."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="picks")
    option = models.ForeignKey(MenuOption, on_delete=models.CASCADE, related_name="picks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_menu_picks")
    status = models.CharField(_("status"), max_length=10, choices=PickStatus.choices)
    # Place on the waiting list: when the learner joined it (ties by id).
    queued = models.DateTimeField(null=True, blank=True)
    # Set when the learner was promoted from the waiting list and has not yet seen the message.
    promoted_unseen = models.BooleanField(default=False)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # The learner's turn in the menu when they last picked this option: each pick of a first-come menu
    # writes one more than the highest turn it read with the learner's picks, and (menu, user, turn) is
    # unique, so of two picks that read the same picks (two tabs at once) one is refused by the key and
    # reads again. No row to lock or to update first. Staff moves and allocations leave it empty.
    turn = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("menu pick")
        verbose_name_plural = _("menu picks")
        constraints = [
            models.UniqueConstraint(fields=["option", "user"], name="party_menu_pick_unique"),
            # Also the index of a learner's picks in a menu (it starts with menu, user).
            models.UniqueConstraint(fields=["menu", "user", "turn"], name="party_menu_pick_turn"),
        ]
        indexes = [models.Index(fields=["option", "status", "queued"], name="party_menu_pick_queue")]


class MenuSelection(models.Model):
    """A learner's confirmation of their picks (the rules were met when they confirmed)."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="selections")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    confirmed = models.DateTimeField(_("confirmed"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["menu", "user"], name="party_menu_selection_unique")]


class MenuRanking(models.Model):
    """Preference mode: a learner's rank of an option (1 = first choice)."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="rankings")
    option = models.ForeignKey(MenuOption, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["menu", "user", "option"], name="party_menu_rank_option"),
            models.UniqueConstraint(fields=["menu", "user", "rank"], name="party_menu_rank_place"),
        ]


class MenuMove(models.Model):
    """A staff action on a learner's picks, with its reason: a move between options, or an
    adjustment of an allocation before it is published."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="moves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_option = models.ForeignKey(MenuOption, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_option = models.ForeignKey(MenuOption, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    allocation = models.ForeignKey("MenuAllocation", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="adjustments")
    reason = models.CharField(_("reason"), max_length=500)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("menu move")
        verbose_name_plural = _("menu moves")
        ordering = ["-moved_at", "-id"]


class MenuAllocation(BackgroundJob):
    """One allocation run of a preference menu (a background job above ``MENU_ALLOCATION_SYNC_LEARNERS``
    learners): its seed, the result (learner id -> option keys), its figures; published once."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="allocations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seed = models.BigIntegerField()
    result = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("menu allocation")
        verbose_name_plural = _("menu allocations")
        ordering = ["-id"]
