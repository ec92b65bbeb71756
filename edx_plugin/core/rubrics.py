"""Rubrics (core): what an authored rubric must be (criteria with levels of whole points), its
maximum score, and the points of a scoring. Shared by the blocks that grade with a rubric (writing
assignments, case discussions). Pure functions: no database."""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .errors import RuleError

ZERO = Decimal("0")
HUNDREDTH = Decimal("0.01")


def validate_rubric(rubric) -> list[str]:
    """Problems of an authored rubric: a list of criteria, each with a name and at least two
    levels of whole, non-negative points."""
    problems = []
    if not isinstance(rubric, list) or not rubric:
        return [_("The rubric needs at least one criterion.")]
    for number, criterion in enumerate(rubric, start=1):
        if not isinstance(criterion, dict) or not str(criterion.get("name", "")).strip():
            problems.append(_("Criterion %(number)d needs a name.") % {"number": number})
            continue
        levels = criterion.get("levels")
        if not isinstance(levels, list) or len(levels) < 2:
            problems.append(_("Criterion %(number)d needs at least two levels.") % {"number": number})
            continue
        for level in levels:
            points = level.get("points") if isinstance(level, dict) else None
            if not isinstance(level, dict) or not str(level.get("name", "")).strip() \
                    or not isinstance(points, int) or isinstance(points, bool) or points < 0:
                problems.append(_("Every level of criterion %(number)d needs a name and whole points of 0 or more.")
                                % {"number": number})
                break
    return problems


def rubric_points_possible(rubric) -> Decimal:
    """The maximum score: the sum of each criterion's highest level (0 for an invalid rubric)."""
    if validate_rubric(rubric):
        return ZERO
    return Decimal(sum(max(level["points"] for level in criterion["levels"]) for criterion in rubric))


def score_selections(rubric: list, selections, *, partial: bool = False) -> tuple[Decimal, dict[str, int]]:
    """Points of a rubric scoring. ``selections`` maps criterion index to level index; every
    criterion must be scored unless ``partial`` (a return for revision may score some)."""
    if not isinstance(selections, dict):
        raise RuleError(_("The rubric scoring is not valid."))
    chosen: dict[str, int] = {}
    total = ZERO
    for index, criterion in enumerate(rubric):
        raw = selections.get(str(index), selections.get(index))
        if raw in (None, ""):
            if partial:
                continue
            raise RuleError(_("Score every criterion of the rubric."))
        try:
            level = int(raw)
            points = criterion["levels"][level]["points"]
        except (TypeError, ValueError, IndexError) as exc:
            raise RuleError(_("The rubric scoring is not valid.")) from exc
        if level < 0:
            raise RuleError(_("The rubric scoring is not valid."))
        chosen[str(index)] = level
        total += Decimal(points)
    return total, chosen


def rubric_rows(rubric, selections: dict | None = None) -> list[dict]:
    """The rubric as the block and the grading page show it: criteria with their levels, the
    level a scoring chose marked ``chosen`` (a tolerant read: authored data may be incomplete)."""
    selections = selections or {}
    return [{
        "index": index, "name": criterion.get("name", ""),
        "levels": [{"number": number, "name": level.get("name", ""), "points": level.get("points", 0),
                    "chosen": str(selections.get(str(index))) == str(number)}
                   for number, level in enumerate(criterion.get("levels", []))],
    } for index, criterion in enumerate(rubric if isinstance(rubric, list) else [])
        if isinstance(criterion, dict)]
