"""What gathers from every area (the learning file, the staff tools of a course, the ledger's
sources, the background jobs, the exports) asks this registry, which each area fills at start-up from its
``registration`` module (``PartyTrainingConfig.ready``). So core and the learning file never import
an area, and a new area appears everywhere by registering."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LedgerSource:
    """A kind of ledger line (``HourSource`` value): its label, and the page of the activity that
    earned a line (``link(entry)``: a URL or "")."""

    kind: str
    label: Any
    link: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class LearningFileSection:
    """A section of a member's learning file: ``rows(user, year)`` returns
    ``(columns, rows)``, the column headers and rows of plain values (escaped when shown)."""

    key: str
    title: Any
    rows: Callable[[Any, int], tuple[list, list[list]]]
    order: int = 100


@dataclass(frozen=True)
class StaffTool:
    """A tool course staff use for a course: its name, ``url(course_id)`` and an optional
    ``count(course_id)`` (e.g. pieces waiting to be graded) with what it counts (``count_label``), and
    optional ``links(course_id)``: ``(label, url)`` of its pages per component (live views, exports)."""

    key: str
    label: Any
    url: Callable[[str], str]
    count: Callable[[str], int] | None = None
    order: int = 100
    count_label: Any = ""
    links: Callable[[str], list[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class JobKind:
    """A background job model and the work its rows ask for: ``run(job, progress)`` returns the values
    stored on the row when done; ``files(job)`` names the storage files the job owns (deleted when
    the job is old), by default the one file it wrote (``file_name``)."""

    model: type
    run: Callable[[Any, Callable[[int, int], None]], dict]
    files: Callable[[Any], list[str]] | None = None


@dataclass(frozen=True)
class ExportKind:
    """A file the product writes for people to open in a spreadsheet program (an XLSX workbook, a CSV
    file): its name, and ``sample(text, member)``, which writes it over records whose every
    user-written field holds ``text`` (cut to its column's length) and returns the files written,
    by name. ``member()`` gives a user whose user name, full name, organisation and position hold
    the text. The every-export test calls ``sample`` with formula and size payloads, so an area's
    export is checked as soon as the area registers it."""

    key: str
    label: Any
    sample: Callable[[str, Callable[[], Any]], dict[str, bytes]]


@dataclass(frozen=True)
class ComplianceColumn:
    """An extra column of the compliance drill-down (e.g. secretaries not yet rotated this year):
    ``values(org_ids, year)`` gives a number per organisation shown (each counting its subtree); an
    organisation missing from the answer shows empty. No column is shown until one is registered."""

    key: str
    label: Any
    values: Callable[[list[int], int], dict[int, Any]]
    order: int = 100


class Registry:
    def __init__(self):
        self._sources: dict[str, LedgerSource] = {}
        self._sections: dict[str, LearningFileSection] = {}
        self._tools: dict[str, StaffTool] = {}
        self._jobs: dict[str, JobKind] = {}
        self._exports: dict[str, ExportKind] = {}
        self._columns: dict[str, ComplianceColumn] = {}

    # Registering twice under one key replaces (Django may call ready() again in tests).
    def add_ledger_source(self, source: LedgerSource) -> None:
        self._sources[source.kind] = source

    def add_learning_file_section(self, section: LearningFileSection) -> None:
        self._sections[section.key] = section

    def add_staff_tool(self, tool: StaffTool) -> None:
        self._tools[tool.key] = tool

    def add_job_kind(self, kind: JobKind) -> None:
        self._jobs[kind.model._meta.label_lower] = kind

    def add_export(self, export: ExportKind) -> None:
        self._exports[export.key] = export

    def add_compliance_column(self, column: ComplianceColumn) -> None:
        self._columns[column.key] = column

    def compliance_columns(self) -> list[ComplianceColumn]:
        return sorted(self._columns.values(), key=lambda c: (c.order, c.key))

    def ledger_source(self, kind: str) -> LedgerSource | None:
        return self._sources.get(kind)

    def learning_file_sections(self) -> list[LearningFileSection]:
        return sorted(self._sections.values(), key=lambda s: (s.order, s.key))

    def staff_tools(self) -> list[StaffTool]:
        return sorted(self._tools.values(), key=lambda t: (t.order, t.key))

    def staff_tools_for(self, course_id: str) -> list[dict]:
        """The tools of one course with their links and counts, as a staff page lists them
        (one query per tool that counts)."""
        return [{"key": tool.key, "label": str(tool.label), "url": tool.url(course_id),
                 "count": tool.count(course_id) if tool.count else None, "count_label": str(tool.count_label),
                 "links": tool.links(course_id) if tool.links else []} for tool in self.staff_tools()]

    def job_kind(self, label: str) -> JobKind:
        return self._jobs[label.lower()]

    def job_kinds(self) -> list[JobKind]:
        return list(self._jobs.values())

    def exports(self) -> list[ExportKind]:
        return sorted(self._exports.values(), key=lambda e: e.key)


registry = Registry()
