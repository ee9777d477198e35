"""The workbook columns of work status and motivation: status_kerja_awal, motivasi, status_kerja."""

import datetime as dt

from django.utils import translation

from clients.models import Client, ReportingVisit, WorkStatus
from tests.workbook.conftest import CLIENT_HEADER, client_row, counts, full_workbook, make_xlsx, run_import
from trainings.models import Enrolment
from workbook import exporter


def _book(motivation_a=4, motivation_b="", start_a="INFORMAL", visit_status="usaha_sendiri"):
    book = full_workbook()
    book["Klien"] = [
        [*CLIENT_HEADER, "pk", "status_kerja_awal"],
        [*client_row(), "alice", start_a],
        [*client_row("REG-2", "Budi Santoso"), "", ""],
    ]
    book["Peserta"] = [
        ["kode_pelatihan", "no_register", "hadir", "motivasi"],
        ["P-1", "REG-1", "YA", motivation_a],
        ["P-1", "REG-2", "TIDAK", motivation_b],
    ]
    book["WajibLapor"] = [
        ["no_register", "tanggal", "status_kerja"],
        ["REG-1", "2024-02-05 10:30", visit_status],
        ["REG-1", "05/03/2024", ""],
    ]
    return book


def test_the_columns_are_imported(workbook_office, admin_a):
    result = run_import(make_xlsx(_book()), workbook_office, user=admin_a)
    assert result.ok, result.issues
    assert Client.objects.get(register_number="REG-1").work_status_start == WorkStatus.INFORMAL
    assert Client.objects.get(register_number="REG-2").work_status_start == WorkStatus.UNKNOWN  # empty cell
    motivations = dict(Enrolment.objects.values_list("client__register_number", "motivation"))
    assert motivations == {"REG-1": 4, "REG-2": None}
    statuses = list(ReportingVisit.objects.order_by("reported_at").values_list("work_status", flat=True))
    assert statuses == [WorkStatus.OWN_BUSINESS, WorkStatus.UNKNOWN]


def test_bad_codes_and_ratings_name_the_cell(workbook_office, admin_a):
    result = run_import(make_xlsx(_book(motivation_a=7, start_a="PILOT")), workbook_office, user=admin_a)
    assert not result.ok
    text = "\n".join(str(issue) for issue in result.issues)
    assert "Klien!2 status_kerja_awal" in text and "PILOT" in text
    assert "Peserta!2 motivasi" in text and "1" in text and "5" in text
    assert not Client.objects.exists()


def test_a_rating_of_a_started_training_is_locked(workbook_office, admin_a):
    assert run_import(make_xlsx(_book()), workbook_office, user=admin_a).ok
    # The same workbook again changes nothing; a new rating for a training held in 2024 is refused.
    again = run_import(make_xlsx(_book()), workbook_office, user=admin_a)
    assert again.ok and counts(again)["Peserta"] == (0, 0, 2)
    with translation.override("en"):  # the message's English id, whatever an earlier test activated
        changed = run_import(make_xlsx(_book(motivation_a=2)), workbook_office, user=admin_a)
    assert not changed.ok
    assert any(
        "Peserta!2 motivasi" in str(issue) and ("locked" in str(issue) or "terkunci" in str(issue))
        for issue in changed.issues
    )
    assert Enrolment.objects.get(client__register_number="REG-1").motivation == 4


def test_a_rating_of_a_planned_training_can_change(workbook_office, admin_a):
    book = _book()
    start = dt.date.today() + dt.timedelta(days=30)
    book["Pelatihan"][1][4:6] = [start.isoformat(), (start + dt.timedelta(days=2)).isoformat()]
    book["Kehadiran"] = [book["Kehadiran"][0]]
    book["TindakLanjut"] = [book["TindakLanjut"][0]]
    assert run_import(make_xlsx(book), workbook_office, user=admin_a).ok
    book["Peserta"][1][3] = 2
    result = run_import(make_xlsx(book), workbook_office, user=admin_a)
    assert result.ok, result.issues
    assert counts(result)["Peserta"] == (0, 1, 1)
    assert Enrolment.objects.get(client__register_number="REG-1").motivation == 2


def test_the_export_carries_the_columns(workbook_office, admin_a):
    assert run_import(make_xlsx(_book()), workbook_office, user=admin_a).ok
    rows = exporter.office_rows(workbook_office)
    assert {r["no_register"]: r["status_kerja_awal"] for r in rows["Klien"]} == {
        "REG-1": "INFORMAL",
        "REG-2": "TIDAK_DIKETAHUI",
    }
    assert {r["no_register"]: r["motivasi"] for r in rows["Peserta"]} == {"REG-1": 4, "REG-2": None}
    assert [r["status_kerja"] for r in rows["WajibLapor"]] == ["USAHA_SENDIRI", "TIDAK_DIKETAHUI"]
    # and the exported workbook imports back without a change
    again = run_import(exporter.office_workbook(workbook_office), workbook_office, user=admin_a)
    assert again.ok, again.issues
    assert all(created == updated == 0 for created, updated, _same in counts(again).values())
