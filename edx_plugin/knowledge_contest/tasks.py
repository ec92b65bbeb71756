"""Background work of knowledge contests (knowledge_contest), on the platform's Celery workers.
Results exports run through core's one job path (``core.jobs``); this is the overdue sweep."""
from celery import shared_task

from .attempts import close_overdue_attempts


@shared_task(name="party_training.contest.close_overdue_attempts", ignore_result=True)
def close_overdue_contest_attempts() -> int:
    """Close attempts whose deadline has passed. Schedule it with Celery beat every minute; learners'
    own requests already close their overdue attempts, so this only settles the ones left open."""
    return close_overdue_attempts()
