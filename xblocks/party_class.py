"""The party class block (party_class, 党课): a lecture with sign-in, questions to the lecturer and a
reflection.

Thin: authored settings are fields that round-trip through OLX; every rule and every piece of
learner data is in the area ``edx_plugin.party_class`` (sign_in, questions, reflections,
completion, attendance, lecture, projector) and its models.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String

from party_training.edx_plugin.core import lms, xlsx
from party_training.edx_plugin.core.text import COUNTING_RULE_HELP, count_chars
from party_training.edx_plugin.party_class import attendance as attendance_rules
from party_training.edx_plugin.party_class import completion, lecture, projector, questions, studio_checks
from party_training.edx_plugin.party_class import reflections as reflection_rules
from party_training.edx_plugin.party_class import sign_in as signin_rules
from party_training.edx_plugin.party_class.errors import PartyClassError
from party_training.edx_plugin.party_class.learners import local_minute as _local
from party_training.resources import read_static, render_template

from .fields import CreditHoursMixin, IsoDateTime, credit_hours_field
from .mixins import HandlerError, PartyBlockMixin, StudioEditorMixin, json_handler, json_response, page_handler
from .olx import inner_html, read_attributes, write_attributes
from .studio_rows import MATERIAL_ROWS, ORGANIZATION_ROWS

# OLX: the editable scalar fields are attributes of <party_class> with the field's name; these are children.
CHILD_FIELDS = {"body", "key_points", "materials", "reflection_prompt", "expected_organizations"}


def _setting(kind, label, default, **kwargs):
    """An authored setting (Scope.settings) shown in the Studio editor under ``label``."""
    return kind(display_name=label, default=default, scope=Scope.settings, **kwargs)


class PartyClassBlock(CompletableXBlockMixin, CreditHoursMixin, StudioEditorMixin, PartyBlockMixin, XBlock):
    """A party class: lecture (video and text), sign-in, questions, reflection, hours on completion."""

    block_settings_key = "party_class"

    display_name = _setting(String, gettext_lazy("Title"), "党课")
    lecturer_id = _setting(String, gettext_lazy("Lecturer from the pool (id)"), "", help=gettext_lazy(
        "A lecturer of the lecturer pool: their name, position and organisation replace the three fields below."))
    lecturer_name = _setting(String, gettext_lazy("Lecturer"), "")
    lecturer_position = _setting(String, gettext_lazy("Lecturer's position"), "")
    lecturer_organization = _setting(String, gettext_lazy("Lecturer's organisation"), "")
    schedule = _setting(String, gettext_lazy("Schedule"), "live", values=[
        {"value": "live", "display_name": gettext_lazy("Live session")},
        {"value": "recorded", "display_name": gettext_lazy("Recorded")}])
    session_start = _setting(IsoDateTime, gettext_lazy("Session starts"), None)
    session_end = _setting(IsoDateTime, gettext_lazy("Session ends"), None)
    video_url = _setting(String, gettext_lazy("Video"), "", help=gettext_lazy(
        "An HTML5 video file (.mp4, .webm, .ogg) or a player page from an allowed host."))
    body = String(display_name=gettext_lazy("Lecture text"), default="", scope=Scope.content, multiline_editor=True,
                  help=gettext_lazy("Rich text (HTML); unsafe markup is removed."))
    key_points = List(display_name=gettext_lazy("Key points"), default=[], scope=Scope.content,
                      help=gettext_lazy("One point per row, in the order learners read them."))
    materials = List(display_name=gettext_lazy("Materials"), default=[], scope=Scope.content, help=gettext_lazy(
        "One reading per row: its title and its address (http or https, or a path on this site)."))
    credit_hours = credit_hours_field(default=1.0)
    require_signin = _setting(Boolean, gettext_lazy("Completion requires signing in"), True)
    require_content = _setting(Boolean, gettext_lazy("Completion requires watching or reading"), True)
    require_reflection = _setting(Boolean, gettext_lazy("Completion requires a submitted reflection"), False)
    reflection_prompt = String(display_name=gettext_lazy("Reflection prompt"), default="", scope=Scope.content,
                               multiline_editor=True,
                               help=gettext_lazy("Leave empty when the class asks for no reflection."))
    reflection_min_chars = _setting(
        Integer, gettext_lazy("Minimum reflection length (characters)"), 300, minimum=0,
        maximum=reflection_rules.MAX_REFLECTION_CHARS, help=COUNTING_RULE_HELP)
    reflection_graded = _setting(Boolean, gettext_lazy("Score reflections"), False, help=gettext_lazy(
        "Staff may score reflections; the score is published as this component's grade."))
    reflection_max_score = _setting(Float, gettext_lazy("Maximum reflection score"), 100.0, minimum=0, maximum=1000)
    questions_enabled = _setting(Boolean, gettext_lazy("Learners may ask the lecturer questions"), True)
    questions_open = _setting(IsoDateTime, gettext_lazy("Questions open"), None)
    questions_close = _setting(IsoDateTime, gettext_lazy("Questions close"), None)
    answers_need_publish = _setting(Boolean, gettext_lazy("Answers are shown only when published"), True)
    allow_anonymous = _setting(Boolean, gettext_lazy("Anonymous questions allowed"), True)
    online_signin = _setting(Boolean, gettext_lazy("Online check-in"), False, help=gettext_lazy(
        "For a class followed online (switch on-site sign-in off): learners check in with one click inside "
        "the check-in window, or around the session when no window is set."))
    online_signin_start = _setting(IsoDateTime, gettext_lazy("Online check-in opens"), None)
    online_signin_end = _setting(IsoDateTime, gettext_lazy("Online check-in closes"), None)
    onsite_signin = _setting(Boolean, gettext_lazy("On-site sign-in with a rotating code"), True, help=gettext_lazy(
        "For a class held in a room: learners sign in only with the code shown on the projector, from shortly "
        "before the session starts until shortly after it ends; online check-in is then not offered."))
    onsite_code_period = _setting(Integer, gettext_lazy("The on-site code changes every (seconds)"), 30,
                                  minimum=signin_rules.MIN_CODE_PERIOD, maximum=signin_rules.MAX_CODE_PERIOD)
    expected_organizations = _setting(List, gettext_lazy("Expected organisations"), [], help=gettext_lazy(
        "Codes of the organisations whose members should attend (their subtrees too), one per row, e.g. "
        "DEMO-B01; the attendance view lists who of them is missing."))

    studio_rows = {"key_points": {"item": gettext_lazy("Key point"), "max": 500}, "materials": MATERIAL_ROWS,
                   "expected_organizations": ORGANIZATION_ROWS}
    studio_rich_text = ("body",)

    editable_fields = (
        "display_name", "lecturer_id", "lecturer_name", "lecturer_position", "lecturer_organization", "schedule", "session_start",
        "session_end", "video_url", "body", "key_points", "materials", "credit_hours", "require_signin",
        "require_content", "require_reflection", "reflection_prompt", "reflection_min_chars", "reflection_graded",
        "reflection_max_score", "questions_enabled", "questions_open", "questions_close", "answers_need_publish",
        "allow_anonymous", "online_signin", "online_signin_start", "online_signin_end", "onsite_signin",
        "onsite_code_period", "expected_organizations",
    )

    # --- grading ------------------------------------------------------------------------------
    @property
    def has_score(self) -> bool:
        return bool(self.reflection_graded)

    def max_score(self):
        return self.reflection_max_score if self.reflection_graded else None

    # --- rules handed to the area -----------------------------------------------------------------
    def _signin_rules(self) -> signin_rules.SignInRules:
        return signin_rules.SignInRules(online=self.online_signin, online_start=self.online_signin_start,
                                        online_end=self.online_signin_end, onsite=self.onsite_signin,
                                        code_period=self.onsite_code_period, session_start=self.session_start,
                                        session_end=self.session_end)

    def _completion_rules(self) -> completion.CompletionRules:
        return completion.CompletionRules(signin=self.require_signin, content=self.require_content,
                                          reflection=self.require_reflection, hours=self.credit_hours_value(),
                                          title=str(self.display_name))

    def _question_rules(self) -> questions.QuestionRules:
        return questions.QuestionRules(enabled=self.questions_enabled, open_at=self.questions_open,
                                       close_at=self.questions_close, allow_anonymous=self.allow_anonymous,
                                       answers_need_publish=self.answers_need_publish)

    def _expected_codes(self) -> list[str]:
        return attendance_rules.expected_codes(self.expected_organizations)

    def _questions(self, user) -> list[dict]:
        return questions.learner_questions(user, self.usage_id_str, self._question_rules())

    # --- learner state --------------------------------------------------------------------------
    def _learner_state(self, user, status: completion.Requirements | None = None) -> dict:
        signin = signin_rules.find_sign_in(user, self.usage_id_str)
        reflection = reflection_rules.my_reflection(user, self.usage_id_str)
        if status is None:
            status = completion.requirements(user, self.usage_id_str, self._completion_rules(),
                                             signed_in=signin is not None)
            if status.met and not status.completed:
                # Met without a request of the learner's completing it (e.g. staff recorded the sign-in).
                status = self._after_progress(user, signed_in=signin is not None)
        self._publish_pending_grade(reflection)
        return {
            "signin": signin_rules.sign_in_state(signin, self._signin_rules()),
            "requirements": status.as_dict(),
            "questions": self._questions(user) if self.questions_enabled else [],
            "questions_open": questions.questions_open(self._question_rules()),
            "reflection": reflection_rules.reflection_state(reflection, graded=self.reflection_graded),
        }

    def _publish_pending_grade(self, reflection) -> None:
        """Send a new staff score to the LMS as the author's grade (once per score). The LMS's grade
        event takes ``user_id``, so staff scoring in their own request grade the learner at once."""
        if not self.reflection_graded:
            return
        score = reflection_rules.claim_grade_to_publish(reflection)
        if score is not None:
            self.runtime.publish(self, "grade", {"value": float(score), "max_value": float(self.reflection_max_score),
                                                 "user_id": reflection.user_id})

    def _after_progress(self, user, *, signed_in: bool | None = None) -> completion.Requirements:
        """Publish completion (and credit the hours) the one time every requirement is met."""
        completed_now, status = completion.complete_if_done(user, self.course_id_str, self.usage_id_str,
                                                            self._completion_rules(), signed_in=signed_in)
        if completed_now:
            self.emit_completion(1.0)
        return status

    def _user(self):
        user = self.current_django_user()
        if user is None:
            raise HandlerError(_("Please sign in first."), status=403)
        return user

    # --- views ----------------------------------------------------------------------------------
    def student_view(self, context=None):
        user = self.current_django_user()
        staff = user is not None and self.remember_course_staff()
        state = self._learner_state(user) if user is not None else None
        ctx = {
            "block": self, "state": state, "staff": staff, "video": lecture.video_embed(self.video_url),
            "lecturer": lecture.lecturer_shown(self),
            "body": lecture.lecture_html(self.body), "materials": lecture.safe_materials(self.materials),
            "session_start": _local(self.session_start), "session_end": _local(self.session_end),
            "tags": questions.tag_choices(), "code_digits": signin_rules.CODE_DIGITS,
            "online_start": _local(self.online_signin_start), "online_end": _local(self.online_signin_end),
            "questions_open_at": _local(self.questions_open), "questions_close_at": _local(self.questions_close),
            "hours": f"{self.credit_hours:g}", "max_score": f"{self.reflection_max_score:g}",
            "max_question_chars": questions.MAX_QUESTION_CHARS,
            "max_reflection_chars": reflection_rules.MAX_REFLECTION_CHARS,
            "has_reflection": bool(self.reflection_prompt) or self.require_reflection,
        }
        scripts = ["party_class.js", "party_class_staff.js"] if staff else ["party_class.js"]
        return self.render_fragment("party_class/block.html", ctx, js=scripts, css="party_class.css",
                                    init_fn="PartyClassBlock",
                                    js_args={"state": state, "staff": staff, "min_chars": self.reflection_min_chars})

    def student_view_data(self, context=None):
        """Public settings for the mobile apps (no learner data)."""
        return {
            "display_name": self.display_name,
            "lecturer": lecture.lecturer_shown(self),
            "schedule": self.schedule, "session_start": self.session_start and self.session_start.isoformat(),
            "session_end": self.session_end and self.session_end.isoformat(),
            "video": lecture.video_embed(self.video_url), "body": lecture.lecture_html(self.body),
            "key_points": list(self.key_points), "materials": lecture.safe_materials(self.materials),
            "credit_hours": self.credit_hours,
            "requires": {"signin": self.require_signin, "content": self.require_content,
                         "reflection": self.require_reflection},
            "reflection_prompt": self.reflection_prompt, "reflection_min_chars": self.reflection_min_chars,
        }

    # --- learner handlers -------------------------------------------------------------------------
    @json_handler(role="learner")
    def state(self, data, suffix=""):
        return self._learner_state(self._user())

    @json_handler(role="learner")
    def sign_in(self, data, suffix=""):
        user = self._user()
        method = data.get("method")
        rules = self._signin_rules()
        signin, created = signin_rules.sign_in(user, self.course_id_str, self.usage_id_str, rules,
                                               method=method if isinstance(method, str) else "",
                                               code=data.get("code", ""))
        status = self._after_progress(user, signed_in=True)
        message = _("You signed in at %(time)s.") if created else _("You had already signed in at %(time)s.")
        return {"created": created, "message": message % {"time": _local(signin.created)},
                "signin": signin_rules.sign_in_state(signin, rules), "requirements": status.as_dict()}

    @json_handler(role="learner")
    def content_done(self, data, suffix=""):
        user = self._user()
        completion.mark_content_done(user, self.course_id_str, self.usage_id_str)
        return {"requirements": self._after_progress(user).as_dict()}

    @json_handler(role="learner")
    def ask(self, data, suffix=""):
        user = self._user()
        questions.ask_question(user, self.course_id_str, self.usage_id_str, self._question_rules(),
                               text=data.get("text"), tag=data.get("tag"), anonymous=bool(data.get("anonymous")))
        return {"questions": self._questions(user)}

    @json_handler(role="learner")
    def vote(self, data, suffix=""):
        user = self._user()
        votes, created = questions.vote(user, self.usage_id_str, data.get("question_id"))
        return {"votes": votes, "created": created, "questions": self._questions(user)}

    @json_handler(role="learner")
    def save_draft(self, data, suffix=""):
        reflection = reflection_rules.save_draft(self._user(), self.course_id_str, self.usage_id_str, data.get("text"))
        return {"saved_at": _local(reflection.updated), "length": count_chars(reflection.text)}

    @json_handler(role="learner")
    def submit_reflection(self, data, suffix=""):
        user = self._user()
        reflection_rules.submit_reflection(user, self.course_id_str, self.usage_id_str, data.get("text"),
                                           self.reflection_min_chars)
        return self._learner_state(user, self._after_progress(user))

    # --- staff handlers ---------------------------------------------------------------------------
    def _attendance(self) -> attendance_rules.Attendance:
        return attendance_rules.attendance(self.usage_id_str, self._expected_codes())

    @json_handler(role="staff")
    def attendance(self, data, suffix=""):
        return self._attendance().as_dict()

    @json_handler(role="staff")
    def record_sign_in(self, data, suffix=""):
        """Staff record a learner present; the learner's completion follows on their next visit."""
        signin, created = signin_rules.record_sign_in(self.course_id_str, self.usage_id_str, data.get("username"))
        message = _("%(name)s is now signed in.") if created else _("%(name)s had already signed in.")
        return {"created": created, "message": message % {"name": signin.user.get_username()},
                **self._attendance().as_dict()}

    @json_handler(role="staff")
    def attendance_xlsx(self, data, suffix=""):
        body = attendance_rules.attendance_xlsx(self._attendance(), f"{self.display_name} · {_('Attendance')}")
        filename = f"attendance-{self.scope_ids.usage_id.block_id}.xlsx"
        return Response(body=body, content_type=xlsx.CONTENT_TYPE,
                        content_disposition=f'attachment; filename="{filename}"')

    @json_handler(role="staff")
    def board(self, data, suffix=""):
        return {"questions": questions.question_board(self._user(), self.usage_id_str, self._question_rules())}

    @json_handler(role="staff")
    def moderate(self, data, suffix=""):
        user = self._user()
        questions.moderate(user, self.usage_id_str, data.get("question_id"), data.get("action"), data)
        return {"questions": questions.question_board(user, self.usage_id_str, self._question_rules())}

    @json_handler(role="staff")
    def reflections(self, data, suffix=""):
        return {**reflection_rules.reflections_for_staff(self.usage_id_str), "graded": self.reflection_graded,
                "max_score": self.reflection_max_score}

    @json_handler(role="staff")
    def score(self, data, suffix=""):
        if not self.reflection_graded:
            raise PartyClassError(_("Reflections of this class are not scored."))
        reflection = reflection_rules.score_reflection(self._user(), self.usage_id_str, data.get("reflection_id"),
                                                       data.get("score"), self.reflection_max_score)
        self._publish_pending_grade(reflection)
        return reflection_rules.reflections_for_staff(self.usage_id_str)

    @page_handler(role="staff")
    def projector(self, request, suffix=""):
        """The page the lecturer projects: the rotating code, its QR code and the live count."""
        state_url = self.runtime.handler_url(self, "projector_state")
        unit = request.GET.get("unit", "")
        if unit:
            state_url += "?" + urlencode({"unit": unit})
        page = render_template("party_class/projector.html", {
            "block": self, "css": read_static("css", "core.css") + read_static("css", "party_class.css"),
            "js": read_static("js", "party_class_projector.js"), "state_url": state_url,
            "state": self._projector_state(request), "lang": projector.html_lang(),
            "session_start": _local(self.session_start), "session_end": _local(self.session_end),
            "lecturer": lecture.lecturer_shown(self),
        })
        return Response(body=page.encode("utf-8"), content_type="text/html", charset="utf-8")

    @page_handler(role="staff")
    def projector_state(self, request, suffix=""):
        return json_response(self._projector_state(request))

    def _projector_state(self, request) -> dict:
        """The projector's state; the QR code points at the opening page if on this site, else at the
        site's unit address (settings bucket ``UNIT_URL``, else the LMS's jump_to)."""
        bucket = self.runtime.service(self, "settings")
        template = (bucket.get_settings_bucket(self) if bucket else {}).get("UNIT_URL", lms.DEFAULT_UNIT_URL)
        return projector.projector_state(
            self.usage_id_str, self._signin_rules(), self._expected_codes(), unit=request.GET.get("unit", ""),
            host_url=request.host_url, fallback_unit=lms.unit_url(self.course_id_str, self.usage_id_str,
                                                                        template))

    # --- Studio ------------------------------------------------------------------------------------
    def validate_studio_values(self, values: dict) -> dict:
        """Checks across fields (bounds come from the fields themselves)."""
        merged = {name: values.get(name, getattr(self, name)) for name in self.editable_fields}
        errors = studio_checks.cross_field_errors(merged)
        if "body" in values:
            values["body"] = lecture.lecture_html(values["body"])
        return errors

    def after_studio_save(self) -> None:
        """Record the class as a lecture of the pool lecturer it names (the member's learning file)."""
        lecture.record_class_lecture(self)

    # --- OLX -------------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        block = runtime.construct_xblock_from_class(cls, keys)
        read_attributes(block, node, [name for name in cls.editable_fields if name not in CHILD_FIELDS])
        body = node.find("body")
        if body is not None:
            block.body = lecture.lecture_html(inner_html(body))
        prompt = node.find("reflection_prompt")
        if prompt is not None:
            block.reflection_prompt = (prompt.text or "").strip()
        if node.find("key_point") is not None:
            block.key_points = [(n.text or "").strip() for n in node.iterfind("key_point")]
        if node.find("material") is not None:
            block.materials = [{"title": (n.text or "").strip(), "url": n.get("url", "")}
                               for n in node.iterfind("material")]
        if node.find("expected_organization") is not None:
            block.expected_organizations = [n.get("code", "") for n in node.iterfind("expected_organization")]
        return block

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        write_attributes(self, node, [name for name in self.editable_fields if name not in CHILD_FIELDS])
        if self.body:
            etree.SubElement(node, "body").text = etree.CDATA(self.body)
        for point in self.key_points:
            etree.SubElement(node, "key_point").text = point
        for material in self.materials:
            etree.SubElement(node, "material", url=str(material.get("url", ""))).text = str(material.get("title", ""))
        if self.reflection_prompt:
            etree.SubElement(node, "reflection_prompt").text = self.reflection_prompt
        for code in self.expected_organizations:
            etree.SubElement(node, "expected_organization", code=str(code))

