"""Compute every office's dashboard summary row for its today, and its report rollups of this year and
the year before (``reports.rollups``, what the regional and national reports add up). Run it from cron
shortly after midnight.

    python manage.py refresh_dashboards [--office CODE ...] [--years N]

Rows that are still current are left alone, so running it often costs little.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from bapas.models import Office, OfficeDataVersion
from reports.periods import office_today
from reports.rollups import ensure_current
from reports.summaries import office_summary


class Command(BaseCommand):
    help = "Fill the dashboard summary rows of every office (or the given ones) for their current day."

    def add_arguments(self, parser):
        parser.add_argument("--office", action="append", default=[], help="Office code (repeatable).")
        parser.add_argument(
            "--years", type=int, default=2, help="Report rollups of this many years back from today's (default 2)."
        )

    def handle(self, *args, office, years, verbosity, **options):
        offices = Office.objects.order_by("code")
        if office:
            offices = offices.filter(code__in=office)
            unknown = set(office) - set(offices.values_list("code", flat=True))
            if unknown:
                raise CommandError(f"Unknown office code(s): {', '.join(sorted(unknown))}")
        started = time.perf_counter()
        count = rollups = 0
        with translation.override(settings.LANGUAGE_CODE):
            for item in offices:
                today = office_today(item)
                office_summary(item, today)
                rollups += ensure_current(item, range(today.year - years + 1, today.year + 1))
                count += 1
        # Clear stuck "refresh queued" marks (a worker that died): every row is current now.
        OfficeDataVersion.objects.filter(office__in=offices, refresh_queued=True).update(refresh_queued=False)
        if verbosity >= 1:
            self.stdout.write(
                f"Dashboard summaries and report rollups of {count} office(s) current ({rollups} rollup(s) computed,"
                f" {time.perf_counter() - started:.1f} s)."
            )
