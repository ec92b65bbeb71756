"""Question banks of knowledge contests (knowledge_contest): who manages which bank, creating a
bank, and the banks a manager sees.

Banks are shared by the contests of a course (``course_id`` set) or of the whole site
(``course_id`` empty). Site admins manage every bank; course staff the banks of their course.
"""
from __future__ import annotations

import re
import unicodedata

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from ..core.errors import RuleError
from ..core.models import CourseRole
from ..core.permissions import is_course_staff, is_site_admin
from ..core.text import excerpt
from .models import QuestionBank

MAX_BANK_NAME = 200
MAX_COURSE_ID = 255  # the column's length
MAX_DESCRIPTION = 5000
_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class BankError(RuleError):
    """A refused bank operation; the message is translated and safe to show."""


def clean_cell(value) -> str:
    """Plain text from a cell or a form: no control characters except newlines and tabs; escaped
    on output, never trusted. A whole-number float (how spreadsheets hold 3) becomes "3"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch == "\n" or ch == "\t" or unicodedata.category(ch) != "Cc").strip()


# --- who manages banks --------------------------------------------------------------------------
def can_manage_bank(user, bank: QuestionBank) -> bool:
    """Site admins manage every bank; course staff the banks of their course. Site-wide banks: admins."""
    if is_site_admin(user):
        return True
    return bool(bank.course_id) and is_course_staff(user, bank.course_id)


def may_manage_banks(user) -> bool:
    """Whether the user may open the question bank pages at all: a site admin, or staff of a course."""
    return is_site_admin(user) or bool(user and user.is_authenticated
                                       and CourseRole.objects.filter(user=user).exists())


def manageable_banks(user) -> QuerySet[QuestionBank]:
    """Every bank for a site admin; the banks of their courses for course staff; none for others."""
    if is_site_admin(user):
        return QuestionBank.objects.all()
    if not (user and user.is_authenticated):
        return QuestionBank.objects.none()
    courses = CourseRole.objects.filter(user=user).values_list("course_id", flat=True)
    return QuestionBank.objects.filter(course_id__in=list(courses)).exclude(course_id="")


def bank_list(user) -> list[QuestionBank]:
    """The banks a user manages, by name, each with ``n``: its active questions (one query)."""
    return list(manageable_banks(user).annotate(n=Count("questions", filter=Q(questions__active=True)))
                .order_by("name"))


def managed_bank(user, bank_id: int) -> QuestionBank:
    """The bank ``bank_id`` if the user manages it; BankError 404 (no such bank) or 403 (not theirs)."""
    bank = QuestionBank.objects.filter(pk=bank_id).first()
    if bank is None:
        raise BankError(_("There is no such question bank."), status=404)
    if not can_manage_bank(user, bank):
        raise BankError(_("You do not have permission to see this page."), status=403)
    return bank


def can_create_bank(user, course_id: str) -> bool:
    """Site admins create any bank; course staff only banks of their own course (not site-wide ones)."""
    if is_site_admin(user):
        return True
    return bool(course_id) and is_course_staff(user, course_id)


def create_bank(user, code: str, name: str, course_id: str = "", description: str = "") -> QuestionBank:
    """A new bank; the code is what contests refer to, so it is checked and never reused."""
    code = (code or "").strip().lower()
    name = clean_cell(name)
    if not _CODE.fullmatch(code):
        raise BankError(_("The code may use lower-case letters, digits, - and _ (at most 64)."))
    if not name or len(name) > MAX_BANK_NAME:
        raise BankError(_("Give the bank a name of at most 200 characters."))
    course_id = (course_id or "").strip()
    if len(course_id) > MAX_COURSE_ID or (course_id and not _is_course_key(course_id)):
        raise BankError(_("The course %(value)s is not a course id such as course-v1:Org+Course+Run.")
                        % {"value": excerpt(course_id)})
    description = clean_cell(description)
    if len(description) > MAX_DESCRIPTION:
        raise BankError(_("The description is longer than %(max)d characters.") % {"max": MAX_DESCRIPTION})
    if not can_create_bank(user, course_id):
        raise BankError(_("You may not create a bank for this course."))
    if QuestionBank.objects.filter(code=code).exists():
        raise BankError(_("A bank with this code already exists."))
    return QuestionBank.objects.create(code=code, name=name, course_id=course_id, description=description,
                                       created_by=user)


def _is_course_key(value: str) -> bool:
    try:
        CourseKey.from_string(value)
    except InvalidKeyError:
        return False
    return True


def count_course_banks(course_id: str) -> int:
    """Banks of one course (the staff tools' figure)."""
    return QuestionBank.objects.filter(course_id=course_id).count()


def draw_bank_choices(course_id: str, current: list[str]) -> list[tuple[str, str]]:
    """Banks a contest of the course may draw from (its own and the site's), as (code, name) for the
    Studio editor; codes the contest already uses stay listed even if the bank is gone."""
    choices = list(QuestionBank.objects.filter(Q(course_id=course_id) | Q(course_id=""))
                   .order_by("name").values_list("code", "name"))
    known = {code for code, _name in choices}
    return choices + [(code, code) for code in current if code and code not in known]
