"""The evidence report (Temuan) at scale: seconds for one office and for all offices pooled.

Self-preparing: migrates the database of DATABASE_URL and, when it holds fewer clients than asked,
runs ``seed_scale`` first. Then, in this process after a warm-up (imports), times
``evidence_dataset`` for the first office, its region's offices pooled and all offices, for each horizon asked, and prints a
Markdown table (the numbers docs/PERFORMANCE.md quotes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale .venv/bin/python bench/evidence_bench.py \\
        [--clients 100000] [--year 2025] [--horizons 3,6] [--runs 2]

Environment overrides for a smoke run: BENCH_CLIENTS, BENCH_YEAR.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=int(os.environ.get("BENCH_CLIENTS", 100_000)))
    parser.add_argument("--year", type=int, default=int(os.environ.get("BENCH_YEAR", 0)) or None)
    parser.add_argument("--horizons", default="3,6")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone, translation

    from bapas.models import Office
    from clients.models import Client
    from reports.evidence.dataset import evidence_dataset

    call_command("migrate", verbosity=0)
    if Client.objects.count() < args.clients:
        started = time.perf_counter()
        call_command("seed_scale", clients=args.clients, reset=True, verbosity=0)
        print(f"seed_scale --clients {args.clients}: {time.perf_counter() - started:.1f} s")
    year = args.year or timezone.localdate().year - 1
    period = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    office = Office.objects.order_by("code").first()
    horizons = [int(h) for h in args.horizons.split(",")]
    with translation.override("id"):
        evidence_dataset(office, *period, horizons[0])  # warm-up: imports of statsmodels and scipy
        print(f"| scope | horizon | sessions | participants | observed | matched | seconds (best of {args.runs}) |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        scopes = [(office, None), *([(None, office.region)] if office.region_id else []), (None, None)]
        for scope, region in scopes:
            for horizon in horizons:
                best, data = None, None
                for _run in range(args.runs):
                    started = time.perf_counter()
                    data = evidence_dataset(scope, *period, horizon, region=region)
                    elapsed = time.perf_counter() - started
                    best = elapsed if best is None else min(best, elapsed)
                name = scope.code if scope else f"region {region.code}" if region else "all offices"
                print(f"| {name} | {horizon} | {data['sessions']} | {data['outcome']['participants']} | "
                      f"{data['outcome']['observed']} | {data['comparison']['matched_participants']} | {best:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
