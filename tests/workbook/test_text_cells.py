"""No import silently changes a value: number cells in text columns are refused, never converted.

A spreadsheet program keeps 15 significant digits: ``3671010101900001`` typed into a number cell
is saved as ``3671010101900000``. The file in ``files/`` was written that way by LibreOffice
(``soffice --headless --convert-to xlsx`` of a workbook with the NIK in a number cell).
"""

import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from clients.models import Client
from pokmaslipas.models import Partner
from tests.workbook.conftest import full_workbook, make_xlsx, run_import
from workbook import exporter, schema
from workbook.models import ImportJob

FILES = Path(__file__).parent / "files"
LIBREOFFICE_FILE = FILES / "klien_nik_number_libreoffice.xlsx"
NIK_MESSAGE = "Klien!2 nik: ketik NIK sebagai teks (awali dengan ') — angka 16 digit dibulatkan oleh Excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def test_the_libreoffice_file_really_holds_a_rounded_number():
    cell = openpyxl.load_workbook(LIBREOFFICE_FILE)["Klien"]["G2"]
    assert cell.data_type == "n" and cell.value == 3671010101900000  # the last digit is already lost


def test_command_refuses_a_nik_saved_as_a_number_by_libreoffice(workbook_office, capsys):
    with pytest.raises(CommandError) as caught:
        call_command("import_workbook", str(LIBREOFFICE_FILE), "--office", "TNG")
    assert caught.value.returncode == 1
    assert NIK_MESSAGE in capsys.readouterr().err.splitlines()
    assert not Client.objects.exists()


def test_upload_preview_refuses_a_nik_saved_as_a_number_by_libreoffice(login, admin_a, private_storage):
    upload = SimpleUploadedFile("klien.xlsx", LIBREOFFICE_FILE.read_bytes(), XLSX)
    response = login(admin_a).post(reverse("workbook:import_upload"), {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert not job.can_confirm and job.preview["issues"] == [NIK_MESSAGE]
    body = login(admin_a).get(reverse("workbook:import_preview", args=[job.pk])).content.decode()
    assert NIK_MESSAGE.replace("'", "&#x27;") in body
    assert not Client.objects.exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_file_converted_by_libreoffice_now(workbook_office, tmp_path):
    """The same, with a file LibreOffice writes during the test (the committed file covers machines without it)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Klien"
    sheet.append(["no_register", "nama", "jenis_kelamin", "program", "mulai_bimbingan", "akhir_bimbingan", "nik"])
    sheet.append(["PAS.001/2024", "Andi Pratama", "L", "PB", "2024-01-01", "2024-12-31", 3671010101900001])
    source = tmp_path / "typed.xlsx"
    book.save(source)
    converted = tmp_path / "out"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(converted), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    with translation.override("id"):
        result = run_import((converted / "typed.xlsx").read_bytes(), workbook_office)
    assert result.issues == [NIK_MESSAGE]


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value"),
    [
        ("Klien", 1, "no_register", 12345),
        ("Klien", 1, "nik", 3671010101900001),
        ("Klien", 1, "nik", 3.6710101019e15),
        ("Mitra", 1, "kode", 7),
        ("Klien", 1, "nama", 2024),
    ],
)
def test_a_number_cell_in_a_text_column_is_refused(workbook_office, sheet, index, column, value):
    book = full_workbook()
    book[sheet][index][book[sheet][0].index(column)] = value
    with translation.override("en"):
        result = run_import(make_xlsx(book), workbook_office)
    assert not result.applied
    mine = [issue for issue in result.issues if issue.startswith(f"{sheet}!{index + 1} {column}: ")]
    assert len(mine) == 1 and "as text (start with ') — " in mine[0], result.issues
    assert not Client.objects.exists()


def test_a_phone_typed_as_a_number_loses_its_leading_zero_so_it_is_refused(workbook_office):
    book = {"Mitra": [["kode", "nama", "jenis", "telepon"], ["GBI", "Griya", "KEAGAMAAN", 81234567890]]}
    with translation.override("id"):
        result = run_import(make_xlsx(book), workbook_office)
    assert result.issues == [
        "Mitra!2 telepon: ketik sebagai teks (awali dengan ') — sel angka atau tanggal mengubah isian yang diketik "
        "(digit, nol di depan)"
    ]
    assert not Partner.objects.exists()


def test_the_same_values_typed_as_text_are_imported_exactly(workbook_office):
    book = {"Mitra": [["kode", "nama", "jenis", "telepon"], ["007", "Griya", "KEAGAMAAN", "081234567890"]]}
    assert run_import(make_xlsx(book), workbook_office).ok
    assert Partner.objects.get().phone == "081234567890" and Partner.objects.get().code == "007"


# --- the template --------------------------------------------------------------------------------
def template():
    return openpyxl.load_workbook(io.BytesIO(exporter.template_workbook()))


def test_template_formats_text_columns_as_text_for_2000_rows():
    book = template()
    klien = book["Klien"]
    headers = [cell.value for cell in klien[1]]
    for name in ("nik", "no_register", "nama"):
        letter = openpyxl.utils.get_column_letter(headers.index(name) + 1)
        assert {klien[f"{letter}{row}"].number_format for row in range(2, 2002)} == {"@"}, name
    mitra = book["Mitra"]
    letter = openpyxl.utils.get_column_letter([c.value for c in mitra[1]].index("telepon") + 1)
    assert mitra[f"{letter}3"].number_format == "@" and mitra[f"{letter}2001"].number_format == "@"
    date_letter = openpyxl.utils.get_column_letter(headers.index("mulai_bimbingan") + 1)
    assert klien[f"{date_letter}3"].number_format != "@"  # dates stay dates


def test_template_offers_a_drop_down_list_in_every_code_column():
    book = template()
    for sheet in schema.SHEETS:
        worksheet = book[sheet.name]
        lists = {}
        for validation in worksheet.data_validations.dataValidation:
            for cell_range in validation.sqref.ranges:
                lists[cell_range.coord] = validation.formula1
        for index, column in enumerate(sheet.columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            if column.choices:
                assert lists.get(f"{letter}2:{letter}2001") == f'"{",".join(column.choices)}"', (sheet.name, column)
            else:
                assert f"{letter}2:{letter}2001" not in lists
    assert book["Klien"].data_validations.count >= 5  # jenis_kelamin, program, frekuensi_lapor, status, domisili


def test_a_template_typed_into_still_imports(workbook_office):
    """Text typed into the text-formatted rows is text: the template is usable as it is."""
    book = template()
    klien = book["Klien"]
    headers = [cell.value for cell in klien[1]]
    row = {"no_register": "PAS.9/2024", "nama": "Budi", "jenis_kelamin": "L", "program": "PB"}
    row |= {"mulai_bimbingan": "2024-01-01", "akhir_bimbingan": "2024-12-31", "nik": "3671010101900001"}
    for name, value in row.items():
        klien.cell(row=3, column=headers.index(name) + 1, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    result = run_import(buffer.getvalue(), workbook_office)
    assert result.ok, result.issues
    assert Client.objects.get().nik == "3671010101900001"
