"""Receivers of platform events. openedx-events is part of the platform; outside it (the
demo without the library) the receivers are simply not connected."""
import logging

log = logging.getLogger(__name__)

try:
    from openedx_events.content_authoring.signals import COURSE_IMPORT_COMPLETED, COURSE_RERUN_COMPLETED
    from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED
except ImportError:  # pragma: no cover - the platform always has openedx-events
    COURSE_PASSING_STATUS_UPDATED = COURSE_IMPORT_COMPLETED = COURSE_RERUN_COMPLETED = None


def course_passing_status_updated(signal, sender, course_passing_status=None, **kwargs):  # pylint: disable=unused-argument
    """Credit the course's hours when a learner passes it (the ledger makes this idempotent)."""
    from .core.course_credit import credit_course_passed  # pylint: disable=import-outside-toplevel

    if course_passing_status is None or not course_passing_status.is_passing:
        return
    entry = credit_course_passed(course_passing_status.user.id, str(course_passing_status.course.course_key))
    if entry is not None:
        log.info("party_training: credited %s hours to user %s for passing %s",
                 entry.hours, entry.user_id, entry.course_id)


if COURSE_PASSING_STATUS_UPDATED is not None:
    COURSE_PASSING_STATUS_UPDATED.connect(course_passing_status_updated, dispatch_uid="party_training_course_passed")


def course_content_arrived(signal, sender, course=None, **kwargs):  # pylint: disable=unused-argument
    """A course imported or re-run (its content never went through the Studio editor): record its
    party classes' lectures for the pool lecturers they name."""
    from .party_class.lecture import record_course_lectures  # pylint: disable=import-outside-toplevel

    if course is not None:
        count = record_course_lectures(str(course.course_key))
        log.info("party_training: recorded the lectures of %s party classes of %s", count, course.course_key)


for _signal, _uid in ((COURSE_IMPORT_COMPLETED, "party_training_course_imported"),
                      (COURSE_RERUN_COMPLETED, "party_training_course_rerun")):
    if _signal is not None:
        _signal.connect(course_content_arrived, dispatch_uid=_uid)
