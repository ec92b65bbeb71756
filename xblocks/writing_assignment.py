"""Writing assignment block (writing_assignment): reading notes, reflections, study plans and
summaries, research reports and contest essays. Learners draft (autosaved), submit, follow the
grading and revise when a piece is returned; grading happens in the plugin's grading queue.

The block is thin: rules live in ``edx_plugin.writing_assignment`` (what the learner may do comes
from its ``access`` rule, the same one the handlers' refusals use).
"""
from __future__ import annotations

import json

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String

from party_training.edx_plugin.core.text import COUNTING_RULE_HELP, sanitize_html
from party_training.edx_plugin.writing_assignment import assignments, drafts, showcase, submissions
from party_training.edx_plugin.writing_assignment.access import assignment_access
from party_training.edx_plugin.core.rubrics import rubric_points_possible, rubric_rows, validate_rubric

from .fields import CreditHoursMixin, IsoDateTime, credit_hours_field, legacy_hours_field
from .mixins import PartyBlockMixin, StudioEditorMixin, json_handler
from .studio_rows import RUBRIC_ROWS
from .olx import inner_html, read_attributes, read_rubric, whole_number, write_attributes, write_rubric

SCALAR_FIELDS = (
    "display_name", "kind", "book_title", "book_author", "min_chars", "max_chars", "due", "grading_flow",
    "pass_percent", "credit_hours", "showcase_enabled", "weight",
)


class WritingAssignmentBlock(CreditHoursMixin, StudioEditorMixin, PartyBlockMixin, XBlock):
    """读书笔记 / 心得体会 / 学习计划 / 学习总结 / 调研报告 / 征文."""

    has_score = True
    icon_class = "problem"

    display_name = String(display_name=gettext_lazy("Display name"), default="Writing assignment",
                          scope=Scope.settings)
    kind = String(display_name=gettext_lazy("Kind"), default=assignments.DEFAULT_KIND, scope=Scope.settings,
                  values=assignments.kind_values())
    prompt = String(display_name=gettext_lazy("Prompt"), default="", scope=Scope.content,
                    multiline_editor=True, help=gettext_lazy("What learners should write. Basic HTML is allowed."))
    book_title = String(display_name=gettext_lazy("Book title"), default="", scope=Scope.content,
                        help=gettext_lazy("Reading notes only: the book to read."))
    book_author = String(display_name=gettext_lazy("Book author"), default="", scope=Scope.content)
    min_chars = Integer(display_name=gettext_lazy("Minimum length (characters)"), default=0, scope=Scope.settings,
                        minimum=0, maximum=assignments.HARD_MAX_CHARS, help=COUNTING_RULE_HELP)
    max_chars = Integer(display_name=gettext_lazy("Maximum length (characters)"), default=5000, scope=Scope.settings,
                        minimum=1, maximum=assignments.HARD_MAX_CHARS, help=COUNTING_RULE_HELP)
    due = IsoDateTime(display_name=gettext_lazy("Due"), default=None, scope=Scope.settings)
    rubric = List(display_name=gettext_lazy("Rubric"), default=[], scope=Scope.content, help=gettext_lazy(
        "One criterion per row, each with at least two levels of whole points (e.g. Excellent 40, Fair 20). "
        "The maximum score is the sum of each criterion's highest level."))
    grading_flow = String(display_name=gettext_lazy("Grading flow"), default=assignments.DEFAULT_FLOW,
                          scope=Scope.settings, values=assignments.flow_values())
    pass_percent = Integer(display_name=gettext_lazy("Passing score (percent of the maximum)"), default=60,
                           scope=Scope.settings, minimum=0, maximum=100)
    credit_hours = credit_hours_field(help_text=gettext_lazy(
        "Credited once to the author's hours ledger when the piece passes (0: none)."))
    # Before the blocks shared ``credit_hours`` (stored data and old OLX ``hours="2"`` still count).
    hours = legacy_hours_field()
    award_tiers = Dict(display_name=gettext_lazy("Award tiers (contests)"), default=assignments.DEFAULT_TIERS,
                       scope=Scope.settings, help=gettext_lazy(
                           "How many first, second and third prizes and honourable mentions."))
    showcase_enabled = Boolean(display_name=gettext_lazy("Showcase excellent pieces"), default=True,
                               scope=Scope.settings)
    weight = Float(display_name=gettext_lazy("Problem weight"), default=1.0, scope=Scope.settings, minimum=0)

    studio_rows = {"rubric": RUBRIC_ROWS}
    studio_rich_text = ("prompt",)

    editable_fields = (
        "display_name", "kind", "prompt", "book_title", "book_author", "min_chars", "max_chars", "due", "rubric",
        "grading_flow", "pass_percent", "credit_hours", "award_tiers", "showcase_enabled", "weight",
    )

    # --- grading contract ------------------------------------------------------------------
    def max_score(self):
        return float(rubric_points_possible(self.rubric))

    def _assignment(self):
        """The plugin's copy of this block's settings, kept current."""
        return assignments.sync_assignment(assignments.AssignmentSettings.from_block(
            course_id=self.course_id_str, usage_id=self.usage_id_str,
            title=self.display_name or str(self.fields["display_name"].default), kind=self.kind,
            flow=self.grading_flow, rubric=self.rubric, pass_percent=self.pass_percent,
            hours=self.credit_hours_value(), min_chars=self.min_chars, max_chars=self.max_chars, due=self.due,
            award_tiers=self.award_tiers,
        ))

    # --- views -----------------------------------------------------------------------------
    def _queue_url(self) -> str:
        try:
            return reverse("party_training:grading_queue", kwargs={"course_id": self.course_id_str}) \
                + "?block=" + self.usage_id_str
        except NoReverseMatch:
            return ""

    def student_view(self, context=None):
        user = self.current_django_user()
        assignment = self._assignment()
        state = submissions.learner_state(user, assignment) if user else {"draft": None, "submission": None}
        submission = state.get("submission")
        if submission is not None and submissions.mark_grade_published(submission):
            self.runtime.publish(self, "grade", {"value": float(submission.score),
                                                 "max_value": float(assignment.points_possible)})
        access = assignment_access(user, assignment, submission)
        draft = state.get("draft")
        is_staff = self.remember_course_staff()  # the grading queue page checks the record
        context = {
            "block": self, "kind_label": assignments.kind_label(self.kind),
            "reading_notes": assignments.is_reading_notes(self.kind),
            "prompt": sanitize_html(self.prompt), "assignment": assignment, "submission": submission,
            "status_label": assignments.status_label(submission.status) if submission else "",
            "released": submissions.is_released(submission), "proposed": submissions.is_proposed(submission),
            "returned": access.returned, "access": access, "editable": access.may_edit,
            "feedback": state.get("feedback", ""), "judge_comments": state.get("judge_comments", []),
            "award": assignments.award_label(submission.award) if submission else "",
            "rubric_rows": rubric_rows(self.rubric, state.get("selections")), "signed_in": user is not None,
            "title": draft.title if draft else (submission.title if submission else ""),
            "text": draft.text if draft else (submission.text if submission else ""),
            "draft": draft, "draft_revision": draft.revision if draft else 0,
            "showcase": showcase.showcase_pieces(self.usage_id_str) if self.showcase_enabled else [],
            "showcase_choices": assignments.showcase_choices(),
            "showcase_choice": submission.showcase_choice if submission else assignments.DEFAULT_SHOWCASE_CHOICE,
            "is_contest": assignments.is_contest(self.grading_flow), "is_staff": is_staff,
            "queue_url": self._queue_url() if is_staff else "",
            "uid": self.usage_id_str.replace(":", "-").replace("+", "-").replace("@", "-"),
        }
        return self.render_fragment(
            "writing_assignment/block.html", context, js="writing_assignment.js", css="writing_assignment.css",
            init_fn="WritingAssignmentBlock", js_args={
                "revision": context["draft_revision"], "editable": access.may_edit,
                "minChars": self.min_chars, "maxChars": self.max_chars,
                "storageKey": f"party-writing:{self.usage_id_str}:{self.current_user_id()}",
                "serverUpdated": draft.updated.isoformat() if draft else "",
            },
        )

    # --- handlers (each refused when the access rule says the editor is read-only) ------------
    @json_handler(role="learner")
    def save_draft(self, data, suffix=""):
        result = drafts.save_draft(
            self.current_django_user(), self._assignment(), title=data.get("title", ""),
            text=data.get("text", ""), revision=data.get("revision"), force=bool(data.get("force")),
        )
        payload = {"saved": result.saved, "revision": result.revision, "conflict": result.conflict,
                   "time": timezone.localtime(result.updated).strftime("%H:%M:%S") if result.updated else ""}
        if result.conflict:
            payload.update(result.values)
        return payload

    @json_handler(role="learner")
    def submit(self, data, suffix=""):
        submission = submissions.submit(
            self.current_django_user(), self._assignment(), title=data.get("title", ""),
            text=data.get("text", ""), student_id=self.student_id(),
            showcase_choice=str(data.get("showcase_choice", assignments.DEFAULT_SHOWCASE_CHOICE)),
        )
        return {"status": submission.status, "attempt": submission.attempt,
                "message": _("Your piece has been submitted for grading.")}

    # --- Studio ----------------------------------------------------------------------------
    def _editor_field(self, name: str) -> dict:
        shown = super()._editor_field(name)
        if name == "credit_hours":  # a block authored with the old ``hours`` shows (and keeps) them
            shown["value"] = float(self.credit_hours_value())
        return shown

    def studio_keyed_schema(self, name: str) -> dict | None:
        """The award tiers as one whole number per prize the plugin's award rules know."""
        if name != "award_tiers":
            return None
        return {"keys": [{"key": tier, "label": assignments.award_label(tier), "kind": "int", "required": True,
                          "min": 0, "max": 1000, "default": 0} for tier in assignments.AWARD_TIERS]}

    def validate_studio_values(self, values: dict) -> dict:
        """Checks across fields (each field's own bounds are checked from its declaration)."""
        errors = {}
        if "rubric" in values:
            problems = validate_rubric(values["rubric"])
            if problems:
                errors["rubric"] = " ".join(problems)
        if values.get("min_chars", self.min_chars) > values.get("max_chars", self.max_chars):
            errors["min_chars"] = _("The minimum cannot be above the maximum.")
        if not assignments.valid_award_tiers(values.get("award_tiers", self.award_tiers)):
            errors["award_tiers"] = _("Use the keys first, second, third and honourable with whole numbers.")
        if "prompt" in values:
            values["prompt"] = sanitize_html(values["prompt"])
        return errors

    @json_handler(role="staff")
    def studio_submit(self, data, suffix=""):
        response = StudioEditorMixin.studio_submit.__wrapped__(self, data, suffix)
        if getattr(response, "status_code", 200) == 200:
            self._assignment()  # the grading queue sees the new settings at once
        return response

    # --- OLX -------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        block = runtime.construct_xblock_from_class(cls, keys)
        read_attributes(block, node, SCALAR_FIELDS)
        prompt = node.find("prompt")
        if prompt is not None:
            block.prompt = sanitize_html(inner_html(prompt))
        rubric = read_rubric(block, node)
        if rubric is not None:
            block.rubric = rubric
        awards = node.find("awards")
        if awards is not None:
            block.award_tiers = {a.get("tier"): whole_number(block, "award_tiers", a.get("count"))
                                 for a in awards.iterfind("award") if a.get("tier") in assignments.AWARD_TIERS}
        return block

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        node.set("url_name", self.scope_ids.usage_id.block_id)
        write_attributes(self, node, SCALAR_FIELDS)
        if not self.fields["credit_hours"].is_set_on(self) and self.credit_hours_value():
            node.set("credit_hours", repr(float(self.credit_hours_value())))  # stored under the old name
        if self.prompt:
            etree.SubElement(node, "prompt").text = etree.CDATA(self.prompt)
        write_rubric(node, self.rubric)
        if self.fields["award_tiers"].is_set_on(self):
            awards = etree.SubElement(node, "awards")
            for tier, count in self.award_tiers.items():
                etree.SubElement(awards, "award", tier=str(tier), count=str(count))

    def student_view_data(self, context=None):
        """For the mobile apps: the assignment without any learner's data."""
        return {"kind": self.kind, "prompt": sanitize_html(self.prompt), "min_chars": self.min_chars,
                "max_chars": self.max_chars, "due": self.due.isoformat() if self.due else None,
                "rubric": json.loads(json.dumps(self.rubric)), "max_score": self.max_score()}

