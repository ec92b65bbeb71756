"""What party classes (party_class) contribute to what gathers from every area: the ledger's
"party class" lines link to the class's unit, the learning file lists the classes a member
signed in to that year, and course staff find the course's classes (projector, attendance) among
their tools."""
from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.lms import course_components, course_titles, ledger_line_unit
from ..core.models import HourEntry, HourSource
from ..core.registry import ExportKind, LearningFileSection, LedgerSource, StaffTool
from ..core.text import count_chars
from .attendance import attendance, attendance_xlsx
from .models import PartyClassReflection, PartyClassSignIn, ReflectionStatus, SignInMethod
from .sign_in import method_label

SAMPLE_COURSE = "course-v1:Sample+PC+2026"


def signed_in_classes(user, year: int) -> tuple[list, list[list]]:
    """The party classes ``user`` signed in to in ``year``, with the hours they credited (one query)."""
    credited = HourEntry.objects.filter(user=user, source_kind=HourSource.PARTY_CLASS,
                                        usage_id=OuterRef("usage_id"))
    signins = (PartyClassSignIn.objects.filter(user=user, created__year=year)
               .annotate(title=Subquery(credited.values("note")[:1]), hours=Subquery(credited.values("hours")[:1]))
               .order_by("created"))
    columns = [_("Signed in at"), _("Party class"), _("Course"), _("Method"), _("Hours")]
    signins = list(signins)
    courses = course_titles(s.course_id for s in signins)
    rows = [[timezone.localtime(s.created).strftime("%Y-%m-%d %H:%M"), s.title or "", courses.get(s.course_id, ""),
             method_label(s.method), "" if s.hours is None else f"{float(s.hours):g}"] for s in signins]
    return columns, rows


def reflections_of_the_year(user, year: int) -> tuple[list, list[list]]:
    """The reflections on party classes ``user`` submitted in ``year``, with the score (one query)."""
    titles = HourEntry.objects.filter(user=user, source_kind=HourSource.PARTY_CLASS, usage_id=OuterRef("usage_id"))
    reflections = (PartyClassReflection.objects.filter(user=user, status=ReflectionStatus.SUBMITTED,
                                                       submitted_at__year=year)
                   .annotate(title=Subquery(titles.values("note")[:1])).order_by("submitted_at"))
    columns = [_("Submitted"), _("Party class"), _("Course"), _("Characters"), _("Score")]
    rows = [[timezone.localtime(r.submitted_at).strftime("%Y-%m-%d"), r.title or "", r.course_id,
             count_chars(r.text), "" if r.score is None else f"{r.score.normalize():f}"] for r in reflections]
    return columns, rows


def attendance_sample(text: str, member) -> dict[str, bytes]:
    """The attendance workbook (both sheets and the summary) of a class whose title and whose
    signed-in and missing members' names, organisations and positions hold ``text``."""
    usage_id = "block-v1:Sample+PC+2026+type@party_class+block@export_sample"
    signed, missing = member(), member()
    PartyClassSignIn.objects.create(course_id=SAMPLE_COURSE, usage_id=usage_id, user=signed,
                                    method=SignInMethod.ONLINE)
    codes = [signed.party_profile.organization.code, missing.party_profile.organization.code]
    return {"attendance.xlsx": attendance_xlsx(attendance(usage_id, codes), text)}


def register(registry) -> None:
    registry.add_ledger_source(LedgerSource(kind=HourSource.PARTY_CLASS, label=HourSource.PARTY_CLASS.label,
                                            link=ledger_line_unit))
    registry.add_learning_file_section(LearningFileSection(
        key="party_class", title=_("Party classes signed in this year"), rows=signed_in_classes, order=10))
    registry.add_learning_file_section(LearningFileSection(
        key="party_class_reflections", title=_("Reflections on party classes"), rows=reflections_of_the_year,
        order=11))
    registry.add_staff_tool(StaffTool(
        key="party_class", label=_("Party classes: projector and attendance"),
        url=lambda course_id: reverse("party_training:party_class_course", kwargs={"course_id": course_id}),
        count=lambda course_id: len(course_components(course_id, "party_class")), order=10,
        count_label=_("Party classes")))
    registry.add_export(ExportKind(key="party_class_attendance", label=_("Attendance"), sample=attendance_sample))
