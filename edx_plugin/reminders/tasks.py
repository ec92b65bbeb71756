"""Celery task of reminders (reminders): the periodic digests (beat entry in ``settings.common``)."""
from celery import shared_task

from .digests import send_digests


@shared_task(name="party_training.reminders.send_digests")
def send_reminder_digests() -> dict:
    result = send_digests()
    return {"sent": result.sent, "already": result.already, "failed": result.failed}
