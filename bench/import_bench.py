"""Time a 10,000-row workbook import (docs/INTERFACES.md section 2).

    DATABASE_URL=sqlite:////tmp/workbook_bench.sqlite3 .venv/bin/python bench/import_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_workbook .venv/bin/python bench/import_bench.py

Creates (or reuses) the office "WBB" with one PK, builds a workbook of about 10,000 rows over all
eight sheets, then times: reading the file, the preview (dry run), the import, and the same import
again (nothing changes). Prints a Markdown table. The office's data is deleted first, so the run
can be repeated.
"""

import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/workbook_bench.sqlite3")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bapas.models import Office, Role, User  # noqa: E402
from workbook.importer import import_workbook  # noqa: E402
from workbook.reader import read_workbook  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_CLIENTS", 2500))
SESSIONS = 50
ROWS = int(os.environ.get("BENCH_ROWS", 10_000))  # the suite's smoke run uses a few hundred


def build_workbook() -> tuple[bytes, dict]:
    book = openpyxl.Workbook(write_only=True)
    counts = {}

    def sheet(name, header, rows):
        ws = book.create_sheet(name)
        ws.append(header)
        n = 0
        for row in rows:
            ws.append(row)
            n += 1
        counts[name] = n

    sheet("Mitra", ["kode", "nama", "jenis"], ([f"M{i:03d}", f"Mitra {i}", "MASYARAKAT"] for i in range(10)))
    sheet(
        "PKS",
        ["nomor", "kode_mitra", "tanggal_mulai", "tanggal_berakhir", "ruang_lingkup"],
        ([f"PKS-{i:03d}", f"M{i:03d}", "2022-01-01", "2026-12-31", "KEMANDIRIAN"] for i in range(10)),
    )
    sheet(
        "Klien",
        ["no_register", "nama", "jenis_kelamin", "program", "mulai_bimbingan", "akhir_bimbingan", "nik", "pk", "minat"],
        (
            [
                f"REG-{i:05d}",
                f"Klien {i}",
                "LP"[i % 2],
                "PB",
                "2023-01-01",
                "2025-12-31",
                f"{9100000000000000 + i}",
                "pk.wbb",
                "kuliner",
            ]
            for i in range(CLIENTS)
        ),
    )
    sheet(
        "Pelatihan",
        [
            "kode",
            "nama",
            "jenis_pelatihan",
            "kode_mitra",
            "tanggal_mulai",
            "tanggal_selesai",
            "kategori",
            "nomor_pks",
            "jam_per_hari",
            "anggaran",
            "uang_transport",
        ],
        (
            [
                f"PLT-{i:03d}",
                f"Pelatihan {i}",
                f"Jenis {i % 10}",
                f"M{i % 10:03d}",
                dt.date(2023, 1, 2) + dt.timedelta(days=7 * i),
                dt.date(2023, 1, 3) + dt.timedelta(days=7 * i),
                "KULINER",
                f"PKS-{i % 10:03d}",
                6,
                10_000_000,
                100_000,
            ]
            for i in range(SESSIONS)
        ),
    )
    participants = [(f"PLT-{i % SESSIONS:03d}", f"REG-{i:05d}") for i in range(CLIENTS)]
    sheet("Peserta", ["kode_pelatihan", "no_register", "hadir"], ([s, c, "YA"] for s, c in participants))
    sheet(
        "Kehadiran",
        ["kode_pelatihan", "no_register", "tanggal", "status"],
        (
            [s, c, dt.date(2023, 1, 3) + dt.timedelta(days=7 * (i % SESSIONS)), "IZIN"]
            for i, (s, c) in enumerate(participants)
            if i % 5 == 0
        ),
    )
    sheet(
        "TindakLanjut",
        ["kode_pelatihan", "no_register", "tanggal", "status", "penghasilan"],
        ([s, c, "2024-06-01", "USAHA_SAMPINGAN", 1_000_000] for i, (s, c) in enumerate(participants) if i % 2 == 0),
    )
    remaining = ROWS - sum(counts.values())
    sheet(
        "WajibLapor",
        ["no_register", "tanggal", "cara", "catatan"],
        (
            [
                f"REG-{i % CLIENTS:05d}",
                dt.datetime(2023, 2, 1, 9, 0) + dt.timedelta(days=30 * (i // CLIENTS), minutes=i % 600),
                "DATANG",
                "Sehat",
            ]
            for i in range(max(remaining, 0))
        ),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), counts


def prepare():
    office, _ = Office.objects.get_or_create(code="WBB", defaults={"name": "Bapas Bench", "city": "Bench"})
    from clients.models import Client, PKAssignment, ReportingVisit, StatusChange
    from pokmaslipas.models import Agreement, Partner
    from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType

    ReportingVisit.objects.filter(office=office).delete()
    FollowUp.objects.filter(enrolment__session__office=office).delete()
    Attendance.objects.filter(enrolment__session__office=office).delete()
    Enrolment.objects.filter(session__office=office).delete()
    TrainingSession.objects.filter(office=office).delete()
    TrainingType.objects.filter(office=office).delete()
    Agreement.objects.filter(office=office).delete()
    Partner.objects.filter(office=office).delete()
    PKAssignment.objects.filter(client__office=office).delete()
    StatusChange.objects.filter(client__office=office).delete()
    Client.objects.filter(office=office).delete()
    User.objects.get_or_create(username="pk.wbb", defaults={"office": office, "role": Role.PK})
    admin, _ = User.objects.get_or_create(username="admin.wbb", defaults={"office": office, "role": Role.ADMIN})
    return office, admin


def timed(label, results, function):
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    results.append((label, time.perf_counter() - start, time.process_time() - cpu))
    return value


def main():
    call_command("migrate", verbosity=0)
    office, admin = prepare()
    content, counts = build_workbook()
    rows = sum(counts.values())
    results = []
    data = timed("read the file (openpyxl, read-only)", results, lambda: read_workbook(io.BytesIO(content)))
    preview = timed(
        "preview (dry run, rolled back)",
        results,
        lambda: import_workbook(data, office=office, user=admin, filename="bench.xlsx", dry_run=True),
    )
    assert preview.ok, preview.issues[:5]
    applied = timed(
        "import (one transaction)",
        results,
        lambda: import_workbook(data, office=office, user=admin, filename="bench.xlsx", dry_run=False),
    )
    assert applied.applied, applied.issues[:5]
    again = timed(
        "same workbook again (no change)",
        results,
        lambda: import_workbook(
            read_workbook(io.BytesIO(content)), office=office, user=admin, filename="bench.xlsx", dry_run=False
        ),
    )
    assert again.totals()["created"] == 0 and again.totals()["updated"] == 0
    from workbook.exporter import office_workbook

    exported = timed("export the office", results, lambda: office_workbook(office))
    print(
        f"Database: {connection.vendor} · rows in the workbook: {rows} · file: {len(content) / 1024:.0f} KiB · export: {len(exported) / 1024:.0f} KiB"
    )
    print("Rows per sheet: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"Records written by the import: {applied.totals()['created']}")
    print()
    print(f"Load average when finished: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print()
    print("| step | wall seconds | CPU seconds (this process) |")
    print("|---|---:|---:|")
    for label, seconds, cpu in results:
        print(f"| {label} | {seconds:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
