"""The knowledge contest block (knowledge_contest, 知识竞赛): timed, randomized attempts drawn from
question banks, with leaderboards by person and by branch.

Thin: authored settings are fields that round-trip through OLX (``xblocks.olx``); the draw, the
clock, scoring, leaderboards and every piece of learner data are in the area
``edx_plugin.knowledge_contest`` (config, attempts, scoring, leaderboards, payloads).
"""
from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String

from party_training.edx_plugin.knowledge_contest import attempts, banks, leaderboards, payloads, scoring, titles
from party_training.edx_plugin.knowledge_contest.config import (
    DEFAULT_POINTS, MAX_QUESTIONS, ContestConfig, ContestError, check_draw_rules, draw_rule_dict, draw_rule_problems, parse_draw_rule,
    difficulty_choices, point_types, points_problem,
)

from .knowledge_contest_live import LiveGameMixin
from .fields import CreditHoursMixin, IsoDateTime, credit_hours_field, legacy_hours_field
from .mixins import HandlerError, PartyBlockMixin, StudioEditorMixin, json_handler
from .olx import OLXError, read_attributes, write_attributes

# OLX: the scalar fields are attributes of <knowledge_contest> (credit_hours also read from the old
# "hours"); the intro, the draw rules and the points are children.
CHILD_FIELDS = ("intro", "draw_rules", "points")


def _choices(*pairs):
    return [{"value": value, "display_name": label} for value, label in pairs]


class KnowledgeContestBlock(LiveGameMixin, CreditHoursMixin, StudioEditorMixin, PartyBlockMixin, XBlock):
    """A knowledge contest: start an attempt, answer question by question, submit, see rank."""

    block_settings_key = "knowledge_contest"
    has_score = True
    icon_class = "problem"

    display_name = String(display_name=gettext_lazy("Title"), default="知识竞赛", scope=Scope.settings)
    intro = String(display_name=gettext_lazy("Introduction"), default="", scope=Scope.content,
                   multiline_editor=True, help=gettext_lazy("Plain text shown above the start button."))
    draw_rules = List(
        display_name=gettext_lazy("Draw rules"), default=[], scope=Scope.content,
        help=gettext_lazy("Each rule draws a number of questions from a bank, optionally only of a category and a "
                          "difficulty. Rules are drawn in order; a question drawn by an earlier rule is not drawn "
                          "again."),
    )
    shuffle_questions = Boolean(display_name=gettext_lazy("Shuffle questions"), default=True, scope=Scope.settings)
    shuffle_options = Boolean(display_name=gettext_lazy("Shuffle options"), default=True, scope=Scope.settings)
    time_limit_minutes = Integer(display_name=gettext_lazy("Time limit per attempt (minutes)"), default=20,
                                 scope=Scope.settings, minimum=1, maximum=600)
    question_seconds = Integer(
        display_name=gettext_lazy("Time limit per question (seconds)"), default=0, scope=Scope.settings,
        minimum=0, maximum=3600,
        help=gettext_lazy("0: no limit per question. With a limit, questions are answered in order."),
    )
    window_start = IsoDateTime(display_name=gettext_lazy("Contest opens"), default=None, scope=Scope.settings)
    window_end = IsoDateTime(display_name=gettext_lazy("Contest closes"), default=None, scope=Scope.settings)
    max_attempts = Integer(display_name=gettext_lazy("Attempts allowed"), default=1, scope=Scope.settings,
                           minimum=0, maximum=100, help=gettext_lazy("0: unlimited."))
    counting = String(
        display_name=gettext_lazy("Attempt that counts"), default="best", scope=Scope.settings,
        values=_choices(("best", gettext_lazy("The best attempt")), ("last", gettext_lazy("The last attempt"))),
    )
    points = Dict(
        display_name=gettext_lazy("Points per question type"), default=dict(DEFAULT_POINTS), scope=Scope.content,
        help=gettext_lazy("Points for a right answer, per question type (0 to 100)."),
    )
    speed_bonus = Float(
        display_name=gettext_lazy("Speed bonus (points)"), default=0.0, scope=Scope.settings, minimum=0, maximum=100,
        help=gettext_lazy("At most this many extra points: the share of time left times the share of points won. "
                          "0: no bonus."),
    )
    show_explanations = String(
        display_name=gettext_lazy("Show answers and explanations"), default="after_attempt", scope=Scope.settings,
        values=_choices(("after_attempt", gettext_lazy("After each attempt")),
                        ("after_window", gettext_lazy("After the contest closes"))),
    )
    leaderboard_individual = Boolean(display_name=gettext_lazy("Individual leaderboard"), default=True,
                                     scope=Scope.settings)
    leaderboard_branch = String(
        display_name=gettext_lazy("Branch leaderboard"), default="average", scope=Scope.settings,
        values=_choices(("none", gettext_lazy("None")), ("average", gettext_lazy("Average score of the branch")),
                        ("total", gettext_lazy("Total score of the branch"))),
    )
    leaderboard_size = Integer(display_name=gettext_lazy("Leaderboard size (top N)"), default=20,
                               scope=Scope.settings, minimum=1, maximum=100)
    leaderboard_anonymous = Boolean(display_name=gettext_lazy("Anonymous leaderboard"), default=False,
                                    scope=Scope.settings,
                                    help=gettext_lazy("Hide other participants' names."))
    pass_percent = Float(display_name=gettext_lazy("Pass mark (percent)"), default=60.0, scope=Scope.settings,
                         minimum=0, maximum=100)
    credit_hours = credit_hours_field(help_text=gettext_lazy("Hours credited once per learner; 0: none."))
    # Courses authored before the shared name keep their hours under "hours" (OLX and stored data).
    hours = legacy_hours_field()
    hours_when = String(
        display_name=gettext_lazy("Credit hours when"), default="pass", scope=Scope.settings,
        values=_choices(("pass", gettext_lazy("The learner passes")),
                        ("finish", gettext_lazy("The learner finishes an attempt"))),
    )
    weight = Float(display_name=gettext_lazy("Grade weight"), default=1.0, scope=Scope.settings,
                   minimum=0, maximum=1000, help=gettext_lazy("Weight of the published grade; 0: not graded."))

    editable_fields = (
        "display_name", "intro", "draw_rules", "shuffle_questions", "shuffle_options", "time_limit_minutes",
        "question_seconds", "window_start", "window_end", "max_attempts", "counting", "points", "speed_bonus",
        "show_explanations", "leaderboard_individual", "leaderboard_branch", "leaderboard_size",
        "leaderboard_anonymous", "pass_percent", "credit_hours", "hours_when", "weight",
    )

    # --- configuration ------------------------------------------------------------------------
    def config(self) -> ContestConfig:
        rules = []
        for raw in self.draw_rules:
            try:
                rules.append(parse_draw_rule(raw))
            except (ValueError, KeyError, TypeError):
                continue  # the Studio editor and OLX import refuse bad rules; stored data may still hold one
        return ContestConfig(
            course_id=self.course_id_str, usage_id=self.usage_id_str, draw_rules=rules,
            shuffle_questions=self.shuffle_questions, shuffle_options=self.shuffle_options,
            time_limit_minutes=self.time_limit_minutes, question_seconds=self.question_seconds,
            window_start=self.window_start, window_end=self.window_end, max_attempts=self.max_attempts,
            counting=self.counting, points=self.points, speed_bonus=self.speed_bonus,
            show_explanations=self.show_explanations, pass_percent=self.pass_percent,
            hours=float(self.credit_hours_value()), hours_when=self.hours_when, title=self.display_name or "",
        )

    def max_score(self):
        return self.weight

    def validate_studio_values(self, values: dict) -> dict:
        """Checks across fields and of the JSON fields; each field's bounds are declared on the field."""
        merged = {name: values.get(name, getattr(self, name)) for name in self.editable_fields}
        errors = {}
        rules, problems = draw_rule_problems(merged["draw_rules"])
        problems = problems or check_draw_rules(rules)
        if problems:
            errors["draw_rules"] = " ".join(problems)
        if merged["window_start"] and merged["window_end"] and merged["window_end"] <= merged["window_start"]:
            errors["window_end"] = _("The contest must close after it opens.")
        if merged["show_explanations"] == "after_window" and not merged["window_end"]:
            errors["show_explanations"] = _("Set when the contest closes, or show answers after each attempt.")
        problem = points_problem(merged["points"])
        if problem:
            errors["points"] = problem
        for name in ("counting", "show_explanations", "leaderboard_branch", "hours_when"):
            if merged[name] not in {c["value"] for c in self.fields[name].values}:
                errors[name] = _("This value is not valid.")
        if "draw_rules" not in errors and "draw_rules" in values:
            values["draw_rules"] = [draw_rule_dict(rule) for rule in rules]
        return errors

    def studio_row_schema(self, name: str) -> dict | None:
        """The draw rules as rows: a bank of the course or the site, a category, a difficulty, a count."""
        if name != "draw_rules":
            return None
        current = [str(rule.get("bank", "")) for rule in self.draw_rules if isinstance(rule, dict)]
        return {"columns": [
            {"key": "bank", "label": _("Question bank"), "kind": "choice", "required": True, "choices": [("", _("Choose a bank"))] + [
                (code, f"{name} ({code})") for code, name in banks.draw_bank_choices(self.course_id_str, current)]},
            {"key": "category", "label": _("Category (empty: any)"), "kind": "text", "max": 100},
            {"key": "difficulty", "label": _("Difficulty"), "kind": "choice", "choices": difficulty_choices()},
            {"key": "count", "label": _("Number of questions"), "kind": "int", "required": True, "min": 1,
             "max": MAX_QUESTIONS, "default": 1}]}

    def studio_keyed_schema(self, name: str) -> dict | None:
        """The points as one number per question type."""
        if name != "points":
            return None
        return {"keys": [{"key": row["key"], "label": row["label"], "kind": "number", "required": True, "min": 0,
                          "max": 100} for row in point_types(self.points)]}

    # --- OLX ------------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        block = runtime.construct_xblock_from_class(cls, keys)
        read_attributes(block, node, [name for name in cls.editable_fields if name not in CHILD_FIELDS])
        intro = node.find("intro")
        if intro is not None:
            block.intro = intro.text or ""
        rules = []
        for rule in node.iterfind("draw"):
            raw = {"bank": rule.get("bank", ""), "category": rule.get("category", ""),
                   "difficulty": rule.get("difficulty", ""), "count": rule.get("count", "1")}
            try:
                rules.append(draw_rule_dict(parse_draw_rule(raw)))
            except (ValueError, KeyError) as exc:
                raise block._olx_error("draw", etree.tostring(rule, encoding="unicode").strip()) from exc
        if rules:
            block.draw_rules = rules
        points = node.find("points")
        if points is not None:
            values = {}
            for key in DEFAULT_POINTS:
                raw = points.get(key, str(DEFAULT_POINTS[key]))
                try:
                    values[key] = float(raw)
                except ValueError as exc:
                    raise block._olx_error(f"points.{key}", raw) from exc
            problem = points_problem(values)
            if problem:
                raise block._olx_error("points", etree.tostring(points, encoding="unicode").strip(), problem)
            block.points = values
        return block

    def _olx_error(self, name: str, raw: str, reason: str = "") -> OLXError:
        return OLXError(self.scope_ids.block_type, str(self.scope_ids.usage_id), name, raw, reason)

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        write_attributes(self, node, [name for name in self.editable_fields if name not in CHILD_FIELDS])
        if self.intro:
            etree.SubElement(node, "intro").text = self.intro
        for rule in self.draw_rules:
            child = etree.SubElement(node, "draw", bank=str(rule.get("bank", "")), count=str(rule.get("count", 1)))
            if rule.get("category"):
                child.set("category", str(rule["category"]))
            if rule.get("difficulty"):
                child.set("difficulty", str(rule["difficulty"]))
        if self.fields["points"].is_set_on(self):
            etree.SubElement(node, "points", {key: f"{float(self.points.get(key, 0)):g}" for key in DEFAULT_POINTS})

    # --- views ----------------------------------------------------------------------------------
    def _staff_links(self) -> dict:
        try:
            return {
                "live": reverse("party_training:contest_live", kwargs={"usage_id": self.usage_id_str}),
                "banks": reverse("party_training:contest_banks"),
            }
        except NoReverseMatch:
            return {}

    def student_view(self, context=None):
        user_id = self.current_user_id()
        # Remembered for the plugin's own pages (question banks, live view), which run outside any block.
        staff = user_id is not None and self.remember_course_staff()
        if staff:
            titles.remember_title(self.usage_id_str, self.course_id_str, self.display_name)
        config = self.config()
        question_count = sum(rule.count for rule in config.draw_rules)
        context = {
            "title": self.display_name, "intro": self.intro, "config": config, "ready": bool(config.draw_rules),
            "question_count": question_count, "limit": config.effective_limit(question_count),
            "signed_in": user_id is not None, "staff": staff,
            "links": self._staff_links() if staff else {},
            "window_start": timezone.localtime(self.window_start) if self.window_start else None,
            "window_end": timezone.localtime(self.window_end) if self.window_end else None,
        }
        return self.render_fragment(
            "knowledge_contest/block.html", context, css="knowledge_contest.css",
            js=["knowledge_contest_game_player.js", "knowledge_contest.js"],
            init_fn="KnowledgeContestBlock",
            # No learner data in the page: it comes from the state handler as JSON, so no question text
            # ever sits inside the page's inline script data (where "</script>" could end the tag).
            js_args={"ready": context["ready"] and user_id is not None, "staff": staff,
                     "live": self.live_summary() if user_id is not None and context["ready"] else None},
        )

    # --- learner handlers -----------------------------------------------------------------------
    def _publish_pending_grade(self, user_id: int) -> None:
        """Publish the counted result if the grades service has not seen it (also after the sweep)."""
        fraction = scoring.mark_grade_published(self.usage_id_str, user_id)
        if fraction is None:
            return
        if self.weight:
            self.runtime.publish(self, "grade", {"value": round(fraction * self.weight, 4),
                                                 "max_value": self.weight})
        self.runtime.publish(self, "completion", {"completion": 1.0})

    def _state(self, user_id: int) -> dict:
        state = payloads.learner_state(user_id, self.config())
        self._publish_pending_grade(user_id)
        state["leaderboard"] = self._boards(user_id) if state["last"] else None
        return state

    def _boards(self, user_id: int) -> dict:
        boards = {}
        if self.leaderboard_individual:
            boards["individual"] = leaderboards.leaderboard(self.usage_id_str, user_id, self.leaderboard_size,
                                                            self.leaderboard_anonymous)
        if self.leaderboard_branch != "none":
            boards["branch"] = leaderboards.branch_leaderboard(self.usage_id_str, self.leaderboard_branch, user_id,
                                                               self.leaderboard_size)
        return boards

    def _attempt_id(self, data) -> int:
        try:
            return int(data.get("attempt"))
        except (TypeError, ValueError):
            raise HandlerError(_("The request is missing the attempt.")) from None

    def _closed(self, exc: ContestError):
        """A refused action: when the attempt got closed, the learner's grade is published now."""
        if exc.code == "closed":
            self._publish_pending_grade(self.current_user_id())
        raise exc

    @json_handler(role="learner")
    def state(self, data, suffix=""):
        return self._state(self.current_user_id())

    @json_handler(role="learner")
    def start(self, data, suffix=""):
        if not self.config().draw_rules:
            raise HandlerError(_("The contest has no questions yet."), 409)
        try:
            attempts.start_attempt(self.current_user_id(), self.config())
        except ContestError as exc:
            self._closed(exc)
        return self._state(self.current_user_id())

    @json_handler(role="learner")
    def answer(self, data, suffix=""):
        try:
            question_id = int(data.get("question"))
        except (TypeError, ValueError):
            raise HandlerError(_("The request is missing the question.")) from None
        try:
            return attempts.save_answer(self.current_user_id(), self.usage_id_str, self._attempt_id(data),
                                        question_id, data.get("response"))
        except ContestError as exc:
            return self._closed(exc)

    @json_handler(role="learner")
    def next_question(self, data, suffix=""):
        try:
            attempts.next_question(self.current_user_id(), self.usage_id_str, self._attempt_id(data))
        except ContestError as exc:
            self._closed(exc)
        return self._state(self.current_user_id())

    @json_handler(role="learner")
    def submit(self, data, suffix=""):
        try:
            attempts.submit_attempt(self.current_user_id(), self.usage_id_str, self._attempt_id(data))
        except ContestError as exc:
            self._closed(exc)
        return self._state(self.current_user_id())

    # --- staff handlers -------------------------------------------------------------------------
    @json_handler(role="staff")
    def reset_learner(self, data, suffix=""):
        return attempts.reset_learner_named(self.usage_id_str, data.get("username", ""))


__all__ = ["KnowledgeContestBlock"]
