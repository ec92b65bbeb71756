"""Ratings of rotation-training sessions (rotation): after a session, each attendee rates it once
(1–5, an optional comment). The lecturer's view shows averages and comments, never who wrote them.
The lecturer pool's figures (sessions, hours taught, average rating) are computed here, where the
sessions are.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.models import Lecturer
from ..core.text import plain_text
from .attendance import ATTENDED
from .errors import RotationError
from .models import Attendance, SessionRating, TrainingSession


def may_rate(session: TrainingSession, user) -> bool:
    return (timezone.now() >= session.starts and Attendance.objects.filter(
        session=session, user=user, status__in=ATTENDED).exists())


def rate(session: TrainingSession, user, score, comment="") -> SessionRating:
    """Record ``user``'s rating; refused before the session starts, for someone who did not attend,
    and a second time (also when two requests arrive together: the database keeps one)."""
    text = str(score).strip()
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise RotationError(_("Give a score from 1 to 5."))
    comment = plain_text(comment or "", 1000, _("The comment"))
    if timezone.now() < session.starts:
        raise RotationError(_("You can rate the session once it has started."), status=409)
    if not Attendance.objects.filter(session=session, user=user, status__in=ATTENDED).exists():
        raise RotationError(_("Only those who attended can rate the session."), status=403)
    try:
        with transaction.atomic():
            return SessionRating.objects.create(session=session, user=user, score=int(text), comment=comment)
    except IntegrityError as exc:
        raise RotationError(_("You have already rated this session."), status=409) from exc


def session_ratings(session: TrainingSession) -> dict:
    """Average, count and the comments (newest first, without names) of one session."""
    figures = session.ratings.aggregate(average=Avg("score"), count=Count("pk"))
    comments = list(session.ratings.exclude(comment="").order_by("-pk").values_list("score", "comment")[:200])
    return {"average": figures["average"], "count": figures["count"], "comments": comments}


def pool_rows(lecturers, limit: int | None = None) -> list[dict]:
    """Each lecturer (the first ``limit``) with their lectures (rotation sessions and party classes, from
    core's lecture records), hours taught and the average rating of their sessions (two queries)."""
    rows = lecturers.annotate(lecture_count=Count("lectures"), hours_taught=Sum("lectures__hours"))
    rows = list(rows[:limit] if limit else rows)
    figures = {row[0]: row[1:] for row in SessionRating.objects.filter(session__lecturer_id__in=[r.pk for r in rows])
               .values("session__lecturer").annotate(a=Avg("score"), n=Count("pk"))
               .values_list("session__lecturer", "a", "n")}
    return [{"lecturer": lecturer, "sessions": lecturer.lecture_count, "hours": lecturer.hours_taught or 0,
             "average": figures.get(lecturer.pk, (None, 0))[0], "ratings": figures.get(lecturer.pk, (None, 0))[1]}
            for lecturer in rows]


def lecturer_sessions(lecturer: Lecturer) -> list[dict]:
    """The lecturer's sessions with each one's average rating and number of ratings (one query)."""
    rows = (TrainingSession.objects.filter(lecturer=lecturer).select_related("program")
            .annotate(average=Avg("ratings__score"), ratings_count=Count("ratings"),
                      attended=Count("attendance", filter=Q(attendance__status__in=ATTENDED), distinct=True))
            .order_by("-starts"))
    return list(rows)
