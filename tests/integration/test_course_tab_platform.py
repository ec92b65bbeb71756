"""The course tab as the platform uses it (issue 14): ``edx_plugin/tabs.py`` is loaded over a stand-in
for ``xmodule.tabs.CourseTab`` with the platform's signatures (read from edx-platform: xmodule/tabs.py,
openedx/core/lib/course_tabs.py and lms/djangoapps/courseware/tabs.py), and the tab goes through the
same steps the LMS takes for a dynamic tab: ordered by priority, built as ``tab_type(dict())``, asked
``is_enabled(course, user=user)``, sorted by name, linked with ``link_func(course, reverse)``, and
rebuilt from its JSON by type."""
import importlib.util
import inspect
import sys
import types
from abc import ABCMeta
from functools import cmp_to_key
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from party_training.edx_plugin.core.models import CourseRole

COURSE = "course-v1:TestOrg+T101+2026"
TABS = Path(__file__).resolve().parents[2] / "edx_plugin" / "tabs.py"


class PlatformCourseTab(metaclass=ABCMeta):
    """The members of the platform's CourseTab a plugin tab meets, with their signatures."""

    type = ""
    title = None
    priority = None
    is_hideable = False
    is_movable = False
    is_dynamic = False
    is_default = True
    view_name = None
    course_staff_only = False

    def __init__(self, tab_dict):
        super().__init__()
        self.name = tab_dict.get("name", self.title)
        self.tab_id = tab_dict.get("tab_id", getattr(self, "tab_id", self.type))
        self.course_staff_only = tab_dict.get("course_staff_only", False)
        self.is_hidden = tab_dict.get("is_hidden", False)
        self.tab_dict = tab_dict

    @property
    def link_func(self):
        return self.tab_dict.get("link_func", lambda course, reverse_url_func: reverse_url_func(
            self.view_name, args=[str(course.id)]))

    @classmethod
    def is_enabled(cls, course, user=None):
        raise NotImplementedError()

    @classmethod
    def validate(cls, tab_dict, raise_error=True):
        if "type" not in tab_dict and raise_error:
            raise ValueError(tab_dict)
        return "type" in tab_dict

    def to_json(self):
        return {"type": self.type, "name": self.name, "course_staff_only": self.course_staff_only}


def _platform_order(tab_types):
    """CourseTabPluginManager.get_tab_types: by priority (None last), then by type."""
    def compare(first, second):
        if first.priority != second.priority:
            if first.priority is None:
                return 1
            if second.priority is None:
                return -1
            return first.priority - second.priority
        return (first.type > second.type) - (first.type < second.type)
    return sorted(tab_types, key=cmp_to_key(compare))


@pytest.fixture
def tab_class(monkeypatch):
    """StaffDashboardTab as defined over the platform's CourseTab (loaded apart: the imported module
    and its entry point stay as they are)."""
    fake = types.ModuleType("xmodule.tabs")
    fake.CourseTab = PlatformCourseTab
    monkeypatch.setitem(sys.modules, "xmodule", types.ModuleType("xmodule"))
    monkeypatch.setitem(sys.modules, "xmodule.tabs", fake)
    spec = importlib.util.spec_from_file_location("party_training.edx_plugin.tabs_on_platform", TABS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert issubclass(module.StaffDashboardTab, PlatformCourseTab)
    return module.StaffDashboardTab


class Course:  # pylint: disable=too-few-public-methods
    id = COURSE


def test_attributes_have_the_platform_types(tab_class):
    assert isinstance(tab_class.type, str) and tab_class.type == "party_training_staff"
    assert isinstance(tab_class.title, str)  # gettext_noop: the LMS translates the name when it shows it
    assert isinstance(tab_class.priority, int) and tab_class.is_dynamic is True
    assert isinstance(tab_class.view_name, str)
    assert list(inspect.signature(tab_class.is_enabled).parameters.values()) == list(
        inspect.signature(PlatformCourseTab.is_enabled).parameters.values())
    assert isinstance(inspect.getattr_static(tab_class, "is_enabled"), classmethod)


@pytest.mark.django_db
def test_the_lms_dynamic_tab_steps(tab_class, make_user):
    learner, instructor = make_user("tab_learner"), make_user("tab_instructor")
    CourseRole.objects.create(user=instructor, course_id=COURSE)

    def dynamic_tabs(user):  # lms.djangoapps.courseware.tabs._get_dynamic_tabs
        found = []
        for tab_type in _platform_order([tab_class]):
            if getattr(tab_type, "is_dynamic", False):
                tab = tab_type(dict())
                if tab.is_enabled(Course(), user=user):
                    found.append(tab)
        found.sort(key=lambda tab: tab.name)
        return found

    assert dynamic_tabs(learner) == [] and dynamic_tabs(None) == []
    assert dynamic_tabs(AnonymousUser()) == []
    (tab,) = dynamic_tabs(instructor)
    assert tab.name == "Party training tools" and tab.tab_id == "party_training_staff"
    assert tab.link_func(Course(), reverse) == f"/party-training/course/{COURSE}/staff/"
    assert tab.to_json()["type"] == "party_training_staff" and tab_class.validate(tab.to_json())
