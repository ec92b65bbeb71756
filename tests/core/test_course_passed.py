"""The platform's COURSE_PASSING_STATUS_UPDATED event credits the course's hours once."""
from decimal import Decimal

import pytest
from django.test import override_settings
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.data import CourseData, CoursePassingStatusData, UserData, UserPersonalData
from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED

from party_training.edx_plugin.core.models import CourseCredit, HourEntry

pytestmark = pytest.mark.django_db
COURSE = "course-v1:PartySchool+DJ101+2026"


def send(user, passing=True):
    COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=CoursePassingStatusData(
        is_passing=passing,
        course=CourseData(course_key=CourseKey.from_string(COURSE)),
        user=UserData(id=user.pk, is_active=True,
                      pii=UserPersonalData(username=user.username, email=user.email, name="")),
    ))


def test_passing_credits_course_hours_once(make_user):
    user = make_user("passer")
    CourseCredit.objects.create(course_id=COURSE, hours=Decimal("12"))
    send(user, passing=False)
    assert not HourEntry.objects.exists()
    send(user)
    send(user)  # the platform re-publishes on every grade change
    (entry,) = HourEntry.objects.filter(user=user)
    assert entry.hours == Decimal("12") and entry.source_kind == "course" and entry.course_id == COURSE


def test_site_default_applies_and_zero_credits_nothing(make_user):
    user = make_user("passer2")
    send(user)
    assert not HourEntry.objects.exists()  # default COURSE_PASSED_HOURS is 0
    with override_settings(PARTY_TRAINING={"COURSE_PASSED_HOURS": 3}):
        send(user)
    assert HourEntry.objects.get(user=user).hours == Decimal("3")
