"""Roster imports too big for a web request (roster): the job the admin's import page hands to the
background, on core's one job path."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.models import BackgroundJob

__all__ = ["RosterImportJob"]


class RosterImportJob(BackgroundJob):
    """One background roster import (or dry run): the stored upload, its progress and its result.
    ``language`` (from ``BackgroundJob``) is the uploader's: the worker writes the summary and the
    row errors in it."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dry_run = models.BooleanField(default=False)
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
