"""What a knowledge contest (knowledge_contest) is configured to do, and the draw of an attempt's
questions from the question banks.

A block builds a ``ContestConfig`` from its fields; every rule that follows (attempts, scoring,
payloads) reads the configuration or the snapshot of it an attempt keeps from its start. The
block does not know the models: the draw-rule words it accepts and shows are here too.
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..core.errors import RuleError
from .models import Difficulty, Question, QuestionBank, QuestionType

DEFAULT_POINTS = {"single": 1.0, "multiple": 2.0, "true_false": 1.0, "fill_blank": 2.0}
MAX_QUESTIONS = 200
# Draw-rule difficulties as authors write them (OLX and the Studio editor); 0: any difficulty.
DIFFICULTY_WORDS = {"": 0, "any": 0, "easy": int(Difficulty.EASY), "medium": int(Difficulty.MEDIUM),
                    "hard": int(Difficulty.HARD)}
DIFFICULTY_NAMES = {number: word for word, number in DIFFICULTY_WORDS.items() if word != "any"}


class ContestError(RuleError):
    """A refused learner or staff action. ``code`` tells the browser what to do next
    ("closed": the attempt was closed, show the result)."""

    def __init__(self, message: str, status: int = 400, code: str = "invalid"):
        super().__init__(message, status, code=code)
        self.code = code


@dataclass(frozen=True)
class DrawRule:
    bank: str
    count: int
    category: str = ""
    difficulty: int = 0  # 0: any difficulty


def parse_draw_rule(raw) -> DrawRule:
    """One draw rule from the Studio editor's JSON or from OLX; ValueError when it is malformed."""
    if not isinstance(raw, dict):
        raise ValueError("rule")
    bank = str(raw.get("bank", "")).strip()
    count = int(raw.get("count", 0))
    difficulty = raw.get("difficulty", "") or ""
    difficulty = DIFFICULTY_WORDS[str(difficulty).strip().lower()] if not str(difficulty).isdigit() \
        else int(difficulty)
    if not bank or count < 1 or difficulty not in DIFFICULTY_NAMES:
        raise ValueError("rule")
    return DrawRule(bank=bank, count=count, category=str(raw.get("category", "")).strip(), difficulty=difficulty)


def draw_rule_problems(raw_rules) -> tuple[list[DrawRule], list[str]]:
    """Draw rules from the Studio editor's rows, and a translated message per problem naming the rule
    and its field ("Rule 2, number of questions: ...")."""
    if not isinstance(raw_rules, list):
        return [], [_("The draw rules are not valid.")]
    rules, problems = [], []
    for number, raw in enumerate(raw_rules, start=1):
        if not isinstance(raw, dict):
            problems.append(_("Rule %(n)d is not valid.") % {"n": number})
            continue
        found = []
        if not str(raw.get("bank", "")).strip():
            found.append(_("Rule %(n)d, question bank: choose a bank.") % {"n": number})
        try:
            count = int(str(raw.get("count", "")).strip())
        except ValueError:
            count = 0
        if count < 1 or count > MAX_QUESTIONS:
            found.append(_("Rule %(n)d, number of questions: give a whole number from 1 to %(max)d.")
                         % {"n": number, "max": MAX_QUESTIONS})
        difficulty = str(raw.get("difficulty", "") or "").strip().lower()
        if difficulty not in DIFFICULTY_WORDS and not (difficulty.isdigit() and int(difficulty) in DIFFICULTY_NAMES):
            found.append(_("Rule %(n)d, difficulty: choose easy, medium, hard or any.") % {"n": number})
        if len(str(raw.get("category", ""))) > 100:
            found.append(_("Rule %(n)d, category: at most 100 characters.") % {"n": number})
        if found:
            problems.extend(found)
        else:
            rules.append(parse_draw_rule({**raw, "count": count}))
    return rules, problems


def draw_rule_dict(rule: DrawRule) -> dict:
    """A draw rule as the block stores it (difficulty as its word)."""
    return {"bank": rule.bank, "category": rule.category, "difficulty": DIFFICULTY_NAMES[rule.difficulty],
            "count": rule.count}


@dataclass
class ContestConfig:
    """What a contest block is configured to do (built from its fields)."""

    course_id: str
    usage_id: str
    draw_rules: list[DrawRule]
    shuffle_questions: bool = True
    shuffle_options: bool = True
    time_limit_minutes: int = 20
    question_seconds: int = 0
    window_start: datetime.datetime | None = None
    window_end: datetime.datetime | None = None
    max_attempts: int = 1
    counting: str = "best"
    points: dict = field(default_factory=lambda: dict(DEFAULT_POINTS))
    speed_bonus: float = 0.0
    show_explanations: str = "after_attempt"
    pass_percent: float = 60.0
    hours: float = 0.0
    hours_when: str = "pass"
    title: str = ""  # the block's title: the ledger line of the contest's hours names it

    def window(self, now: datetime.datetime) -> str:
        if self.window_start and now < self.window_start:
            return "not_started"
        if self.window_end and now >= self.window_end:
            return "closed"
        return "open"

    def effective_limit(self, question_count: int) -> dict:
        """The time an attempt really has, as its clock will show it: the per-attempt limit, or less
        when the time per question times the questions is shorter (the deadline is the earlier)."""
        seconds = self.time_limit_minutes * 60
        per_question = self.question_seconds * question_count if self.question_seconds else 0
        if per_question and per_question < seconds:
            seconds = per_question
        return {"minutes": seconds // 60, "seconds": seconds % 60, "by_question": seconds == per_question}

    def reveals_answers(self, now: datetime.datetime) -> bool:
        """Whether a closed attempt's review may show correct answers and explanations now."""
        if self.show_explanations == "after_attempt":
            return True
        return bool(self.window_end and now >= self.window_end)

    def rules_snapshot(self) -> dict:
        """The rules an attempt keeps from its start: later edits of the contest do not change it."""
        return {
            "points": {k: float(self.points.get(k, DEFAULT_POINTS[k])) for k in DEFAULT_POINTS},
            "question_seconds": int(self.question_seconds), "speed_bonus": float(self.speed_bonus),
            "pass_percent": float(self.pass_percent), "hours": float(self.hours), "hours_when": self.hours_when,
            "counting": self.counting, "title": self.title,
        }


def points_problem(points) -> str | None:
    """A translated message when a points table is not one number from 0 to 100 per question type,
    naming the question types that are wrong."""
    if not isinstance(points, dict) or set(points) != set(DEFAULT_POINTS):
        return _("Give points from 0 to 100 for each question type.")
    labels = dict(QuestionType.choices)
    wrong = [str(labels[key]) for key, value in points.items()
             if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100]
    if not wrong:
        return None
    return _("Points for %(types)s: give a number from 0 to 100.") % {"types": _(", ").join(wrong)}


# --- the draw ---------------------------------------------------------------------------------
def _rule_queryset(rule: DrawRule, bank_ids: dict[str, int]):
    qs = Question.objects.filter(bank_id=bank_ids.get(rule.bank), active=True)
    if rule.category:
        qs = qs.filter(category=rule.category)
    if rule.difficulty:
        qs = qs.filter(difficulty=rule.difficulty)
    return qs


def check_draw_rules(rules: list[DrawRule]) -> list[str]:
    """Problems with draw rules, translated (empty when every rule can be drawn)."""
    problems = []
    if not rules:
        return [_("Add at least one draw rule.")]
    bank_ids = dict(QuestionBank.objects.filter(code__in={r.bank for r in rules}).values_list("code", "id"))
    total = 0
    for number, rule in enumerate(rules, start=1):
        total += rule.count
        if rule.bank not in bank_ids:
            problems.append(_("Rule %(n)d: there is no question bank with the code \"%(code)s\".")
                            % {"n": number, "code": rule.bank})
            continue
        available = _rule_queryset(rule, bank_ids).count()
        if available < rule.count:
            problems.append(_("Rule %(n)d asks for %(count)d questions but the bank has %(available)d that match.")
                            % {"n": number, "count": rule.count, "available": available})
    if total > MAX_QUESTIONS:
        problems.append(_("A contest has at most %(max)d questions.") % {"max": MAX_QUESTIONS})
    return problems


def draw_questions(config: ContestConfig, rng: random.Random) -> tuple[list[int], dict[str, list[int]], float]:
    """Question ids for a new attempt, the shown order of each choice question's options, and the
    attempt's maximum score.

    Rules are drawn in order; a question drawn by an earlier rule is not drawn again.
    """
    bank_ids = dict(QuestionBank.objects.filter(code__in={r.bank for r in config.draw_rules})
                    .values_list("code", "id"))
    picked: list[int] = []
    taken: set[int] = set()
    for rule in config.draw_rules:
        candidates = [pk for pk in _rule_queryset(rule, bank_ids).values_list("id", flat=True) if pk not in taken]
        if len(candidates) < rule.count:
            raise ContestError(_("The contest cannot draw its questions; please tell the course staff."), status=409)
        chosen = rng.sample(candidates, rule.count)
        picked.extend(chosen)
        taken.update(chosen)
    if not picked:
        raise ContestError(_("The contest has no questions yet."), status=409)
    if config.shuffle_questions:
        rng.shuffle(picked)
    orders: dict[str, list[int]] = {}
    points = config.rules_snapshot()["points"]
    max_score = 0.0
    for pk, qtype, options in Question.objects.filter(id__in=picked).values_list("id", "qtype", "options"):
        max_score += points[qtype]
        if config.shuffle_options and qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            order = list(range(len(options)))
            rng.shuffle(order)
            orders[str(pk)] = order
    return picked, orders, max_score


# --- the Studio editor's choices ----------------------------------------------------------------
def difficulty_choices() -> list[tuple[str, str]]:
    """Draw-rule difficulties as the editor offers them: any, then easy to hard."""
    return [("", str(_("Any difficulty")))] + [(DIFFICULTY_NAMES[d.value], str(d.label)) for d in Difficulty]


def point_types(points: dict) -> list[dict]:
    """One row per question type for the editor: key, label and the current points."""
    labels = dict(QuestionType.choices)
    return [{"key": key, "label": str(labels[key]), "value": f"{float(points.get(key, default)):g}"}
            for key, default in DEFAULT_POINTS.items()]
