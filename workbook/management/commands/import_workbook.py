"""python manage.py import_workbook FILE.xlsx --office CODE [--dry-run] [--user USERNAME]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bapas.models import Office, User
from workbook.importer import import_workbook
from workbook.reader import read_workbook


class Command(BaseCommand):
    help = "Import a workbook (docs/INTERFACES.md section 2) into one office: all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--office", required=True, help="office code, e.g. TNG")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--user", help="username recorded as the author in the audit trail")

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(options["file"])
        office = Office.objects.filter(code=options["office"]).first()
        if office is None:
            raise CommandError(f"Unknown office code: {options['office']}")
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Unknown user: {options['user']}")
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot open {path}: {exc.strerror}") from exc
        with handle:
            data = read_workbook(handle)
        result = import_workbook(data, office=office, user=user, filename=path.name, dry_run=options["dry_run"])
        self._report_sheets(result)
        if result.issues:
            for issue in result.issues:
                self.stderr.write(issue)
            raise CommandError(f"{len(result.issues)} error(s); nothing was written.", returncode=1)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        else:
            totals = result.totals()
            self.stdout.write(self.style.SUCCESS(f"Imported: {totals['created']} new, {totals['updated']} changed."))

    def _report_sheets(self, result) -> None:
        """What was read, and what was not: ignored and hidden sheets, skipped example rows."""
        for sheet in result.sheets:
            line = f"{sheet.name}: {sheet.rows} rows, {sheet.created} new, {sheet.updated} changed, {sheet.unchanged} unchanged"
            if sheet.examples_skipped:
                skipped = ngettext(
                    "%(counter)s example row skipped", "%(counter)s example rows skipped", sheet.examples_skipped
                ) % {"counter": sheet.examples_skipped}
                line = f"{line} ({skipped})"
            self.stdout.write(line)
        if result.ignored_sheets:
            self.stdout.write(f"{_('Sheets ignored (unknown names):')} {', '.join(result.ignored_sheets)}")
        if result.hidden_sheets:
            self.stdout.write(
                f"{_('Hidden sheets (a hidden sheet with a known name is imported too):')} "
                f"{', '.join(result.hidden_sheets)}"
            )
