"""manage.py import_party_roster FILE [FILE...] [--dry-run]: import organisations and members.

The files are checked and saved together, all or nothing; each problem is printed with its
file (or sheet) and row, and the command exits with status 1 when there is any.
"""
from contextlib import ExitStack

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...roster.imports import import_roster_files


class Command(BaseCommand):
    help = ("Import party organisations and members from roster files: XLSX (sheets 组织 and 党员) or CSV in "
            "UTF-8 or GB18030. All files are checked first; nothing is saved if any row has an error.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="XLSX or CSV roster files")
        parser.add_argument("--dry-run", action="store_true", help="check the files and report, save nothing")

    def handle(self, *args, **options):
        with ExitStack() as stack:
            files = []
            for path in options["files"]:
                try:
                    files.append((stack.enter_context(open(path, "rb")), path))
                except OSError as exc:
                    raise CommandError(_("Cannot open %(path)s: %(error)s") % {"path": path, "error": exc.strerror})
            result = import_roster_files(files, dry_run=options["dry_run"])
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
