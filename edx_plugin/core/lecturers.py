"""The lecturer pool (师资库, core): shared by rotation-training sessions and party classes, which name
their lecturer from it. Who may manage an entry, how an entry is written (learner-facing text stored
as typed, escaped where shown), and how a lecturer's name is shown wherever a session or class cites it.

Role: site admins manage every entry; organisation admins the entries their subtrees own and new
entries owned by an organisation they administer; everyone signed in may read the pool's names.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .errors import RuleError
from .models import LectureRecord, Lecturer
from .permissions import is_site_admin, visible_organizations
from .text import plain_text

TEXT_LIMITS = {"name": 100, "organization": 200, "title": 100, "topics": 500, "bio": 4000}


class LecturerError(RuleError):
    """A refused change to the pool; the message is translated."""


def managed_lecturers(user) -> QuerySet[Lecturer]:
    """The entries ``user`` may edit: all for site admins, their subtrees' entries for organisation admins."""
    if is_site_admin(user):
        return Lecturer.objects.all()
    return Lecturer.objects.filter(owner__in=visible_organizations(user))


def pool(active_only: bool = True) -> QuerySet[Lecturer]:
    rows = Lecturer.objects.select_related("user")
    return rows.filter(active=True) if active_only else rows


def _field_labels() -> dict:
    return {"name": _("Name"), "organization": _("Organisation or employer"), "title": _("Title or position"),
            "topics": _("Topics"), "bio": _("Biography")}


def save_lecturer(by, data: dict, lecturer: Lecturer | None = None) -> Lecturer:
    """Create or update an entry from form or API data: the texts, ``owner`` (an organisation id
    ``by`` may see, required for organisation admins), ``username`` of an internal lecturer (a member)
    or "" for an external one, ``active``. Refuses with ``LecturerError`` and writes nothing on bad input."""
    labels = _field_labels()
    values = {name: plain_text(data.get(name, ""), limit, labels[name]) for name, limit in TEXT_LIMITS.items()}
    if not values["name"]:
        raise LecturerError(_("The lecturer's name is required."))
    owner = None
    raw_owner = str(data.get("owner") or "").strip()
    if raw_owner:
        owner = visible_organizations(by).filter(pk=int(raw_owner) if raw_owner.isdigit() else 0).first()
        if owner is None:
            raise LecturerError(_("Choose an organisation you manage."), status=403)
    elif not is_site_admin(by):
        raise LecturerError(_("Choose the organisation that manages this lecturer."))
    username = str(data.get("username") or "").strip()
    member = None
    if username:
        member = get_user_model().objects.filter(username=username, party_profile__isnull=False).first()
        if member is None:
            raise LecturerError(_("No member has the user name “%(name)s”.") % {"name": username[:40]})
    if lecturer is not None and not managed_lecturers(by).filter(pk=lecturer.pk).exists():
        raise LecturerError(_("You cannot change this lecturer."), status=403)
    lecturer = lecturer or Lecturer()
    for name, value in values.items():
        setattr(lecturer, name, value)
    lecturer.owner, lecturer.user = owner, member
    lecturer.active = str(data.get("active", "1")).lower() not in ("0", "false", "", "off")
    lecturer.save()
    return lecturer


def lecturer_label(lecturer: Lecturer | None, fallback: str = "") -> str:
    """How a session or a class names its lecturer: the pool's name and title, else the free text."""
    if lecturer is None:
        return fallback
    return f"{lecturer.name}（{lecturer.title}）" if lecturer.title else lecturer.name


def lecturer_by_id(raw) -> Lecturer | None:
    """The pool entry an id names (a Studio field, a form), or None for an empty or unknown id."""
    text = str(raw or "").strip()
    return Lecturer.objects.filter(pk=int(text)).first() if text.isdigit() else None



def record_lecture(kind: str, ref: str, lecturer: Lecturer | None, *, title: str, date: datetime.date | None,
                   hours: Decimal | float = 0, course_id: str = "") -> None:
    """Keep the record of one lecture (``kind`` "party_class" with the usage id, "rotation" with the
    session id) in step with who gives it: written or updated when it names a pool lecturer, removed
    when it no longer does."""
    if lecturer is None:
        LectureRecord.objects.filter(kind=kind, ref=ref).delete()
        return
    LectureRecord.objects.update_or_create(kind=kind, ref=ref, defaults={
        "lecturer": lecturer, "title": title[:255], "date": date, "hours": Decimal(str(hours or 0)),
        "course_id": course_id})


def lectures_given(user, year: int) -> QuerySet[LectureRecord]:
    """The lectures of ``year`` a member gave as a lecturer of the pool, oldest first."""
    return LectureRecord.objects.filter(lecturer__user=user, date__year=year).order_by("date", "pk")
