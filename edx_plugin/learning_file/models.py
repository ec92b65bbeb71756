"""Records of the learning file (learning_file): the self-study log a learner keeps."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.models import HourEntry

__all__ = ["SelfStudyEntry", "SelfStudyYear"]


class SelfStudyEntry(models.Model):
    """One line of a learner's self-study log (自学记录): the date, what was studied, for how long, a note."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_self_study",
                             verbose_name=_("user"))
    year = models.PositiveSmallIntegerField(_("year"))
    date = models.DateField(_("date"))
    topic = models.CharField(_("what was studied"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("self-study log entry")
        verbose_name_plural = _("self-study log entries")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["user", "year", "date"], name="party_selfstudy_user_year")]

    def __str__(self):
        return f"{self.user_id} {self.date} {self.minutes} min"


class SelfStudyYear(models.Model):
    """What a learner's log of one year has credited: the ledger line standing for it (the log's
    minutes, capped) and the revision that names the next line. Locked while the log changes, so two
    tabs saving at once credit the right total exactly once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    revision = models.PositiveIntegerField(default=0)
    entry = models.ForeignKey(HourEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="party_selfstudy_year_unique")]
