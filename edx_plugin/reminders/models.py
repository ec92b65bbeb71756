"""Records of reminders (reminders): who opted out, and every digest sent (one per person, kind and
period: the database refuses a second)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DigestKind", "ReminderDigest", "ReminderOptOut"]


class DigestKind(models.TextChoices):
    LEARNER = "learner", _("Hours still to go")
    ADMIN = "admin", _("Members behind in your organisations")


class ReminderOptOut(models.Model):
    """A learner who asked not to get reminder digests."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("user"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder opt-out")
        verbose_name_plural = _("reminder opt-outs")


class ReminderDigest(models.Model):
    """A digest sent: to whom, which kind, for which period, and what it said."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=10, choices=DigestKind.choices)
    period_start = models.DateField(_("period"))
    sent = models.DateTimeField(_("sent"), auto_now_add=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        ordering = ["-sent", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "period_start"], name="party_digest_once")]
        indexes = [models.Index(fields=["user", "sent"], name="party_digest_user")]
