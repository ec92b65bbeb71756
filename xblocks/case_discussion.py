"""Case discussion block (case_discussion, 案例分析 / 交流研讨): a case with background materials and
guiding questions; learners post their analysis (first, before seeing others', unless open), then
read their group's analyses, reply and like; staff feature, hide, grade with a rubric and close
with a summary.

Thin: every rule (who sees what, groups, drafts, likes, grades) is in ``edx_plugin.case_discussion``;
handlers pass the learner through its ``access`` rule.
"""
from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String

from party_training.edx_plugin.case_discussion import analyses, discussions, exports, grading, groups, moderation
from party_training.edx_plugin.case_discussion import staff, threads
from party_training.edx_plugin.case_discussion.access import may_see_peers, viewer
from party_training.edx_plugin.core import xlsx
from party_training.edx_plugin.core.links import materials_valid, safe_materials
from party_training.edx_plugin.core.rubrics import rubric_rows, validate_rubric
from party_training.edx_plugin.core.text import COUNTING_RULE_HELP, sanitize_html

from .fields import CreditHoursMixin, IsoDateTime, credit_hours_field
from .mixins import PartyBlockMixin, StudioEditorMixin, json_handler, page_handler
from .studio_rows import MATERIAL_ROWS, ORGANIZATION_ROWS, RUBRIC_ROWS
from .olx import inner_html, read_attributes, read_rubric, write_attributes, write_rubric

SCALAR_FIELDS = ("display_name", "mode", "grouping", "group_size", "min_chars", "deadline", "edit_window_minutes",
                 "credit_hours", "graded", "maximum_score")
EDIT_WINDOW_MAX = 7 * 24 * 60


def _setting(kind, label, default, **kwargs):
    return kind(display_name=label, default=default, scope=Scope.settings, **kwargs)


class CaseDiscussionBlock(CompletableXBlockMixin, CreditHoursMixin, StudioEditorMixin, PartyBlockMixin, XBlock):
    """案例分析 / 交流研讨: post first, discuss in groups, grade with a rubric."""

    icon_class = "problem"

    display_name = _setting(String, gettext_lazy("Title"), "案例分析")
    background = String(display_name=gettext_lazy("Background"), default="", scope=Scope.content,
                        multiline_editor=True, help=gettext_lazy("The case: rich text (HTML); unsafe markup is removed."))
    materials = List(display_name=gettext_lazy("Materials"), default=[], scope=Scope.content,
                     help=gettext_lazy("Links and attachments by URL."))
    questions = List(display_name=gettext_lazy("Guiding questions"), default=[], scope=Scope.content)
    mode = _setting(String, gettext_lazy("Mode"), discussions.DEFAULT_MODE, values=discussions.mode_values())
    grouping = _setting(String, gettext_lazy("Grouping"), discussions.DEFAULT_GROUPING,
                        values=discussions.grouping_values())
    group_size = _setting(Integer, gettext_lazy("Group size (automatic groups)"), 6, minimum=2,
                          maximum=discussions.MAX_GROUP_SIZE)
    organizations = _setting(List, gettext_lazy("Participating organisations"), [], help=gettext_lazy(
        "Codes of the organisations whose members take part (their subtrees too): automatic groups are "
        "formed from them, and staff see who of them has not posted."))
    min_chars = _setting(Integer, gettext_lazy("Minimum length (characters)"), 0, minimum=0,
                         maximum=discussions.HARD_MAX_CHARS, help=COUNTING_RULE_HELP)
    deadline = _setting(IsoDateTime, gettext_lazy("Deadline"), None)
    edit_window_minutes = _setting(Integer, gettext_lazy("Authors may edit their analysis for (minutes)"), 30,
                                   minimum=0, maximum=EDIT_WINDOW_MAX)
    credit_hours = credit_hours_field()
    graded = _setting(Boolean, gettext_lazy("Graded with a rubric"), False)
    rubric = List(display_name=gettext_lazy("Rubric"), default=[], scope=Scope.content, help=gettext_lazy(
        "Criteria, each with at least two levels and their whole points. The score published is the rubric's "
        "points scaled to the maximum score."))
    maximum_score = _setting(Float, gettext_lazy("Maximum score"), 100.0, minimum=0, maximum=1000)

    studio_rows = {"questions": {"item": gettext_lazy("Guiding question"), "max": 1000}, "materials": MATERIAL_ROWS,
                   "organizations": ORGANIZATION_ROWS, "rubric": RUBRIC_ROWS}
    studio_rich_text = ("background",)

    editable_fields = ("display_name", "background", "materials", "questions", "mode", "grouping", "group_size",
                       "organizations", "min_chars", "deadline", "edit_window_minutes", "credit_hours", "graded",
                       "rubric", "maximum_score")

    # --- grading contract ------------------------------------------------------------------
    @property
    def has_score(self) -> bool:
        return bool(self.graded)

    def max_score(self):
        return float(self.maximum_score) if self.graded else None

    def _config(self) -> discussions.DiscussionSettings:
        return discussions.DiscussionSettings(
            course_id=self.course_id_str, usage_id=self.usage_id_str, title=str(self.display_name),
            questions=tuple(str(q) for q in self.questions), mode=self.mode, grouping=self.grouping,
            group_size=self.group_size, organizations=tuple(str(c) for c in self.organizations),
            min_chars=self.min_chars, deadline=self.deadline, edit_window_minutes=self.edit_window_minutes,
            hours=self.credit_hours_value(), graded=self.graded, rubric=list(self.rubric),
            max_score=Decimal(str(self.maximum_score)))

    def _viewer(self):
        return viewer(self._config(), self.current_user_id())

    # --- learner state ----------------------------------------------------------------------
    def _learner_state(self, config, who) -> dict:
        """What the learner's page shows; peers' content only when ``access`` allows it."""
        mine = who.analysis
        draft = analyses.my_draft(config, who.user_id) if mine is None else None
        sees = may_see_peers(config, who)
        own = None
        if mine is not None:
            own = threads.analysis_payload(config, mine, viewer_id=who.user_id)
            own.update(hidden=mine.hidden, hidden_reason=mine.hidden_reason,
                       may_edit=analyses.may_edit(config, mine),
                       edit_until=discussions.local_time(analyses.edit_deadline(config, mine)))
        discussion = discussions.sync_discussion(config) if sees else None
        return {
            "posted": mine is not None, "sees_peers": sees, "closed": config.closed(),
            "group": groups.group_label(who.member.group) if who.member else "",
            "draft": {"answers": draft.answers if draft else [], "revision": draft.revision if draft else 0},
            "mine": own, "grade": grading.grade_payload(config, grading.grade_of(config, who.user_id)),
            "summary": sanitize_html(discussion.summary) if discussion else "",
            "feed": threads.feed(config, who) if sees else None,
        }

    def student_view(self, context=None):
        config = self._config()
        user_id = self.current_user_id()
        is_staff = user_id is not None and self.remember_course_staff()
        who = self._viewer() if user_id is not None else None  # places the learner in their group
        draft = analyses.my_draft(config, user_id) if who is not None and not who.posted else None
        questions = config.questions or (_("Your analysis"),)
        answers = list(draft.answers) if draft else []
        ctx = {
            "block": self, "background": sanitize_html(self.background), "signed_in": who is not None,
            "materials": safe_materials(self.materials), "deadline": discussions.local_time(self.deadline),
            "editors": [{"number": n, "question": q, "answer": answers[n] if n < len(answers) else ""}
                        for n, q in enumerate(questions)],
            "is_staff": is_staff, "post_first": config.post_first, "min_chars": self.min_chars,
            "graded": config.is_graded, "max_score": f"{self.maximum_score:g}",
            "hours": f"{self.credit_hours_value():g}", "closed": config.closed(),
            "uid": self.usage_id_str.replace(":", "-").replace("+", "-").replace("@", "-"),
        }
        scripts = ["case_discussion.js", "case_discussion_staff.js"] if is_staff else ["case_discussion.js"]
        # Learner text never travels in the init arguments: the script asks the ``state`` handler.
        return self.render_fragment("case_discussion/block.html", ctx, js=scripts, css="case_discussion.css",
                                    init_fn="CaseDiscussionBlock", js_args={
                                        "staff": is_staff, "signedIn": who is not None, "minChars": self.min_chars,
                                        "revision": draft.revision if draft else 0,
                                        "rubric": rubric_rows(self.rubric) if config.is_graded else []})

    def student_view_data(self, context=None):
        """For the mobile apps: the case without any learner's data."""
        return {"display_name": self.display_name, "background": sanitize_html(self.background),
                "materials": safe_materials(self.materials), "questions": list(self.questions), "mode": self.mode,
                "min_chars": self.min_chars, "deadline": self.deadline.isoformat() if self.deadline else None}

    # --- learner handlers (each through the access rule) ---------------------------------------
    @json_handler(role="learner")
    def state(self, data, suffix=""):
        config = self._config()
        return self._learner_state(config, viewer(config, self.current_user_id()))

    @json_handler(role="learner")
    def save_draft(self, data, suffix=""):
        result = analyses.save_draft(self._config(), self._viewer(), data.get("answers"), data.get("revision"),
                                     force=bool(data.get("force")))
        return {"saved": result.saved, "revision": result.revision, "conflict": result.conflict,
                "answers": result.values.get("answers", []), "time": discussions.local_time(result.updated)}

    @json_handler(role="learner")
    def submit(self, data, suffix=""):
        analyses.submit(self._config(), self.current_django_user(), data.get("answers"))
        # The learner's part is done when their analysis is posted (a grade, if any, comes from staff),
        # so the LMS counts the unit complete then, not when the page was merely viewed.
        self.emit_completion(1.0)
        return {"message": _("Your analysis is posted. You can now read your group's analyses.")}

    @json_handler(role="learner")
    def edit(self, data, suffix=""):
        analysis = analyses.edit(self._config(), self._viewer(), data.get("answers"))
        return {"message": _("Your analysis is updated."), "edited": discussions.local_time(analysis.edited)}

    @json_handler(role="learner")
    def feed(self, data, suffix=""):
        return threads.feed(self._config(), self._viewer(), data.get("page", 1))

    @json_handler(role="learner")
    def replies(self, data, suffix=""):
        return threads.replies(self._config(), self._viewer(), data.get("analysis_id"), data.get("page", 1))

    @json_handler(role="learner")
    def reply(self, data, suffix=""):
        return threads.reply(self._config(), self.current_user_id(), data.get("analysis_id"), data.get("text"))

    @json_handler(role="learner")
    def like(self, data, suffix=""):
        return threads.like(self._config(), self.current_user_id(), data.get("analysis_id"))

    # --- staff handlers ---------------------------------------------------------------------------
    @json_handler(role="staff")
    def staff_overview(self, data, suffix=""):
        config = self._config()
        discussion = discussions.sync_discussion(config)
        return {**staff.overview(config), "members": staff.members_in_groups(config),
                "summary": discussion.summary, "export_url": self.runtime.handler_url(self, "export")}

    @json_handler(role="staff")
    def staff_posts(self, data, suffix=""):
        return staff.group_posts(self._config(), data.get("group_id"), data.get("page", 1))

    @json_handler(role="staff")
    def staff_replies(self, data, suffix=""):
        config = self._config()
        analysis = moderation.moderate_target(config, data.get("analysis_id"))
        return threads.thread_page(analysis, data.get("page", 1))

    @json_handler(role="staff")
    def moderate(self, data, suffix=""):
        analysis = moderation.moderate(self._config(), data.get("analysis_id"), data.get("action"),
                                       data.get("reason", ""))
        return {"id": analysis.pk, "featured": analysis.featured, "hidden": analysis.hidden,
                "hidden_reason": analysis.hidden_reason}

    @json_handler(role="staff")
    def grade(self, data, suffix=""):
        config = self._config()
        result = grading.grade(config, self.current_django_user(), data.get("user_id"), data.get("selections"),
                               data.get("comment", ""))
        # Published at once with the learner's id, as the LMS takes staff grading in their own request.
        self.runtime.publish(self, "grade", {"value": float(result.score), "max_value": float(config.max_score),
                                             "user_id": result.user_id})
        return {"user_id": result.user_id, **grading.grade_payload(config, result)}

    @json_handler(role="staff")
    def summary(self, data, suffix=""):
        return {"summary": moderation.save_summary(self._config(), data.get("summary"))}

    @json_handler(role="staff")
    def move(self, data, suffix=""):
        member = groups.move_member(self._config(), data.get("user_id"), data.get("group_id"))
        return {"user_id": member.user_id, "group_id": member.group_id, "group": groups.group_label(member.group)}

    @page_handler(role="staff")
    def export(self, request, suffix=""):
        """The whole discussion as XLSX (groups, members, analyses, replies, likes, grades); a large one
        is prepared in the background from the course's discussions page."""
        config = self._config()
        if exports.needs_background_export(config.usage_id):
            discussion = discussions.sync_discussion(config)
            url = reverse("party_training:case_discussions", kwargs={"course_id": config.course_id})
            return Response(status=302, location=f"{url}?discussion={discussion.pk}#cd-export")
        filename = f"case-discussion-{self.scope_ids.usage_id.block_id}.xlsx"
        return Response(body=exports.discussion_workbook(config), content_type=xlsx.CONTENT_TYPE,
                        content_disposition=f'attachment; filename="{filename}"')

    # --- Studio --------------------------------------------------------------------------------
    def studio_view(self, context=None):
        fields = {name: self._editor_field(name) for name in self.editable_fields}
        return self.render_fragment(
            "case_discussion/studio.html", {"fields": fields, "block_type": self.scope_ids.block_type},
            js="studio_editor.js", css="case_discussion.css", init_fn="PartyStudioEditor")

    def validate_studio_values(self, values: dict) -> dict:
        """Checks across fields (each field's bounds come from its declaration)."""
        merged = {name: values.get(name, getattr(self, name)) for name in self.editable_fields}
        errors = {}
        questions = merged["questions"]
        if not all(isinstance(q, str) and q.strip() for q in questions) or not questions \
                or len(questions) > discussions.MAX_QUESTIONS:
            errors["questions"] = _("Write between 1 and %(max)d guiding questions, none empty.") % {
                "max": discussions.MAX_QUESTIONS}
        if not materials_valid(merged["materials"]):
            errors["materials"] = _("Each material needs a title and an http(s) address.")
        if not all(isinstance(c, str) and c.strip() for c in merged["organizations"]):
            errors["organizations"] = _("A list of organisation codes is expected.")
        if merged["mode"] not in {v["value"] for v in discussions.mode_values()}:
            errors["mode"] = _("This value is not valid.")
        if merged["grouping"] not in {v["value"] for v in discussions.grouping_values()}:
            errors["grouping"] = _("This value is not valid.")
        if merged["graded"]:
            problems = validate_rubric(merged["rubric"])
            if problems:
                errors["rubric"] = " ".join(problems)
            if not merged["maximum_score"] > 0:
                errors["maximum_score"] = _("A graded discussion needs a maximum score above 0.")
        if "background" in values:
            values["background"] = sanitize_html(values["background"])
        if "questions" in values and "questions" not in errors:
            values["questions"] = [q.strip() for q in questions]
        return errors

    # --- OLX -----------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        block = runtime.construct_xblock_from_class(cls, keys)
        read_attributes(block, node, SCALAR_FIELDS)
        background = node.find("background")
        if background is not None:
            block.background = sanitize_html(inner_html(background))
        if node.find("material") is not None:
            block.materials = [{"title": (n.text or "").strip(), "url": n.get("url", "")}
                               for n in node.iterfind("material")]
        if node.find("question") is not None:
            block.questions = [(n.text or "").strip() for n in node.iterfind("question")]
        if node.find("organization") is not None:
            block.organizations = [n.get("code", "") for n in node.iterfind("organization")]
        rubric = read_rubric(block, node)
        if rubric is not None:
            block.rubric = rubric
        return block

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        node.set("url_name", self.scope_ids.usage_id.block_id)
        write_attributes(self, node, SCALAR_FIELDS)
        if self.background:
            etree.SubElement(node, "background").text = etree.CDATA(self.background)
        for material in self.materials:
            etree.SubElement(node, "material", url=str(material.get("url", ""))).text = str(material.get("title", ""))
        for question in self.questions:
            etree.SubElement(node, "question").text = question
        for code in self.organizations:
            etree.SubElement(node, "organization", code=str(code))
        write_rubric(node, self.rubric)

