"""The server side of the shared Studio row editor (``PartyTraining.rows`` in ``static/js/core.js``).

A block describes a list field as rows (``studio_rows``: ``{"item": label}`` for a list of texts, or
``{"columns": [...]}`` for a list of objects) and an object with fixed keys as one input per key
(``studio_keyed``: ``{"keys": [...]}``). A column is ``{"key", "label", "kind"}`` with ``kind`` one of
text, textarea, url, int, number, datetime, bool, choice (``choices``, optionally ``other`` to allow an
own value), multi (several ``choices``), id (kept, never shown) or rows (nested ``columns``); optional
``required``, ``min``, ``max`` and ``default``.

Every submitted cell is checked against its column here, before a block's own rules run, so an error
names the field, the row and the column ("“材料”第 2 行：“地址”须为以 http:// 或 https:// 开头的地址。")
rather than saying only that the value is not valid.
"""
from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from party_training.edx_plugin.core.links import is_link

# Shared by the blocks that edit the same shapes (party class and case discussion materials; writing
# and case discussion rubrics), so an author meets one form for one kind of list.
MATERIAL_ROWS = {"columns": [
    {"key": "title", "label": gettext_lazy("Title"), "kind": "text", "required": True, "max": 200},
    {"key": "url", "label": gettext_lazy("Address (http or https)"), "kind": "url", "required": True}]}
RUBRIC_ROWS = {"columns": [
    {"key": "name", "label": gettext_lazy("Criterion"), "kind": "text", "required": True, "max": 200},
    {"key": "levels", "label": gettext_lazy("Levels"), "kind": "rows", "columns": [
        {"key": "name", "label": gettext_lazy("Level"), "kind": "text", "required": True, "max": 200},
        {"key": "points", "label": gettext_lazy("Points"), "kind": "int", "required": True, "min": 0,
         "max": 1000, "default": 0}]}]}
ORGANIZATION_ROWS = {"item": gettext_lazy("Organisation code")}

_TEXT_KEYS = ("item", "kind", "label", "key", "other", "add", "confirm_remove")


def translated(schema: dict) -> dict:
    """The schema as the page gets it: lazy labels made text, choices as ``{value, label}``."""
    out = {key: value for key, value in schema.items() if key in ("required", "min", "max", "default")}
    out.update({key: str(value) for key, value in schema.items() if key in _TEXT_KEYS})
    if "choices" in schema:
        out["choices"] = [{"value": str(value), "label": str(label)} for value, label in schema["choices"]]
    for nested in ("columns", "keys"):
        if nested in schema:
            out[nested] = [translated(column) for column in schema[nested]]
    return out


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_number(value, whole: bool):
    """The cell as a number, or None. A number written as text counts (a script or an older editor
    may post "5"); the block's own cleaner stores it as a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = int(value.strip()) if whole else float(value.strip())
        except ValueError:
            return None
    if whole:
        return value if isinstance(value, int) else None
    return value if isinstance(value, (int, float)) and value == value else None  # not NaN


def cell_problem(where: str, column: dict, value) -> str | None:
    """What is wrong with one cell, naming where it is and its column; None when it is fine."""
    names = {"where": where, "column": str(column.get("label", ""))}
    kind = column.get("kind", "text")
    low, high = column.get("min"), column.get("max")
    if kind in ("bool", "id"):
        return None if kind == "id" or value is None or isinstance(value, bool) else _(
            "%(where)s: “%(column)s” is not valid.") % names
    if kind == "multi":
        value = [] if value is None else value
        allowed = {str(choice[0]) for choice in column.get("choices", ())}
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
            return _("%(where)s: “%(column)s”: choose among the listed values.") % names
        return None
    if _is_empty(value):
        return _("%(where)s: “%(column)s” is required.") % names if column.get("required") else None
    if kind in ("int", "number"):
        value = _as_number(value, whole=kind == "int")
    if kind == "int":
        if value is None or (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                return _("%(where)s: “%(column)s” must be a whole number from %(min)s to %(max)s.") % {
                    **names, "min": low, "max": high}
            return _("%(where)s: “%(column)s” must be a whole number.") % names
        return None
    if kind == "number":
        if value is None or (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                return _("%(where)s: “%(column)s” must be a number from %(min)s to %(max)s.") % {
                    **names, "min": low, "max": high}
            return _("%(where)s: “%(column)s” must be a number.") % names
        return None
    if not isinstance(value, str):
        return _("%(where)s: “%(column)s” is not valid.") % names
    if kind == "url" and not is_link(value.strip()):
        return _("%(where)s: “%(column)s” must be an address starting with http:// or https://.") % names
    if kind == "choice" and not column.get("other") \
            and value not in {str(choice[0]) for choice in column.get("choices", ())}:
        return _("%(where)s: “%(column)s”: “%(value)s” is not listed; choose one of the listed values.") % {
            **names, "value": value}
    if kind == "datetime":
        try:
            datetime.datetime.fromisoformat(value)
        except ValueError:
            return _("%(where)s: “%(column)s” must be a date and time.") % names
    if kind in ("text", "textarea", "choice") and high is not None and len(value) > high:
        return _("%(where)s: “%(column)s” is longer than %(max)s characters.") % {**names, "max": high}
    return None


def row_problems(label: str, schema: dict, rows, outer: str | None = None, spots: list | None = None,
                 path: tuple = ()) -> list[str]:
    """Every problem of a list of rows, each naming the field, the row (from 1) and the column.
    ``outer`` locates a nested list ("“评分标准”第 2 行"). When ``spots`` is a list, the place of each
    problem is appended to it ([row, column, nested row, nested column…], rows from 0) so the editor
    can mark the very input, not only the field.
    """
    def spot(*more):
        if spots is not None:
            spots.append([*path, *more])
    if not isinstance(rows, list):
        spot()
        return [_("“%(field)s” must be a list of rows.") % {"field": label}]
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        if outer is None:
            where = _("“%(field)s”, row %(row)s") % {"field": label, "row": number}
        else:
            where = _("%(outer)s, “%(field)s” row %(row)s") % {"outer": outer, "field": label, "row": number}
        if "columns" not in schema:
            problem = cell_problem(where, {"label": schema.get("item", label), "kind": schema.get("kind", "text"),
                                           "required": True, "max": schema.get("max")}, row)
            if problem:
                problems.append(problem)
                spot(number - 1)
            continue
        if not isinstance(row, dict):
            problems.append(_("%(where)s is not valid.") % {"where": where})
            spot(number - 1)
            continue
        for column in schema["columns"]:
            value = row.get(column["key"])
            if column.get("kind") == "rows":
                problems += row_problems(str(column["label"]), column, [] if value is None else value, where,
                                         spots, (*path, number - 1, column["key"]))
            else:
                problem = cell_problem(where, column, value)
                if problem:
                    problems.append(problem)
                    spot(number - 1, column["key"])
    return problems


def keyed_problems(label: str, schema: dict, value, spots: list | None = None) -> list[str]:
    """Every problem of an object edited as one input per key, naming the field and the key; with
    ``spots``, each problem's key is appended to it as ``[key]``."""
    where = _("“%(field)s”") % {"field": label}
    if not isinstance(value, dict) or set(value) - {column["key"] for column in schema["keys"]}:
        if spots is not None:
            spots.append([])
        return [_("%(where)s is not valid.") % {"where": where}]
    problems = []
    for column in schema["keys"]:
        problem = cell_problem(where, column, value.get(column["key"]))
        if problem:
            problems.append(problem)
            if spots is not None:
                spots.append([column["key"]])
    return problems
