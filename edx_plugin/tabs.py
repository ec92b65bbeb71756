"""The course tab (``openedx.course_tab`` entry point): "党建培训管理", the staff dashboard of the
course (``core.views.staff_dashboard``), shown to course staff only. The LMS builds tabs from
``xmodule.tabs.CourseTab``; outside the platform (the demo, the tests) a plain base stands in so
the class imports and its rules can be tested."""
from __future__ import annotations

from django.utils.translation import gettext_noop

from .core.permissions import is_course_staff, record_course_staff

try:  # pragma: no cover - only inside the platform
    from xmodule.tabs import CourseTab  # pylint: disable=import-error
except ImportError:
    class CourseTab:  # pylint: disable=too-few-public-methods
        """Outside the platform: the members of ``xmodule.tabs.CourseTab`` a plugin tab relies on, with
        the same signatures. The LMS builds a dynamic tab as ``tab_type(dict())``, asks
        ``tab.is_enabled(course, user=user)``, sorts by ``tab.name`` (the untranslated ``title``) and
        links with ``tab.link_func(course, reverse)``, which is ``reverse(view_name, args=[course id])``
        unless the tab_dict gives its own."""

        type = ""
        title = None
        priority = None
        view_name = None
        is_dynamic = False
        is_default = True
        is_hideable = False
        is_movable = False
        course_staff_only = False

        def __init__(self, tab_dict):
            self.name = tab_dict.get("name", self.title)
            self.tab_id = tab_dict.get("tab_id", getattr(self, "tab_id", self.type))
            self.course_staff_only = tab_dict.get("course_staff_only", False)
            self.is_hidden = tab_dict.get("is_hidden", False)
            self.tab_dict = tab_dict

        @property
        def link_func(self):
            return self.tab_dict.get("link_func", lambda course, reverse_func: reverse_func(
                self.view_name, args=[str(course.id)]))

        @classmethod
        def is_enabled(cls, course, user=None):
            raise NotImplementedError


def _platform_staff(course, user) -> bool:
    """Whether the platform counts ``user`` as staff of ``course`` (None outside the platform)."""
    try:
        from lms.djangoapps.courseware.access import has_access  # pylint: disable=import-error,import-outside-toplevel
    except ImportError:
        return False
    return bool(has_access(user, "staff", course, course.id))


class StaffDashboardTab(CourseTab):
    """Course staff's tab: every party-training tool of the course."""

    type = "party_training_staff"
    title = gettext_noop("Party training tools")
    priority = 120
    # The platform's own link_func reverses this with the course id: /party-training/course/<id>/staff/.
    view_name = "party_training:staff_dashboard"
    is_dynamic = True
    is_default = False
    is_hideable = False
    is_movable = False

    @classmethod
    def is_enabled(cls, course, user=None) -> bool:
        """Shown to course staff only (the platform's staff role is remembered for the dashboard)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        course_id = str(course.id)
        if _platform_staff(course, user):
            record_course_staff(user.pk, course_id)
            return True
        return is_course_staff(user, course_id)
