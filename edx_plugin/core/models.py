"""Records that span courses and people: the organisation tree, members, the hours ledger.

Block learner data (sign-ins, attempts, submissions…) lives in further models keyed by
``course_id`` / ``usage_id`` strings; the models here are the shared foundation.
"""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

# Width of one path segment: the organisation's pk, zero-padded, then "/".
PATH_DIGITS = 8


class OrganizationKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")


class Organization(models.Model):
    """A node of the party organisation tree (党委 / 党总支 / 党支部), any depth.

    ``path`` is a materialized path of zero-padded primary keys ("00000001/00000042/"), so a
    subtree is one indexed prefix query (``path LIKE 'x%'``) on SQLite and MySQL alike.
    """

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.pk and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("An organisation cannot be placed under itself or its subtree.")})


class MemberCategoryCode(models.TextChoices):
    LEADING_CADRE = "leading_cadre", _("Leading cadre (county level and above)")
    GENERAL_CADRE = "general_cadre", _("Cadre below county level")
    MEMBER = "member", _("Party member")
    NEW_MEMBER = "new_member", _("New party member")
    YOUNG_MEMBER = "young_member", _("Young party member")
    RURAL_MEMBER = "rural_member", _("Rural party member")
    RETIRED_MEMBER = "retired_member", _("Retired party member")
    BRANCH_SECRETARY = "branch_secretary", _("Grassroots branch secretary or committee member")
    ACTIVIST = "activist", _("Party membership activist")


class MemberCategory(models.Model):
    """A member category with its credit-hour requirement, editable per site in the admin."""

    code = models.CharField(_("code"), max_length=32, unique=True, choices=MemberCategoryCode.choices)
    required_hours = models.DecimalField(_("required hours"), max_digits=7, decimal_places=1)
    period_years = models.PositiveSmallIntegerField(
        _("period in years"), default=1,
        help_text=_("The requirement is for this many years (5 for county-level cadres: 550 hours in 5 years)."),
    )

    class Meta:
        verbose_name = _("member category")
        verbose_name_plural = _("member categories")
        ordering = ["code"]

    def __str__(self):
        return str(self.get_code_display())

    @property
    def yearly_hours(self) -> Decimal:
        return (self.required_hours / self.period_years).quantize(Decimal("0.1"))


class MemberProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_profile", verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("organisation"),
    )
    categories = models.ManyToManyField(MemberCategory, related_name="members", verbose_name=_("member categories"))
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    join_date = models.DateField(_("date joined the party"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self):
        return self.full_name or self.user.get_username()


class OrganizationAdmin(models.Model):
    """Grants a user the organisation-admin role over an organisation and its subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_admin_of", verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="admins", verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("organisation admin")
        verbose_name_plural = _("organisation admins")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="party_orgadmin_unique")]

    def __str__(self):
        return f"{self.user} @ {self.organization}"


class HourSource(models.TextChoices):
    PARTY_CLASS = "party_class", _("Party class")
    CONTEST = "contest", _("Knowledge contest")
    WRITING = "writing", _("Writing assignment")
    CASE_DISCUSSION = "case_discussion", _("Case discussion")
    ROTATION = "rotation", _("Rotation training session")
    COURSE = "course", _("Course passed")
    SELF_STUDY = "self_study", _("Self-study")
    MANUAL = "manual", _("Recorded by an administrator")
    CORRECTION = "correction", _("Correction")


__all__ = [
    "PATH_DIGITS", "AppendOnlyError", "BackgroundJob", "JobStatus", "CourseCredit", "CourseRole", "HourEntry",
    "HourSource", "LectureRecord", "Lecturer", "MemberCategory", "MemberCategoryCode", "MemberProfile",
    "MemberYearHours", "Organization", "OrganizationAdmin", "OrganizationKind",
]


class AppendOnlyError(Exception):
    """Raised when code tries to edit or delete a ledger line."""


class HourEntry(models.Model):
    """One line of a member's credit-hours ledger. Lines are never edited or deleted:
    a correction is a reversing line pointing at the line it cancels."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="party_hour_entries", verbose_name=_("user"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    source_kind = models.CharField(_("source"), max_length=20, choices=HourSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=255, blank=True)
    course_id = models.CharField(_("course"), max_length=255, blank=True)
    usage_id = models.CharField(_("course component"), max_length=255, blank=True)
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    # One line per (user, source): the database, not the caller, makes crediting idempotent.
    idempotency_key = models.CharField(max_length=255, unique=True, null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("hour entry")
        verbose_name_plural = _("hour entries")
        ordering = ["-date", "-id"]
        indexes = [
            # Covering index for the yearly totals of the compliance summary.
            models.Index(fields=["year", "user", "hours"], name="party_hours_year_user"),
            models.Index(fields=["user", "year", "source_kind"], name="party_hours_user_year_src"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.year} {self.hours} ({self.source_kind})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Hour entries are append-only; add a reversing entry instead.")
        # Callers write lines inside a transaction (``ledger.credit_hours`` and ``reverse_entry``, the
        # admin's form): the member's yearly hours (MemberYearHours) change in the same one.
        super().save(*args, **kwargs)
        kind = self.source_kind
        if kind == HourSource.CORRECTION and self.reverses_id:
            kind = self.reverses.source_kind  # a correction counts against the source it corrects
        MemberYearHours.add(self.user_id, self.year, kind, self.hours)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Hour entries are append-only; add a reversing entry instead.")


class MemberYearHours(models.Model):
    """A member's hours in one year, in total and by source (one column per ``HourSource`` kind but
    corrections, which count against the source they correct): the ledger summed, kept by
    ``HourEntry.save`` in the transaction that writes each line.

    Why stored: compliance reads one row per member (by the unique (user, year) key) instead of
    aggregating the member's ledger lines, so the compliance query costs the same whatever the ledger's
    length and whatever plan the optimiser picks (see ``core.compliance``). The ledger stays the record:
    ``compliance.rebuild_member_year_hours`` recomputes these rows from it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    hours = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    party_class = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    contest = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    writing = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    case_discussion = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    rotation = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    course = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    self_study = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    manual = models.DecimalField(max_digits=9, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("yearly hours")
        verbose_name_plural = _("yearly hours")
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="party_yearhours_unique")]

    @classmethod
    def add(cls, user_id: int, year: int, source_kind: str, hours) -> None:
        """Add ``hours`` to the total and the source's column in one statement (an upsert), so concurrent
        lines never lose an update."""
        column = cls._meta.get_field(source_kind).column  # a source kind is a column name
        quote = connection.ops.quote_name
        table, column = quote(cls._meta.db_table), quote(column)
        insert = f"INSERT INTO {table} (user_id, year, hours, {column}{_OTHER_SOURCES[source_kind]}) " \
                 f"VALUES (%s, %s, %s, %s{_ZEROS[source_kind]})"
        if connection.vendor == "mysql":
            sql = f"{insert} ON DUPLICATE KEY UPDATE hours = hours + VALUES(hours), {column} = {column} + VALUES({column})"
        else:  # SQLite and PostgreSQL
            sql = (f"{insert} ON CONFLICT (user_id, year) DO UPDATE SET hours = {table}.hours + excluded.hours, "
                   f"{column} = {table}.{column} + excluded.{column}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id, year, hours, hours])


YEAR_HOURS_SOURCES = [kind for kind in HourSource.values if kind != HourSource.CORRECTION]
# The other source columns, set to 0 when a row is inserted (their defaults live in Django, not the table).
_OTHER_SOURCES = {kind: "".join(f", {other}" for other in YEAR_HOURS_SOURCES if other != kind)
                  for kind in YEAR_HOURS_SOURCES}
_ZEROS = {kind: ", 0" * (len(YEAR_HOURS_SOURCES) - 1) for kind in YEAR_HOURS_SOURCES}


class CourseRole(models.Model):
    """Course staff role as the plugin knows it (for plugin pages outside a block).

    Inside a block the LMS user service says who is staff; plugin pages (grading queue,
    attendance, exports) check this table, which blocks fill when course staff open them
    and admins can edit.
    """

    class Role(models.TextChoices):
        STAFF = "staff", _("Course staff")
        INSTRUCTOR = "instructor", _("Instructor")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_course_roles")
    course_id = models.CharField(_("course"), max_length=255)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("course role")
        verbose_name_plural = _("course roles")
        constraints = [models.UniqueConstraint(fields=["user", "course_id"], name="party_courserole_unique")]

    def __str__(self):
        return f"{self.user} {self.role} {self.course_id}"


class CourseCredit(models.Model):
    """Credit hours a training centre grants for passing a course (学时 for a whole course)."""

    course_id = models.CharField(_("course"), max_length=255, unique=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("course credit hours")
        verbose_name_plural = _("course credit hours")

    def __str__(self):
        return f"{self.course_id}: {self.hours}"


class JobStatus(models.TextChoices):
    # A context: other words of the same spelling ("Done" as in a requirement met) translate differently.
    QUEUED = "queued", pgettext_lazy("background job", "Queued")
    RUNNING = "running", pgettext_lazy("background job", "Running")
    DONE = "done", pgettext_lazy("background job", "Done")
    FAILED = "failed", pgettext_lazy("background job", "Failed")


class BackgroundJob(models.Model):
    """What every background job row records (see ``core.jobs``): its state, its progress, its
    error in the requester's language, and the file it wrote. Areas subclass it with what their
    work needs (the contest, the course, the uploaded files)."""

    Status = JobStatus

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # The requester's language: the worker writes messages and files in it.
    language = models.CharField(max_length=16, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    # Moved on at every progress report: a running job whose heartbeat stops has lost its worker.
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    # Set when the scheduled clean-up deleted the job's files (they are kept for JOB_FILES_MAX_AGE_DAYS).
    files_removed = models.BooleanField(default=False)

    class Meta:
        abstract = True

    # What pages ask of any job, answered once here rather than by each area.
    @property
    def is_running(self) -> bool:
        return self.status == JobStatus.RUNNING

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def offered_file(self) -> str:
        """The stored file a finished job offers for download; "" when none (not done, no file, or
        deleted by the clean-up)."""
        return self.file_name if self.status == JobStatus.DONE and self.file_name and not self.files_removed else ""



class Lecturer(models.Model):
    """One lecturer of the pool (师资库) that rotation-training sessions and party classes name their
    lecturer from: internal (a member, ``user`` set) or external. The pool is "dynamically managed":
    a lecturer leaves it by being made inactive, never by deletion, so past sessions keep their name."""

    name = models.CharField(_("name"), max_length=100)
    organization = models.CharField(_("organisation or employer"), max_length=200, blank=True)
    title = models.CharField(_("title or position"), max_length=100, blank=True)
    topics = models.CharField(_("topics"), max_length=500, blank=True)
    bio = models.TextField(_("biography"), max_length=4000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="party_lecturer",
        verbose_name=_("member (internal lecturer)"),
    )
    # The organisation whose admins manage this entry of the pool (site admins manage every entry).
    owner = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("managed by"),
    )
    active = models.BooleanField(_("in the pool"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturer pool")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def internal(self) -> bool:
        return self.user_id is not None


class LectureRecord(models.Model):
    """A lecture a pool lecturer gives (a rotation session, a party class), written by the area that
    holds it through ``core.lecturers.record_lecture``: the pool's figures and the learning file of a
    member who lectures ("everyone goes to the podium") read these rows."""

    lecturer = models.ForeignKey(Lecturer, on_delete=models.PROTECT, related_name="lectures",
                                 verbose_name=_("lecturer"))
    kind = models.CharField(max_length=20)
    ref = models.CharField(max_length=255)
    title = models.CharField(_("title"), max_length=255)
    date = models.DateField(_("date"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=0)
    course_id = models.CharField(_("course"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lecture given")
        verbose_name_plural = _("lectures given")
        constraints = [models.UniqueConstraint(fields=["kind", "ref"], name="party_lecture_once")]
        indexes = [models.Index(fields=["lecturer", "date"], name="party_lecture_lecturer_date")]

    def __str__(self):
        return self.title
