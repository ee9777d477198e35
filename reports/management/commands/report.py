"""python manage.py report NAME [--office CODE] (--year YYYY | --from DATE --to DATE) --format F [--output FILE]

docs/INTERFACES.md, reports: without --output the bytes go to standard output; without --office, all
offices. ``report evidence`` also takes --horizon 3|6|12 (months after the training, default 6).
"""

import sys
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from bapas.models import Office, Region
from bapas.replica import replica_reads
from reports.access import ReportScope
from reports.datasets import DATASETS
from reports.evidence.dataset import DEFAULT_HORIZON, HORIZONS, evidence_dataset
from reports.exports import FORMATS, csv_tables, render
from reports.periods import validate_period, year_period
from reports.scoped import build_dataset


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: '{value}' is not a date (use YYYY-MM-DD).") from None


REPORTS = (*DATASETS, "evidence")


class Command(BaseCommand):
    help = (
        "Render a report (participation, implementation, compliance, agreements, evidence) as JSON, CSV, XLSX or PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"one of: {', '.join(REPORTS)}, monthly")
        parser.add_argument("--office", help="office code (default: all offices)")
        parser.add_argument("--region", help="region code: the offices of that region (default: all offices)")
        parser.add_argument("--year", type=int, help="a calendar year, e.g. 2023")
        parser.add_argument("--month", help="monthly only: the month, YYYY-MM")
        parser.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD")
        parser.add_argument("--format", required=True, help=f"one of: {', '.join(FORMATS)}")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--table", help="CSV only: the table to write (any list of the JSON), e.g. by_year")
        parser.add_argument(
            "--horizon",
            type=int,
            choices=HORIZONS,
            default=None,
            help=f"evidence only: months after the training (default {DEFAULT_HORIZON})",
        )
        parser.add_argument("--signer", choices=("head", "kasi"), default="head", help="who signs the PDF")

    @replica_reads  # a hot standby, when there is one, carries the reading (bapas/replica.py)
    def handle(self, *args, **options):
        name = options["name"]
        if name == "monthly":
            return self._monthly(options)
        if name not in REPORTS:
            raise CommandError(f"Unknown report '{name}'. Choose one of: {', '.join(REPORTS)}, monthly.")
        if options["horizon"] is not None and name != "evidence":
            raise CommandError("--horizon goes with the evidence report.")
        fmt = (options["format"] or "").lower()
        if fmt not in FORMATS:
            raise CommandError(f"Unknown format '{options['format']}'. Choose one of: {', '.join(FORMATS)}.")
        office = None
        if options["office"]:
            office = Office.objects.filter(code__iexact=options["office"]).first()
            if office is None:
                known = ", ".join(Office.objects.values_list("code", flat=True)) or "none"
                raise CommandError(f"Unknown office '{options['office']}'. Known offices: {known}.")
        region = None
        if options.get("region"):
            region = Region.objects.filter(code__iexact=options["region"]).first()
            if region is None:
                known = ", ".join(Region.objects.values_list("code", flat=True)) or "none"
                raise CommandError(f"Unknown region '{options['region']}'. Known regions: {known}.")
            if office is not None and office.region_id != region.pk:
                raise CommandError(f"Office {office.code} is not in region {region.code}.")
        year, date_from, date_to = options["year"], options["date_from"], options["date_to"]
        if year is not None and (date_from or date_to):
            raise CommandError("Give either --year or --from and --to, not both.")
        if year is not None:
            if not 1900 <= year <= 9998:
                raise CommandError(f"--year {year} is not a valid year.")
            period = year_period(year)
            date_from, date_to = period.date_from, period.date_to
        elif date_from and date_to:
            date_from, date_to = _date(date_from, "--from"), _date(date_to, "--to")
        else:
            raise CommandError("Give the period: --year YYYY, or --from YYYY-MM-DD and --to YYYY-MM-DD.")
        with translation.override("en"):
            try:
                validate_period(date_from, date_to)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        with translation.override("id"):
            scope = ReportScope(office=office, region=None if office else region)
            if name == "evidence":
                horizon = options["horizon"] or DEFAULT_HORIZON
                data = evidence_dataset(office, date_from, date_to, horizon, region=scope.region)
            else:
                data = build_dataset(name, scope=scope, date_from=date_from, date_to=date_to)
            kwargs = {"office": office, "signer": options["signer"], "region": scope.region} if fmt == "pdf" else {}
            if options["table"]:
                if fmt != "csv":
                    raise CommandError("--table goes with --format csv.")
                if options["table"] not in csv_tables(data):
                    raise CommandError(
                        f"Unknown table '{options['table']}'. Choose one of: {', '.join(csv_tables(data))}."
                    )
                kwargs["table"] = options["table"]
            content = render(data, fmt, **kwargs)
        self._write(name, content, options)

    def _write(self, name, content, options):
        if options["output"]:
            try:
                with open(options["output"], "wb") as handle:
                    handle.write(content)
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc.strerror}.") from None
            self.stderr.write(f"{name}: {len(content)} bytes written to {options['output']}")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()

    def _monthly(self, options):
        """``report monthly --office CODE --month YYYY-MM``: the signed snapshot, else computed now."""
        from reports.monthly import parse_month, return_data

        fmt = (options["format"] or "").lower()
        if fmt not in FORMATS:
            raise CommandError(f"Unknown format '{options['format']}'. Choose one of: {', '.join(FORMATS)}.")
        if not options["office"]:
            raise CommandError("The monthly return is an office's: give --office CODE.")
        office = Office.objects.filter(code__iexact=options["office"]).first()
        if office is None:
            raise CommandError(f"Unknown office '{options['office']}'.")
        try:
            first = parse_month(options["month"])
        except (TypeError, ValueError):
            raise CommandError("Give the month: --month YYYY-MM.") from None
        with translation.override("id"):
            data = return_data(office, first)
            kwargs = {"office": office} if fmt == "pdf" else {}
            if options["table"]:
                kwargs["table"] = options["table"]
            content = render(data, fmt, **kwargs)
        self._write("monthly", content, options)
