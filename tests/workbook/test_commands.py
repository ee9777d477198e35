"""manage.py import_workbook: exit status, error lines, dry run."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clients.models import Client
from tests.workbook.conftest import full_workbook, make_xlsx


@pytest.fixture
def workbook_file(tmp_path):
    def write(book, name="kantor.xlsx"):
        path = tmp_path / name
        path.write_bytes(make_xlsx(book))
        return path

    return write


def test_import_command_writes_and_reports(workbook_office, admin_a, workbook_file, capsys):
    call_command("import_workbook", str(workbook_file(full_workbook())), "--office", "TNG", "--user", "admin_a")
    out = capsys.readouterr().out
    assert "Klien: 2 rows, 2 new, 0 changed, 0 unchanged" in out
    assert Client.objects.count() == 2
    history = Client.objects.first().history.first()
    assert history.history_user == admin_a and history.history_change_reason == "import kantor.xlsx"
    call_command("import_workbook", str(workbook_file(full_workbook())), "--office", "TNG")
    assert "Klien: 2 rows, 0 new, 0 changed, 2 unchanged" in capsys.readouterr().out


def test_dry_run_writes_nothing(workbook_office, workbook_file, capsys):
    call_command("import_workbook", str(workbook_file(full_workbook())), "--office", "TNG", "--dry-run")
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert not Client.objects.exists()


def test_errors_exit_non_zero_and_print_every_error(workbook_office, workbook_file, capsys):
    book = full_workbook()
    book["Klien"][1][7] = "123"
    book["WajibLapor"][1][1] = "besok"
    with pytest.raises(CommandError) as caught:
        call_command("import_workbook", str(workbook_file(book)), "--office", "TNG")
    assert caught.value.returncode == 1
    assert "2 error(s); nothing was written." in str(caught.value)
    err = capsys.readouterr().err
    assert "Klien!2 nik: NIK harus tepat 16 digit (tertulis “123”)." in err
    assert "WajibLapor!2 tanggal: “besok” bukan tanggal; tulis YYYY-MM-DD atau DD/MM/YYYY." in err
    assert not Client.objects.exists()


def test_not_an_xlsx(workbook_office, tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError):
        call_command("import_workbook", str(path), "--office", "TNG")
    assert "Berkas bukan workbook Excel (.xlsx)." in capsys.readouterr().err


def test_unknown_office_and_missing_file(workbook_office, tmp_path):
    with pytest.raises(CommandError, match="Unknown office code: XXX"):
        call_command("import_workbook", str(tmp_path / "x.xlsx"), "--office", "XXX")
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_workbook", str(tmp_path / "missing.xlsx"), "--office", "TNG")
