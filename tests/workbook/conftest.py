"""Helpers to build workbooks in memory and run the importer on them."""

import datetime as dt
import io

import openpyxl
import pytest

from workbook.importer import import_workbook
from workbook.reader import read_workbook


def make_xlsx(sheets: dict, *, setup=None) -> bytes:
    """``{"Klien": [["no_register", "nama"], ["A1", "Andi"]]}`` -> the bytes of an XLSX file."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if setup:
        setup(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_import(content: bytes, office, *, user=None, dry_run=False, filename="data.xlsx"):
    data = read_workbook(io.BytesIO(content))
    return import_workbook(data, office=office, user=user, filename=filename, dry_run=dry_run)


def counts(result) -> dict:
    return {s.name: (s.created, s.updated, s.unchanged) for s in result.sheets}


CLIENT_HEADER = ["no_register", "nama", "jenis_kelamin", "program", "mulai_bimbingan", "akhir_bimbingan"]
PARTNER_HEADER = ["kode", "nama", "jenis"]
SESSION_HEADER = ["kode", "nama", "jenis_pelatihan", "kode_mitra", "tanggal_mulai", "tanggal_selesai"]


def client_row(register="REG-1", name="Andi Pratama", sex="L", programme="PB", start="2024-01-01", end="2024-12-31"):
    return [register, name, sex, programme, start, end]


def full_workbook() -> dict:
    """One of everything, valid for an office with PK ``alice``."""
    return {
        "Mitra": [[*PARTNER_HEADER, "email"], ["GBI", "Griya Abhipraya", "KEAGAMAAN", "griya@example.org"]],
        "PKS": [
            ["nomor", "kode_mitra", "tanggal_mulai", "tanggal_berakhir", "ruang_lingkup"],
            ["N-1", "GBI", "2022-01-01", "2025-12-31", "kemandirian, bantuan_modal"],
        ],
        "Klien": [
            [*CLIENT_HEADER, "pk", "nik", "minat"],
            [*client_row(), "alice", "3671010101900001", "kuliner,barista"],
            [*client_row("REG-2", "Budi Santoso"), "", "", ""],
        ],
        "Pelatihan": [
            [*SESSION_HEADER, "kategori", "nomor_pks", "jam_per_hari", "anggaran", "uang_transport"],
            [
                "P-1",
                "Pelatihan Barista",
                "Barista",
                "GBI",
                "2024-03-01",
                "2024-03-03",
                "KULINER",
                "N-1",
                "6,5",
                "1.500.000",
                50000,
            ],
        ],
        "Peserta": [["kode_pelatihan", "no_register", "hadir"], ["P-1", "REG-1", "YA"], ["P-1", "REG-2", "TIDAK"]],
        "Kehadiran": [["kode_pelatihan", "no_register", "tanggal", "status"], ["P-1", "REG-1", "02/03/2024", "IZIN"]],
        "TindakLanjut": [
            ["kode_pelatihan", "no_register", "tanggal", "status", "penghasilan", "catatan"],
            ["P-1", "REG-1", dt.date(2024, 6, 1), "USAHA_SAMPINGAN", 1000000, "Jualan kopi"],
        ],
        "WajibLapor": [
            ["no_register", "tanggal", "cara", "catatan"],
            ["REG-1", "2024-02-05 10:30", "", "Sehat"],
            ["REG-1", "05/03/2024", "video_call", ""],
        ],
        "Peringatan": [
            ["no_register", "tanggal", "tingkat", "nomor", "alasan"],
            ["REG-2", "2024-03-04", "SP1", "W29.PAS.4-PK.01.01-15", "Tidak wajib lapor Februari 2024"],
        ],
    }


@pytest.fixture
def workbook_office(office_a, alice):
    """Office A with its PK alice, ready for imports."""
    return office_a


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The named people get passwords; a cheap hasher keeps these tests fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
