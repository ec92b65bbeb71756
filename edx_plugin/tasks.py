"""Celery tasks of the plugin. The platform's Celery app autodiscovers ``<app>.tasks`` of every
installed app; importing the task modules here registers them with its workers."""
from .knowledge_contest.tasks import close_overdue_contest_attempts, export_contest_results  # noqa: F401
from .roster.tasks import import_roster_job  # noqa: F401
from .writing_assignment.tasks import run_writing_job  # noqa: F401
