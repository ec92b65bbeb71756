"""An XBlock runtime for the demo site that gives blocks the services the LMS gives.

``user`` carries the ``edx-platform.*`` attributes of the signed-in Django user, ``i18n``
follows Django's active language, ``settings`` reads ``XBLOCK_SETTINGS``; field values are stored
as the LMS stores them (``BlockState``); grade and completion events are stored in ``BlockEvent`` and
shown on the unit page, other events go to the ``demo.events`` log.
"""
from __future__ import annotations

import json
import logging

from django.conf import settings
from django.utils.html import escape
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from opaque_keys.edx.keys import UsageKey
from opaque_keys.edx.locator import BlockUsageLocator
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.exceptions import NoSuchDefinition
from xblock.fields import ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import IdGenerator, IdReader, KeyValueStore, KvsFieldData, Runtime

from party_training.edx_plugin.core.db import CompiledRead, upsert

from . import bench_block
from .auth import COURSE_STAFF_GROUP
from .models import BlockEvent, BlockState

RECORDED_EVENTS = ("grade", "completion")
EVENT_LOG = logging.getLogger("demo.events")


class DemoIdManager(IdReader, IdGenerator):
    """Usage ids are the LMS's opaque block keys; the definition id is the usage id."""

    def __init__(self, course_key=None):
        self.course_key = course_key

    def get_definition_id(self, usage_id):
        return usage_id

    def get_block_type(self, def_id):
        try:
            return UsageKey.from_string(str(def_id)).block_type
        except Exception as exc:  # pylint: disable=broad-except
            raise NoSuchDefinition(repr(def_id)) from exc

    def create_definition(self, block_type, slug=None):
        return BlockUsageLocator(self.course_key, block_type, slug)

    def create_usage(self, def_id):
        return def_id

    def create_aside(self, definition_id, usage_id, aside_type):
        raise NotImplementedError("The demo site has no asides")

    def get_usage_id_from_aside(self, aside_id):
        raise NotImplementedError

    def get_definition_id_from_aside(self, aside_id):
        raise NotImplementedError

    def get_aside_type_from_usage(self, aside_id):
        raise NotImplementedError

    def get_aside_type_from_definition(self, aside_id):
        raise NotImplementedError


_KINDS = {"content": BlockState.AUTHORED, "settings": BlockState.AUTHORED, "user_state": BlockState.STATE,
          "user_state_summary": BlockState.SUMMARY}


def _block_rows(*, block_id: str, user_id: int):
    """A block's authored and summary rows (user 0) and the user's state row."""
    return BlockState.objects.filter(block_id=block_id, user_id__in=[0, user_id]).values("block_id", "user_id", "kind",
                                                                                      "data")


# Compiled once per process, as the LMS reads a block's authored settings from its course structure
# without building a query each time.
_BLOCK_ROWS = CompiledRead(BlockState, _block_rows, block_id=str, user_id=int)


class DatabaseKeyValueStore(KeyValueStore):
    """Field values in ``BlockState`` rows, as the LMS keeps them: read one block at a time (one
    query: its authored and summary rows and the user's state row), written once per handler call
    (the runtime saves a block's dirty fields together) with one upsert per row touched."""

    def __init__(self):
        self._loaded: dict[tuple[str, int], dict[tuple[str, int, str], dict]] = {}

    @staticmethod
    def _row_key(key) -> tuple[str, int, str]:
        user_id = key.user_id if key.scope.user.attr_name != "none" else 0
        return str(key.block_scope_id), int(user_id or 0), _KINDS.get(key.scope.name, key.scope.name)

    def _rows(self, block_id: str, user_id: int) -> dict[tuple[str, int, str], dict]:
        cache_key = (block_id, user_id)
        if cache_key not in self._loaded:
            rows = _BLOCK_ROWS.rows(block_id=block_id, user_id=user_id)
            self._loaded[cache_key] = {(r["block_id"], r["user_id"], r["kind"]): json.loads(r["data"]) for r in rows}
        return self._loaded[cache_key]

    def _fields(self, row: tuple[str, int, str]) -> dict:
        return self._rows(row[0], row[1]).setdefault(row, {})

    def get(self, key):
        fields = self._fields(self._row_key(key))
        if key.field_name not in fields:
            raise KeyError(key.field_name)
        return fields[key.field_name]

    def set(self, key, value):
        self.set_many({key: value})

    def set_many(self, update_dict):
        touched = set()
        for key, value in update_dict.items():
            row = self._row_key(key)
            self._fields(row)[key.field_name] = value
            touched.add(row)
        self._write(touched)

    def delete(self, key):
        row = self._row_key(key)
        self._fields(row).pop(key.field_name, None)
        self._write({row})

    def has(self, key):
        return key.field_name in self._fields(self._row_key(key))

    def _write(self, rows) -> None:
        # One INSERT ... ON DUPLICATE KEY UPDATE (ON CONFLICT on SQLite) per row, outside any lock held
        # across the request: simultaneous first writes of a new row cannot deadlock on gap locks as
        # read-then-insert does. Like the LMS's storage, the last writer of a row wins.
        upsert(BlockState, [BlockState(block_id=b, user_id=u, kind=k,
                                       data=json.dumps(self._fields((b, u, k)), ensure_ascii=False))
                            for b, u, k in sorted(rows)], ["block_id", "user_id", "kind"], ["data"])


def is_course_staff_user(user) -> bool:
    """In the demo, course staff are Django staff or members of the "course_staff" group. The request's
    user arrives with the answer (``demo.auth``: read with the user, once per request); a user loaded
    elsewhere asks the database."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    flag = getattr(user, "demo_course_staff", None)
    if flag is None:
        flag = user.groups.filter(name=COURSE_STAFF_GROUP).exists()
    return bool(flag)


class DemoUserService(UserService):
    def __init__(self, user, **kwargs):
        super().__init__(**kwargs)
        self._user = user

    def get_current_user(self):
        # Built once per runtime (one request), as the LMS's service does: every handler asks for it.
        if getattr(self, "_xblock_user", None) is None:
            self._xblock_user = self._build_user()
        return self._xblock_user

    def _build_user(self):
        user = self._user
        authenticated = bool(user and user.is_authenticated)
        xuser = XBlockUser(
            is_current_user=True,
            emails=[user.email] if authenticated and user.email else [],
            full_name=(user.get_full_name() or user.get_username()) if authenticated else None,
        )
        # The role comes with the request's user (demo.auth reads it in the same query), as the LMS
        # answers course roles from its per-request cache: no query of its own here.
        staff = authenticated and is_course_staff_user(user)
        xuser.opt_attrs = {
            "edx-platform.is_authenticated": authenticated,
            "edx-platform.user_id": user.pk if authenticated else None,
            "edx-platform.username": user.get_username() if authenticated else None,
            "edx-platform.user_is_staff": staff,
            "edx-platform.user_role": ("instructor" if staff else "student") if authenticated else None,
        }
        return xuser


class DemoI18nService:
    """The ``i18n`` service: Django's translation machinery for the active language."""

    def gettext(self, text):
        return translation.gettext(text)

    def ngettext(self, singular, plural, number):
        return translation.ngettext(singular, plural, number)

    ugettext = gettext
    ungettext = ngettext

    def strftime(self, dtime, fmt):
        return dtime.strftime(fmt)

    def get_javascript_i18n_catalog_url(self, block):  # pylint: disable=unused-argument
        return None


class DemoSettingsService:
    def get_settings_bucket(self, block, default=None):
        name = getattr(block, "block_settings_key", block.__class__.__name__)
        return getattr(settings, "XBLOCK_SETTINGS", {}).get(name, default or {})


class DemoRuntime(Runtime):
    """One runtime per request, for the signed-in user."""

    def __init__(self, user, course_key=None):
        self.django_user = user
        self.kvs = DatabaseKeyValueStore()
        ids = DemoIdManager(course_key)
        super().__init__(
            ids, ids,
            services={
                "field-data": KvsFieldData(self.kvs),
                "user": DemoUserService(user),
                "i18n": DemoI18nService(),
                "settings": DemoSettingsService(),
            },
        )
        self._deprecated_per_instance_user_id = user.pk if user.is_authenticated else None

    def load_block_type(self, block_type):
        if block_type == "html":
            from .html_block import DemoHtmlBlock  # pylint: disable=import-outside-toplevel
            return DemoHtmlBlock
        if block_type == bench_block.BLOCK_TYPE and settings.DEMO_BENCH:
            return bench_block.BenchFloorBlock
        return XBlock.load_class(block_type, select=self.select)

    def wrap_xblock(self, block, view, frag, context):
        """The block's wrapper div, as the LMS writes it: data attributes and the init arguments as
        JSON with <, > and & escaped, so text in them can never close the script element."""
        data = {"usage": str(block.scope_ids.usage_id), "block-type": block.scope_ids.block_type}
        if frag.js_init_fn:
            data.update({"init": frag.js_init_fn, "runtime-version": frag.js_init_version})
        attributes = "".join(f' data-{name}="{escape(value)}"' for name, value in data.items())
        arguments = (json.dumps(frag.json_init_args or {}).replace("<", "\\u003c").replace(">", "\\u003e")
                     .replace("&", "\\u0026"))
        wrapped = Fragment(
            f'<div class="xblock xblock-{escape(view)}"{attributes}>{frag.body_html()}'
            f'<script type="json/xblock-args" class="xblock_json_init_args">{arguments}</script></div>'
        )
        wrapped.add_fragment_resources(frag)
        return wrapped

    def applicable_aside_types(self, block):
        # Asides other packages install (the platform's library set has some) stay off, as they are
        # in an LMS that has not enabled them.
        return []

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        kwargs = {"usage_id": str(block.scope_ids.usage_id), "handler": handler_name}
        if suffix:
            url = reverse("demo:handler_suffix", kwargs={**kwargs, "suffix": suffix})
        else:
            url = reverse("demo:handler", kwargs=kwargs)
        if query:
            url += "?" + (query if isinstance(query, str) else urlencode(query))
        return url

    def resource_url(self, resource):
        return settings.STATIC_URL + resource

    def local_resource_url(self, block, uri):
        return reverse("demo:block_resource", kwargs={"block_type": block.scope_ids.block_type, "uri": uri})

    def publish(self, block, event_type, event_data):
        """Grades and completions are kept (the LMS's grades and completion services store them, and
        the unit page shows them); every other event goes to the event log, as the LMS's tracking log."""
        user_id = self.django_user.pk if self.django_user.is_authenticated else None
        data = json.loads(json.dumps(event_data, default=str))
        if event_type not in RECORDED_EVENTS:
            EVENT_LOG.info(json.dumps({"event_type": event_type, "user_id": user_id,
                                       "usage_id": str(block.scope_ids.usage_id), "data": data}, ensure_ascii=False))
            return
        if event_type == "grade":
            # As the LMS: a grade event may name the learner it grades (staff grading in their request).
            user_id = event_data.get("user_id", user_id)
        BlockEvent.objects.create(user_id=user_id, usage_id=str(block.scope_ids.usage_id), event_type=event_type,
                                  data=data)

    def block_for(self, usage_id: str):
        key = UsageKey.from_string(usage_id)
        self.id_reader.course_key = key.context_key
        return self.get_block(key)

    @staticmethod
    def scope_ids_for(usage_key) -> ScopeIds:
        return ScopeIds(None, usage_key.block_type, usage_key, usage_key)


