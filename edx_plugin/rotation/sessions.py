"""Sessions (课次) of a rotation-training program (rotation): creating and changing one, its sign-in
window and rotating code (core's ``sign_in_code``, the one party classes use), who is expected at it,
and the sessions a learner has.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.lecturers import lecturer_by_id, lecturer_label, record_lecture
from ..core.text import plain_text
from .errors import RotationError
from .models import ClassSeat, SessionMode, TrainingProgram, TrainingSession
from .programs import _get, a_datetime, decimal_hours

CODE_PERIOD = 30  # seconds a projected code stays valid (and the one before it)
MAX_SESSION_HOURS = Decimal("24")
LINK_PREFIXES = ("course-v1:", "block-v1:", "https://", "http://", "/")


def save_session(program: TrainingProgram, data, session: TrainingSession | None = None) -> TrainingSession:
    """Create (or change) a session from form or API data; refused with nothing written on bad input."""
    topic = plain_text(_get(data, "topic"), 200, _("The topic"))
    if not topic:
        raise RotationError(_("The session's topic is required."))
    starts, ends = a_datetime(_get(data, "starts"), _("Starts")), a_datetime(_get(data, "ends"), _("Ends"))
    if ends <= starts:
        raise RotationError(_("A session must end after it starts."))
    mode = str(_get(data, "mode") or SessionMode.ON_SITE)
    if mode not in SessionMode.values:
        raise RotationError(_("Unknown mode."))
    raw_class = str(_get(data, "training_class")).strip()
    training_class = None
    if raw_class:
        training_class = program.classes.filter(pk=int(raw_class) if raw_class.isdigit() else 0).first()
        if training_class is None:
            raise RotationError(_("There is no such class in this program."), status=404)
    raw_lecturer = str(_get(data, "lecturer")).strip()
    lecturer = lecturer_by_id(raw_lecturer)
    if raw_lecturer and lecturer is None:
        raise RotationError(_("There is no such lecturer in the pool."), status=404)
    link = plain_text(_get(data, "link"), 255, _("The link"))
    if link and not link.startswith(LINK_PREFIXES):
        raise RotationError(_("The link must be a course id, a unit's usage id or a web address."))
    session = session or TrainingSession(program=program)
    session.topic, session.starts, session.ends, session.mode = topic, starts, ends, mode
    session.place = plain_text(_get(data, "place"), 200, _("The place"))
    session.hours = decimal_hours(_get(data, "hours"), _("Hours"), MAX_SESSION_HOURS)
    session.training_class, session.lecturer, session.link = training_class, lecturer, link
    session.lecturer_name = plain_text(_get(data, "lecturer_name"), 100, _("The lecturer's name"))
    with transaction.atomic():
        session.save()
        record_lecture("rotation", str(session.pk), lecturer, title=f"{program.name} · {topic}",
                       date=timezone.localdate(starts), hours=session.hours)
    return session


def lecturer_of(session: TrainingSession) -> str:
    return lecturer_label(session.lecturer, session.lecturer_name)


def code_subject(session: TrainingSession) -> str:
    """The subject of the session's rotating code (each session has its own codes)."""
    return f"rotation-session:{session.pk}"


def window(session: TrainingSession) -> tuple[datetime.datetime, datetime.datetime]:
    """When self sign-in is open: from the margin before the start to the margin after the end."""
    margin = datetime.timedelta(minutes=session.program.sign_in_margin)
    return session.starts - margin, session.ends + margin


def window_state(session: TrainingSession, now: datetime.datetime | None = None) -> str:
    opens, closes = window(session)
    now = now or timezone.now()
    return "not_yet" if now < opens else "closed" if now > closes else "open"


def expected_seats(session: TrainingSession) -> QuerySet[ClassSeat]:
    """The seats of the learners expected at the session (its class, or every class of the program)."""
    seats = ClassSeat.objects.filter(program_id=session.program_id)
    return seats.filter(training_class_id=session.training_class_id) if session.training_class_id else seats


def is_expected(session: TrainingSession, user) -> bool:
    return expected_seats(session).filter(user=user).exists()


def sessions_of_learner(user) -> QuerySet[TrainingSession]:
    """Sessions of the programs ``user`` has a seat in (of their class, or for every class)."""
    seats = ClassSeat.objects.filter(user=user)
    classes = seats.values("training_class_id")
    programs = seats.values("program_id")
    return (TrainingSession.objects.filter(program_id__in=programs)
            .filter(Q(training_class__isnull=True) | Q(training_class_id__in=classes))
            .select_related("program", "lecturer", "training_class").order_by("starts"))
