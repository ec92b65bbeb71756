"""Close knowledge contest attempts whose deadline has passed (cron, or where Celery beat is not used)."""
from django.core.management.base import BaseCommand

from ...knowledge_contest.attempts import close_overdue_attempts


class Command(BaseCommand):
    help = "Close knowledge contest attempts whose deadline has passed: score them and record results."

    def handle(self, *args, **options):
        closed = close_overdue_attempts()
        self.stdout.write(f"{closed} overdue attempts closed.")
