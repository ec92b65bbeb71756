"""A member's learning file (learning_file): hours against the requirement, the ledger with the
activity behind each line, and one section per area, gathered through core's registry so the
learning file imports no area."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.ledger import ledger_lines

from ..core.compliance import HoursSummary, summary_for_user
from ..core.models import HourEntry, MemberProfile, Organization
from ..core.organizations import ancestors
from ..core.registry import registry

LEDGER_LINES_SHOWN = 100


@dataclass
class LedgerLine:
    entry: HourEntry
    label: str
    link: str


@dataclass
class Section:
    key: str
    title: str
    columns: list
    rows: list[list]


@dataclass
class LearningFile:
    year: int
    profile: MemberProfile | None
    summary: HoursSummary
    categories: list = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    lines: list[LedgerLine] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def _ledger_line(entry: HourEntry) -> LedgerLine:
    source = registry.ledger_source(entry.source_kind)
    label = str(source.label) if source else entry.get_source_kind_display()
    link = source.link(entry) if source and source.link else ""
    return LedgerLine(entry=entry, label=label, link=link or "")


def learning_file(user, year: int) -> LearningFile:
    """Everything the learning file page shows of ``user`` for ``year``."""
    profile = (MemberProfile.objects.select_related("organization").prefetch_related("categories")
               .filter(user=user).first())
    sections = []
    for section in registry.learning_file_sections():
        columns, rows = section.rows(user, year)
        sections.append(Section(key=section.key, title=str(section.title), columns=columns, rows=rows))
    return LearningFile(
        year=year, profile=profile, summary=summary_for_user(user, year, profile),
        categories=list(profile.categories.all()) if profile else [],
        # The member's place in the tree, committee first: "市委 › 机关党委 › 第一党支部".
        organizations=ancestors(profile.organization) + [profile.organization] if profile else [],
        lines=[_ledger_line(entry) for entry in ledger_lines(user.pk, year)[:LEDGER_LINES_SHOWN]],
        sections=sections,
    )
