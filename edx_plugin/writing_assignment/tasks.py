"""Celery tasks of the grading queue: the submissions archive and the near-copy scan.

They run on the platform's workers (eagerly in the demo and the tests) and report progress
in ``WritingJob``, which the queue page polls.
"""
from celery import shared_task


@shared_task(name="party_training.writing.run_job", ignore_result=True)
def run_writing_job(job_id: int) -> None:
    from .rules import run_job  # pylint: disable=import-outside-toplevel
    run_job(job_id)
