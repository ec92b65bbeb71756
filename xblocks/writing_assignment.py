"""Writing assignment block: reading notes, reflections, study plans and summaries, research
reports and contest essays. Learners draft (autosaved), submit, follow the grading and
revise when a piece is returned; grading happens in the plugin's grading queue.

The block is thin: rules live in ``edx_plugin.services.writing``.
"""
from __future__ import annotations

import json
from decimal import Decimal

import nh3
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from xblock.core import XBlock
from xblock.fields import Boolean, DateTime, Dict, Float, Integer, List, Scope, String

from party_training.edx_plugin.writing_assignment.models import GradingFlow, ShowcaseChoice, WritingKind, WritingStatus
from party_training.edx_plugin.writing_assignment import rules as svc

from .mixins import HandlerError, PartyBlockMixin, StudioEditorMixin, json_handler

SCALAR_FIELDS = (
    "display_name", "kind", "book_title", "book_author", "min_chars", "max_chars", "due", "grading_flow",
    "pass_percent", "hours", "showcase_enabled", "weight",
)
DEFAULT_TIERS = {"first": 1, "second": 2, "third": 3, "honourable": 5}
PROMPT_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a", "span"}


def sanitize_prompt(html: str) -> str:
    return nh3.clean(html or "", tags=PROMPT_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"})


def _choices(enum) -> list[dict]:
    return [{"value": value, "display_name": label} for value, label in enum.choices]


class WritingAssignmentBlock(StudioEditorMixin, PartyBlockMixin, XBlock):
    """读书笔记 / 心得体会 / 学习计划 / 学习总结 / 调研报告 / 征文."""

    has_score = True
    icon_class = "problem"

    display_name = String(display_name=gettext_lazy("Display name"), default="Writing assignment",
                          scope=Scope.settings)
    kind = String(display_name=gettext_lazy("Kind"), default=WritingKind.REFLECTION, scope=Scope.settings,
                  values=_choices(WritingKind))
    prompt = String(display_name=gettext_lazy("Prompt"), default="", scope=Scope.content,
                    multiline_editor=True, help=gettext_lazy("What learners should write. Basic HTML is allowed."))
    book_title = String(display_name=gettext_lazy("Book title"), default="", scope=Scope.content,
                        help=gettext_lazy("Reading notes only: the book to read."))
    book_author = String(display_name=gettext_lazy("Book author"), default="", scope=Scope.content)
    min_chars = Integer(display_name=gettext_lazy("Minimum length (characters)"), default=0, scope=Scope.settings,
                        help=gettext_lazy("Each Chinese character counts as one character."))
    max_chars = Integer(display_name=gettext_lazy("Maximum length (characters)"), default=5000, scope=Scope.settings)
    due = DateTime(display_name=gettext_lazy("Due"), default=None, scope=Scope.settings)
    rubric = List(display_name=gettext_lazy("Rubric"), default=[], scope=Scope.content, help=gettext_lazy(
        'Criteria with levels and whole points, e.g. [{"name": "Content", "levels": '
        '[{"name": "Excellent", "points": 40}, {"name": "Fair", "points": 20}]}]. '
        "The maximum score is the sum of each criterion's highest level."))
    grading_flow = String(display_name=gettext_lazy("Grading flow"), default=GradingFlow.SINGLE,
                          scope=Scope.settings, values=_choices(GradingFlow))
    pass_percent = Integer(display_name=gettext_lazy("Passing score (percent of the maximum)"), default=60,
                           scope=Scope.settings)
    hours = Float(display_name=gettext_lazy("Credit hours for passing work"), default=0, scope=Scope.settings)
    award_tiers = Dict(display_name=gettext_lazy("Award tiers (contests)"), default=DEFAULT_TIERS,
                       scope=Scope.settings, help=gettext_lazy(
                           "How many first, second and third prizes and honourable mentions."))
    showcase_enabled = Boolean(display_name=gettext_lazy("Showcase excellent pieces"), default=True,
                               scope=Scope.settings)
    weight = Float(display_name=gettext_lazy("Problem weight"), default=1.0, scope=Scope.settings)

    editable_fields = (
        "display_name", "kind", "prompt", "book_title", "book_author", "min_chars", "max_chars", "due", "rubric",
        "grading_flow", "pass_percent", "hours", "award_tiers", "showcase_enabled", "weight",
    )

    # --- grading contract ------------------------------------------------------------------
    def max_score(self):
        return float(svc.rubric_points_possible(self.rubric))

    def _settings(self) -> svc.AssignmentSettings:
        possible = svc.rubric_points_possible(self.rubric)
        return svc.AssignmentSettings(
            course_id=self.course_id_str, usage_id=self.usage_id_str,
            title=self.display_name or str(self.fields["display_name"].default), kind=self.kind,
            flow=self.grading_flow, rubric=self.rubric,
            pass_points=possible * Decimal(max(0, min(100, self.pass_percent))) / 100,
            hours=Decimal(str(max(0.0, self.hours or 0))), min_chars=max(0, self.min_chars),
            max_chars=max(0, self.max_chars), due=self.due, award_tiers=self.award_tiers or {},
        )

    def _assignment(self):
        return svc.sync_assignment(self._settings())

    def _student_id(self) -> str:
        """The anonymous id the LMS uses for this learner and course (as ORA does); the user id
        where the runtime has no anonymous ids (the demo site)."""
        service = self.runtime.service(self, "user")
        anonymous = getattr(service, "get_anonymous_user_id", None)
        user = self._xblock_user()
        username = user.opt_attrs.get("edx-platform.username")
        if anonymous and username:
            value = anonymous(username, self.course_id_str)
            if value:
                return str(value)
        return str(self.current_user_id())

    # --- views -----------------------------------------------------------------------------
    def _strings(self) -> dict:
        return {
            "saving": _("Saving…"), "saved": _("Draft saved at %(time)s"),
            "offline": _("Not saved: no connection. Your text is kept on this device and will be saved "
                         "when the connection returns."),
            "conflict": _("This draft was changed in another tab or on another device (saved at %(time)s)."),
            "load_newer": _("Load the newer version"), "keep_mine": _("Keep this version"),
            "other_tab": _("This draft is also open in another tab. Edit it in one place only."),
            "restore": _("This device has a copy of your text from %(time)s that differs from the saved draft."),
            "restore_yes": _("Restore it"), "restore_no": _("Discard it"),
            "chars": _("%(count)s characters"), "min": _("at least %(min)s"), "max": _("at most %(max)s"),
            "too_short": _("Too short to submit yet."), "too_long": _("Too long: please shorten it."),
            "confirm_submit": _("Submit your piece for grading? You can change it afterwards only if it is "
                                "returned for revision."),
            "submitting": _("Submitting…"), "submitted": _("Submitted."),
        }

    def student_view(self, context=None):
        user = self.current_django_user()
        assignment = self._assignment()
        state = svc.learner_state(user, assignment) if user else {"draft": None, "submission": None}
        submission = state.get("submission")
        if submission is not None and svc.mark_grade_published(submission):
            self.runtime.publish(self, "grade", {"value": float(submission.score),
                                                 "max_value": float(assignment.points_possible)})
        draft = state.get("draft")
        editable = user is not None and (submission is None or submission.status == WritingStatus.RETURNED) \
            and not (self.due and timezone.now() > self.due)
        title = draft.title if draft else (submission.title if submission else "")
        text = draft.text if draft else (submission.text if submission else "")
        selections = state.get("selections") or {}
        rubric_rows = [{
            "name": criterion.get("name", ""),
            "levels": [{"name": level.get("name", ""), "points": level.get("points", 0),
                        "chosen": str(selections.get(str(index))) == str(number)}
                       for number, level in enumerate(criterion.get("levels", []))],
        } for index, criterion in enumerate(self.rubric if isinstance(self.rubric, list) else [])]
        is_staff = self.is_course_staff()
        queue_url = ""
        if is_staff:
            try:
                queue_url = reverse("party_training:grading_queue", kwargs={"course_id": self.course_id_str}) \
                    + "?" + "block=" + self.usage_id_str
            except NoReverseMatch:
                queue_url = ""
        context = {
            "block": self, "kind_label": dict(WritingKind.choices).get(self.kind, ""),
            "prompt": sanitize_prompt(self.prompt), "assignment": assignment, "submission": submission,
            "status_label": dict(WritingStatus.choices).get(submission.status, "") if submission else "",
            "released": bool(submission and submission.status == WritingStatus.GRADED),
            "returned": bool(submission and submission.status == WritingStatus.RETURNED),
            "feedback": state.get("feedback", ""), "judge_comments": state.get("judge_comments", []),
            "award": svc.award_label(submission.award) if submission else "",
            "rubric_rows": rubric_rows, "editable": editable, "signed_in": user is not None,
            "title": title, "text": text, "draft_revision": draft.revision if draft else 0,
            "showcase": svc.showcase_pieces(self.usage_id_str) if self.showcase_enabled else [],
            "showcase_choices": ShowcaseChoice.choices,
            "showcase_choice": submission.showcase_choice if submission else ShowcaseChoice.NAMED,
            "is_contest": self.grading_flow == GradingFlow.CONTEST, "is_staff": is_staff, "queue_url": queue_url,
            "past_due": bool(self.due and timezone.now() > self.due),
            "uid": self.usage_id_str.replace(":", "-").replace("+", "-").replace("@", "-"),
        }
        return self.render_fragment(
            "writing_assignment/block.html", context, js="writing_assignment.js", css="writing_assignment.css",
            init_fn="WritingAssignmentBlock", js_args={
                "revision": context["draft_revision"], "editable": editable,
                "minChars": self.min_chars, "maxChars": self.max_chars,
                "storageKey": f"party-writing:{self.usage_id_str}:{self.current_user_id()}",
                "serverUpdated": draft.updated.isoformat() if draft else "",
                "strings": self._strings(),
            },
        )

    # --- handlers --------------------------------------------------------------------------
    @json_handler(role="learner")
    def save_draft(self, data, suffix=""):
        try:
            result = svc.save_draft(
                self.current_django_user(), self._assignment(), title=data.get("title", ""),
                text=data.get("text", ""), revision=data.get("revision"), force=bool(data.get("force")),
            )
        except svc.WritingError as exc:
            raise HandlerError(exc.message, exc.status) from exc
        payload = {"saved": result.saved, "revision": result.revision, "conflict": result.conflict,
                   "time": timezone.localtime(result.updated).strftime("%H:%M:%S") if result.updated else ""}
        if result.conflict:
            payload.update(title=result.title, text=result.text)
        return payload

    @json_handler(role="learner")
    def submit(self, data, suffix=""):
        try:
            submission = svc.submit(
                self.current_django_user(), self._assignment(), title=data.get("title", ""),
                text=data.get("text", ""), student_id=self._student_id(),
                showcase_choice=str(data.get("showcase_choice", ShowcaseChoice.NAMED)),
            )
        except svc.WritingError as exc:
            raise HandlerError(exc.message, exc.status) from exc
        return {"status": submission.status, "attempt": submission.attempt,
                "message": _("Your piece has been submitted for grading.")}

    # --- Studio ----------------------------------------------------------------------------
    def validate_studio_values(self, values: dict) -> dict:
        errors = {}
        if "rubric" in values:
            problems = svc.validate_rubric(values["rubric"])
            if problems:
                errors["rubric"] = " ".join(problems)
        min_chars, max_chars = values.get("min_chars", self.min_chars), values.get("max_chars", self.max_chars)
        if min_chars < 0:
            errors["min_chars"] = _("Enter 0 or more.")
        if max_chars < 1 or max_chars > svc.HARD_MAX_CHARS:
            errors["max_chars"] = _("Enter a number from 1 to %(max)d.") % {"max": svc.HARD_MAX_CHARS}
        elif min_chars > max_chars:
            errors["min_chars"] = _("The minimum cannot be above the maximum.")
        if not 0 <= values.get("pass_percent", self.pass_percent) <= 100:
            errors["pass_percent"] = _("Enter a percentage from 0 to 100.")
        if not 0 <= values.get("hours", self.hours) <= 100:
            errors["hours"] = _("Enter hours from 0 to 100.")
        if values.get("weight", self.weight) < 0:
            errors["weight"] = _("Enter 0 or more.")
        tiers = values.get("award_tiers", self.award_tiers)
        if set(tiers) - set(DEFAULT_TIERS) or any(not isinstance(v, int) or v < 0 for v in tiers.values()):
            errors["award_tiers"] = _("Use the keys first, second, third and honourable with whole numbers.")
        if "prompt" in values:
            values["prompt"] = sanitize_prompt(values["prompt"])
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
        for name in SCALAR_FIELDS:
            if name in node.attrib:
                try:
                    setattr(block, name, block.fields[name].from_string(node.get(name)))
                except (TypeError, ValueError):
                    continue  # a bad value keeps the default, as Studio import does
        prompt = node.find("prompt")
        if prompt is not None:
            inner = (prompt.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in prompt)
            block.prompt = sanitize_prompt(inner.strip())
        rubric = node.find("rubric")
        if rubric is not None:
            block.rubric = [{
                "name": criterion.get("name", ""),
                "levels": [{"name": level.get("name", ""), "points": _int(level.get("points"))}
                           for level in criterion.iterfind("level")],
            } for criterion in rubric.iterfind("criterion")]
        awards = node.find("awards")
        if awards is not None:
            block.award_tiers = {a.get("tier"): _int(a.get("count")) for a in awards.iterfind("award")
                                 if a.get("tier") in DEFAULT_TIERS}
        return block

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        node.set("url_name", self.scope_ids.usage_id.block_id)
        for name in SCALAR_FIELDS:
            field = self.fields[name]
            if field.is_set_on(self):
                value = getattr(self, name)
                if value is not None:
                    node.set(name, value if isinstance(value, str) else field.to_string(value))
        if self.prompt:
            etree.SubElement(node, "prompt").text = etree.CDATA(self.prompt)
        if self.rubric:
            rubric = etree.SubElement(node, "rubric")
            for criterion in self.rubric:
                crit = etree.SubElement(rubric, "criterion", name=str(criterion.get("name", "")))
                for level in criterion.get("levels", []):
                    etree.SubElement(crit, "level", name=str(level.get("name", "")), points=str(level.get("points", 0)))
        if self.fields["award_tiers"].is_set_on(self):
            awards = etree.SubElement(node, "awards")
            for tier, count in self.award_tiers.items():
                etree.SubElement(awards, "award", tier=str(tier), count=str(count))

    def student_view_data(self, context=None):
        """For the mobile apps: the assignment without any learner's data."""
        return {"kind": self.kind, "prompt": sanitize_prompt(self.prompt), "min_chars": self.min_chars,
                "max_chars": self.max_chars, "due": self.due.isoformat() if self.due else None,
                "rubric": json.loads(json.dumps(self.rubric)), "max_score": self.max_score()}


def _int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0
