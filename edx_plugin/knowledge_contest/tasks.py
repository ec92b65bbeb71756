"""Background work of knowledge contests (Celery, on the platform's workers)."""
from celery import shared_task

from .rules import close_overdue_attempts, run_results_export


@shared_task(name="party_training.contest.close_overdue_attempts", ignore_result=True)
def close_overdue_contest_attempts() -> int:
    """Close attempts whose deadline has passed. Schedule it with Celery beat every minute; learners'
    own requests already close their overdue attempts, so this only settles the ones left open."""
    return close_overdue_attempts()


@shared_task(name="party_training.contest.export_results", ignore_result=True)
def export_contest_results(export_id: int) -> None:
    """Write a large contest's results workbook (see ``services.contests.run_results_export``)."""
    run_results_export(export_id)
