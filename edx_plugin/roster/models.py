"""Roster imports too big for a web request: the job the admin's import page hands to a Celery task."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

__all__ = ["RosterImportJob"]


class RosterImportJob(models.Model):
    """One background roster import (or dry run): the stored upload, its progress and its result."""

    class Status(models.TextChoices):
        # A context, because other areas translate the same words differently ("Running" is
        # "generating" for an export).
        QUEUED = "queued", pgettext_lazy("roster import job", "Queued")
        RUNNING = "running", pgettext_lazy("roster import job", "Running")
        DONE = "done", pgettext_lazy("roster import job", "Done")
        FAILED = "failed", pgettext_lazy("roster import job", "Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    dry_run = models.BooleanField(default=False)
    # The uploader's language: the worker writes the summary and the row errors in it.
    language = models.CharField(max_length=16)
    # The uploaded names (shown in the row errors) and where the files wait in the default storage,
    # in the same order; the stored files are deleted when the job ends.
    file_names = models.JSONField(default=list)
    storage_paths = models.JSONField(default=list)
    rows_read = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    # The first row errors ({"source", "row", "reason"}), in the language of the user who uploaded
    # the files; errors_total counts them all.
    errors = models.JSONField(default=list)
    errors_total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("roster import job")
        verbose_name_plural = _("roster import jobs")
        ordering = ["-created"]
