"""The importer: what a workbook creates and updates, audit, idempotency, all or nothing."""

import datetime as dt
from decimal import Decimal

from clients.models import Client, PKAssignment, ReportingVisit, StatusChange
from pokmaslipas.models import Agreement, Partner
from tests.factories import ClientFactory, EnrolmentFactory, PartnerFactory, TrainingSessionFactory
from tests.workbook.conftest import CLIENT_HEADER, client_row, counts, full_workbook, make_xlsx, run_import
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType


def test_full_workbook_creates_everything(workbook_office, alice, admin_a):
    result = run_import(make_xlsx(full_workbook()), workbook_office, user=admin_a)
    assert result.ok, result.issues
    assert result.applied
    assert counts(result) == {
        "Mitra": (1, 0, 0),
        "PKS": (1, 0, 0),
        "Klien": (2, 0, 0),
        "Pelatihan": (1, 0, 0),
        "Peserta": (2, 0, 0),
        "Kehadiran": (1, 0, 0),
        "TindakLanjut": (1, 0, 0),
        "WajibLapor": (2, 0, 0),
        "Peringatan": (1, 0, 0),
    }
    partner = Partner.objects.get(office=workbook_office, code="GBI")
    assert partner.kind == "KEAGAMAAN" and partner.email == "griya@example.org"
    agreement = Agreement.objects.get(number="N-1")
    assert agreement.partner == partner
    assert agreement.scope == "KEMANDIRIAN,BANTUAN_MODAL"
    client = Client.objects.get(register_number="REG-1")
    assert client.officer == alice and client.nik == "3671010101900001" and client.interests == "kuliner, barista"
    assert client.reporting_frequency == "BULANAN" and client.status == "AKTIF"
    assert Client.objects.get(register_number="REG-2").nik is None
    assert PKAssignment.objects.get(client=client).officer == alice
    session = TrainingSession.objects.get(code="P-1")
    assert session.training_type.name == "Barista" and session.training_type.category == "KULINER"
    assert session.agreement == agreement
    assert session.hours_per_day == Decimal("6.5") and session.budget == 1500000 and session.transport_per_day == 50000
    assert session.status == TrainingSession.Status.HELD  # it lies in the past
    days = {
        (a.enrolment.client.register_number, a.date): a.status
        for a in Attendance.objects.select_related("enrolment__client")
    }
    assert days == {
        ("REG-1", dt.date(2024, 3, 1)): "HADIR",
        ("REG-1", dt.date(2024, 3, 2)): "IZIN",
        ("REG-1", dt.date(2024, 3, 3)): "HADIR",
        ("REG-2", dt.date(2024, 3, 1)): "TIDAK_HADIR",
        ("REG-2", dt.date(2024, 3, 2)): "TIDAK_HADIR",
        ("REG-2", dt.date(2024, 3, 3)): "TIDAK_HADIR",
    }
    present = Attendance.objects.get(enrolment__client=client, date=dt.date(2024, 3, 1))
    assert present.transport_paid == 50000
    follow_up = FollowUp.objects.get()
    assert follow_up.status == "USAHA_SAMPINGAN" and follow_up.income == 1000000 and follow_up.notes == "Jualan kopi"
    reports = list(ReportingVisit.objects.order_by("reported_at"))
    local = [r.reported_at.astimezone(workbook_office.tzinfo) for r in reports]
    assert [(t.date(), t.hour, t.minute) for t in local] == [(dt.date(2024, 2, 5), 10, 30), (dt.date(2024, 3, 5), 9, 0)]
    assert [r.mode for r in reports] == ["DATANG", "VIDEO_CALL"]
    assert reports[0].report_date == dt.date(2024, 2, 5) and reports[0].office == workbook_office


def test_every_record_is_audited_as_coming_from_the_import(workbook_office, admin_a):
    run_import(make_xlsx(full_workbook()), workbook_office, user=admin_a, filename="sdp-2024.xlsx")
    for model in (Partner, Agreement, Client, TrainingSession, Enrolment, Attendance, FollowUp, ReportingVisit):
        rows = model.history.all()
        assert rows.exists(), model
        for row in rows:
            assert row.history_user == admin_a, model
            assert row.history_change_reason == "import sdp-2024.xlsx", model
            assert row.history_type == "+"


def test_same_workbook_twice_changes_nothing(workbook_office, admin_a):
    content = make_xlsx(full_workbook())
    run_import(content, workbook_office, user=admin_a)
    history_before = Client.history.count() + Attendance.history.count() + ReportingVisit.history.count()
    result = run_import(content, workbook_office, user=admin_a)
    assert result.ok and result.totals() == {"created": 0, "updated": 0, "unchanged": 12}
    assert Client.history.count() + Attendance.history.count() + ReportingVisit.history.count() == history_before


def test_changed_row_updates_the_record_by_its_key_and_shows_old_and_new(workbook_office, admin_a):
    run_import(make_xlsx(full_workbook()), workbook_office, user=admin_a)
    book = full_workbook()
    book["Klien"][1][5] = "2025-06-30"  # akhir_bimbingan changed in SDP
    result = run_import(make_xlsx(book), workbook_office, user=admin_a, dry_run=True)
    klien = next(s for s in result.sheets if s.name == "Klien")
    assert (klien.created, klien.updated, klien.unchanged) == (0, 1, 1)
    assert klien.changes[0].row == 2 and klien.changes[0].key == "REG-1"
    assert klien.changes[0].fields == [["akhir_bimbingan", "2024-12-31", "2025-06-30"]]
    assert Client.objects.get(register_number="REG-1").programme_end == dt.date(2024, 12, 31)  # dry run
    result = run_import(make_xlsx(book), workbook_office, user=admin_a)
    client = Client.objects.get(register_number="REG-1")
    assert client.programme_end == dt.date(2025, 6, 30)
    assert client.version == 2
    latest = client.history.first()
    assert latest.history_type == "~" and latest.history_change_reason == "import data.xlsx"
    assert Client.objects.filter(office=workbook_office).count() == 2


def test_missing_optional_column_leaves_the_field_alone(workbook_office, admin_a, alice):
    run_import(make_xlsx(full_workbook()), workbook_office, user=admin_a)
    book = {"Klien": [CLIENT_HEADER, client_row(name="Andi P.")]}
    result = run_import(make_xlsx(book), workbook_office, user=admin_a)
    assert result.ok and counts(result) == {"Klien": (0, 1, 0)}
    client = Client.objects.get(register_number="REG-1")
    assert client.name == "Andi P." and client.officer == alice and client.nik == "3671010101900001"


def test_headers_are_case_insensitive_extra_columns_ignored_codes_lower_case(workbook_office):
    book = {
        "Klien": [
            ["No_Register", "NAMA", "Jenis_Kelamin", "program", "MULAI_BIMBINGAN", "akhir_bimbingan", "catatan lain"],
            ["R-9", "Citra", "p", "cb", "01/02/2024", dt.datetime(2024, 8, 1), "diabaikan"],
        ]
    }
    result = run_import(make_xlsx(book), workbook_office)
    assert result.ok, result.issues
    client = Client.objects.get(register_number="R-9")
    assert (client.sex, client.programme) == ("P", "CB")
    assert (client.programme_start, client.programme_end) == (dt.date(2024, 2, 1), dt.date(2024, 8, 1))


def test_sheets_are_optional_and_refer_to_existing_records(workbook_office, admin_a):
    partner = PartnerFactory(office=workbook_office, code="OLD")
    client = ClientFactory(office=workbook_office, register_number="OLD-1")
    book = {
        "Pelatihan": [
            ["kode", "nama", "jenis_pelatihan", "kode_mitra", "tanggal_mulai", "tanggal_selesai"],
            ["S-9", "Seblak", "Seblak", "OLD", "2023-09-13", "2023-09-13"],
        ],
        "Peserta": [["kode_pelatihan", "no_register"], ["S-9", "OLD-1"]],
    }
    result = run_import(make_xlsx(book), workbook_office, user=admin_a)
    assert result.ok, result.issues
    enrolment = Enrolment.objects.get(session__code="S-9")
    assert enrolment.client == client and enrolment.session.partner == partner
    assert list(enrolment.attendance.values_list("status", flat=True)) == ["HADIR"]  # hadir defaults to YA


def test_training_type_names_match_case_insensitively(workbook_office):
    TrainingType.objects.create(office=workbook_office, name="Barista", category="KULINER")
    book = full_workbook()
    book["Pelatihan"][1][2] = "barista"
    result = run_import(make_xlsx(book), workbook_office)
    assert result.ok
    assert TrainingType.objects.filter(office=workbook_office).count() == 1


def test_peserta_hadir_applies_only_to_days_up_to_today(workbook_office):
    today = dt.date.today()
    session = TrainingSessionFactory(
        office=workbook_office,
        code="F-1",
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=2),
    )
    ClientFactory(office=workbook_office, register_number="R-1")
    result = run_import(make_xlsx({"Peserta": [["kode_pelatihan", "no_register"], ["F-1", "R-1"]]}), workbook_office)
    assert result.ok
    dates = sorted(Attendance.objects.filter(enrolment__session=session).values_list("date", flat=True))
    assert dates and max(dates) <= today


def test_kehadiran_changes_an_existing_day(workbook_office, admin_a):
    run_import(make_xlsx(full_workbook()), workbook_office, user=admin_a)
    book = full_workbook()
    book["Kehadiran"][1][3] = "TERLAMBAT"
    result = run_import(make_xlsx(book), workbook_office, user=admin_a)
    assert counts(result)["Kehadiran"] == (0, 1, 0)
    kehadiran = next(s for s in result.sheets if s.name == "Kehadiran")
    assert kehadiran.changes[0].fields == [["status", "IZIN", "TERLAMBAT"]]
    day = Attendance.objects.get(enrolment__client__register_number="REG-1", date=dt.date(2024, 3, 2))
    assert day.status == "TERLAMBAT"


def test_peserta_hadir_change_shows_each_day(workbook_office, admin_a):
    run_import(make_xlsx(full_workbook()), workbook_office, user=admin_a)
    book = full_workbook()
    book["Peserta"][2][2] = "YA"
    result = run_import(make_xlsx(book), workbook_office, user=admin_a)
    peserta = next(s for s in result.sheets if s.name == "Peserta")
    assert (peserta.created, peserta.updated, peserta.unchanged) == (0, 1, 1)
    assert peserta.changes[0].fields[0] == ["hadir (2024-03-01)", "TIDAK_HADIR", "HADIR"]
    assert not Attendance.objects.filter(enrolment__client__register_number="REG-2", status="TIDAK_HADIR").exists()


def test_officer_change_and_status_change_keep_their_history(workbook_office, admin_a, alice, paula):
    run_import(make_xlsx(full_workbook()), workbook_office, user=admin_a)
    book = {"Klien": [[*CLIENT_HEADER, "pk", "status"], [*client_row(), "paula", "SELESAI"]]}
    result = run_import(make_xlsx(book), workbook_office, user=admin_a)
    assert result.ok, result.issues
    client = Client.objects.get(register_number="REG-1")
    assert client.officer == paula and client.status == "SELESAI"
    assignments = list(PKAssignment.objects.filter(client=client).order_by("id"))
    assert [a.officer for a in assignments] == [alice, paula]
    assert assignments[0].end_date is not None and assignments[1].end_date is None
    assert StatusChange.objects.get(client=client).status == "SELESAI"


def test_wajib_lapor_date_alone_matches_the_report_of_that_day(workbook_office):
    run_import(make_xlsx(full_workbook()), workbook_office)
    book = {"WajibLapor": [["no_register", "tanggal", "catatan"], ["REG-1", "2024-02-05", "Catatan baru"]]}
    result = run_import(make_xlsx(book), workbook_office)
    assert counts(result) == {"WajibLapor": (0, 1, 0)}
    assert ReportingVisit.objects.count() == 2
    assert ReportingVisit.objects.get(report_date=dt.date(2024, 2, 5)).notes == "Catatan baru"


def test_example_rows_of_the_template_are_skipped(workbook_office):
    from workbook import schema

    sheet = schema.KLIEN
    book = {"Klien": [sheet.headers, [c.example for c in sheet.columns], client_row("R-5")]}
    result = run_import(make_xlsx(book), workbook_office)
    assert result.ok
    klien = result.sheets[0]
    assert klien.examples_skipped == 1 and klien.created == 1
    assert not Client.objects.filter(register_number=sheet.columns_by_name["no_register"].example).exists()


def test_dry_run_writes_nothing(workbook_office):
    result = run_import(make_xlsx(full_workbook()), workbook_office, dry_run=True)
    assert result.ok and not result.applied
    assert result.totals()["created"] == 12
    assert not Client.objects.exists() and not Partner.objects.exists() and not Attendance.objects.exists()
    assert not Client.history.exists()


def test_other_offices_records_are_not_touched(workbook_office, office_b, bob):
    other = ClientFactory(office=office_b, register_number="REG-1", name="Other office")
    EnrolmentFactory(client=other, session__office=office_b, session__code="P-1")
    result = run_import(make_xlsx(full_workbook()), workbook_office)
    assert result.ok, result.issues
    other.refresh_from_db()
    assert other.name == "Other office"
    assert Client.objects.filter(register_number="REG-1").count() == 2
