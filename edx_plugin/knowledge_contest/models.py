"""Knowledge contests (知识竞赛): question banks, questions, attempts, answers, counted results.

Banks are shared by the contests of a course (``course_id`` set) or of the whole site
(``course_id`` empty). A contest is a ``knowledge_contest`` block; its learner data is keyed by
the block's ``usage_id`` string and the Django user.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
# "question", "answer" and "Submitted" mean a bank question, its answer key and a handed-in
# attempt here, not what they mean in a party class: hence the "knowledge contest" context.
from django.utils.translation import pgettext_lazy

from ..core.models import BackgroundJob
# The live games' models are in their own module (this one would pass 400 lines); they are the area's
# models all the same, so they are imported here, where Django and the rest of the area find them.
from .live_models import LiveAnswer, LiveGame, LiveGameResults, LiveGameStatus, LivePlayer

__all__ = [
    "AttemptStatus", "ContestAnswer", "ContestAttempt", "ContestExport", "ContestResult", "ContestScoreCount",
    "ContestTitle",
    "Difficulty", "LiveAnswer", "LiveGame", "LiveGameResults", "LiveGameStatus", "LivePlayer", "Question", "QuestionBank",
    "QuestionType",
]


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    FILL_BLANK = "fill_blank", _("Fill in the blank")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("Easy")
    MEDIUM = 2, _("Medium")
    HARD = 3, _("Hard")


class QuestionBank(models.Model):
    code = models.SlugField(
        _("code"), max_length=64, unique=True,
        help_text=_("Contests refer to the bank by this code, so it must not change once used."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    course_id = models.CharField(
        _("course"), max_length=255, blank=True, db_index=True,
        help_text=_("Leave empty for a bank shared by the whole site."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Question(models.Model):
    """One question. ``answer`` holds option letters ("A", "C") for choice questions, "T"/"F" for
    true-or-false, and the accepted answers of a fill-in-the-blank question."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions", verbose_name=_("bank"))
    qtype = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    stem = models.TextField(pgettext_lazy("knowledge contest", "question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.JSONField(pgettext_lazy("knowledge contest", "answer"), default=list)
    explanation = models.TextField(_("explanation"), blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), choices=Difficulty.choices,
                                                  default=Difficulty.MEDIUM)
    # Normalized stem + type + options: the same question imported twice is found in one indexed lookup.
    fingerprint = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Retired questions are no longer drawn; attempts that used them keep them."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("knowledge contest", "question")
        verbose_name_plural = _("questions")
        ordering = ["bank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "fingerprint"], name="party_question_unique_in_bank"),
        ]
        indexes = [
            # The draw: active questions of a bank by category and difficulty.
            models.Index(fields=["bank", "active", "category", "difficulty"], name="party_question_draw"),
        ]

    def __str__(self):
        return self.stem[:60]


class AttemptStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    SUBMITTED = "submitted", pgettext_lazy("knowledge contest", "Submitted")
    EXPIRED = "expired", _("Closed at the deadline")


class ContestAttempt(models.Model):
    """One attempt of one learner at one contest. The drawn questions, their option order, the
    deadline and the scoring rules are fixed here when the attempt starts, so a reload or another
    device resumes exactly the same attempt and later edits of the contest do not change it."""

    Status = AttemptStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_contest_attempts",
        verbose_name=_("user"),
    )
    course_id = models.CharField(_("course"), max_length=255)
    usage_id = models.CharField(_("contest"), max_length=255)
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(_("status"), max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.ACTIVE)
    # "1" while the attempt is open, NULL once closed: a unique (user, usage_id, open_slot) then allows
    # one open attempt per learner on every backend (MySQL has no partial unique indexes).
    open_slot = models.CharField(max_length=1, null=True, blank=True, default="1", editable=False)
    started = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    question_ids = models.JSONField(default=list)
    option_orders = models.JSONField(default=dict)
    rules = models.JSONField(default=dict)
    # Per-question timing: the question on screen and when it was first shown.
    position = models.PositiveSmallIntegerField(default=0)
    position_started = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(_("score"), default=0)
    bonus = models.FloatField(_("speed bonus"), default=0)
    max_score = models.FloatField(_("maximum score"), default=0)
    correct_count = models.PositiveSmallIntegerField(_("correct answers"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("contest attempt")
        verbose_name_plural = _("contest attempts")
        ordering = ["-started"]
        constraints = [
            models.UniqueConstraint(fields=["user", "usage_id", "open_slot"], name="party_attempt_one_open"),
            models.UniqueConstraint(fields=["user", "usage_id", "number"], name="party_attempt_number"),
        ]
        indexes = [
            models.Index(fields=["usage_id", "status", "finished"], name="party_attempt_usage_status"),
            models.Index(fields=["status", "deadline"], name="party_attempt_overdue"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.usage_id} #{self.number}"

    @property
    def total(self) -> float:
        return round(self.score + self.bonus, 2)


class ContestAnswer(models.Model):
    attempt = models.ForeignKey(ContestAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="contest_answers")
    # Denormalized so the live view and item analysis read one table with one index.
    usage_id = models.CharField(max_length=255)
    response = models.JSONField(default=list)
    is_correct = models.BooleanField(default=False)
    points = models.FloatField(default=0)
    answered = models.DateTimeField()

    class Meta:
        verbose_name = _("contest answer")
        verbose_name_plural = _("contest answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="party_answer_once")]
        indexes = [
            models.Index(fields=["usage_id", "answered"], name="party_answer_usage_time"),
            models.Index(fields=["usage_id", "question", "is_correct"], name="party_answer_usage_question"),
        ]


class ContestResult(models.Model):
    """The attempt that counts for a learner in a contest (best or last), one row per learner.

    The leaderboard reads only this table: top N is an index range scan on
    (usage_id, total desc, duration), my rank a count on the same index.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_contest_results",
        verbose_name=_("user"),
    )
    course_id = models.CharField(_("course"), max_length=255)
    usage_id = models.CharField(_("contest"), max_length=255)
    attempt = models.ForeignKey(ContestAttempt, on_delete=models.CASCADE, related_name="+")
    # The member's branch when the result was recorded: branch leaderboards group on it.
    organization = models.ForeignKey(
        "party_training.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    total = models.FloatField(_("score"))
    max_score = models.FloatField(_("maximum score"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    # The fraction last published to the grades service, so a result closed by the overdue sweep
    # (which has no runtime) is published on the learner's next visit.
    published_fraction = models.FloatField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contest result")
        verbose_name_plural = _("contest results")
        constraints = [models.UniqueConstraint(fields=["usage_id", "user"], name="party_result_once")]
        indexes = [
            models.Index(fields=["usage_id", "-total", "duration_ms"], name="party_result_rank"),
            models.Index(fields=["usage_id", "organization", "total"], name="party_result_branch"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.usage_id} {self.total}"


class ContestScoreCount(models.Model):
    """How many counted results of a contest have each score. "My rank" is the sum of the counts
    above my score (a few hundred rows at most) instead of a count over every result, so it stays
    fast at hundreds of thousands of participants. Kept in step with ``ContestResult`` in the same
    transaction by the contests service."""

    usage_id = models.CharField(max_length=255)
    total = models.FloatField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("contest score count")
        verbose_name_plural = _("contest score counts")
        constraints = [models.UniqueConstraint(fields=["usage_id", "total"], name="party_score_count_once")]

    def __str__(self):
        return f"{self.usage_id} {self.total}: {self.count}"


class ContestExport(BackgroundJob):
    """A results export of a large contest, written by a background job (``core.jobs``) into the
    site's file storage."""

    usage_id = models.CharField(_("contest"), max_length=255)
    course_id = models.CharField(_("course"), max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("requested by"),
    )

    class Meta:
        verbose_name = _("contest results export")
        verbose_name_plural = _("contest results exports")
        indexes = [models.Index(fields=["usage_id", "created"], name="party_contest_export_usage")]

    def __str__(self):
        return f"{self.usage_id} {self.status}"


class ContestTitle(models.Model):
    """A contest block's title as course staff last saw it, so that the plugin's own pages (live view,
    exports, the learning file), which run outside any block, name the contest instead of its id."""

    usage_id = models.CharField(_("contest"), max_length=255, unique=True)
    course_id = models.CharField(_("course"), max_length=255)
    title = models.CharField(_("title"), max_length=255)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contest title")
        verbose_name_plural = _("contest titles")

    def __str__(self):
        return self.title
