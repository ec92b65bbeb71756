"""manage.py party_training_jobs: what the scheduled sweep does, by hand (for sites without Celery beat)."""
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...core import jobs


class Command(BaseCommand):
    help = "Fail background jobs whose worker died and delete job files older than JOB_FILES_MAX_AGE_DAYS."

    def handle(self, *args, **options):
        result = jobs.sweep()
        self.stdout.write(_("Stopped jobs marked failed: %(stale)d; old job files deleted: %(files)d.")
                          % {"stale": result.stale, "files": result.files})
