"""The party class block (党课): a lecture with sign-in, questions to the lecturer and a reflection.

Thin: authored settings are fields that round-trip through OLX; every rule and every piece of
learner data is in ``edx_plugin.services.party_class`` and its models.
"""
from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, DateTime, Float, Integer, List, Scope, String

from party_training.edx_plugin.core.conf import setting
from party_training.edx_plugin.party_class.models import QuestionTag, ReflectionStatus, SignInMethod
from party_training.edx_plugin.party_class import rules as svc
from party_training.resources import read_static, render_template

from .mixins import HandlerError, PartyBlockMixin, StudioEditorMixin, json_handler, json_response, page_handler

HTML5_VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogg", ".ogv", ".m4v")
# Where the QR code sends a phone when the page that opened the projector is not known.
DEFAULT_UNIT_URL = "/courses/{course_id}/jump_to/{usage_id}"

# OLX: the editable scalar fields are attributes of <party_class> with the field's name; these are children.
CHILD_FIELDS = {"body", "key_points", "materials", "reflection_prompt", "expected_organizations"}


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@contextmanager
def service_errors():
    """A rule's refusal becomes the handler's JSON error (translated message, HTTP status)."""
    try:
        yield
    except svc.PartyClassError as exc:
        raise HandlerError(exc.message, exc.status) from exc


class PartyClassBlock(CompletableXBlockMixin, StudioEditorMixin, PartyBlockMixin, XBlock):
    """A party class: lecture (video and text), sign-in, questions, reflection, hours on completion."""

    block_settings_key = "party_class"

    display_name = String(display_name=gettext_lazy("Title"), default="党课", scope=Scope.settings)
    lecturer_name = String(display_name=gettext_lazy("Lecturer"), default="", scope=Scope.settings)
    lecturer_position = String(display_name=gettext_lazy("Lecturer's position"), default="", scope=Scope.settings)
    lecturer_organization = String(display_name=gettext_lazy("Lecturer's organisation"), default="",
                                   scope=Scope.settings)
    schedule = String(
        display_name=gettext_lazy("Schedule"), default="live", scope=Scope.settings,
        values=[{"value": "live", "display_name": gettext_lazy("Live session")},
                {"value": "recorded", "display_name": gettext_lazy("Recorded")}],
    )
    session_start = DateTime(display_name=gettext_lazy("Session starts"), default=None, scope=Scope.settings)
    session_end = DateTime(display_name=gettext_lazy("Session ends"), default=None, scope=Scope.settings)
    video_url = String(
        display_name=gettext_lazy("Video"), default="", scope=Scope.settings,
        help=gettext_lazy("An HTML5 video file (.mp4, .webm, .ogg) or a player page from an allowed host."),
    )
    body = String(display_name=gettext_lazy("Lecture text"), default="", scope=Scope.content,
                  multiline_editor=True, help=gettext_lazy("Rich text (HTML); unsafe markup is removed."))
    key_points = List(display_name=gettext_lazy("Key points"), default=[], scope=Scope.content,
                      help=gettext_lazy('A JSON list of texts, e.g. ["First point", "Second point"].'))
    materials = List(
        display_name=gettext_lazy("Materials"), default=[], scope=Scope.content,
        help=gettext_lazy('A JSON list of links, e.g. [{"title": "Reading", "url": "https://example.com/a.pdf"}].'),
    )
    credit_hours = Float(display_name=gettext_lazy("Credit hours"), default=1.0, scope=Scope.settings,
                         help=gettext_lazy("Credited to the learner's hours ledger once, on completion (0: none)."))
    require_signin = Boolean(display_name=gettext_lazy("Completion requires signing in"), default=True,
                             scope=Scope.settings)
    require_content = Boolean(display_name=gettext_lazy("Completion requires watching or reading"), default=True,
                              scope=Scope.settings)
    require_reflection = Boolean(display_name=gettext_lazy("Completion requires a submitted reflection"),
                                 default=False, scope=Scope.settings)
    reflection_prompt = String(display_name=gettext_lazy("Reflection prompt"), default="", scope=Scope.content,
                               multiline_editor=True,
                               help=gettext_lazy("Leave empty when the class asks for no reflection."))
    reflection_min_chars = Integer(display_name=gettext_lazy("Minimum reflection length (characters)"),
                                   default=300, scope=Scope.settings)
    reflection_graded = Boolean(
        display_name=gettext_lazy("Score reflections"), default=False, scope=Scope.settings,
        help=gettext_lazy("Staff may score reflections; the score is published as this component's grade."),
    )
    reflection_max_score = Float(display_name=gettext_lazy("Maximum reflection score"), default=100.0,
                                 scope=Scope.settings)
    questions_enabled = Boolean(display_name=gettext_lazy("Learners may ask the lecturer questions"), default=True,
                                scope=Scope.settings)
    questions_open = DateTime(display_name=gettext_lazy("Questions open"), default=None, scope=Scope.settings)
    questions_close = DateTime(display_name=gettext_lazy("Questions close"), default=None, scope=Scope.settings)
    answers_need_publish = Boolean(
        display_name=gettext_lazy("Answers are shown only when published"), default=True, scope=Scope.settings)
    allow_anonymous = Boolean(display_name=gettext_lazy("Anonymous questions allowed"), default=True,
                              scope=Scope.settings)
    online_signin = Boolean(display_name=gettext_lazy("Online check-in"), default=True, scope=Scope.settings)
    online_signin_start = DateTime(display_name=gettext_lazy("Online check-in opens"), default=None,
                                   scope=Scope.settings)
    online_signin_end = DateTime(display_name=gettext_lazy("Online check-in closes"), default=None,
                                 scope=Scope.settings)
    onsite_signin = Boolean(display_name=gettext_lazy("On-site sign-in with a rotating code"), default=True,
                            scope=Scope.settings)
    onsite_code_period = Integer(display_name=gettext_lazy("The on-site code changes every (seconds)"), default=30,
                                 scope=Scope.settings)
    expected_organizations = List(
        display_name=gettext_lazy("Expected organisations"), default=[], scope=Scope.settings,
        help=gettext_lazy('Codes of the organisations whose members should attend (their subtrees too), '
                          'e.g. ["DEMO-B01"]; the attendance view lists who of them is missing.'),
    )

    editable_fields = (
        "display_name", "lecturer_name", "lecturer_position", "lecturer_organization", "schedule", "session_start",
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

    # --- rules handed to the services -----------------------------------------------------------
    def _signin_rules(self) -> svc.SignInRules:
        return svc.SignInRules(online=self.online_signin, online_start=self.online_signin_start,
                               online_end=self.online_signin_end, onsite=self.onsite_signin,
                               code_period=self.onsite_code_period)

    def _completion_rules(self) -> svc.CompletionRules:
        return svc.CompletionRules(signin=self.require_signin, content=self.require_content,
                                   reflection=self.require_reflection,
                                   hours=Decimal(str(self.credit_hours or 0)), title=str(self.display_name))

    def _question_rules(self) -> svc.QuestionRules:
        return svc.QuestionRules(enabled=self.questions_enabled, open_at=self.questions_open,
                                 close_at=self.questions_close, allow_anonymous=self.allow_anonymous,
                                 answers_need_publish=self.answers_need_publish)

    def video(self) -> dict:
        return video_embed(self.video_url)

    # --- learner state --------------------------------------------------------------------------
    def _learner_state(self, user, status: svc.Requirements | None = None) -> dict:
        signin = svc.find_sign_in(user, self.usage_id_str)
        reflection = svc.my_reflection(user, self.usage_id_str)
        if status is None:
            status = svc.requirements(user, self.usage_id_str, self._completion_rules(), signed_in=signin is not None)
            if status.met and not status.completed:
                # Met without a request of the learner's completing it (e.g. staff recorded the sign-in).
                status = self._after_progress(user, signed_in=signin is not None)
        self._publish_pending_grade(reflection)
        question_rules = self._question_rules()
        return {
            "signin": self._signin_state(signin),
            "requirements": status.as_dict(),
            "questions": svc.learner_questions(user, self.usage_id_str, question_rules)
            if self.questions_enabled else [],
            "questions_open": svc.questions_open(question_rules),
            "reflection": {
                "text": reflection.text if reflection else "",
                "status": reflection.status if reflection else "",
                "submitted": bool(reflection and reflection.status == ReflectionStatus.SUBMITTED),
                "submitted_at": _local(reflection.submitted_at) if reflection else "",
                "saved_at": _local(reflection.updated) if reflection else "",
                "score": float(reflection.score) if reflection and reflection.score is not None
                and self.reflection_graded else None,
            },
        }

    def _signin_state(self, signin) -> dict:
        return {
            "signed_in": signin is not None,
            "method": signin.method if signin else "",
            "method_label": str(SignInMethod(signin.method).label) if signin else "",
            "time": _local(signin.created) if signin else "",
            "online_open": svc.online_open(self._signin_rules()),
        }

    def _publish_pending_grade(self, reflection) -> None:
        """Send a new staff score to the LMS as the author's grade (once per score). The LMS's grade
        event takes ``user_id``, so staff scoring in their own request grade the learner at once."""
        if not self.reflection_graded:
            return
        score = svc.claim_grade_to_publish(reflection)
        if score is not None:
            self.runtime.publish(self, "grade", {"value": float(score), "max_value": float(self.reflection_max_score),
                                                 "user_id": reflection.user_id})

    def _after_progress(self, user, *, signed_in: bool | None = None) -> svc.Requirements:
        """Publish completion (and credit the hours) the one time every requirement is met."""
        completed_now, status = svc.complete_if_done(user, self.course_id_str, self.usage_id_str,
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
        staff = user is not None and self.is_course_staff()
        state = self._learner_state(user) if user is not None else None
        video = self.video()
        ctx = {
            "block": self, "state": state, "staff": staff, "video": video,
            "body": svc.sanitize_rich_text(self.body), "materials": self._safe_materials(),
            "session_start": _local(self.session_start), "session_end": _local(self.session_end),
            "tags": QuestionTag.choices, "code_digits": svc.CODE_DIGITS,
            "online_start": _local(self.online_signin_start), "online_end": _local(self.online_signin_end),
            "questions_open_at": _local(self.questions_open), "questions_close_at": _local(self.questions_close),
            "hours": f"{self.credit_hours:g}", "max_score": f"{self.reflection_max_score:g}",
            "max_question_chars": svc.MAX_QUESTION_CHARS, "max_reflection_chars": svc.MAX_REFLECTION_CHARS,
            "has_reflection": bool(self.reflection_prompt) or self.require_reflection,
        }
        frag = self.render_fragment("party_class/block.html", ctx, js="party_class.js", css="party_class.css",
                                    init_fn="PartyClassBlock", js_args={
                                        "state": state, "staff": staff, "min_chars": self.reflection_min_chars,
                                        "messages": self._js_messages(),
                                    })
        if staff:
            frag.add_javascript(read_static("js", "party_class_staff.js"))
        return frag

    def _safe_materials(self) -> list[dict]:
        return [m for m in self.materials if isinstance(m, dict) and _is_link(m.get("url", ""))]

    @staticmethod
    def _js_messages() -> dict:
        return {
            "saving": _("Saving…"), "saved": _("Draft saved at %(time)s"),
            "save_failed": _("The draft could not be saved."),
            "signed_in": _("You signed in at %(time)s (%(method)s)."), "vote": _("Agree"), "voted": _("Agreed"),
            "votes": _("%(count)s agree"), "you": _("You"),
            "answer": _("Lecturer's answer"), "no_questions": _("No questions yet. Be the first to ask."),
            "chars": _("%(count)s characters (at least %(min)s)"), "asked": _("Your question has been sent."),
            "submitted": _("Your reflection has been submitted."), "done": _("Done"), "todo": _("Not yet"),
            "confirm_submit": _("Submit your reflection? It cannot be changed afterwards."),
            "network": _("The network is unavailable. Please try again."),
            "content_done": _("Marked as watched and read."),
            # staff
            "loading": _("Loading…"), "published": _("Published"), "unpublished": _("Not published"),
            "publish": _("Publish answer"), "unpublish": _("Withdraw answer"), "hide": _("Hide"), "unhide": _("Show"),
            "save_answer": _("Save answer"), "merge": _("Merge into…"),
            "hidden": _("Hidden"), "merged": _("Merged into #%(id)s"), "answer_label": _("Reply"),
            "expected": _("Expected"), "signed": _("Signed in"), "missing": _("Missing"),
            "organisation": _("Organisation"), "score": _("Score"), "save_score": _("Save score"),
            "score_saved": _("Score saved."), "no_reflections": _("No reflection has been submitted yet."),
            "drafts": _("%(count)s learners are still writing a draft."), "saved_ok": _("Saved."),
            "no_expected": _("Set the expected organisations in the editor to see who is missing."),
            "unknown_codes": _("Unknown organisation codes: %(codes)s"),
            "show_names": _("Show names"),
        }

    def student_view_data(self, context=None):
        """Public settings for the mobile apps (no learner data)."""
        return {
            "display_name": self.display_name, "lecturer": {
                "name": self.lecturer_name, "position": self.lecturer_position,
                "organization": self.lecturer_organization},
            "schedule": self.schedule, "session_start": _iso(self.session_start), "session_end": _iso(self.session_end),
            "video": self.video(), "body": svc.sanitize_rich_text(self.body), "key_points": list(self.key_points),
            "materials": self._safe_materials(), "credit_hours": self.credit_hours,
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
        try:
            signin, created = svc.sign_in(user, self.course_id_str, self.usage_id_str, self._signin_rules(),
                                          method=method if isinstance(method, str) else "", code=data.get("code", ""))
        except svc.PartyClassError as exc:
            return json_response({"error": exc.message, **exc.extra}, status=exc.status)
        status = self._after_progress(user, signed_in=True)
        message = _("You signed in at %(time)s.") if created else _("You had already signed in at %(time)s.")
        return {"created": created, "message": message % {"time": _local(signin.created)},
                "signin": self._signin_state(signin), "requirements": status.as_dict()}

    @json_handler(role="learner")
    def content_done(self, data, suffix=""):
        user = self._user()
        svc.mark_content_done(user, self.course_id_str, self.usage_id_str)
        return {"requirements": self._after_progress(user).as_dict()}

    @json_handler(role="learner")
    def ask(self, data, suffix=""):
        user = self._user()
        with service_errors():
            svc.ask_question(user, self.course_id_str, self.usage_id_str, self._question_rules(),
                             text=data.get("text"), tag=data.get("tag"), anonymous=bool(data.get("anonymous")))
        return {"questions": svc.learner_questions(user, self.usage_id_str, self._question_rules())}

    @json_handler(role="learner")
    def vote(self, data, suffix=""):
        user = self._user()
        with service_errors():
            votes, created = svc.vote(user, self.usage_id_str, data.get("question_id"))
        return {"votes": votes, "created": created,
                "questions": svc.learner_questions(user, self.usage_id_str, self._question_rules())}

    @json_handler(role="learner")
    def save_draft(self, data, suffix=""):
        user = self._user()
        with service_errors():
            reflection = svc.save_draft(user, self.course_id_str, self.usage_id_str, data.get("text"))
        return {"saved_at": _local(reflection.updated), "length": svc.counted_length(reflection.text)}

    @json_handler(role="learner")
    def submit_reflection(self, data, suffix=""):
        user = self._user()
        with service_errors():
            svc.submit_reflection(user, self.course_id_str, self.usage_id_str, data.get("text"),
                                  self.reflection_min_chars)
        return self._learner_state(user, self._after_progress(user))

    # --- staff handlers ---------------------------------------------------------------------------
    @json_handler(role="staff")
    def attendance(self, data, suffix=""):
        report = svc.attendance(self.usage_id_str, self._expected_codes())
        return report.as_dict()

    @json_handler(role="staff")
    def record_sign_in(self, data, suffix=""):
        """Staff record a learner present; the learner's completion follows on their next visit."""
        with service_errors():
            signin, created = svc.record_sign_in(self.course_id_str, self.usage_id_str, data.get("username"))
        message = _("%(name)s is now signed in.") if created else _("%(name)s had already signed in.")
        return {"created": created, "message": message % {"name": signin.user.get_username()},
                **svc.attendance(self.usage_id_str, self._expected_codes()).as_dict()}

    @json_handler(role="staff")
    def attendance_xlsx(self, data, suffix=""):
        report = svc.attendance(self.usage_id_str, self._expected_codes())
        title = f"{self.display_name} · {_('Attendance')}"
        body = svc.attendance_xlsx(report, title)
        filename = f"attendance-{self.scope_ids.usage_id.block_id}.xlsx"
        return Response(body=body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        content_disposition=f'attachment; filename="{filename}"')

    @json_handler(role="staff")
    def board(self, data, suffix=""):
        return {"questions": svc.question_board(self._user(), self.usage_id_str, self._question_rules())}

    @json_handler(role="staff")
    def moderate(self, data, suffix=""):
        user, qid, action = self._user(), data.get("question_id"), data.get("action")
        with service_errors():
            if action == "answer":
                publish = data.get("publish")
                svc.answer_question(user, self.usage_id_str, qid, data.get("answer", ""),
                                    publish=None if publish is None else bool(publish))
            elif action in ("publish", "unpublish"):
                svc.publish_answer(self.usage_id_str, qid, action == "publish")
            elif action in ("hide", "unhide"):
                svc.hide_question(self.usage_id_str, qid, action == "hide")
            elif action == "merge":
                svc.merge_questions(self.usage_id_str, qid, data.get("target_id"))
            else:
                raise HandlerError(_("Unknown action."))
        return {"questions": svc.question_board(user, self.usage_id_str, self._question_rules())}

    @json_handler(role="staff")
    def reflections(self, data, suffix=""):
        return {**svc.reflections_for_staff(self.usage_id_str), "graded": self.reflection_graded,
                "max_score": self.reflection_max_score}

    @json_handler(role="staff")
    def score(self, data, suffix=""):
        if not self.reflection_graded:
            raise HandlerError(_("Reflections of this class are not scored."))
        with service_errors():
            reflection = svc.score_reflection(self._user(), self.usage_id_str, data.get("reflection_id"),
                                              data.get("score"), self.reflection_max_score)
        self._publish_pending_grade(reflection)
        return svc.reflections_for_staff(self.usage_id_str)

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
            "state": self._projector_state(request), "lang": _html_lang(),
            "session_start": _local(self.session_start), "session_end": _local(self.session_end),
        })
        return Response(body=page.encode("utf-8"), content_type="text/html", charset="utf-8")

    @page_handler(role="staff")
    def projector_state(self, request, suffix=""):
        return json_response(self._projector_state(request))

    def _projector_state(self, request) -> dict:
        if not self.onsite_signin:
            code, seconds_left, url, qr = "", 0, "", ""
        else:
            code, seconds_left = svc.current_code(self.usage_id_str, self.onsite_code_period)
            url = self._signin_url(request, code)
            qr = svc.qr_svg(url)
        return {"code": code, "seconds_left": seconds_left, "period": self.onsite_code_period, "url": url,
                "qr_svg": qr, "count": svc.sign_in_count(self.usage_id_str),
                "expected": svc.expected_count(self._expected_codes())}

    def _signin_url(self, request, code: str) -> str:
        """The unit's address with the code pre-filled; the page that opened the projector if it is on
        this site, else the site's unit address (settings bucket ``UNIT_URL``, else the LMS's jump_to)."""
        unit = request.GET.get("unit", "")
        parts = urlsplit(unit)
        site = urlsplit(request.host_url)
        same_site = (parts.scheme in ("http", "https") and parts.netloc == site.netloc) or (
            not parts.scheme and not parts.netloc and unit.startswith("/"))
        if not (unit and same_site):
            bucket = self.runtime.service(self, "settings")
            template = (bucket.get_settings_bucket(self) if bucket else {}).get("UNIT_URL", DEFAULT_UNIT_URL)
            unit = template.format(course_id=quote(self.course_id_str, safe=":+"),
                                   usage_id=quote(self.usage_id_str, safe=":+@"))
            parts = urlsplit(unit)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "party_code"] + [("party_code", code)]
        scheme, netloc = (parts.scheme, parts.netloc) if parts.netloc else (site.scheme, site.netloc)
        return urlunsplit((scheme, netloc, parts.path, urlencode(query), ""))

    def _expected_codes(self) -> list[str]:
        return [str(c) for c in self.expected_organizations if isinstance(c, str) and c.strip()]

    # --- Studio ------------------------------------------------------------------------------------
    def validate_studio_values(self, values: dict) -> dict:
        errors = {}
        merged = {name: values.get(name, getattr(self, name)) for name in self.editable_fields}
        if video_embed(merged["video_url"])["kind"] == "blocked":
            errors["video_url"] = _("Use an HTML5 video file (.mp4, .webm, .ogg) or an https player page from: "
                                    "%(hosts)s.") % {"hosts": ", ".join(setting("VIDEO_IFRAME_HOSTS"))}
        for start, end in (("session_start", "session_end"), ("online_signin_start", "online_signin_end"),
                           ("questions_open", "questions_close")):
            if merged[start] and merged[end] and merged[end] <= merged[start]:
                errors[end] = _("The end must be later than the start.")
        if merged["schedule"] not in ("live", "recorded"):
            errors["schedule"] = _("This value is not valid.")
        if not svc.MIN_CODE_PERIOD <= merged["onsite_code_period"] <= svc.MAX_CODE_PERIOD:
            errors["onsite_code_period"] = _("Between %(min)d and %(max)d seconds.") % {
                "min": svc.MIN_CODE_PERIOD, "max": svc.MAX_CODE_PERIOD}
        if not 0 <= merged["credit_hours"] <= 1000:
            errors["credit_hours"] = _("Between 0 and 1000 hours.")
        if not 0 <= merged["reflection_min_chars"] <= svc.MAX_REFLECTION_CHARS:
            errors["reflection_min_chars"] = _("Between 0 and %(max)d characters.") % {"max": svc.MAX_REFLECTION_CHARS}
        if not 0 < merged["reflection_max_score"] <= 1000:
            errors["reflection_max_score"] = _("Greater than 0 and at most 1000.")
        if not any(merged[name] for name in ("require_signin", "require_content", "require_reflection")):
            errors["require_content"] = _("Choose at least one requirement for completion.")
        if merged["require_signin"] and not (merged["online_signin"] or merged["onsite_signin"]):
            errors["require_signin"] = _("Signing in is required, but neither online nor on-site sign-in is offered.")
        if merged["require_reflection"] and not merged["reflection_prompt"].strip():
            errors["reflection_prompt"] = _("A reflection is required: write the prompt.")
        if not all(isinstance(p, str) for p in merged["key_points"]):
            errors["key_points"] = _("A list of texts is expected.")
        if not all(isinstance(m, dict) and isinstance(m.get("title"), str) and _is_link(m.get("url", ""))
                   for m in merged["materials"]):
            errors["materials"] = _('Each material needs a "title" and an http(s) "url".')
        if not all(isinstance(c, str) for c in merged["expected_organizations"]):
            errors["expected_organizations"] = _("A list of organisation codes is expected.")
        if "body" in values:
            values["body"] = svc.sanitize_rich_text(values["body"])
        return errors

    # --- OLX -------------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        block = runtime.construct_xblock_from_class(cls, keys)
        for name in cls.editable_fields:
            if name not in CHILD_FIELDS and name in node.attrib:
                block._set_from_attribute(name, node.get(name))
        body = node.find("body")
        if body is not None:
            inner = (body.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in body)
            block.body = svc.sanitize_rich_text(inner.strip())
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

    def _set_from_attribute(self, name: str, raw: str) -> None:
        field = self.fields[name]
        try:
            if isinstance(field, Boolean):
                if raw.lower() not in ("true", "false"):
                    raise ValueError(raw)
                value = raw.lower() == "true"
            elif isinstance(field, (Integer, Float, DateTime)):
                value = field.from_json(raw.strip()) if raw.strip() else None
                if isinstance(field, Integer):
                    value = int(value)
            else:
                value = raw
        except (TypeError, ValueError) as exc:
            raise ValueError(f"party_class {self.scope_ids.usage_id}: {name}={raw!r} is not valid") from exc
        setattr(self, name, value)

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        for name in self.editable_fields:
            field, value = self.fields[name], getattr(self, name)
            if name in CHILD_FIELDS:
                continue
            if value is None:
                continue
            if isinstance(field, Boolean):
                node.set(name, "true" if value else "false")
            elif isinstance(field, DateTime):
                node.set(name, value.isoformat())
            elif isinstance(field, Float):
                node.set(name, repr(float(value)))
            else:
                node.set(name, str(value))
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


def video_embed(url: str) -> dict:
    """How to show a video: an https iframe from an allowed host, an HTML5 file, or a refusal."""
    url = (url or "").strip()
    if not url:
        return {"kind": ""}
    parts = urlsplit(url)
    hosts = {h.lower() for h in setting("VIDEO_IFRAME_HOSTS")}
    if parts.scheme == "https" and (parts.hostname or "").lower() in hosts:
        return {"kind": "iframe", "url": url}
    local = not parts.scheme and not parts.netloc and url.startswith("/")
    if (parts.scheme in ("http", "https") or local) and parts.path.lower().endswith(HTML5_VIDEO_EXTENSIONS):
        return {"kind": "html5", "url": url}
    return {"kind": "blocked"}


def _is_link(url) -> bool:
    return isinstance(url, str) and (urlsplit(url).scheme in ("http", "https") or
                                     (url.startswith("/") and not url.startswith("//")))


def _iso(value):
    return value.isoformat() if value else None


def _html_lang() -> str:
    language = translation.get_language() or "zh-cn"
    return "zh-CN" if language.startswith("zh") else language
