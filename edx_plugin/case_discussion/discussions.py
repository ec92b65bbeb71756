"""Case discussions (case_discussion) as the plugin knows them: the authored settings a block hands
to the rules, the plugin's copy staff pages query, and the names of modes and groupings."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from ..core.block_settings import keep_current
from ..core.rubrics import HUNDREDTH, rubric_points_possible, validate_rubric
from .models import CaseDiscussion, DiscussionMode, GroupingMode

# A post larger than this is refused whatever the block allows (protects the database).
HARD_MAX_CHARS = 20_000
MAX_REPLY_CHARS = 2_000
MAX_REASON_CHARS = 500
MAX_COMMENT_CHARS = 5_000
MAX_QUESTIONS = 20
MAX_GROUP_SIZE = 100
DEFAULT_MODE = str(DiscussionMode.POST_FIRST.value)
DEFAULT_GROUPING = str(GroupingMode.COURSE.value)


@dataclass(frozen=True)
class DiscussionSettings:
    """What a block's authored fields say to the rules (the block builds it; rules never load blocks)."""

    course_id: str
    usage_id: str
    title: str = ""
    questions: tuple[str, ...] = ()
    mode: str = DEFAULT_MODE
    grouping: str = DEFAULT_GROUPING
    group_size: int = 6
    organizations: tuple[str, ...] = ()
    min_chars: int = 0
    deadline: datetime.datetime | None = None
    edit_window_minutes: int = 0
    hours: Decimal = Decimal("0")
    graded: bool = False
    rubric: list = field(default_factory=list)
    max_score: Decimal = Decimal("0")

    @property
    def post_first(self) -> bool:
        return self.mode != DiscussionMode.OPEN

    @property
    def is_graded(self) -> bool:
        """Graded with a rubric: asked for, and the rubric is usable."""
        return self.graded and not validate_rubric(self.rubric) and self.max_score > 0

    def closed(self, now: datetime.datetime | None = None) -> bool:
        return self.deadline is not None and (now or timezone.now()) > self.deadline

    def scaled(self, points: Decimal) -> Decimal:
        """Rubric points as a score out of ``max_score``."""
        possible = rubric_points_possible(self.rubric)
        if not possible:
            return Decimal("0")
        return (Decimal(points) * self.max_score / possible).quantize(HUNDREDTH)


def sync_discussion(config: DiscussionSettings) -> CaseDiscussion:
    """The plugin's copy of a block's settings, created or brought up to date (one query when current)."""
    values = {"course_id": config.course_id, "title": config.title[:255], "questions": list(config.questions),
              "grouping": config.grouping, "group_size": config.group_size, "rubric": config.rubric if config.is_graded else [],
              "max_score": config.max_score if config.is_graded else Decimal("0"), "hours": config.hours}
    return keep_current(CaseDiscussion, config.usage_id, values)


def settings_of(discussion: CaseDiscussion) -> DiscussionSettings:
    """What staff pages outside a block know of its settings (the plugin's copy)."""
    return DiscussionSettings(
        course_id=discussion.course_id, usage_id=discussion.usage_id, title=discussion.title,
        questions=tuple(discussion.questions), grouping=discussion.grouping, group_size=discussion.group_size,
        hours=discussion.hours, graded=bool(discussion.rubric), rubric=discussion.rubric,
        max_score=discussion.max_score)


def course_discussions(course_id: str) -> list[CaseDiscussion]:
    return list(CaseDiscussion.objects.filter(course_id=course_id).order_by("title", "pk"))


def mode_values() -> list[dict]:
    return [{"value": value, "display_name": label} for value, label in DiscussionMode.choices]


def grouping_values() -> list[dict]:
    return [{"value": value, "display_name": label} for value, label in GroupingMode.choices]


def local_time(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
