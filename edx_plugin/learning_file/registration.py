"""What the learning file (learning_file) contributes to what gathers from every area: the ledger's
self-study lines link to the self-study log, and the file's XLSX is an export the every-export
test checks."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.models import HourSource
from ..core.registry import ExportKind, LedgerSource
from .file import learning_file
from .file_export import file_workbook
from .self_study import add_entry


def self_study_link(entry) -> str:
    """The self-study log the line stands for (lines of the log; other self-study lines have no page). It
    is on the page that lists the line, whoever reads it (the member, or an admin opening their file),
    so the link stays on that page."""
    if not entry.source_ref.startswith("self_study_log:"):
        return ""
    return f"?year={entry.year}#party-self-study"


def file_sample(text: str, member) -> dict[str, bytes]:
    """The learning file of a member whose names, organisation and self-study log hold ``text``."""
    user = member()
    add_entry(user, {"date": timezone.localdate().isoformat(), "topic": text[:200], "minutes": "30",
                     "note": text[:2000]})
    return {"learning_file.xlsx": file_workbook(learning_file(user, timezone.localdate().year))}


def register(registry) -> None:
    registry.add_ledger_source(LedgerSource(kind=HourSource.SELF_STUDY, label=HourSource.SELF_STUDY.label,
                                            link=self_study_link))
    registry.add_export(ExportKind(key="learning_file", label=_("Learning file"), sample=file_sample))
