"""Background jobs recorded on a row (contest exports, writing archives and scans): the task's
work runs here, and the row says running, done or failed, so a page can show the state."""
from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils import timezone

log = logging.getLogger(__name__)


def run_tracked(model, pk: int, work: Callable[[], dict]) -> None:
    """Run ``work`` for the job row ``pk`` of ``model`` (a model with ``Status``, ``error`` and
    ``finished``); the values ``work`` returns are stored with the done state."""
    rows = model.objects.filter(pk=pk)
    rows.update(status=model.Status.RUNNING)
    try:
        values = work()
    except Exception as exc:  # pylint: disable=broad-except
        log.exception("%s %s failed", model.__name__, pk)
        rows.update(status=model.Status.FAILED, error=str(exc)[:500], finished=timezone.now())
        return
    rows.update(status=model.Status.DONE, finished=timezone.now(), **values)
