"""``manage.py send_party_reminders [--date YYYY-MM-DD]``: send this period's reminder digests by hand
(reminders; the same work as the Celery beat entry). A digest already sent in the period is not sent again."""
import datetime

from django.core.management.base import BaseCommand, CommandError

from party_training.edx_plugin.reminders.digests import send_digests


class Command(BaseCommand):
    help = "Send this period's reminder digests (learners behind, and organisation admins)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to send for (default: today)")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must look like 2026-12-01") from exc
        result = send_digests(day)
        self.stdout.write(f"sent {result.sent}, already sent this period {result.already}, failed {result.failed}")
