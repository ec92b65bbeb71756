"""A member's learning file (learning_file): hours against the requirement, the ledger with the
activity behind each line, the self-study log, and one section per area, gathered through core's
registry so the learning file imports no area. Any year: past years stay readable."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from ..core.compliance import HoursSummary, summary_for_user
from ..core.ledger import ledger_lines
from ..core.models import HourEntry, MemberProfile, Organization
from ..core.organizations import ancestors
from ..core.registry import registry
from .self_study import YearLog, year_log

LEDGER_LINES_SHOWN = 200
YEARS_BACK = 5


@dataclass
class LedgerLine:
    entry: HourEntry
    label: str  # the source ("知识竞赛")
    name: str  # the activity that earned the line (its title), "" when the line does not say
    link: str  # the activity's page, "" when none


@dataclass
class Section:
    key: str
    title: str
    columns: list
    rows: list[list]


@dataclass
class LearningFile:
    user: object
    year: int
    profile: MemberProfile | None
    summary: HoursSummary
    self_study: YearLog
    categories: list = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    lines: list[LedgerLine] = field(default_factory=list)
    more_lines: bool = False
    sections: list[Section] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        this_year = timezone.localdate().year
        return sorted({*range(this_year - YEARS_BACK + 1, this_year + 1), self.year}, reverse=True)


def ledger_line(entry: HourEntry) -> LedgerLine:
    """A ledger line as the file shows it: a correction names and links the line it corrects."""
    shown = entry.reverses if entry.reverses_id and entry.reverses is not None else entry
    source = registry.ledger_source(shown.source_kind)
    label = str(source.label) if source else shown.get_source_kind_display()
    link = source.link(shown) if source and source.link else ""
    return LedgerLine(entry=entry, label=label, name=shown.note or entry.note, link=link or "")


def learning_file(user, year: int) -> LearningFile:
    """Everything the learning file page shows of ``user`` for ``year``: a fixed number of queries
    (one per registered section), whatever the member's history."""
    profile = (MemberProfile.objects.select_related("organization").prefetch_related("categories")
               .filter(user=user).first())
    sections = []
    for section in registry.learning_file_sections():
        columns, rows = section.rows(user, year)
        sections.append(Section(key=section.key, title=str(section.title), columns=columns, rows=rows))
    lines = list(ledger_lines(user.pk, year)[:LEDGER_LINES_SHOWN + 1])
    return LearningFile(
        user=user, year=year, profile=profile, summary=summary_for_user(user, year, profile),
        self_study=year_log(user, year),
        categories=list(profile.categories.all()) if profile else [],
        # The member's place in the tree, committee first: "市委 › 机关党委 › 第一党支部".
        organizations=ancestors(profile.organization) + [profile.organization] if profile else [],
        lines=[ledger_line(entry) for entry in lines[:LEDGER_LINES_SHOWN]],
        more_lines=len(lines) > LEDGER_LINES_SHOWN,
        sections=sections,
    )
