"""Writing assignments (writing_assignment) as the plugin knows them: the copy of a block's
authored settings that the grading queue queries, and the names of kinds, grading flows,
statuses and awards, so that a block asks here instead of importing model enums."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..core.block_settings import keep_current
from ..core.errors import RuleError
from ..core.rubrics import HUNDREDTH, rubric_points_possible
from ..core.text import plain_text
from .errors import WritingError
from .models import GradingFlow, ShowcaseChoice, WritingAssignment, WritingKind, WritingStatus

ITEM_TYPE = "writing_assignment"
# A draft or piece larger than this is refused whatever the block allows (protects the database).
HARD_MAX_CHARS = 100_000
MAX_COMMENT_CHARS = 10_000
MAX_TITLE_CHARS = 200
AWARD_TIERS = ("first", "second", "third", "honourable")
DEFAULT_TIERS = {"first": 1, "second": 2, "third": 3, "honourable": 5}
# What a block offers before an author chooses (plain strings: blocks import no model enums).
DEFAULT_KIND = str(WritingKind.REFLECTION.value)
DEFAULT_FLOW = str(GradingFlow.SINGLE.value)
DEFAULT_SHOWCASE_CHOICE = str(ShowcaseChoice.NAMED.value)


def short_text(value, limit: int, what=None) -> str:
    """A title or a comment as stored: plain text (core's rule), trimmed; longer than ``limit`` is
    refused with a message naming ``what``, never cut silently."""
    try:
        return plain_text(value or "", limit, what)
    except RuleError as exc:  # the area's error, which its pages answer
        raise WritingError(exc.message) from exc


# --- names for blocks and pages -------------------------------------------------------------

def _field_values(enum) -> list[dict]:
    return [{"value": value, "display_name": label} for value, label in enum.choices]


def kind_values() -> list[dict]:
    """The kinds a Studio author may choose (an XBlock field's ``values``)."""
    return _field_values(WritingKind)


def flow_values() -> list[dict]:
    """The grading flows a Studio author may choose."""
    return _field_values(GradingFlow)


def kind_label(kind: str) -> str:
    return str(dict(WritingKind.choices).get(kind, ""))


def flow_label(flow: str) -> str:
    return str(dict(GradingFlow.choices).get(flow, ""))


def status_label(status: str) -> str:
    return str(dict(WritingStatus.choices).get(status, ""))


def is_contest(flow: str) -> bool:
    return flow == GradingFlow.CONTEST


def is_reading_notes(kind: str) -> bool:
    return kind == WritingKind.READING_NOTES


def showcase_choices() -> list[tuple[str, str]]:
    """How an author may appear if the piece is showcased (named or anonymous)."""
    return list(ShowcaseChoice.choices)


def award_label(code: str) -> str:
    return {
        "first": _("First prize"), "second": _("Second prize"), "third": _("Third prize"),
        "honourable": _("Honourable mention"),
    }.get(code, "")


def valid_award_tiers(tiers) -> bool:
    """Award tiers as authored: only the known tiers, each a whole number of 0 or more."""
    return isinstance(tiers, dict) and not set(tiers) - set(AWARD_TIERS) \
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in tiers.values())


# --- the plugin's copy of a block's settings -------------------------------------------------

@dataclass
class AssignmentSettings:
    course_id: str
    usage_id: str
    title: str
    kind: str
    flow: str
    rubric: list
    pass_points: Decimal
    hours: Decimal
    min_chars: int
    max_chars: int
    due: datetime.datetime | None
    award_tiers: dict = field(default_factory=dict)

    @classmethod
    def from_block(cls, *, course_id: str, usage_id: str, title: str, kind: str, flow: str, rubric,
                   pass_percent: int, hours: Decimal, min_chars: int, max_chars: int,
                   due: datetime.datetime | None, award_tiers: dict | None) -> "AssignmentSettings":
        """A block's field values as the plugin keeps them: the passing score in points."""
        possible = rubric_points_possible(rubric)
        return cls(course_id=course_id, usage_id=usage_id, title=title, kind=kind, flow=flow, rubric=rubric,
                   pass_points=possible * Decimal(max(0, min(100, pass_percent))) / 100,
                   hours=max(Decimal("0"), Decimal(str(hours))), min_chars=max(0, min_chars),
                   max_chars=max(0, max_chars), due=due, award_tiers=award_tiers or {})

    def as_fields(self) -> dict:
        return {
            "course_id": self.course_id, "title": self.title[:255], "kind": self.kind, "flow": self.flow,
            "rubric": self.rubric, "points_possible": rubric_points_possible(self.rubric),
            "pass_points": Decimal(str(self.pass_points)).quantize(HUNDREDTH),
            "hours": Decimal(str(self.hours)).quantize(HUNDREDTH), "min_chars": self.min_chars,
            "max_chars": self.max_chars, "due": self.due, "award_tiers": self.award_tiers,
        }


def sync_assignment(settings: AssignmentSettings) -> WritingAssignment:
    """Keep the plugin's copy of a block's settings current: one read when nothing changed."""
    values = settings.as_fields()
    return keep_current(WritingAssignment, settings.usage_id, values)


def course_assignments(course_id: str) -> list[WritingAssignment]:
    """The writing assignments of a course, by title (the queue's filter and panel links)."""
    return list(WritingAssignment.objects.filter(course_id=course_id).order_by("title"))


def contest_in_course(course_id: str, pk: int) -> WritingAssignment | None:
    """A contest essay assignment of the course, or None."""
    return WritingAssignment.objects.filter(pk=pk, course_id=course_id, flow=GradingFlow.CONTEST).first()
