"""The Izin sheet (beyond the contract): excused absences export, import back into an emptied office
as they were, import again into the same office unchanged, and are refused with the form's rules."""

import datetime as dt

import pytest
from django.utils import timezone

from clients.models import Client, ExcusedAbsence, ReportingVisit
from clients.services import excuse_withdraw
from tests.factories import ClientFactory
from tests.workbook.conftest import make_xlsx, run_import
from tests.workbook.test_roundtrip import wipe
from workbook import schema
from workbook.exporter import office_rows, office_workbook

IZIN_HEADER = list(schema.SHEETS_BY_NAME["Izin"].headers)


def facts():
    return sorted(
        (e.client.register_number, e.date_from, e.date_to, e.kind, e.reason,
         timezone.localdate(e.withdrawn_at) if e.withdrawn_at else None, e.withdrawal_reason)
        for e in ExcusedAbsence.objects.select_related("client")
    )  # fmt: skip


@pytest.fixture
def excused_office(office_a, alice):
    client = ClientFactory(office=office_a, officer=alice, register_number="REG-1",
                           programme_start=dt.date(2024, 1, 1), programme_end=dt.date(2025, 12, 31))  # fmt: skip
    ReportingVisit.objects.create(client=client, reported_at=dt.datetime(2024, 2, 5, 3, 0, tzinfo=dt.UTC),
                                  received_by=alice)  # fmt: skip
    ExcusedAbsence.objects.create(client=client, date_from=dt.date(2024, 3, 4), date_to=dt.date(2024, 3, 8),
                                  kind="SAKIT", reason="Rawat inap", recorded_by=alice)  # fmt: skip
    mistake = ExcusedAbsence.objects.create(client=client, date_from=dt.date(2024, 4, 1), date_to=dt.date(2024, 4, 3),
                                            kind="KERJA", reason="Salah klien", recorded_by=alice)  # fmt: skip
    excuse_withdraw(excuse=mistake, reason="Dicatat untuk klien yang salah", user=alice)
    return office_a


def test_export_then_import_into_the_emptied_office_reproduces_the_excuses(excused_office, admin_a):
    before = facts()
    rows = office_rows(excused_office)["Izin"]
    assert [(r["tanggal_mulai"], r["ditarik_pada"] is not None) for r in rows] == [
        (dt.date(2024, 3, 4), False), (dt.date(2024, 4, 1), True)
    ]  # fmt: skip
    content = office_workbook(excused_office)
    wipe(excused_office)
    assert not ExcusedAbsence.objects.exists()
    result = run_import(content, excused_office, user=admin_a, filename="export.xlsx")
    assert result.ok, result.issues
    assert facts() == before
    withdrawn = ExcusedAbsence.objects.get(date_from=dt.date(2024, 4, 1))
    assert withdrawn.withdrawn_by == admin_a and not ExcusedAbsence.objects.in_force().filter(pk=withdrawn.pk).exists()
    assert ExcusedAbsence.history.filter(history_change_reason="import export.xlsx").count() == 2  # audited
    # and into the same office again: nothing changes
    again = run_import(office_workbook(excused_office), excused_office, user=admin_a)
    assert again.ok and [(s.created, s.updated, s.unchanged) for s in again.sheets if s.name == "Izin"] == [(0, 0, 2)]
    assert facts() == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["REG-1", "2024-02-03", "2024-02-07", "SAKIT", "Sakit", "", ""],
         "Izin!2 tanggal_mulai: Klien melapor pada 5 Februari 2024, di dalam rentang ini: izin tidak boleh mencakup "
         "hari klien melapor."),
        (["REG-1", "2024-03-06", "2024-03-12", "SAKIT", "Sakit", "", ""],
         "Izin!2 tanggal_selesai: Rentang ini bertumpang tindih dengan izin 4–8 Maret 2024."),
        (["REG-1", "2023-12-20", "2024-01-03", "SAKIT", "Sakit", "", ""],
         "Izin!2 tanggal_mulai: Izin harus berada dalam masa program (1 Januari 2024 s.d. 31 Desember 2025)."),
        (["REG-1", "2024-05-10", "2024-05-01", "SAKIT", "Sakit", "", ""],
         "Izin!2 tanggal_selesai: Tanggal akhir izin tidak boleh sebelum tanggal mulainya."),
        (["REG-1", "2024-05-01", "2024-05-03", "SAKIT", "Sakit", "2024-05-20", ""],
         "Izin!2 alasan_penarikan: Jelaskan mengapa izin ini ditarik."),
        (["REG-1", "2024-04-01", "2024-04-03", "KERJA", "Salah klien", "", ""], "Izin!2 ditarik_pada: "),
        (["REG-1", "2024-05-01", "2024-05-03", "LIBUR", "Sakit", "", ""], "Izin!2 alasan: "),
    ],
)  # fmt: skip
def test_bad_excuses_are_refused_and_nothing_is_written(excused_office, row, message):
    before = facts()
    result = run_import(make_xlsx({"Izin": [IZIN_HEADER, row]}), excused_office)
    assert len(result.issues) == 1 and result.issues[0].startswith(message), result.issues
    assert facts() == before


def test_a_contract_only_workbook_leaves_the_excuses_alone(excused_office):
    before = facts()
    book = {"Klien": [["no_register", "nama", "jenis_kelamin", "program", "mulai_bimbingan", "akhir_bimbingan"],
                      ["REG-1", "Andi", "L", "PB", "2024-01-01", "2025-12-31"]]}  # fmt: skip
    assert run_import(make_xlsx(book), excused_office).ok
    assert facts() == before and Client.objects.filter(register_number="REG-1").count() == 1
