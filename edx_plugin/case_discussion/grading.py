"""Grading a case discussion (case_discussion): staff score each learner with the rubric (core's
rubric rules) and a comment. The score, out of the block's maximum, is what the block publishes as
the learner's grade; a graded discussion is complete when graded, and its hours are credited then,
once, through the ledger."""
from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from ..core.ledger import credit_hours
from ..core.models import HourSource
from ..core.rubrics import rubric_rows, score_selections
from ..core.text import plain_text
from .discussions import MAX_COMMENT_CHARS, DiscussionSettings
from .errors import CaseDiscussionError
from .models import CaseGrade, CaseMember


def grade(config: DiscussionSettings, grader, learner_id, selections, comment="") -> CaseGrade:
    """Score a learner who joined the discussion; grading again replaces the grade."""
    if not config.is_graded:
        raise CaseDiscussionError(_("This discussion is not graded."), 409)
    try:
        learner_id = int(learner_id)
    except (TypeError, ValueError) as exc:
        raise CaseDiscussionError(_("Choose a learner."), 404) from exc
    if not CaseMember.objects.filter(usage_id=config.usage_id, user_id=learner_id).exists():
        raise CaseDiscussionError(_("This learner has not joined the discussion."), 404)
    points, chosen = score_selections(config.rubric, selections)
    comment = plain_text(comment or "", MAX_COMMENT_CHARS)
    result, _created = CaseGrade.objects.update_or_create(
        usage_id=config.usage_id, user_id=learner_id,
        defaults={"selections": chosen, "score": config.scaled(points), "comment": comment, "graded_by": grader})
    if config.hours > 0:
        learner = get_user_model().objects.get(pk=learner_id)
        credit_hours(learner, config.hours, HourSource.CASE_DISCUSSION, config.usage_id,
                     course_id=config.course_id, usage_id=config.usage_id, recorded_by=grader, note=config.title)
    return result


def grade_of(config: DiscussionSettings, user_id: int) -> CaseGrade | None:
    return CaseGrade.objects.filter(usage_id=config.usage_id, user_id=user_id).first()


def grade_payload(config: DiscussionSettings, result: CaseGrade | None) -> dict | None:
    """The learner's score, comment and rubric as they read them (None before grading)."""
    if result is None:
        return None
    return {"score": _number(result.score), "max_score": _number(config.max_score), "comment": result.comment,
            "rubric": rubric_rows(config.rubric, result.selections)}


def _number(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"
