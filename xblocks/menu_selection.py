"""Menu-based selection block (menu_selection, 菜单式选学): learners pick electives from a menu of
options with seats, waiting lists and rules, or rank them for a preference allocation; units
restricted to an option's group show to the learners who got it.

The block is thin: rules live in ``edx_plugin.menu_selection``; the plugin keeps a copy of the
menu (``menus.sync_menu``) for seats, partitions and the staff pages.
"""
from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String

from party_training.edx_plugin.core.text import sanitize_html
from party_training.edx_plugin.menu_selection import menus, picks, rankings
from party_training.edx_plugin.menu_selection.learner_menu import learner_menu
from party_training.edx_plugin.menu_selection.models import MenuMode
from party_training.edx_plugin.menu_selection.partitions import forget_held_options, partition_id

from .fields import IsoDateTime
from .mixins import PartyBlockMixin, StudioEditorMixin, json_handler
from .olx import OLXError, inner_html, read_attributes, write_attributes

RULE_FIELDS = ("mode", "min_picks", "max_picks", "min_elective_hours", "rank_count", "opens", "closes",
               "changes_allowed", "waitlist", "no_overlap")
SCALAR_FIELDS = ("display_name",) + RULE_FIELDS
OPTION_ATTRIBUTES = ("id", "title", "topic", "hours", "capacity", "starts", "ends")


class MenuSelectionBlock(StudioEditorMixin, PartyBlockMixin, XBlock):
    """菜单式选学."""

    icon_class = "other"

    display_name = String(display_name=gettext_lazy("Display name"), default="Menu-based selection",
                          scope=Scope.settings)
    intro = String(display_name=gettext_lazy("Text above the menu"), default="", scope=Scope.content, multiline_editor=True,
                   help=gettext_lazy("Shown above the menu. Basic HTML is allowed."))
    options = List(display_name=gettext_lazy("Options"), default=[], scope=Scope.content, help=gettext_lazy(
        "Each option: a title, its topic, credit hours, an optional schedule (for the overlap rule) and capacity, "
        "the member categories it is recommended for or restricted to. Reorder with the arrows."))
    mode = String(display_name=gettext_lazy("Mode"), default=MenuMode.FIRST_COME, scope=Scope.settings,
                  values=[{"value": v, "display_name": label} for v, label in MenuMode.choices])
    min_picks = Integer(display_name=gettext_lazy("Minimum picks"), default=0, scope=Scope.settings,
                        minimum=0, maximum=50)
    max_picks = Integer(display_name=gettext_lazy("Maximum picks"), default=1, scope=Scope.settings,
                        minimum=1, maximum=50, help=gettext_lazy(
                            "Places on waiting lists count as picks. In preference mode: seats each learner gets."))
    min_elective_hours = Float(display_name=gettext_lazy("Minimum elective hours"), default=0.0,
                               scope=Scope.settings, minimum=0, maximum=1000)
    rank_count = Integer(display_name=gettext_lazy("Options a learner may rank (preference mode)"), default=3,
                         scope=Scope.settings, minimum=1, maximum=50)
    opens = IsoDateTime(display_name=gettext_lazy("Selection opens"), default=None, scope=Scope.settings)
    closes = IsoDateTime(display_name=gettext_lazy("Selection closes"), default=None, scope=Scope.settings,
                      help=gettext_lazy("Preference mode: seats are allocated after this time."))
    changes_allowed = Boolean(display_name=gettext_lazy("Changes allowed until the window closes"), default=True,
                              scope=Scope.settings, help=gettext_lazy(
                                  "When off, a learner's picks are final once confirmed."))
    waitlist = Boolean(display_name=gettext_lazy("Waiting list when an option is full"), default=True,
                       scope=Scope.settings)
    no_overlap = Boolean(display_name=gettext_lazy("No two picks whose schedules overlap"), default=False,
                         scope=Scope.settings)

    studio_rich_text = ("intro",)
    editable_fields = ("display_name", "intro") + RULE_FIELDS + ("options",)

    # --- the plugin's copy --------------------------------------------------------------------
    def _rules(self) -> dict:
        return {"min_picks": self.min_picks, "max_picks": self.max_picks, "rank_count": self.rank_count,
                "min_elective_hours": float(self.min_elective_hours or 0), "changes_allowed": self.changes_allowed,
                "waitlist": self.waitlist, "no_overlap": self.no_overlap}

    def _menu(self):
        return menus.sync_menu(menus.MenuSettings(
            course_id=self.course_id_str, usage_id=self.usage_id_str, block_id=self.scope_ids.usage_id.block_id,
            title=self.display_name or str(self.fields["display_name"].default), mode=self.mode, opens=self.opens,
            closes=self.closes, options=self.options, rules=self._rules()))

    # --- views ---------------------------------------------------------------------------------
    def student_view(self, context=None):
        menu = self._menu()
        user = self.current_django_user()
        state = learner_menu(menu, user)
        is_staff = self.remember_course_staff()
        staff_url = ""
        if is_staff:
            try:
                staff_url = reverse("party_training:menu_page", kwargs={"course_id": menu.course_id, "pk": menu.pk})
            except NoReverseMatch:
                staff_url = ""
        context = {"block": self, "state": state, "intro": sanitize_html(self.intro), "signed_in": user is not None,
                   "is_staff": is_staff, "staff_url": staff_url, "rules": menu.rules,
                   "partition_ids": {o.key: partition_id(menu.block_id, o.key) for o in
                                     (v.option for v in state.options)} if is_staff else {}}
        return self.render_fragment("menu_selection/block.html", context, js="menu_selection.js",
                                    css="menu_selection.css", init_fn="MenuSelectionBlock",
                                    js_args={"preference": state.preference, "rankCount": self.rank_count})

    # --- handlers ------------------------------------------------------------------------------
    @json_handler(role="learner")
    def pick(self, data, suffix=""):
        result = picks.pick(self.usage_id_str, data.get("option"), self.current_django_user())
        forget_held_options()
        return {"status": result.status, "message": result.message}

    @json_handler(role="learner")
    def drop(self, data, suffix=""):
        result = picks.drop(self.usage_id_str, data.get("option"), self.current_django_user())
        forget_held_options()
        return {"status": result.status, "message": result.message}

    @json_handler(role="learner")
    def confirm(self, data, suffix=""):
        picks.confirm(self._menu(), self.current_django_user())
        return {"message": _("Your selection is confirmed.")}

    @json_handler(role="learner")
    def rank(self, data, suffix=""):
        keys = rankings.save_ranking(self._menu(), self.current_django_user(), data.get("ranking"))
        return {"ranking": keys, "message": _("Your ranking is saved. Seats are allocated when the window closes.")}

    # --- Studio --------------------------------------------------------------------------------
    def studio_row_schema(self, name: str) -> dict | None:
        """The options as rows: a title, a topic (listed or the author's own), hours, capacity, an optional
        schedule, whether it is required, who it is for, a description; the id stays with its row."""
        if name != "options":
            return None
        categories = menus.category_choices()
        return {"add": _("Add an option"), "confirm_remove": _(
            "Remove this option? Learners' picks of it are kept but it is no longer offered."), "columns": [
            {"key": "id", "label": "id", "kind": "id"},
            {"key": "title", "label": _("Title"), "kind": "text", "required": True, "max": menus.TITLE_MAX},
            {"key": "topic", "label": _("Topic"), "kind": "choice", "choices": list(menus.TOPICS.items()),
             "other": _("Other (type below)"), "max": menus.TOPIC_MAX, "default": "theory"},
            {"key": "hours", "label": _("Credit hours"), "kind": "number", "required": True, "min": 0,
             "max": menus.MAX_HOURS, "default": 1},
            {"key": "capacity", "label": _("Capacity (empty: no limit)"), "kind": "int", "min": 1,
             "max": menus.MAX_CAPACITY},
            {"key": "starts", "label": _("Starts"), "kind": "datetime"},
            {"key": "ends", "label": _("Ends"), "kind": "datetime"},
            {"key": "required", "label": _("Required (every learner who may take it must pick it)"), "kind": "bool"},
            {"key": "recommended_for", "label": _("Recommended for"), "kind": "multi", "choices": categories},
            {"key": "restricted_to", "label": _("Restricted to (none checked: open to all)"), "kind": "multi",
             "choices": categories},
            {"key": "description", "label": _("Description (basic HTML)"), "kind": "textarea",
             "max": menus.DESCRIPTION_MAX}]}

    def validate_studio_values(self, values: dict) -> dict:
        errors = {}
        cleaned, problems = menus.clean_options(values.get("options", self.options))
        if problems:
            errors["options"] = " ".join(problems)
        if "options" in values:
            values["options"] = cleaned
        if "intro" in values:
            values["intro"] = sanitize_html(values["intro"])
        rules = {name: values.get(name, getattr(self, name)) for name in RULE_FIELDS}
        if not problems:
            errors.update(menus.rule_problems(rules, cleaned))
        return errors

    @json_handler(role="staff")
    def studio_submit(self, data, suffix=""):
        response = StudioEditorMixin.studio_submit.__wrapped__(self, data, suffix)
        if getattr(response, "status_code", 200) == 200:
            self._menu()  # seats, partitions and staff pages follow at once
        return response

    # --- OLX -----------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        block = runtime.construct_xblock_from_class(cls, keys)
        read_attributes(block, node, SCALAR_FIELDS)
        intro = node.find("intro")
        if intro is not None:
            block.intro = sanitize_html(inner_html(intro))
        raw = []
        for element in node.iterfind("option"):
            option = {name: element.get(name, "") for name in OPTION_ATTRIBUTES}
            option["required"] = element.get("required", "false").lower() == "true"
            for name in ("recommended_for", "restricted_to"):
                option[name] = [c for c in element.get(name, "").split() if c]
            description = element.find("description")
            option["description"] = inner_html(description) if description is not None else ""
            raw.append(option)
        cleaned, problems = menus.clean_options(raw)
        if problems:
            raise OLXError(block.scope_ids.block_type, str(block.scope_ids.usage_id), "option", "<option>",
                           " ".join(problems))
        if raw:
            block.options = cleaned
        return block

    def add_xml_to_node(self, node):
        node.tag = self.scope_ids.block_type
        node.set("url_name", self.scope_ids.usage_id.block_id)
        write_attributes(self, node, SCALAR_FIELDS)
        if self.intro:
            etree.SubElement(node, "intro").text = etree.CDATA(self.intro)
        for option in self.options:
            element = etree.SubElement(node, "option")
            for name in OPTION_ATTRIBUTES:
                value = option.get(name)
                if value not in (None, ""):
                    element.set(name, f"{value:g}" if isinstance(value, float) else str(value))
            if option.get("required"):
                element.set("required", "true")
            for name in ("recommended_for", "restricted_to"):
                if option.get(name):
                    element.set(name, " ".join(option[name]))
            if option.get("description"):
                etree.SubElement(element, "description").text = etree.CDATA(option["description"])

    def student_view_data(self, context=None):
        """For the mobile apps: the menu without any learner's data."""
        return {"mode": self.mode, "intro": sanitize_html(self.intro), "options": self.options,
                "rules": self._rules()}
