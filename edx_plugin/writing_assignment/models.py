"""Writing assignments (writing_assignment): the plugin's copy of each block's settings, drafts,
the grading workflow, rubric assessments, contest judges, near-copy flags and background jobs.

Scores also go to edx-submissions (so they reach the LMS gradebook); these tables hold what
the grading queue must query across learners: status, claims, assessments, branches.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.models import BackgroundJob

__all__ = [
    "AssessmentRole", "GradingFlow", "NearCopyPair", "RubricAssessment", "ShowcaseChoice", "WritingAssignment",
    "WritingDraft", "WritingJob", "WritingJudge", "WritingKind", "WritingStatus", "WritingSubmission",
    "WritingVersion",
]


class WritingKind(models.TextChoices):
    READING_NOTES = "reading_notes", _("Reading notes")
    REFLECTION = "reflection", _("Reflection")
    STUDY_PLAN = "study_plan", _("Study plan")
    STUDY_SUMMARY = "study_summary", _("Study summary")
    RESEARCH_REPORT = "research_report", _("Research report")
    CONTEST_ESSAY = "contest_essay", _("Contest essay")


class GradingFlow(models.TextChoices):
    SINGLE = "single", _("One grader")
    TWO_STAGE = "two_stage", _("Grader proposes, approver releases")
    CONTEST = "contest", _("Contest judges")


class WritingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    PROPOSED = "proposed", _("Awaiting approval")
    RETURNED = "returned", _("Returned for revision")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    GRADED = "graded", _("Graded")


class ShowcaseChoice(models.TextChoices):
    NAMED = "named", _("Show my name")
    ANONYMOUS = "anonymous", _("Anonymous")


class AssessmentRole(models.TextChoices):
    GRADER = "grader", _("Grader")
    JUDGE = "judge", _("Judge")


class WritingAssignment(models.Model):
    """What the grading queue needs of a block's authored settings (the plugin never loads a
    block); the block keeps it in step whenever it renders or is saved."""

    course_id = models.CharField(_("course"), max_length=255, db_index=True)
    usage_id = models.CharField(_("course component"), max_length=255, unique=True)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=WritingKind.choices)
    flow = models.CharField(_("grading flow"), max_length=20, choices=GradingFlow.choices)
    rubric = models.JSONField(_("rubric"), default=list)
    points_possible = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, default=0)
    pass_points = models.DecimalField(_("passing score"), max_digits=7, decimal_places=2, default=0)
    hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=2, default=0)
    min_chars = models.PositiveIntegerField(_("minimum characters"), default=0)
    max_chars = models.PositiveIntegerField(_("maximum characters"), default=0)
    due = models.DateTimeField(_("due"), null=True, blank=True)
    award_tiers = models.JSONField(_("award tiers"), default=dict)
    results_published = models.DateTimeField(_("contest results published"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("writing assignment")
        verbose_name_plural = _("writing assignments")
        ordering = ["course_id", "title"]

    def __str__(self):
        return self.title


class WritingDraft(models.Model):
    """A learner's draft, autosaved. ``revision`` grows by one per save so that a save based
    on an older revision (a second tab, a stale page) is detected instead of overwriting."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("writing draft")
        verbose_name_plural = _("writing drafts")
        constraints = [models.UniqueConstraint(fields=["usage_id", "user"], name="party_wdraft_unique")]


class WritingSubmission(models.Model):
    """One learner's piece for one block and its place in the grading workflow."""

    course_id = models.CharField(_("course"), max_length=255)
    usage_id = models.CharField(_("course component"), max_length=255)
    assignment = models.ForeignKey(WritingAssignment, on_delete=models.PROTECT, related_name="submissions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("author"))
    status = models.CharField(_("status"), max_length=20, choices=WritingStatus.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    char_count = models.PositiveIntegerField(_("characters"))
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    # edx-submissions identity of the latest version (scores are set on it).
    student_id = models.CharField(max_length=255)
    submission_uuid = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(_("submitted"))
    # Claim lock: who grades it until when; taken with a conditional UPDATE.
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("claimed by"))
    claim_expires = models.DateTimeField(_("claim expires"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    feedback = models.TextField(_("feedback"), blank=True)
    # An approver's note when a proposed grade is sent back to the graders.
    review_note = models.TextField(_("approver's note"), blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("released by"))
    # The score last announced to the LMS as a grade event (announced again only when it changes).
    published_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    award = models.CharField(_("award"), max_length=20, blank=True)
    showcase = models.BooleanField(_("showcased"), default=False)
    showcase_choice = models.CharField(_("name in the showcase"), max_length=10, choices=ShowcaseChoice.choices,
                                       default=ShowcaseChoice.NAMED)

    class Meta:
        verbose_name = _("writing submission")
        verbose_name_plural = _("writing submissions")
        constraints = [models.UniqueConstraint(fields=["usage_id", "user"], name="party_wsub_unique")]
        indexes = [
            models.Index(fields=["course_id", "status", "submitted_at"], name="party_wsub_queue"),
            models.Index(fields=["usage_id", "status"], name="party_wsub_block_status"),
            models.Index(fields=["usage_id", "showcase"], name="party_wsub_showcase"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.usage_id} ({self.status})"


class WritingVersion(models.Model):
    """Every submitted version, kept for the history, the archive and appeals."""

    submission = models.ForeignKey(WritingSubmission, on_delete=models.CASCADE, related_name="versions")
    attempt = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    char_count = models.PositiveIntegerField()
    submission_uuid = models.CharField(max_length=64)
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["submission", "attempt"]
        constraints = [models.UniqueConstraint(fields=["submission", "attempt"], name="party_wversion_unique")]


class RubricAssessment(models.Model):
    """One grader's or judge's rubric scoring of one version of a piece."""

    submission = models.ForeignKey(WritingSubmission, on_delete=models.CASCADE, related_name="assessments")
    attempt = models.PositiveSmallIntegerField()
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("assessor"))
    role = models.CharField(_("role"), max_length=10, choices=AssessmentRole.choices)
    # {criterion index (str): level index}
    selections = models.JSONField(default=dict)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rubric assessment")
        verbose_name_plural = _("rubric assessments")
        ordering = ["submission", "attempt", "created"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "attempt", "assessor", "role"], name="party_wassess_unique"),
        ]
        indexes = [models.Index(fields=["assessor", "role"], name="party_wassess_assessor")]


class WritingJudge(models.Model):
    """A member of a contest's judging panel."""

    assignment = models.ForeignKey(WritingAssignment, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("judge"))

    class Meta:
        verbose_name = _("contest judge")
        verbose_name_plural = _("contest judges")
        constraints = [models.UniqueConstraint(fields=["assignment", "user"], name="party_wjudge_unique")]


class NearCopyPair(models.Model):
    """Two pieces of a course whose texts are near-copies (Jaccard index of character shingles)."""

    course_id = models.CharField(max_length=255, db_index=True)
    first = models.ForeignKey(WritingSubmission, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(WritingSubmission, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("similarity"))
    detected = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("near-copy pair")
        verbose_name_plural = _("near-copy pairs")
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="party_nearcopy_unique")]


class WritingJob(BackgroundJob):
    """A background job of the grading queue (archive, near-copy scan), on core's job path."""

    class Kind(models.TextChoices):
        ARCHIVE = "archive", _("Archive of all submissions")
        NEAR_COPIES = "near_copies", _("Near-copy scan")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    course_id = models.CharField(max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("writing job")
        verbose_name_plural = _("writing jobs")
        ordering = ["-created"]
        indexes = [models.Index(fields=["course_id", "kind", "created"], name="party_wjob_course")]
