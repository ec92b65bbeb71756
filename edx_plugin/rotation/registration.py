"""What rotation training (rotation) contributes to what gathers from every area: the ledger's
"rotation training session" lines link to the learner's rotation page, the learning file lists the
member's sessions with their attendance and the lectures the member gave ("everyone goes to the
podium"), class assignment runs are a background job kind, and its workbooks are exports.
(No course staff tool: programs are not course-bound; staff reach them at ``/party-training/rotation/``.)"""
from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..core.lecturers import lectures_given, record_lecture
from ..core.models import HourSource, Lecturer
from ..core.registry import ComplianceColumn, ExportKind, JobKind, LearningFileSection, LedgerSource
from .attendance_files import template_bytes
from .classes import run_job
from .compliance import secretaries_not_rotated_in_subtrees
from .exports import pool_workbook, program_workbook, survey_workbook
from .models import (Attendance, AttendanceStatus, ClassAssignment, ClassSeat, NeedsSurvey, SessionRating,
                     SurveyChoice, SurveyResponse, SurveyTopic, TrainingClass, TrainingProgram, TrainingSession)
from .sessions import lecturer_of, sessions_of_learner


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def sessions_of_the_year(user, year: int) -> tuple[list, list[list]]:
    """The member's sessions of ``year`` with their attendance and credited hours (two queries)."""
    sessions = list(sessions_of_learner(user).filter(starts__year=year))
    marks = {a.session_id: a for a in Attendance.objects.filter(user=user, session__in=[s.pk for s in sessions])}
    columns = [_("Time"), _("Program"), pgettext_lazy("rotation session", "Topic"), _("Lecturer"), _("Attendance"), _("Hours")]
    rows = []
    for s in sessions:
        mark = marks.get(s.pk)
        rows.append([_when(s.starts), s.program.name, s.topic, lecturer_of(s),
                     str(AttendanceStatus(mark.status).label) if mark else "—",
                     f"{float(mark.credited):g}" if mark else ""])
    return columns, rows


def lectures_of_the_year(user, year: int) -> tuple[list, list[list]]:
    """Lectures of ``year`` the member gave as a lecturer of the pool: rotation sessions and party
    classes alike (core's lecture records; one query)."""
    columns = [_("Date"), pgettext_lazy("lecture given", "Lecture"), _("Hours")]
    return columns, [[r.date.isoformat() if r.date else "", r.title, f"{float(r.hours):g}"]
                     for r in lectures_given(user, year)]


def _sample_program(text: str, member) -> TrainingProgram:
    learner = member()
    org = learner.party_profile.organization
    today = timezone.localdate()
    program = TrainingProgram.objects.create(name=text[:200], organization=org, year=today.year, required_hours=8,
                                             starts=today, ends=today)
    program.roots.set([org])
    klass = TrainingClass.objects.create(program=program, name=text[:100], capacity=5, seated=1)
    ClassSeat.objects.create(program=program, training_class=klass, user=learner, organization=org)
    lecturer = Lecturer.objects.create(name=text[:100], title=text[:100], organization=text[:200], topics=text[:500])
    start = timezone.now() - datetime.timedelta(hours=1)
    session = TrainingSession.objects.create(program=program, topic=text[:200], place=text[:200], hours=2,
                                             starts=start, ends=start + datetime.timedelta(hours=2),
                                             lecturer=lecturer, lecturer_name=text[:100])
    record_lecture("rotation", str(session.pk), lecturer, title=text, date=start.date(), hours=2)
    Attendance.objects.create(session=session, user=learner, status=AttendanceStatus.EXCUSED, reason=text[:500],
                              method=Attendance.Method.ROLL_CALL)
    SessionRating.objects.create(session=session, user=learner, score=4, comment=text[:1000])
    return program


def program_sample(text: str, member) -> dict[str, bytes]:
    program = _sample_program(text, member)
    return {"program.xlsx": program_workbook(program), "attendance.xlsx": template_bytes(program.sessions.get())}


def survey_sample(text: str, member) -> dict[str, bytes]:
    learner = member()
    org = learner.party_profile.organization
    survey = NeedsSurvey.objects.create(title=text[:200], organization=org, year=timezone.localdate().year)
    survey.roots.set([org])
    topic = SurveyTopic.objects.create(survey=survey, title=text[:200])
    response = SurveyResponse.objects.create(survey=survey, user=learner, organization=org, suggestion=text[:2000],
                                             categories="member")
    SurveyChoice.objects.create(response=response, topic=topic, rank=1)
    return {"survey.xlsx": survey_workbook(survey)}


def pool_sample(text: str, member) -> dict[str, bytes]:
    program = _sample_program(text, member)
    return {"lecturers.xlsx": pool_workbook(Lecturer.objects.filter(rotation_sessions__program=program))}


def register(registry) -> None:
    registry.add_ledger_source(LedgerSource(kind=HourSource.ROTATION, label=HourSource.ROTATION.label,
                                            link=lambda entry: reverse("party_training:rotation_my")))
    registry.add_learning_file_section(LearningFileSection(
        key="rotation", title=_("Rotation training sessions"), rows=sessions_of_the_year, order=15))
    registry.add_learning_file_section(LearningFileSection(
        key="rotation_lectures", title=_("Lectures the member gave"), rows=lectures_of_the_year, order=16))
    registry.add_job_kind(JobKind(model=ClassAssignment, run=run_job))
    registry.add_compliance_column(ComplianceColumn(
        key="secretaries_not_rotated", label=_("Secretaries not yet rotated"),
        values=secretaries_not_rotated_in_subtrees, order=10))
    registry.add_export(ExportKind(key="rotation_program", label=_("Rotation program"), sample=program_sample))
    registry.add_export(ExportKind(key="rotation_survey", label=_("Training-needs survey"), sample=survey_sample))
    registry.add_export(ExportKind(key="rotation_lecturers", label=_("Lecturer pool"), sample=pool_sample))
