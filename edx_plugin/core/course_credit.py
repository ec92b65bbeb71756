"""Hours for passing a whole course, credited when the platform reports the learner passed."""
from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model

from .conf import setting
from .models import CourseCredit, HourEntry, HourSource
from .ledger import credit_hours


def hours_for_course(course_id: str) -> Decimal:
    credit = CourseCredit.objects.filter(course_id=course_id).first()
    return credit.hours if credit else Decimal(str(setting("COURSE_PASSED_HOURS")))


def credit_course_passed(user_id: int, course_id: str) -> HourEntry | None:
    """Credit a passed course once per learner and course; nothing when the course grants no hours.

    Passing again after failing in between does not credit twice: the ledger's idempotency
    key is the course.
    """
    hours = hours_for_course(course_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    if hours <= 0 or user is None:
        return None
    entry, _ = credit_hours(user, hours, HourSource.COURSE, course_id, course_id=course_id)
    return entry
