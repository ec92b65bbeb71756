"""XLSX exports of rotation training (rotation), through core's one writer: a program (rates per class
and branch, every seated member with their credited hours, the sessions), a needs survey (demand per
topic, by category and branch, suggestions) and the lecturer pool."""
from __future__ import annotations

from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..core.xlsx import Sheet, workbook_bytes
from .models import ClassSeat, NeedsSurvey, TrainingProgram
from .needs_surveys import demand, suggestions
from .ratings import pool_rows
from .sessions import lecturer_of
from .summary import rates


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _rate_lines(rows):
    for row in rows:
        yield [row["name"], row["members"], row["expected"], row["attended"], "" if row["rate"] is None else row["rate"]]


def program_workbook(program: TrainingProgram) -> bytes:
    figures = rates(program)
    seats = (ClassSeat.objects.filter(program=program)
             .select_related("user__party_profile", "organization", "training_class")
             .order_by("organization__path", "user__username"))
    sessions = (program.sessions.select_related("training_class", "lecturer")
                .annotate(average=Avg("ratings__score"), ratings_count=Count("ratings")))
    rate_header = [_("Members"), _("Places expected"), _("Attended"), _("Attendance rate (%)")]

    def member_lines():
        for seat in seats.iterator(chunk_size=2000):
            profile = getattr(seat.user, "party_profile", None)
            yield [seat.user.get_username(), profile.full_name if profile else "",
                   seat.organization.name if seat.organization else "", seat.training_class.name,
                   float(seat.credited), float(program.required_hours),
                   _("Yes") if seat.credited < program.required_hours else _("No")]

    def session_lines():
        for s in sessions:
            yield [s.topic, s.training_class.name if s.training_class else _("All classes"), _when(s.starts),
                   _when(s.ends), s.place, s.get_mode_display(), float(s.hours), lecturer_of(s),
                   "" if s.average is None else round(s.average, 2), s.ratings_count]

    return workbook_bytes([
        Sheet(_("Classes"), [_("Class")] + rate_header, _rate_lines(figures["classes"]), caption=program.name),
        Sheet(_("Branches"), [_("Branch")] + rate_header, _rate_lines(figures["branches"])),
        Sheet(_("Members"), [_("Username"), _("Name"), _("Branch"), _("Class"), _("Credited hours"),
                             _("Required hours"), _("Behind")], member_lines()),
        Sheet(_("Sessions"), [pgettext("rotation session", "Topic"), _("Class"), _("Starts"), _("Ends"), _("Place"), _("Mode"), _("Hours"),
                              _("Lecturer"), _("Average rating"), _("Ratings")], session_lines()),
    ])


def survey_workbook(survey: NeedsSurvey) -> bytes:
    figures = demand(survey)

    def topic_lines():
        for row in figures["rows"]:
            yield [row["topic"].title, row["picks"], row["points"],
                   "; ".join(f"{name}: {n}" for name, n in row["categories"]),
                   "; ".join(f"{name}: {n}" for name, n in row["branches"])]

    def suggestion_lines():
        for response in suggestions(survey, limit=None):
            yield [response.organization.name if response.organization else "", response.suggestion]

    return workbook_bytes([
        Sheet(_("Demand"), [pgettext("rotation session", "Topic"), _("Members who picked it"), _("Points"), _("By member category"),
                            _("By branch")], topic_lines(), caption=survey.title),
        Sheet(_("Suggestions"), [_("Branch"), _("Suggestion")], suggestion_lines()),
    ])


def pool_workbook(lecturers) -> bytes:
    def lines():
        for row in pool_rows(lecturers):
            lecturer = row["lecturer"]
            yield [lecturer.name, lecturer.title, lecturer.organization, lecturer.topics,
                   _("Internal") if lecturer.internal else _("External"), row["sessions"], float(row["hours"]),
                   "" if row["average"] is None else round(row["average"], 2), row["ratings"],
                   _("Yes") if lecturer.active else _("No")]

    return workbook_bytes([Sheet(_("Lecturer pool"), [
        _("Name"), _("Title or position"), _("Organisation or employer"), _("Topics"), _("Internal or external"),
        _("Sessions"), _("Hours taught"), _("Average rating"), _("Ratings"), _("In the pool")], lines())])
