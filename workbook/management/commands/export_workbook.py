"""python manage.py export_workbook --office CODE [--output FILE.xlsx]"""

import sys

from django.core.management.base import BaseCommand, CommandError

from bapas.models import Office
from workbook.exporter import office_workbook


class Command(BaseCommand):
    help = "Export all data of one office as a workbook in the import format."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="office code, e.g. TNG")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        office = Office.objects.filter(code=options["office"]).first()
        if office is None:
            raise CommandError(f"Unknown office code: {options['office']}")
        content = office_workbook(office)
        if options.get("output"):
            with open(options["output"], "wb") as handle:
                handle.write(content)
            self.stdout.write(f"Wrote {options['output']} ({len(content)} bytes).")
        else:
            sys.stdout.buffer.write(content)
