"""Measure PDF time and peak memory: the annual participation report and a batch of 200 certificates.

Run:  .venv/bin/python bench/pdf_bench.py   (uses a throw-away SQLite database in /tmp)
Writes the numbers to standard output as a Markdown table for docs/performance/reports.md.
Reports longer than REPORT_PDF_CHUNK_ROWS table rows are printed in parts: bench/pdf_scale.py measures
the annual report of all offices on a seeded database against WeasyPrint alone.
"""

import datetime as dt
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/reports-bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone, translation  # noqa: E402


def measure(label, function):
    """Wall and CPU time of a plain run, then peak Python memory of a second run under tracemalloc
    (tracemalloc slows Python down, so it is not timed)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return label, wall, cpu, peak / 1024 / 1024, result


def build(sessions: int, per_session: int, certificates: int):
    from tests.factories import (
        AttendanceFactory,
        ClientFactory,
        EnrolmentFactory,
        OfficeFactory,
        TrainingSessionFactory,
    )

    office = OfficeFactory(code="BENCH", name="Bapas Kelas I Bench", city="Bench")
    for i in range(sessions):
        session = TrainingSessionFactory(office=office, start_date=dt.date(2023, 1, 2) + dt.timedelta(days=7 * i),
                                         budget=5_000_000)  # fmt: skip
        for _ in range(per_session):
            AttendanceFactory(enrolment=EnrolmentFactory(session=session, client=ClientFactory(office=office)))
    big = TrainingSessionFactory(office=office, code="CERT-200", start_date=dt.date(2023, 6, 1))
    now = timezone.now()
    for n in range(certificates):
        enrolment = EnrolmentFactory(session=big, client=ClientFactory(office=office),
                                     certificate_number=f"CERT/{n:04d}", certificate_issued_at=now)  # fmt: skip
        AttendanceFactory(enrolment=enrolment)
    return office, big


def main():
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):  # a throw-away file: start from nothing
        Path(url.removeprefix("sqlite://")).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    # Sizes can be made tiny for the suite's smoke run (BENCH_SESSIONS=2 ...); the defaults are the documented run.
    office, big = build(
        sessions=int(os.environ.get("BENCH_SESSIONS", 50)),
        per_session=int(os.environ.get("BENCH_PER_SESSION", 20)),
        certificates=int(os.environ.get("BENCH_CERTIFICATES", 200)),
    )

    from reports.datasets import participation_dataset
    from reports.exports import render

    rows = []
    with translation.override("id"):
        data = participation_dataset(office=office, date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31))
        rows.append(measure("Annual participation report, 50 sessions / 1,000 participations: dataset", lambda: participation_dataset(
            office=office, date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31))))  # fmt: skip
        rows.append(measure("Annual participation report: PDF", lambda: render(data, "pdf", office=office)))
        rows.append(measure("Annual participation report: XLSX", lambda: render(data, "xlsx")))
        try:
            from trainings.certificates import render_session_certificates

            rows.append(
                measure("200 certificates: PDF", lambda: render_session_certificates(big, "http://127.0.0.1:8000"))
            )
        except ImportError as exc:  # pragma: no cover - the trainings app provides it
            print(f"certificates skipped: {exc}", file=sys.stderr)
    print("| output | wall time (s) | CPU time (s) | peak Python memory (MiB) | size |")
    print("|---|---:|---:|---:|---:|")
    for label, wall, cpu, peak, result in rows:
        size = f"{len(result) / 1024:.0f} KiB" if isinstance(result, bytes) else f"{len(result['sessions'])} rows"
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {peak:.1f} | {size} |")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\nProcess peak resident memory (all steps): {maxrss:.0f} MiB; load average {load} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
