"""Records of the compliance pages (compliance): the member export of a subtree, as a background job."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.models import BackgroundJob, MemberCategory, Organization

__all__ = ["ComplianceExport"]


class ComplianceExport(BackgroundJob):
    """The XLSX of a subtree's members with their hours by source in a year (``organization`` empty:
    the whole tree, for a site admin), written by a background job into the site's file storage."""

    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.ForeignKey(MemberCategory, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("member category"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))

    class Meta:
        verbose_name = _("compliance export")
        verbose_name_plural = _("compliance exports")
        ordering = ["-created"]
        indexes = [models.Index(fields=["requested_by", "created"], name="party_compexport_user")]
