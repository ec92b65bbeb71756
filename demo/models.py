"""Storage of the demo LMS: XBlock field values, the course outline, and recorded grades and completions.

Stands in for the LMS's modulestore, courseware student module and grades/completion
services; the plugin and the blocks never import it.
"""
from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class BlockState(models.Model):
    """XBlock field values as the LMS keeps them: per block, one row of authored fields (content and
    settings: the modulestore's part) and one row of the shared summary (``user_state_summary``); per
    (user, block), one row of the learner's state (the courseware's StudentModule). The row holds a JSON
    object of field name -> value (``data``), written once per handler call with one upsert."""

    AUTHORED, SUMMARY, STATE = "authored", "summary", "state"

    block_id = models.CharField(max_length=255)
    user_id = models.BigIntegerField(default=0)  # 0: not user-specific
    kind = models.CharField(max_length=20)  # AUTHORED, SUMMARY, STATE, or another scope's name
    data = models.TextField(default="{}")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["block_id", "user_id", "kind"], name="demo_block_state_unique")]


class CourseUnit(models.Model):
    """A unit (vertical) of a demo course, in outline order, with the blocks it holds."""

    course_id = models.CharField(max_length=255, db_index=True)
    chapter = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    url_name = models.CharField(max_length=100)
    position = models.PositiveIntegerField()
    children = models.JSONField(default=list)
    # As the LMS stores it on a unit: {partition id: [group id, ...]} (OLX attribute ``group_access``).
    group_access = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["course_id", "position"]
        constraints = [models.UniqueConstraint(fields=["course_id", "url_name"], name="demo_unit_unique")]


class BlockEvent(models.Model):
    """A grade, completion or other event a block published, as the LMS would record it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE)
    usage_id = models.CharField(max_length=255, db_index=True)
    event_type = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class Course(models.Model):
    """A demo course's title (the LMS keeps it in CourseOverview)."""

    course_id = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=255)


class DemoSession(AbstractBaseSession):
    """A session row that also names its user (set when the session is saved), so the request's session
    and user are read together (``demo.sessions``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore  # pylint: disable=import-outside-toplevel
        return SessionStore
