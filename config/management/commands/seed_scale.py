"""``python manage.py seed_scale --clients N [--offices K] [--regions R] [--seed S]`` (docs/INTERFACES.md section 4)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from bapas.data_version import bump_all_offices
from config import scale


class Command(BaseCommand):
    help = (
        "Create synthetic national-scale data (offices S001.., staff, clients, wajib lapor, partners, "
        "agreements, trainings) with bulk inserts. Deterministic for a given seed and anchor day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, help="Number of clients over all scale offices.")
        parser.add_argument(
            "--offices", type=int, default=None, help="Number of offices (default: one per 1,000 clients)."
        )
        parser.add_argument(
            "--regions",
            type=int,
            default=None,
            help="Number of regions the offices are spread over (default: one per 10 offices).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--today", default=None, help="Anchor day YYYY-MM-DD for every date (default: today).")
        parser.add_argument("--reset", action="store_true", help="Delete earlier scale offices and their data first.")
        parser.add_argument("--reset-only", action="store_true", help="Only delete the scale offices, seed nothing.")
        parser.add_argument("--checksum", action="store_true", help="Print a checksum of the scale rows at the end.")

    def handle(self, *args, clients, offices, regions, seed, today, reset, reset_only, checksum, verbosity, **options):
        log = self.stdout.write if verbosity >= 1 else None
        anchor = None
        if today:
            try:
                anchor = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today must be a date YYYY-MM-DD, not {today!r}.") from exc
        if not reset_only and not clients:
            raise CommandError("--clients N is required (N >= 1).")
        started = time.perf_counter()
        if reset or reset_only:
            removed = scale.reset(log=log)
            bump_all_offices()
            if verbosity >= 1:
                self.stdout.write(f"Removed {removed} scale office(s).")
            if reset_only:
                return
        try:
            result = scale.seed(clients=clients, offices=offices, seed=seed, today=anchor, log=log, regions=regions)
        except scale.ScaleError as exc:
            raise CommandError(str(exc)) from exc
        bump_all_offices()  # a bulk path: every office's data version moves with the inserted rows
        elapsed = time.perf_counter() - started
        if verbosity < 1:
            if checksum:
                self.stdout.write(f"checksum {scale.checksum()}")
            return
        counts = ", ".join(f"{name} {value:,}" for name, value in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {result.offices} scale office(s) in {elapsed:.1f} s: {counts}"))
        self.stdout.write(
            "Sign in as kasi.s001, pk1.s001, kanwil.scale (first region), ditjenpas.scale (national) ... "
            "with the demo password (demo-bapas-2026)."
        )
        if checksum:
            self.stdout.write(f"checksum {scale.checksum()}")
