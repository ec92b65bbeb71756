"""The course tab (``openedx.course_tab`` entry point): "党建培训管理", the staff dashboard of the
course (``core.views.staff_dashboard``), shown to course staff only. The LMS builds tabs from
``xmodule.tabs.CourseTab``; outside the platform (the demo, the tests) a plain base stands in so
the class imports and its rules can be tested."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from .core.permissions import is_course_staff, record_course_staff

try:  # pragma: no cover - only inside the platform
    from xmodule.tabs import CourseTab  # pylint: disable=import-error
except ImportError:
    class CourseTab:  # pylint: disable=too-few-public-methods
        """What the LMS's CourseTab gives a plugin tab (type, title, priority, link)."""

        def __init__(self, tab_dict=None):
            self.tab_dict = tab_dict or {}


def _platform_staff(course, user) -> bool:
    """Whether the platform counts ``user`` as staff of ``course`` (None outside the platform)."""
    try:
        from lms.djangoapps.courseware.access import has_access  # pylint: disable=import-error,import-outside-toplevel
    except ImportError:
        return False
    return bool(has_access(user, "staff", course, course.id))


def dashboard_link(course, reverse_func=reverse) -> str:
    return reverse_func("party_training:staff_dashboard", args=[str(course.id)])


class StaffDashboardTab(CourseTab):
    """Course staff's tab: every party-training tool of the course."""

    type = "party_training_staff"
    title = gettext_noop("Party training tools")
    priority = 120
    view_name = "party_training:staff_dashboard"
    is_dynamic = True
    is_default = False
    is_hideable = False
    is_movable = False

    def __init__(self, tab_dict=None):
        tab_dict = dict(tab_dict or {})
        tab_dict.setdefault("link_func", dashboard_link)
        super().__init__(tab_dict)

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
