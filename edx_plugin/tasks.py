"""Celery tasks of the plugin. The platform's Celery app autodiscovers ``<app>.tasks`` of every
installed app; importing each area's task module here registers them with its workers. Every
background job (roster imports, contest exports, writing archives and scans) runs through core's
``party_training.jobs.run``."""
from .core.tasks import run_job, sweep_jobs  # noqa: F401
from .knowledge_contest.tasks import close_overdue_contest_attempts  # noqa: F401
from .reminders.tasks import send_reminder_digests  # noqa: F401
