"""Celery tasks of the plugin. The platform's Celery app autodiscovers ``<app>.tasks`` of every
installed app; importing the task modules here registers them with its workers."""
from .tasks_contest import close_overdue_contest_attempts, export_contest_results  # noqa: F401
from .tasks_roster import import_roster_job  # noqa: F401
from .tasks_writing import run_writing_job  # noqa: F401
