"""Celery tasks of core: the one task every background job runs through, and the sweep of dead
jobs and old job files (Celery beat). The platform's workers find them through the plugin's
``tasks`` module."""
from celery import shared_task

from . import jobs


@shared_task(name=jobs.TASK_NAME, ignore_result=True)
def run_job(label: str, pk: int) -> None:
    jobs.run(label, pk)


@shared_task(name="party_training.jobs.sweep", ignore_result=True)
def sweep_jobs() -> None:
    jobs.sweep()
