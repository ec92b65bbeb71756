"""The learning file as XLSX (learning_file): the year's hours by source against the requirement, the
ledger, the self-study log and every registered section, one sheet each, through core's XLSX writer
(every text cell written as text)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from ..core.xlsx import Sheet, workbook_bytes
from .file import LearningFile


def _name(file: LearningFile) -> str:
    profile = file.profile
    return (profile.full_name if profile and profile.full_name else "") or file.user.get_username()


def file_workbook(file: LearningFile) -> bytes:
    summary = file.summary
    organization = " › ".join(org.name for org in file.organizations)
    hours_rows = [[label, float(hours)] for _kind, label, hours in summary.by_source]
    hours_rows += [[_("Total"), float(summary.total)], [_("Required hours"), float(summary.required)],
                   [_("Hours still to go"), float(summary.remaining)]]
    sheets = [
        Sheet(title=_("Hours"), header=[_("Source"), _("Hours")], rows=hours_rows, widths={1: 28},
              caption=_("Learning file of %(name)s (%(organization)s), %(year)d") % {
                  "name": _name(file), "organization": organization, "year": file.year}),
        Sheet(title=_("Ledger"), header=[_("Date"), _("Source"), _("Activity"), _("Hours"), _("Link")],
              rows=[[line.entry.date.isoformat(), line.label, line.name, float(line.entry.hours), line.link]
                    for line in file.lines], widths={3: 36}),
        Sheet(title=_("Self-study log"), header=[_("Date"), _("What was studied"), _("Minutes"), _("Note")],
              rows=[[e.date.isoformat(), e.topic, e.minutes, e.note] for e in file.self_study.entries],
              widths={2: 36, 4: 40}),
    ]
    sheets += [Sheet(title=section.title, header=[str(c) for c in section.columns], rows=section.rows)
               for section in file.sections]
    return workbook_bytes(sheets)
