"""Behaviour every party-training block shares: identity, roles, JSON handlers, rendering and
the Studio editor (OLX is in ``olx``, field bounds and credit hours in ``fields``).

Blocks stay thin: they render, accept input, and call their area's rules in ``edx_plugin.<area>``.
"""
from __future__ import annotations

import datetime
import json
from functools import wraps

from crum import get_current_user
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import RequestDataTooBig
from django.utils import timezone
from django.utils.translation import gettext as _
from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock, XBlockMixin
from xblock.fields import Boolean, DateTime, Dict, Float, Integer, List, String

from party_training.edx_plugin.core.errors import RuleError
from party_training.resources import read_static, render_template

from party_training.edx_plugin.core.permissions import record_course_staff

from . import studio_rows
from .fields import field_bounds, field_error
from party_training.edx_plugin.core.js_catalog import js_catalog

STAFF_ROLES = {"staff", "instructor", "administrator"}


def json_response(payload, status: int = 200) -> Response:
    return Response(
        body=json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"),
        status=status, content_type="application/json", charset="utf-8",
    )


class HandlerError(Exception):
    """Raised inside a handler to answer with a translated message and an HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


ROLES = {"learner", "staff", "public"}


def _megabytes(size: int | None) -> str:
    return f"{(size or 0) / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _refusal(block, role: str) -> Response | None:
    """The 403 answer when the current user lacks ``role``, else None."""
    if role != "public" and block.current_user_id() is None:
        return json_response({"error": _("Please sign in first.")}, status=403)
    if role == "staff" and not block.is_course_staff():
        return json_response({"error": _("Only course staff may do this.")}, status=403)
    return None


def json_handler(role: str = "learner"):
    """Decorate a block method as a JSON-in / JSON-out handler with a role check.

    ``role`` is "learner" (any signed-in user), "staff" (course staff), or "public". Bad
    JSON, a refused role and ``HandlerError`` become JSON errors with a translated message.
    """
    if role not in ROLES:
        raise ValueError(role)

    def decorator(func):
        @XBlock.handler
        @wraps(func)
        def wrapper(self, request, suffix=""):
            refused = _refusal(self, role)
            if refused is not None:
                return refused
            if request.method == "GET":
                data = dict(request.GET)
            else:
                try:
                    body = request.body
                except RequestDataTooBig:  # the LMS reads the body only when the block asks for it
                    return json_response({"error": _(
                        "What you sent is too large (at most %(mb)s MB); nothing was saved. Shorten it and try again.")
                        % {"mb": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}}, status=413)
                try:
                    data = json.loads(body.decode("utf-8") or "{}")
                except (ValueError, UnicodeDecodeError):
                    return json_response({"error": _("The request is not valid JSON.")}, status=400)
                if not isinstance(data, dict):
                    return json_response({"error": _("The request must be a JSON object.")}, status=400)
            try:
                result = func(self, data, suffix)
            except HandlerError as exc:
                return json_response({"error": exc.message}, status=exc.status)
            except RuleError as exc:  # a rule refused: its translated message, its status
                return json_response(exc.as_dict(), status=exc.status)
            if isinstance(result, Response):
                return result
            return json_response(result)

        wrapper.required_role = role
        wrapper.takes_json = True  # how the handler tests find every JSON handler of every block
        return wrapper

    return decorator


def page_handler(role: str = "staff"):
    """Decorate a block method that answers with its own response (a page, a file) after the same
    role check as ``json_handler``; it receives the webob request."""
    if role not in ROLES:
        raise ValueError(role)

    def decorator(func):
        @XBlock.handler
        @wraps(func)
        def wrapper(self, request, suffix=""):
            return _refusal(self, role) or func(self, request, suffix)

        wrapper.required_role = role
        return wrapper

    return decorator


@XBlock.needs("user")
@XBlock.wants("i18n", "settings")
class PartyBlockMixin(XBlockMixin):
    """Identity and rendering helpers; the LMS and the demo site provide the same services."""

    # --- identity -----------------------------------------------------------------------
    def _xblock_user(self):
        return self.runtime.service(self, "user").get_current_user()

    def current_user_id(self) -> int | None:
        user = self._xblock_user()
        if not user.opt_attrs.get("edx-platform.is_authenticated", True):
            return None
        return user.opt_attrs.get("edx-platform.user_id")

    def student_id(self) -> str:
        """The anonymous id the LMS grades this learner under in this course (as ORA does), for scores
        set through edx-submissions; the user id where the runtime has no anonymous ids (the demo site)."""
        service = self.runtime.service(self, "user")
        anonymous = getattr(service, "get_anonymous_user_id", None)
        username = self._xblock_user().opt_attrs.get("edx-platform.username")
        if anonymous and username:
            value = anonymous(username, self.course_id_str)
            if value:
                return str(value)
        return str(self.current_user_id())

    def current_django_user(self):
        user_id = self.current_user_id()
        if user_id is None:
            return None
        # The LMS (and the demo) keep the request's user in django-crum's middleware: the same person is
        # not read from the database a second time in one request.
        current = get_current_user()
        if current is not None and getattr(current, "is_authenticated", False) and current.pk == user_id:
            return current
        return get_user_model().objects.filter(pk=user_id).first()

    def is_course_staff(self) -> bool:
        """What the LMS says of the current user in this course. A check only: it writes nothing."""
        attrs = self._xblock_user().opt_attrs
        return bool(attrs.get("edx-platform.user_is_staff")) or attrs.get("edx-platform.user_role") in STAFF_ROLES

    def remember_course_staff(self) -> bool:
        """Called when a block is shown: if the LMS says the viewer is course staff, remember it for
        the plugin's own pages (grading queue, question banks), which run outside any block and
        check ``CourseRole``. Returns whether the viewer is staff."""
        is_staff = self.is_course_staff()
        user_id = self.current_user_id()
        if is_staff and user_id is not None:
            record_course_staff(user_id, self.course_id_str)
        return is_staff

    @property
    def course_id_str(self) -> str:
        usage_id = self.scope_ids.usage_id
        context_key = getattr(usage_id, "context_key", None) or getattr(usage_id, "course_key", None)
        return str(context_key) if context_key is not None else ""

    @property
    def usage_id_str(self) -> str:
        return str(self.scope_ids.usage_id)

    # --- rendering ----------------------------------------------------------------------
    def render_fragment(self, template: str, context: dict, *, js: str | list[str] | None = None,
                        css: str | None = None, init_fn: str | None = None, js_args: dict | None = None) -> Fragment:
        """The block's fragment: shared and own CSS, ``core.js`` and the block's scripts, whose
        ``gettext`` strings arrive translated in ``js_args["i18n"]``."""
        frag = Fragment(render_template(template, context))
        frag.add_css(read_static("css", "core.css"))
        if css:
            frag.add_css(read_static("css", css))
        if js:
            scripts = ["core.js"] + ([js] if isinstance(js, str) else list(js))
            for name in scripts:
                frag.add_javascript(read_static("js", name))
            frag.initialize_js(init_fn, {**(js_args or {}), "i18n": js_catalog(*scripts)})
        return frag


class StudioEditorMixin:
    """A Studio editor built from ``editable_fields``: scalars as inputs; lists a block describes in
    ``studio_rows`` as rows to add, remove and reorder, and objects it describes in ``studio_keyed`` as
    one input per key (schemas in ``studio_rows``, the module; the row editor is ``PartyTraining.rows``
    in core.js); text a block names in ``studio_rich_text`` with a formatting toolbar.

    Each row is checked cell by cell (errors name the field, row and column), then the block's own
    checks run in ``validate_studio_values`` (return a dict of field -> message). The editor posts to
    ``studio_submit`` the way Studio editors do.
    """

    editable_fields: tuple[str, ...] = ()
    studio_rows: dict = {}
    studio_keyed: dict = {}
    studio_rich_text: tuple[str, ...] = ()

    def studio_row_schema(self, name: str) -> dict | None:
        """The rows of a list field; blocks override it for choices read at request time."""
        return self.studio_rows.get(name)

    def studio_keyed_schema(self, name: str) -> dict | None:
        """The keys of an object field edited as one input per key."""
        return self.studio_keyed.get(name)

    def _editor_field(self, name: str) -> dict:
        field = self.fields[name]
        value = getattr(self, name)
        rows = None
        row_schema = self.studio_row_schema(name) if isinstance(field, List) else None
        keyed_schema = self.studio_keyed_schema(name) if isinstance(field, Dict) else None
        if row_schema or keyed_schema:
            kind, shown = ("rows" if row_schema else "keyed"), value
            rows = studio_rows.translated(row_schema or keyed_schema)
        elif isinstance(field, (List, Dict)):
            kind, shown = "json", json.dumps(value, ensure_ascii=False, indent=2)
        elif name in self.studio_rich_text:
            kind, shown = "html", value
        elif isinstance(field, Boolean):
            kind, shown = "bool", value
        elif isinstance(field, (Integer, Float)):
            kind, shown = "number", value
        elif isinstance(field, DateTime):
            # Authors read and type the site's local time (TIME_ZONE); the field stores UTC.
            kind, shown = "datetime", timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""
        elif isinstance(field, String) and field.runtime_options.get("multiline_editor"):
            kind, shown = "text", value
        else:
            kind, shown = "string", value
        values = getattr(field, "values", None)
        label = field.display_name or name
        if kind == "datetime":
            label = _("%(label)s (time zone %(zone)s)") % {"label": label, "zone": timezone.get_current_timezone_name()}
        minimum, maximum = field_bounds(field)
        return {
            "name": name, "kind": kind, "value": shown, "label": label,
            "help": field.help or "", "choices": values if isinstance(values, (list, tuple)) else None,
            "min": "" if minimum is None else f"{minimum:g}", "max": "" if maximum is None else f"{maximum:g}",
            "rows": {"schema": rows, "value": shown} if rows is not None else None,
        }

    def studio_view(self, context=None):
        fields = [self._editor_field(name) for name in self.editable_fields]
        return self.render_fragment(
            "core/studio_editor.html", {"fields": fields, "block_type": self.scope_ids.block_type},
            js="studio_editor.js", init_fn="PartyStudioEditor",
        )

    def _coerce(self, name: str, raw):
        field = self.fields[name]
        if isinstance(field, (List, Dict)):
            value = json.loads(raw) if isinstance(raw, str) else raw
            if not isinstance(value, list if isinstance(field, List) else dict):
                raise ValueError
            return value
        if isinstance(field, Boolean):
            return bool(raw)
        if isinstance(field, Integer):
            return int(raw)
        if isinstance(field, Float):
            return float(raw)
        if isinstance(field, DateTime):
            if not raw:
                return None
            moment = datetime.datetime.fromisoformat(str(raw))
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            # XBlock's DateTime serialises the wall time, so hand it UTC.
            return moment.astimezone(datetime.timezone.utc)
        return "" if raw is None else str(raw)

    def _coerce_error(self, name: str) -> str:
        """What is wrong with a value that could not be read, naming the field."""
        field = self.fields[name]
        label = str(field.display_name or name)
        if isinstance(field, List):
            return _("“%(field)s” must be a list written in JSON, e.g. [\"…\", \"…\"].") % {"field": label}
        if isinstance(field, Dict):
            return _("“%(field)s” must be an object written in JSON, e.g. {\"name\": 1}.") % {"field": label}
        if isinstance(field, (Integer, Float)):
            return _("“%(field)s” must be a number.") % {"field": label}
        if isinstance(field, DateTime):
            return _("“%(field)s” must be a date and time.") % {"field": label}
        return _("“%(field)s”: this value is not valid.") % {"field": label}

    def _row_problem(self, name: str, value, spots: list) -> str | None:
        """The cell-by-cell problems of a field edited as rows or keys, in one message; the place of
        each is appended to ``spots`` for the editor to mark."""
        label = str(self.fields[name].display_name or name)
        schema = self.studio_row_schema(name) if isinstance(self.fields[name], List) else None
        keyed = self.studio_keyed_schema(name) if isinstance(self.fields[name], Dict) else None
        problems = (studio_rows.row_problems(label, schema, value, spots=spots) if schema
                    else studio_rows.keyed_problems(label, keyed, value, spots) if keyed else [])
        return " ".join(problems) or None

    def validate_studio_values(self, values: dict) -> dict:
        """Block-specific checks; return ``{field: translated message}``."""
        return {}

    @json_handler(role="staff")
    def studio_submit(self, data, suffix=""):
        submitted = data.get("values")
        if not isinstance(submitted, dict):
            raise HandlerError(_("Nothing to save."))
        values, errors, bounds, cells, spots = {}, {}, {}, {}, {}
        for name in self.editable_fields:
            if name not in submitted:
                continue
            try:
                values[name] = self._coerce(name, submitted[name])
            except (TypeError, ValueError, OverflowError):
                errors[name] = self._coerce_error(name)
                continue
            problem = field_error(self.fields[name], values[name])
            if problem:
                bounds[name] = problem
            places: list = []
            problem = self._row_problem(name, values[name], places)
            if problem:
                cells[name], spots[name] = problem, places
        if not errors:
            # The block's own checks run on every value that could be read, bounded or not, so an
            # author sees every problem at once; a field's bound message wins on that field.
            # A cell's problem (naming the field, row and column) wins over a block's message on the
            # whole list, which the author could not place.
            errors = {**self.validate_studio_values(values), **cells, **bounds}
        if errors:
            # ``cells``: where in a list each problem is, so the editor marks those inputs.
            return json_response({"error": _("Please correct the highlighted fields."), "fields": errors,
                                  "cells": {name: places for name, places in spots.items()
                                            if errors.get(name) == cells[name]}}, 400)
        for name, value in values.items():
            setattr(self, name, value)
        self.after_studio_save()
        return {"result": "success"}

    def after_studio_save(self) -> None:
        """What a block does once an author's values are set (e.g. keep a plugin record in step)."""


__all__ = ["HandlerError", "PartyBlockMixin", "StudioEditorMixin", "json_handler", "json_response", "page_handler"]
