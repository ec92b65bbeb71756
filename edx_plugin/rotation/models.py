"""Rotation training (rotation, 集中轮训): a training-needs survey, the program it leads to, the program's
classes (班次) and who sits in which, its sessions, attendance per session and learner, and the
ratings attendees give a session.

Every credited hour rests on an ``Attendance`` row (how it was marked, by whom, when); the hours
themselves are lines of core's ledger, written once per status and reversed, never edited, when a
status is corrected.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..core.models import BackgroundJob, HourEntry, Lecturer, MemberCategory, Organization

__all__ = ["Attendance", "AttendanceStatus", "ClassAssignment", "ClassSeat", "NeedsSurvey", "ProgramKind",
           "Season", "SessionMode", "SessionRating", "SurveyChoice", "SurveyResponse", "SurveyTopic",
           "TrainingClass", "TrainingProgram", "TrainingSession"]


class Season(models.TextChoices):
    SPRING = "spring", _("Spring training")
    WINTER = "winter", _("Winter training")
    OTHER = "other", pgettext_lazy("training season", "Other")


class ProgramKind(models.TextChoices):
    SECRETARIES = "secretaries", _("Branch secretaries' rotation")
    MEMBERS = "members", _("Members' rotation")
    NEW_MEMBERS = "new_members", _("New members' training")
    CADRES = "cadres", _("Cadres' training")
    OTHER = "other", pgettext_lazy("program kind", "Other")


class Target(models.Model):
    """A target population: members in the subtrees of ``roots`` having one of ``categories``
    (every member of the subtrees when no category is chosen)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("run by"))
    roots = models.ManyToManyField(Organization, related_name="+", verbose_name=_("target organisations"))
    categories = models.ManyToManyField(MemberCategory, blank=True, related_name="+",
                                        verbose_name=_("target member categories"))
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True


class NeedsSurvey(Target):
    """An investigation of training needs (训前需求调研): topics staff offer, which the target population
    rank or tick, with a suggestion."""

    title = models.CharField(_("title"), max_length=200)
    max_picks = models.PositiveSmallIntegerField(_("topics a member may pick"), default=3)
    closes = models.DateTimeField(_("closes"), null=True, blank=True)
    closed = models.BooleanField(_("closed by staff"), default=False)

    class Meta:
        verbose_name = _("training-needs survey")
        verbose_name_plural = _("training-needs surveys")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.title


class SurveyTopic(models.Model):
    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("topic"), max_length=200)
    description = models.CharField(_("description"), max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("survey topic")
        verbose_name_plural = _("survey topics")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class SurveyResponse(models.Model):
    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The member's organisation and categories when they answered: demand by branch and category.
    organization = models.ForeignKey(Organization, null=True, on_delete=models.SET_NULL, related_name="+")
    categories = models.CharField(max_length=300, blank=True)
    suggestion = models.TextField(_("suggestion"), max_length=2000, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="party_rot_response_once")]


class SurveyChoice(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="choices")
    topic = models.ForeignKey(SurveyTopic, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "topic"], name="party_rot_choice_once")]


class TrainingProgram(Target):
    """A training program (轮训计划) of one year and season for a target population."""

    name = models.CharField(_("name"), max_length=200)
    season = models.CharField(_("season"), max_length=10, choices=Season.choices, default=Season.OTHER)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind.choices, default=ProgramKind.MEMBERS)
    required_hours = models.DecimalField(_("required hours"), max_digits=6, decimal_places=1)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    survey = models.ForeignKey(NeedsSurvey, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="programs", verbose_name=_("needs survey"))
    # Share of a session's hours credited per attendance status, in percent.
    credit_present = models.PositiveSmallIntegerField(_("present: % of hours"), default=100)
    credit_late = models.PositiveSmallIntegerField(_("late: % of hours"), default=50)
    credit_left_early = models.PositiveSmallIntegerField(_("left early: % of hours"), default=50)
    credit_excused = models.PositiveSmallIntegerField(_("excused: % of hours"), default=0)
    # Minutes before a session's start and after its end during which self sign-in is open.
    sign_in_margin = models.PositiveSmallIntegerField(_("sign-in margin in minutes"), default=15)
    # Minutes after the start from which a self sign-in counts as late.
    late_after = models.PositiveSmallIntegerField(_("late after minutes"), default=10)

    class Meta:
        verbose_name = _("training program")
        verbose_name_plural = _("training programs")
        ordering = ["-year", "-starts", "-pk"]
        indexes = [models.Index(fields=["year", "kind"], name="party_rot_program_year")]

    def __str__(self):
        return self.name


class TrainingClass(models.Model):
    """A class (班次) of a program; ``seated`` counts its seats and changes only under the row's lock."""

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"))
    seated = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class ClassSeat(models.Model):
    """A member's place in one class of a program (one per program and member)."""

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="seats")
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_rotation_seats")
    organization = models.ForeignKey(Organization, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned = models.DateTimeField(auto_now=True)
    # The member's sessions attended and hours credited in this program, kept with every attendance
    # change under this row's lock (``attendance.set_status``) so the summary of a 100,000-member
    # program reads one table; ``summary.recount_seats`` recomputes them from the attendance rows.
    attended = models.PositiveIntegerField(default=0)
    credited = models.DecimalField(max_digits=7, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("class seat")
        verbose_name_plural = _("class seats")
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="party_rot_seat_once")]
        indexes = [models.Index(fields=["training_class", "organization"], name="party_rot_seat_class_org"),
                   models.Index(fields=["program", "credited"], name="party_rot_seat_credited")]


class ClassAssignment(BackgroundJob):
    """A run of automatic assignment of a program's unseated target population to its classes."""

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="assignments")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    seated_count = models.PositiveIntegerField(default=0)
    left_out = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("class assignment run")
        verbose_name_plural = _("class assignment runs")
        ordering = ["-created", "-pk"]


class SessionMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")


class TrainingSession(models.Model):
    """A session (课次) of a program, for one class or, when ``training_class`` is empty, for all."""

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="sessions")
    training_class = models.ForeignKey(TrainingClass, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="sessions", verbose_name=_("class"))
    topic = models.CharField(_("topic"), max_length=200)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=SessionMode.choices, default=SessionMode.ON_SITE)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    lecturer = models.ForeignKey(Lecturer, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="rotation_sessions", verbose_name=_("lecturer"))
    lecturer_name = models.CharField(_("lecturer (not in the pool)"), max_length=100, blank=True)
    link = models.CharField(_("linked course or party class unit"), max_length=255, blank=True)
    survey_topic = models.ForeignKey(SurveyTopic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts", "pk"]

    def __str__(self):
        return self.topic


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """A learner's status at one session; ``entry`` is the ledger line its hours were credited by
    (None when the status credits nothing), ``version`` counts corrections (each one re-credits
    under a new ledger reference after reversing the previous line)."""

    class Method(models.TextChoices):
        CODE = "code", _("Sign-in code")
        ROLL_CALL = "roll_call", _("Roll call")
        IMPORT = "import", _("XLSX file")
        API = "api", _("API")
        LEARNER = "learner", _("The learner's request")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="party_rotation_attendance")
    status = models.CharField(_("status"), max_length=12, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    method = models.CharField(_("marked by"), max_length=10, choices=Method.choices)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)
    credited = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    entry = models.ForeignKey(HourEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="party_rot_attendance_once")]
        indexes = [models.Index(fields=["user", "session"], name="party_rot_att_user")]


class SessionRating(models.Model):
    """An attendee's rating of a session: 1–5 and a comment; the lecturer sees neither who rated nor when."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session rating")
        verbose_name_plural = _("session ratings")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="party_rot_rating_once")]
