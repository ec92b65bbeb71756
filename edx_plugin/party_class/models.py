"""Learner data of the party class block (党课): sign-ins, questions and votes, reflections, progress.

Everything is keyed by the block's ``usage_id`` (and ``course_id``) strings and the Django user,
so pages and exports can query it; nothing lives in ``Scope.user_state_summary``. Uniqueness that
the rules depend on (one sign-in per learner, one vote per question and learner, one reflection
and one progress row per learner) is enforced by database constraints, not by the callers.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInMethod(models.TextChoices):
    ONLINE = "online", _("Online check-in")
    ONSITE = "onsite", _("On-site code")
    STAFF = "staff", _("Recorded by staff")


class PartyClassSignIn(models.Model):
    """One learner's attendance at one party class."""

    course_id = models.CharField(_("course"), max_length=255)
    usage_id = models.CharField(_("course component"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_class_signins", verbose_name=_("user"),
    )
    method = models.CharField(_("method"), max_length=10, choices=SignInMethod.choices)
    created = models.DateTimeField(_("signed in at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party class sign-in")
        verbose_name_plural = _("party class sign-ins")
        constraints = [models.UniqueConstraint(fields=["usage_id", "user"], name="party_class_signin_unique")]
        indexes = [models.Index(fields=["course_id", "user"], name="party_class_signin_course")]

    def __str__(self):
        return f"{self.user_id} @ {self.usage_id}"


class QuestionTag(models.TextChoices):
    HOT = "hot", _("Hot topic")
    DIFFICULT = "difficult", _("Difficult point")
    DOUBTFUL = "doubtful", _("Doubt")


class PartyClassQuestion(models.Model):
    """A learner's question to the lecturer. ``votes`` counts ``PartyClassVote`` rows and is only
    changed by conditional ``F()`` updates in the same transaction as the vote rows."""

    course_id = models.CharField(_("course"), max_length=255)
    usage_id = models.CharField(_("course component"), max_length=255)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_class_questions",
        verbose_name=_("author"),
    )
    tag = models.CharField(_("kind"), max_length=10, choices=QuestionTag.choices)
    text = models.TextField(_("question"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates",
        verbose_name=_("merged into"),
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_published = models.BooleanField(_("answer published"), default=False)
    created = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party class question")
        verbose_name_plural = _("party class questions")
        indexes = [
            # The board: one block's questions by votes.
            models.Index(fields=["usage_id", "-votes", "created"], name="party_class_q_board"),
            models.Index(fields=["usage_id", "author"], name="party_class_q_author"),
        ]

    def __str__(self):
        return self.text[:40]


class PartyClassVote(models.Model):
    question = models.ForeignKey(PartyClassQuestion, on_delete=models.CASCADE, related_name="vote_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question vote")
        verbose_name_plural = _("question votes")
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="party_class_vote_unique")]


class ReflectionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class PartyClassReflection(models.Model):
    """A learner's reflection (心得体会) on a party class: an autosaved draft, then submitted.

    ``score`` is set by staff; ``score_published`` is the score last sent to the LMS as the
    learner's grade event (the LMS records block events for the user whose request it serves,
    so the block publishes a changed score on the learner's next request)."""

    course_id = models.CharField(_("course"), max_length=255)
    usage_id = models.CharField(_("course component"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_class_reflections",
        verbose_name=_("user"),
    )
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReflectionStatus.choices,
                              default=ReflectionStatus.DRAFT)
    updated = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    score_published = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True, editable=False)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("scored by"),
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("party class reflection")
        verbose_name_plural = _("party class reflections")
        constraints = [models.UniqueConstraint(fields=["usage_id", "user"], name="party_class_reflection_unique")]
        indexes = [models.Index(fields=["usage_id", "status", "submitted_at"], name="party_class_refl_list")]

    def __str__(self):
        return f"{self.user_id} @ {self.usage_id} ({self.status})"


class PartyClassProgress(models.Model):
    """What a learner has done towards completing a party class.

    ``completed_at`` is set once by a conditional update: the request that sets it is the one
    that publishes completion and credits the hours."""

    course_id = models.CharField(_("course"), max_length=255)
    usage_id = models.CharField(_("course component"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_class_progress",
        verbose_name=_("user"),
    )
    content_done_at = models.DateTimeField(_("watched or read at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("party class progress")
        verbose_name_plural = _("party class progress")
        constraints = [models.UniqueConstraint(fields=["usage_id", "user"], name="party_class_progress_unique")]

    def __str__(self):
        return f"{self.user_id} @ {self.usage_id}"


__all__ = [
    "PartyClassProgress", "PartyClassQuestion", "PartyClassReflection", "PartyClassSignIn", "PartyClassVote",
    "QuestionTag", "ReflectionStatus", "SignInMethod",
]
