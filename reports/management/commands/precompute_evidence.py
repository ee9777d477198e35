"""Compute the evidence report of all offices pooled and of each region's offices pooled, for the
default period and every horizon (run from cron at night, like refresh_dashboards): the national and
regional viewers' Temuan page then opens at once.

    python manage.py precompute_evidence [--background]
"""

import time

from django.core.management.base import BaseCommand

from reports.evidence.cache import precompute_evidence


class Command(BaseCommand):
    help = "Compute the pooled evidence report (Temuan) of all offices and of each region for the default period."

    def add_arguments(self, parser):
        parser.add_argument("--background", action="store_true", help="Queue it for the worker instead.")

    def handle(self, *args, background, verbosity, **options):
        if background:
            precompute_evidence.enqueue()
            if verbosity >= 1:
                self.stdout.write("precompute_evidence: queued (queue 'reports').")
            return
        started = time.perf_counter()
        count = precompute_evidence.call()
        if verbosity >= 1:
            self.stdout.write(f"precompute_evidence: {count} results in {time.perf_counter() - started:.1f} s.")
