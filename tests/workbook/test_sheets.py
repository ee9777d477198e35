"""What the command and the UI say about sheets: none known, ignored, hidden, example rows skipped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from clients.models import Client
from tests.workbook.conftest import full_workbook, make_xlsx
from workbook import schema
from workbook.models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_SHEET = (
    "Workbook tidak berisi satu pun sheet Mitra, PKS, Klien, Pelatihan, Peserta, Kehadiran, TindakLanjut, "
    "WajibLapor, Izin, Peringatan, SidangTPP."
)


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def write(tmp_path, book, *, setup=None):
    path = tmp_path / "kantor.xlsx"
    path.write_bytes(make_xlsx(book, setup=setup))
    return path


def test_no_known_sheet_fails_the_command_with_the_message_of_the_ui(
    workbook_office, admin_a, login, tmp_path, capsys, private_storage
):
    path = write(tmp_path, {"Data": [["no_register", "nama"], ["REG-1", "Andi"]]})
    with pytest.raises(CommandError) as caught:
        call_command("import_workbook", str(path), "--office", "TNG")
    assert caught.value.returncode == 1
    assert NO_SHEET in capsys.readouterr().err.splitlines()

    upload = SimpleUploadedFile("kantor.xlsx", path.read_bytes(), XLSX)
    response = login(admin_a).post(reverse("workbook:import_upload"), {"file": upload})
    assert response.status_code == 400 and NO_SHEET in response.content.decode()
    assert not ImportJob.objects.exists() and not Client.objects.exists()


def hide(title):
    def setup(book):
        book[title].sheet_state = "hidden"

    return setup


def test_command_reports_ignored_and_hidden_sheets_and_skipped_examples(workbook_office, tmp_path, capsys):
    book = full_workbook()
    klien = schema.SHEETS_BY_NAME["Klien"]
    book["Klien"] = [klien.headers, [c.example for c in klien.columns]]
    book["Catatan"] = [["apa saja"]]
    book["Lama"] = [["no_register"], ["X"]]
    book["Peringatan"] = [["no_register", "tanggal", "tingkat", "alasan"]]
    path = write(tmp_path, book, setup=hide("Lama"))
    with pytest.raises(CommandError):  # the rest of the workbook needs the clients: errors are fine here
        call_command("import_workbook", str(path), "--office", "TNG", "--dry-run")
    out = capsys.readouterr().out
    assert "Klien: 0 rows, 0 new, 0 changed, 0 unchanged (1 baris contoh dilewati)" in out
    assert "Sheet yang diabaikan (nama tidak dikenal): Catatan, Lama" in out
    assert "Sheet tersembunyi (sheet tersembunyi dengan nama yang dikenal ikut diimpor): Lama" in out


def test_a_hidden_known_sheet_is_imported_and_reported(workbook_office, tmp_path, capsys, login, admin_a):
    path = write(tmp_path, full_workbook(), setup=hide("Klien"))
    call_command("import_workbook", str(path), "--office", "TNG")
    out = capsys.readouterr().out
    assert "Sheet tersembunyi (sheet tersembunyi dengan nama yang dikenal ikut diimpor): Klien" in out
    assert Client.objects.count() == 2


def test_the_preview_lists_hidden_sheets(workbook_office, admin_a, login, private_storage):
    content = make_xlsx(full_workbook(), setup=hide("Klien"))
    upload = SimpleUploadedFile("kantor.xlsx", content, XLSX)
    assert login(admin_a).post(reverse("workbook:import_upload"), {"file": upload}).status_code == 302
    job = ImportJob.objects.get()
    assert job.preview["hidden_sheets"] == ["Klien"]
    body = login(admin_a).get(reverse("workbook:import_preview", args=[job.pk])).content.decode()
    assert "Sheet tersembunyi (sheet tersembunyi dengan nama yang dikenal ikut diimpor): Klien" in body
