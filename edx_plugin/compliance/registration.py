"""What compliance (compliance) contributes to what gathers from every area: its member export is a
background job kind, and an export the every-export test checks."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.ledger import credit_hours
from ..core.registry import ExportKind, JobKind
from .exports import members_workbook, run_export
from .models import ComplianceExport


def members_sample(text: str, member) -> dict[str, bytes]:
    """The member export of the subtree of a member whose names, organisation and position hold ``text``."""
    user = member()
    credit_hours(user, 2, "self_study", "compliance-export-sample", note=text)
    organization = user.party_profile.organization
    return {"members.xlsx": members_workbook(timezone.localdate().year, organization)}


def register(registry) -> None:
    registry.add_job_kind(JobKind(model=ComplianceExport, run=run_export))
    registry.add_export(ExportKind(key="compliance_members", label=_("Members' credit hours"),
                                   sample=members_sample))
