"""Case discussions (case_discussion, 案例分析 / 交流研讨): the plugin's copy of each block's
settings, the groups and who is in which, drafts, the learners' analyses, replies and likes, and
the rubric grades. Keyed by ``course_id`` / ``usage_id`` strings and the Django user, so staff pages
and exports query them across learners without loading a block."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.models import BackgroundJob, Organization

__all__ = [
    "CaseAnalysis", "CaseDiscussion", "CaseDraft", "CaseExportJob", "CaseGrade", "CaseGroup", "CaseLike", "CaseMember",
    "CaseReply",
    "DiscussionMode", "GroupingMode",
]


class DiscussionMode(models.TextChoices):
    POST_FIRST = "post_first", _("Post your analysis before seeing others'")
    OPEN = "open", _("Open: everyone sees the analyses at once")


class GroupingMode(models.TextChoices):
    COURSE = "course", _("Whole course")
    BRANCH = "branch", _("By party branch")
    AUTO = "auto", _("Automatic groups of N")


class CaseDiscussion(models.Model):
    """What staff pages need of a block's settings, kept current by the block; also the row locked
    while groups are formed, so two first visitors never form two groupings."""

    course_id = models.CharField(_("course"), max_length=255, db_index=True)
    usage_id = models.CharField(_("course component"), max_length=255, unique=True)
    title = models.CharField(_("title"), max_length=255)
    questions = models.JSONField(_("guiding questions"), default=list)
    grouping = models.CharField(_("grouping"), max_length=10, choices=GroupingMode.choices,
                                default=GroupingMode.COURSE)
    group_size = models.PositiveSmallIntegerField(_("group size"), default=6)
    rubric = models.JSONField(_("rubric"), default=list)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, default=0)
    hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=2, default=0)
    # Set once, when the automatic groups were formed (they never change by themselves afterwards).
    groups_formed = models.DateTimeField(_("groups formed"), null=True, blank=True)
    summary = models.TextField(_("closing summary"), blank=True)
    summary_updated = models.DateTimeField(_("summary updated"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case discussion")
        verbose_name_plural = _("case discussions")
        ordering = ["course_id", "title"]

    def __str__(self):
        return self.title


class CaseGroup(models.Model):
    """A discussion group: the whole course, one party branch, or one automatic group."""

    discussion = models.ForeignKey(CaseDiscussion, on_delete=models.CASCADE, related_name="groups")
    # "course", "org:<pk>" or "auto:<n>": one group per key, whoever creates it first.
    key = models.CharField(max_length=40)
    number = models.PositiveIntegerField(_("number"), default=1)
    name = models.CharField(_("name"), max_length=200)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("discussion group")
        verbose_name_plural = _("discussion groups")
        ordering = ["discussion", "number", "pk"]
        constraints = [models.UniqueConstraint(fields=["discussion", "key"], name="party_cgroup_unique")]

    def __str__(self):
        return self.name


class CaseMember(models.Model):
    """Who is in which group of a discussion (a learner is placed on their first visit)."""

    usage_id = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(CaseGroup, on_delete=models.CASCADE, related_name="members")
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discussion member")
        verbose_name_plural = _("discussion members")
        constraints = [models.UniqueConstraint(fields=["usage_id", "user"], name="party_cmember_unique")]


class CaseDraft(models.Model):
    """A learner's autosaved answers (one per guiding question), revision-checked (``core.drafts``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course_id = models.CharField(max_length=255)
    usage_id = models.CharField(max_length=255)
    answers = models.JSONField(default=list)
    revision = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("discussion draft")
        verbose_name_plural = _("discussion drafts")
        constraints = [models.UniqueConstraint(fields=["usage_id", "user"], name="party_cdraft_unique")]


class CaseAnalysis(models.Model):
    """A learner's posted analysis (one per member): answers to the guiding questions. Its group is
    the author's (moved with them); replies and likes hang on it."""

    member = models.OneToOneField(CaseMember, on_delete=models.CASCADE, related_name="analysis")
    course_id = models.CharField(_("course"), max_length=255)
    usage_id = models.CharField(_("course component"), max_length=255)
    group = models.ForeignKey(CaseGroup, on_delete=models.CASCADE, related_name="analyses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("author"))
    answers = models.JSONField(_("answers"), default=list)
    char_count = models.PositiveIntegerField(_("characters"))
    created = models.DateTimeField(_("posted"), auto_now_add=True)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)

    class Meta:
        verbose_name = _("case analysis")
        verbose_name_plural = _("case analyses")
        indexes = [
            # A group's page of analyses, newest first, without the hidden ones.
            models.Index(fields=["usage_id", "group", "hidden", "id"], name="party_canalysis_page"),
            models.Index(fields=["usage_id", "featured"], name="party_canalysis_featured"),
        ]


class CaseReply(models.Model):
    """A reply in the thread of an analysis (plain text)."""

    analysis = models.ForeignKey(CaseAnalysis, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("author"))
    text = models.TextField(_("text"))
    created = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [models.Index(fields=["analysis", "id"], name="party_creply_thread")]


class CaseLike(models.Model):
    """One like of one analysis by one learner (the database refuses a second)."""

    analysis = models.ForeignKey(CaseAnalysis, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [models.UniqueConstraint(fields=["analysis", "user"], name="party_clike_unique")]


class CaseGrade(models.Model):
    """Staff's rubric grade of one learner's participation, with a comment."""

    usage_id = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("learner"))
    selections = models.JSONField(default=dict)  # {criterion index (str): level index}
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("graded by"))
    graded_at = models.DateTimeField(_("graded"), auto_now=True)

    class Meta:
        verbose_name = _("discussion grade")
        verbose_name_plural = _("discussion grades")
        constraints = [models.UniqueConstraint(fields=["usage_id", "user"], name="party_cgrade_unique")]


class CaseExportJob(BackgroundJob):
    """The XLSX export of a large discussion, written by a background job (``core.jobs``) into the
    site's file storage."""

    usage_id = models.CharField(_("course component"), max_length=255)
    course_id = models.CharField(_("course"), max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("requested by"))

    class Meta:
        verbose_name = _("discussion export")
        verbose_name_plural = _("discussion exports")
        ordering = ["-created"]
        indexes = [models.Index(fields=["usage_id", "created"], name="party_cexport_usage")]
