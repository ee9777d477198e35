"""Export -> import into an empty office -> export gives the same workbook; re-import changes nothing."""

import datetime as dt
import io

import openpyxl
import pytest

from clients.models import (
    Client,
    ExcusedAbsence,
    PKAssignment,
    ReportingVisit,
    ReportingWarning,
    RevocationProposal,
    StatusChange,
    TPPSession,
)
from pokmaslipas.models import Agreement, Partner
from tests.factories import (
    AgreementFactory,
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    PartnerFactory,
    ReportingVisitFactory,
    TrainingSessionFactory,
    TrainingTypeFactory,
    aware,
)
from tests.workbook.conftest import run_import
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType
from trainings.selectors import interest_matches, participants
from workbook.exporter import office_workbook


def sheet_values(content: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def wipe(office):
    """Delete every record of the office that the workbook carries (PROTECT order)."""
    RevocationProposal.objects.filter(client__office=office).delete()
    TPPSession.objects.filter(office=office).delete()  # and their cases
    ReportingVisit.objects.filter(office=office).delete()
    ReportingWarning.objects.filter(client__office=office).delete()
    ExcusedAbsence.objects.filter(client__office=office).delete()
    FollowUp.objects.filter(enrolment__session__office=office).delete()
    Attendance.objects.filter(enrolment__session__office=office).delete()
    Enrolment.objects.filter(session__office=office).delete()
    TrainingSession.objects.filter(office=office).delete()
    TrainingType.objects.filter(office=office).delete()
    Agreement.objects.filter(office=office).update(renews=None)
    Agreement.objects.filter(office=office).delete()
    Partner.objects.filter(office=office).delete()
    PKAssignment.objects.filter(client__office=office).delete()
    StatusChange.objects.filter(client__office=office).delete()
    Client.objects.filter(office=office).delete()


@pytest.fixture
def rich_office(office_a, alice, paula):
    office = office_a
    gbi = PartnerFactory(
        office=office,
        code="GBI",
        name="Griya Abhipraya",
        kind="KEAGAMAAN",
        address="Jl. A\nNo. 2",
        contact_person="Pak Budi",
        phone="0812",
        email="g@example.org",
    )
    lpk = PartnerFactory(office=office, code="LPK1", name="LPK Kopi", kind="LPK", email="")
    pks = AgreementFactory(
        partner=gbi,
        number="W29-001",
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2025, 12, 31),
        signed_on=dt.date(2021, 12, 20),
        scope="BANTUAN_MODAL, KEMANDIRIAN",
    )
    AgreementFactory(
        partner=lpk, number="W29-002", start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 12, 31), scope=""
    )
    andi = ClientFactory(
        office=office,
        register_number="PAS.001/2023",
        name="Andi",
        nik="3671010101900001",
        officer=alice,
        interests="kuliner,  barista",
        reporting_frequency="MINGGUAN",
        domicile="DESA",
        programme="CB",
        programme_start=dt.date(2023, 1, 1),
        programme_end=dt.date(2024, 6, 30),
    )
    citra = ClientFactory(
        office=office,
        register_number="PAS.002/2023",
        name="Citra",
        sex="P",
        nik=None,
        officer=paula,
        birth_date=None,
        status="SELESAI",
        domicile="",
        programme_start=dt.date(2022, 5, 1),
        programme_end=dt.date(2023, 5, 1),
    )
    dedi = ClientFactory(
        office=office,
        register_number="PAS.003/2023",
        name="Dedi =SUM(A1)",
        officer=None,
        programme="DIVERSI",
        birth_date=dt.date(2008, 2, 29),
    )
    barista = TrainingTypeFactory(office=office, name="Barista", category="KULINER")
    seeds = TrainingTypeFactory(office=office, name="Bibit anggur", category="PERTANIAN")
    multi = TrainingSessionFactory(
        office=office,
        code="PLT-01",
        title="Bibit anggur & alpukat",
        training_type=seeds,
        partner=gbi,
        agreement=pks,
        start_date=dt.date(2022, 9, 19),
        end_date=dt.date(2022, 9, 23),
        hours_per_day=6.5,
        budget=15_000_000,
        transport_per_day=100_000,
        location="Kebun",
        method="PRAKTIK",
    )
    single = TrainingSessionFactory(
        office=office,
        code="PLT-02",
        title="Barista",
        training_type=barista,
        partner=lpk,
        start_date=dt.date(2023, 6, 20),
        end_date=dt.date(2023, 6, 20),
        hours_per_day=None,
        method="",
    )
    e1 = EnrolmentFactory(session=multi, client=andi)
    for offset, status in enumerate(["HADIR", "IZIN", "HADIR", "TERLAMBAT", "HADIR"]):
        AttendanceFactory(enrolment=e1, date=multi.start_date + dt.timedelta(days=offset), status=status)
    e2 = EnrolmentFactory(session=multi, client=citra)
    for offset in range(4):  # one day never recorded
        AttendanceFactory(enrolment=e2, date=multi.start_date + dt.timedelta(days=offset), status="TIDAK_HADIR")
    e3 = EnrolmentFactory(session=single, client=andi)
    AttendanceFactory(enrolment=e3, date=single.start_date, status="HADIR")
    EnrolmentFactory(session=single, client=dedi)  # no attendance at all
    FollowUpFactory(enrolment=e1, date=dt.date(2022, 10, 23), status="BELUM_MENERAPKAN", notes="Belum ada modal")
    FollowUpFactory(enrolment=e1, date=dt.date(2023, 3, 23), status="USAHA_SAMPINGAN", income=750_000)
    FollowUpFactory(enrolment=e3, date=dt.date(2023, 9, 20), status="TIDAK_DAPAT_DIHUBUNGI")
    ReportingVisitFactory(client=andi, reported_at=aware(2023, 2, 6, 10, 15), mode="DATANG", notes="Sehat")
    ReportingVisitFactory(client=andi, reported_at=aware(2023, 2, 13, 0, 0), mode="KUNJUNGAN_RUMAH", notes="")
    ReportingVisitFactory(
        client=citra, reported_at=aware(2022, 6, 1, 23, 59), mode="VIDEO_CALL", notes="Catatan\nbaris dua"
    )
    return office


def test_round_trip_into_an_empty_office_gives_the_same_workbook(rich_office, admin_a):
    first = office_workbook(rich_office)
    first_values = sheet_values(first)
    assert len(first_values["Klien"]) == 4 and len(first_values["WajibLapor"]) == 4
    wipe(rich_office)
    assert not Client.objects.filter(office=rich_office).exists()

    result = run_import(first, rich_office, user=admin_a, filename="export.xlsx")
    assert result.ok, result.issues
    assert result.totals()["updated"] == 0 and result.totals()["unchanged"] == 0

    second = office_workbook(rich_office)
    assert sheet_values(second) == first_values


def test_export_of_an_untouched_office_imports_without_changes(rich_office, admin_a):
    result = run_import(office_workbook(rich_office), rich_office, user=admin_a)
    assert result.ok, result.issues
    assert result.totals()["created"] == 0 and result.totals()["updated"] == 0
    assert not Client.history.filter(history_change_reason__startswith="import").exists()


def test_round_trip_keeps_the_details(rich_office, admin_a, alice):
    participants_before = sorted(participants().values_list("session__code", "client__register_number"))
    content = office_workbook(rich_office)
    wipe(rich_office)
    run_import(content, rich_office, user=admin_a)
    # Unrecorded days are filled in, but who counts as a participant stays the same.
    assert sorted(participants().values_list("session__code", "client__register_number")) == participants_before
    assert len(participants_before) == 2
    andi = Client.objects.get(register_number="PAS.001/2023")
    assert (andi.nik, andi.officer, andi.interests, andi.reporting_frequency, andi.domicile, andi.programme) == (
        "3671010101900001",
        alice,
        "kuliner, barista",
        "MINGGUAN",
        "DESA",
        "CB",
    )
    assert Client.objects.get(register_number="PAS.003/2023").name == "Dedi =SUM(A1)"  # text, never a formula
    session = TrainingSession.objects.get(code="PLT-01")
    assert (session.agreement.number, float(session.hours_per_day), session.budget, session.method) == (
        "W29-001",
        6.5,
        15_000_000,
        "PRAKTIK",
    )
    statuses = list(
        Attendance.objects.filter(enrolment__session=session, enrolment__client=andi)
        .order_by("date")
        .values_list("status", flat=True)
    )
    assert statuses == ["HADIR", "IZIN", "HADIR", "TERLAMBAT", "HADIR"]
    assert Agreement.objects.get(number="W29-001").scope == "KEMANDIRIAN,BANTUAN_MODAL"
    times = sorted(
        r.reported_at.astimezone(rich_office.tzinfo).strftime("%Y-%m-%d %H:%M") for r in ReportingVisit.objects.all()
    )
    assert times == ["2022-06-01 23:59", "2023-02-06 10:15", "2023-02-13 00:00"]
    assert FollowUp.objects.get(date=dt.date(2023, 3, 23)).income == 750_000


def test_export_office_command(rich_office, tmp_path):
    from django.core.management import call_command

    target = tmp_path / "tng.xlsx"
    call_command("export_workbook", "--office", "TNG", "--output", str(target))
    assert sheet_values(target.read_bytes()) == sheet_values(office_workbook(rich_office))


# --- what the contract's columns alone would lose -------------------------------------------------
@pytest.fixture
def office_with_history(rich_office, admin_a):
    """Rich office plus an addendum, a renewal chain, an early termination, warnings and interest flags."""
    gbi = Partner.objects.get(code="GBI")
    lpk = Partner.objects.get(code="LPK1")
    AgreementFactory(
        partner=gbi,
        number="W29-001/ADD-1",
        kind="ADDENDUM",
        renews=Agreement.objects.get(number="W29-001"),
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2025, 12, 31),
        scope="",
    )
    AgreementFactory(
        partner=lpk,
        number="W29-003",
        kind="MOU",
        renews=Agreement.objects.get(number="W29-002"),
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
        scope="",
        terminated_on=dt.date(2024, 6, 30),
        termination_reason="Mitra berhenti beroperasi",
        terminated_by=admin_a,
    )
    andi = Client.objects.get(register_number="PAS.001/2023")
    ReportingWarning.objects.create(
        client=andi, level="SP1", issued_on=dt.date(2023, 3, 1), reason="Tidak lapor Februari", number="SP/1/2023"
    )
    ReportingWarning.objects.create(
        client=andi,
        level="SP2",
        issued_on=dt.date(2023, 4, 3),
        reason="Tidak lapor Maret",
        missed_periods="Maret 2023",
    )
    for enrolment in Enrolment.objects.select_related("client", "session__training_type"):
        enrolment.matched_interest = interest_matches(enrolment.client.interest_list, enrolment.session.training_type)
        enrolment.save(update_fields=["matched_interest"])
    return rich_office


def agreement_facts():
    return sorted(
        (a.number, a.kind, a.renews.number if a.renews else None, a.terminated_on, a.termination_reason)
        for a in Agreement.objects.select_related("renews")
    )


def test_round_trip_keeps_kinds_renewals_terminations_warnings_and_interest_flags(office_with_history, admin_a):
    facts = agreement_facts()
    statuses = {a.number: a.status_on(dt.date(2024, 9, 1)) for a in Agreement.objects.all()}
    warnings = sorted(ReportingWarning.objects.values_list("level", "issued_on", "number", "reason", "missed_periods"))
    flags = sorted(Enrolment.objects.values_list("session__code", "client__register_number", "matched_interest"))
    assert any(flag for *_key, flag in flags)  # Andi (kuliner, barista) in the Barista training
    first = office_workbook(office_with_history)
    wipe(office_with_history)
    assert not Agreement.objects.exists() and not ReportingWarning.objects.exists()

    result = run_import(first, office_with_history, user=admin_a, filename="export.xlsx")
    assert result.ok, result.issues

    assert agreement_facts() == facts
    assert {a.number: a.status_on(dt.date(2024, 9, 1)) for a in Agreement.objects.all()} == statuses
    assert statuses["W29-003"] == Agreement.Status.TERMINATED
    assert Agreement.objects.get(number="W29-003").terminated_by == admin_a
    assert (
        sorted(ReportingWarning.objects.values_list("level", "issued_on", "number", "reason", "missed_periods"))
        == warnings
    )
    assert (
        sorted(Enrolment.objects.values_list("session__code", "client__register_number", "matched_interest")) == flags
    )
    assert sheet_values(office_workbook(office_with_history)) == sheet_values(first)
    again = run_import(first, office_with_history, user=admin_a)
    assert again.ok and again.totals()["created"] == again.totals()["updated"] == 0


def test_the_new_sheet_and_columns_are_in_the_export(office_with_history):
    values = sheet_values(office_workbook(office_with_history))
    header = values["PKS"][0]
    for column in ("jenis", "memperbarui", "diakhiri_pada", "alasan_pengakhiran"):
        assert column in header
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in values["PKS"][1:]}
    assert rows["W29-003"]["memperbarui"] == "W29-002" and rows["W29-003"]["jenis"] == "MOU"
    assert rows["W29-003"]["diakhiri_pada"] == dt.datetime(2024, 6, 30)
    assert rows["W29-001/ADD-1"]["jenis"] == "ADDENDUM"
    assert values["Peringatan"][0] == ("no_register", "tanggal", "tingkat", "nomor", "alasan", "periode_terlewat")
    assert values["Peringatan"][1][:4] == ("PAS.001/2023", dt.datetime(2023, 3, 1), "SP1", "SP/1/2023")
