"""Live games of knowledge contests (knowledge_contest, 现场知识竞赛): the game row (where the game is,
its version), its players with their running scores, their answers, and the job that writes the results at the end."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.models import BackgroundJob


class LiveGameStatus(models.TextChoices):
    LOBBY = "lobby", _("Waiting for players")
    QUESTION = "question", _("Question open")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class LiveGame(models.Model):
    """A host-led game of a contest block: the drawn questions (a snapshot, so an open question is
    served from this one row), the scoring options the host chose, and where the game is.

    Every state change bumps ``version``; clients poll with it and get 304 while it (and the phase the
    clock decides: an open question whose deadline passed is revealed) is unchanged.
    """

    Status = LiveGameStatus

    usage_id = models.CharField(_("contest"), max_length=255)
    course_id = models.CharField(_("course"), max_length=255)
    title = models.CharField(_("title"), max_length=255, blank=True)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("host"))
    # The PIN learners type; NULL once the game ended, so PINs are reused and unique among open games.
    pin = models.CharField(_("PIN"), max_length=8, null=True, blank=True, unique=True)
    # "1" while the game is not over, NULL after: one unended game per contest block on every backend.
    open_slot = models.CharField(max_length=1, null=True, blank=True, default="1", editable=False)
    status = models.CharField(_("status"), max_length=10, choices=LiveGameStatus.choices,
                              default=LiveGameStatus.LOBBY)
    position = models.SmallIntegerField(default=-1)  # the question on screen; -1 in the lobby
    question_started = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    remaining_ms = models.PositiveIntegerField(default=0)  # while paused
    version = models.PositiveIntegerField(default=1)
    questions = models.JSONField(default=list)
    rules = models.JSONField(default=dict)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    ended = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("live game")
        verbose_name_plural = _("live games")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["usage_id", "open_slot"], name="party_live_game_one_open"),
        ]
        indexes = [models.Index(fields=["usage_id", "created"], name="party_live_game_usage")]

    def __str__(self):
        return f"{self.usage_id} {self.pin or self.pk} {self.status}"


class LivePlayer(models.Model):
    """A learner in a live game, with their running score: base points, streak bonus apart."""

    game = models.ForeignKey(LiveGame, on_delete=models.CASCADE, related_name="players")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    organization = models.ForeignKey("party_training.Organization", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+", verbose_name=_("branch"))
    score = models.FloatField(_("score"), default=0)
    bonus = models.FloatField(_("streak bonus"), default=0)
    total = models.FloatField(_("total"), default=0)
    streak = models.PositiveSmallIntegerField(default=0)
    last_position = models.SmallIntegerField(default=-1)
    # The last answer, written by the answer's own UPDATE: a poll shows "your answer" and, at the
    # reveal, right or wrong and its points from this row, with no query on the answers.
    last_response = models.JSONField(default=list)
    last_correct = models.BooleanField(default=False)
    last_points = models.FloatField(default=0)
    last_bonus = models.FloatField(default=0)
    # The id the LMS grades the learner under in this course (anonymous, as ORA uses), taken when they
    # join: the results job, which runs without a block, sets their score in edx-submissions with it.
    student_id = models.CharField(max_length=255, blank=True)
    # Set in the transaction that writes the player's results at the end: the results job skips the
    # players already written, so running it again (a retry, a second delivery) writes nothing twice.
    results_written = models.BooleanField(default=False)
    correct_count = models.PositiveSmallIntegerField(_("correct answers"), default=0)
    answered_count = models.PositiveSmallIntegerField(_("answers"), default=0)
    time_ms = models.PositiveIntegerField(default=0)
    joined = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("live game player")
        verbose_name_plural = _("live game players")
        constraints = [models.UniqueConstraint(fields=["game", "user"], name="party_live_player_once")]
        indexes = [models.Index(fields=["game", "-total", "time_ms"], name="party_live_player_rank")]

    def __str__(self):
        return f"{self.game_id} {self.user_id} {self.total}"


class LiveAnswer(models.Model):
    """One learner's answer to one question of a live game: at most one (the unique constraint)."""

    game = models.ForeignKey(LiveGame, on_delete=models.CASCADE, related_name="answers")
    player = models.ForeignKey(LivePlayer, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    question_id = models.PositiveIntegerField()
    response = models.JSONField(default=list)
    is_correct = models.BooleanField(default=False)
    points = models.FloatField(default=0)
    bonus = models.FloatField(default=0)
    elapsed_ms = models.PositiveIntegerField(default=0)
    answered = models.DateTimeField()

    class Meta:
        verbose_name = _("live game answer")
        verbose_name_plural = _("live game answers")
        constraints = [models.UniqueConstraint(fields=["player", "position"], name="party_live_answer_once")]
        indexes = [models.Index(fields=["game", "position"], name="party_live_answer_question")]


class LiveGameResults(BackgroundJob):
    """Writing a game's results when it ends (a background job, ``core.jobs``): every player's answers
    as a contest attempt, counted results, hours, and the score published to the gradebook. One per
    game (the unique game): ending twice, or the broker delivering twice, writes nothing twice."""

    game = models.OneToOneField(LiveGame, on_delete=models.CASCADE, related_name="results_job")

    class Meta:
        verbose_name = _("live game results")
        verbose_name_plural = _("live game results")

    def __str__(self):
        return f"{self.game_id} {self.status}"

