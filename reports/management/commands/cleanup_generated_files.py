"""Remove background files whose retention time (BAPAS_GENERATED_FILE_RETENTION_HOURS) has passed, and hand
the files whose worker stopped to another worker."""

from django.core.management.base import BaseCommand

from reports.services import generated_files_cleanup, generated_files_requeue_stalled


class Command(BaseCommand):
    help = "Delete expired generated files (reports, certificate batches) and their records."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be removed")

    def handle(self, *args, **options):
        count = generated_files_cleanup(dry_run=options["dry_run"])
        verb = "would be removed" if options["dry_run"] else "removed"
        self.stdout.write(f"{count} expired generated file(s) {verb}.")
        if not options["dry_run"]:
            self.stdout.write(
                f"{generated_files_requeue_stalled()} stalled generated file(s) handed to another worker."
            )
