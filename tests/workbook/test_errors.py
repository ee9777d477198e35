"""Bad input gets a clear error located as ``Sheet!ROW column: message`` and nothing is written."""

import io
import zipfile

import pytest
from django.utils import translation

from clients.models import Client, ReportingVisit
from pokmaslipas.models import Agreement, Partner
from tests.factories import ClientFactory, EnrolmentFactory, TrainingSessionFactory, UserFactory
from tests.workbook.conftest import CLIENT_HEADER, client_row, full_workbook, make_xlsx, run_import
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession
from workbook.reader import read_workbook


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English (their msgids); one test checks the Indonesian catalogue."""
    with translation.override("en"):
        yield


MODELS = (Partner, Agreement, Client, TrainingSession, Enrolment, Attendance, FollowUp, ReportingVisit)


def snapshot():
    return {model.__name__: (model.objects.count(), model.history.count()) for model in MODELS}


def import_errors(book, office, **kwargs):
    before = snapshot()
    result = run_import(make_xlsx(book, **kwargs), office)
    assert not result.ok and not result.applied
    assert snapshot() == before, "a failed import wrote something"
    return result.issues


def with_row(sheet, index, column, value):
    book = full_workbook()
    header = book[sheet][0]
    book[sheet][index][header.index(column)] = value
    return book


# --- the file itself ---------------------------------------------------------------------------
def test_not_an_xlsx_file(db):
    data = read_workbook(io.BytesIO(b"nama,nik\nAndi,123\n"))
    assert [str(i) for i in data.issues] == [
        "The file is not an Excel workbook (.xlsx). Save it in Excel as “Excel Workbook (*.xlsx)” and upload it again."
    ]


def test_a_zip_that_is_not_a_workbook(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "not an Excel workbook" in str(read_workbook(buffer).issues[0])


def test_corrupt_workbook(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "garbage")
        archive.writestr("xl/workbook.xml", "<workbook><broken")
    assert "damaged" in str(read_workbook(buffer).issues[0])


def test_truncated_workbook(db, workbook_office):
    content = make_xlsx(full_workbook())
    data = read_workbook(io.BytesIO(content[: len(content) // 2]))
    assert data.issues and not data.sheets


def test_empty_file(db):
    assert str(read_workbook(io.BytesIO(b"")).issues[0]) == "The file is empty."


def test_fifty_megabyte_file_is_refused_without_reading_it(db):
    data = read_workbook(io.BytesIO(b"\0" * (50 * 1024 * 1024)))
    assert str(data.issues[0]) == "The file is too large (50,0 MB; at most 20,0 MB)."


def test_formulas_are_refused(workbook_office):
    book = with_row("Klien", 1, "akhir_bimbingan", "=DATE(2024,12,31)")
    assert import_errors(book, workbook_office) == [
        "Klien!2 akhir_bimbingan: formulas are not supported; paste the values only."
    ]


def test_merged_cells_are_refused(workbook_office):
    issues = import_errors(full_workbook(), workbook_office, setup=lambda b: b["Klien"].merge_cells("B3:C3"))
    assert "Klien!3: merged cells (at B3) are not supported; unmerge them." in issues


def test_missing_required_columns(workbook_office):
    book = {"Klien": [["no_register", "nama", "program"], ["R-1", "Andi", "PB"]]}
    assert import_errors(book, workbook_office) == [
        "Klien!1 jenis_kelamin: required column is missing from the first row.",
        "Klien!1 mulai_bimbingan: required column is missing from the first row.",
        "Klien!1 akhir_bimbingan: required column is missing from the first row.",
    ]


def test_duplicate_column(workbook_office):
    book = {"Mitra": [["kode", "nama", "jenis", "Nama"], ["A", "B", "LPK", "C"]]}
    assert import_errors(book, workbook_office) == ["Mitra!1 nama: the column appears twice."]


# --- cells ------------------------------------------------------------------------------------
def test_required_cell_empty(workbook_office):
    assert import_errors(with_row("Klien", 1, "nama", "  "), workbook_office) == ["Klien!2 nama: is required."]


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value", "message"),
    [
        (
            "Klien",
            1,
            "program",
            "PAROLE",
            "Klien!2 program: unknown code “PAROLE”; use one of: PB, CB, CMB, ASIMILASI, PIDANA_BERSYARAT, DIVERSI, LAINNYA.",
        ),
        (
            "Mitra",
            1,
            "jenis",
            "NGO",
            "Mitra!2 jenis: unknown code “NGO”; use one of: MASYARAKAT, KEAGAMAAN, SWASTA, LPK, PERGURUAN_TINGGI, PEMERINTAH.",
        ),
        (
            "PKS",
            1,
            "ruang_lingkup",
            "KEMANDIRIAN, SENI",
            "PKS!2 ruang_lingkup: unknown code “SENI”; use one of: KEPRIBADIAN, KEMANDIRIAN, ADVOKASI_HUKUM, PENEMPATAN_KERJA, PENDAMPINGAN_USAHA, BANTUAN_MODAL.",
        ),
        (
            "Kehadiran",
            1,
            "status",
            "ABSEN",
            "Kehadiran!2 status: unknown code “ABSEN”; use one of: HADIR, TERLAMBAT, IZIN, TIDAK_HADIR.",
        ),
        ("Peserta", 1, "hadir", "MUNGKIN", "Peserta!2 hadir: must be YA or TIDAK (got “MUNGKIN”)."),
        (
            "Klien",
            1,
            "mulai_bimbingan",
            "2024/13/01",
            "Klien!2 mulai_bimbingan: “2024/13/01” is not a date; write YYYY-MM-DD or DD/MM/YYYY.",
        ),
        ("Klien", 1, "mulai_bimbingan", "31/02/2024", "Klien!2 mulai_bimbingan: “31/02/2024” is not an existing date."),
        (
            "Klien",
            1,
            "mulai_bimbingan",
            45000,
            "Klien!2 mulai_bimbingan: “45000” is not a date; write YYYY-MM-DD or DD/MM/YYYY.",
        ),
        ("WajibLapor", 1, "tanggal", "2024-02-05 25:00", "WajibLapor!2 tanggal: “25:00” is not a time; write HH:MM."),
        ("Pelatihan", 1, "anggaran", "satu juta", "Pelatihan!2 anggaran: “satu juta” is not a whole number of rupiah."),
        ("Pelatihan", 1, "anggaran", -5, "Pelatihan!2 anggaran: cannot be negative."),
        ("Pelatihan", 1, "jam_per_hari", 30, "Pelatihan!2 jam_per_hari: must be more than 0 and at most 24 hours."),
        ("Mitra", 1, "email", "bukan-email", "Mitra!2 email: “bukan-email” is not a valid email address."),
        ("Klien", 1, "nik", "36710101", "Klien!2 nik: NIK must be exactly 16 digits (got “36710101”)."),
        ("Klien", 1, "nik", "367101010190000A", "Klien!2 nik: NIK must be exactly 16 digits (got “367101010190000A”)."),
        ("Klien", 1, "nama", "x" * 201, "Klien!2 nama: is too long (at most 200 characters)."),
    ],
)
def test_bad_cells(workbook_office, sheet, index, column, value, message):
    assert message in import_errors(with_row(sheet, index, column, value), workbook_office)


def test_nik_given_as_a_number_is_refused_not_converted(workbook_office):
    # A spreadsheet program keeps 15 significant digits: the number may already be wrong.
    result = run_import(make_xlsx(with_row("Klien", 1, "nik", 3671010101900001)), workbook_office)
    assert result.issues == ["Klien!2 nik: type the NIK as text (start with ') — Excel rounds 16-digit numbers"]
    assert not Client.objects.exists()


# --- rules between rows and records -------------------------------------------------------------
def test_duplicate_keys_inside_the_file(workbook_office):
    book = full_workbook()
    book["Klien"].append(client_row("REG-1", "Lagi"))
    book["Peserta"].append(["P-1", "REG-2", "YA"])
    book["WajibLapor"].append(["REG-1", "2024-03-05 14:00", "", ""])  # same day as a date-only row
    issues = import_errors(book, workbook_office)
    assert "Klien!4 no_register: duplicate key: the same as row 2." in issues
    assert "Peserta!4 no_register: duplicate key: the same as row 3." in issues
    assert "WajibLapor!4 tanggal: duplicate key: the same as row 3." in issues


def test_nik_used_twice_in_the_file(workbook_office):
    book = with_row("Klien", 2, "nik", "3671010101900001")
    assert "Klien!3 nik: this NIK is also given in row 2." in import_errors(book, workbook_office)


def test_nik_used_by_another_client(workbook_office, office_b):
    ClientFactory(office=workbook_office, register_number="OLD-1", nik="3671010101900001")
    ClientFactory(office=office_b, register_number="B-1", nik="3671010101900002", status=Client.Status.COMPLETED)
    book = with_row("Klien", 2, "nik", "3671010101900002")
    result = run_import(make_xlsx(book), workbook_office)
    assert "Klien!2 nik: this NIK is already used by another client (register number OLD-1)." in result.issues
    assert "Klien!3 nik: this NIK is already used by a client of another office." in result.issues
    assert Client.objects.count() == 2


def test_nik_of_a_client_under_another_offices_supervision_asks_for_a_transfer(workbook_office, office_b):
    ClientFactory(office=office_b, register_number="B-1", name="Budi Rahasia", nik="3671010101900002")
    book = with_row("Klien", 2, "nik", "3671010101900002")
    result = run_import(make_xlsx(book), workbook_office)
    message = next(issue for issue in result.issues if issue.startswith("Klien!3 nik:"))
    assert "ask that Bapas to transfer the client to your office (pelimpahan)" in message
    assert "B-1" not in message and "Budi" not in message and office_b.name not in message
    assert Client.objects.filter(nik="3671010101900002").count() == 1


@pytest.mark.parametrize(
    ("sheet", "column", "value", "message"),
    [
        (
            "Klien",
            "akhir_bimbingan",
            "2023-12-31",
            "Klien!2 akhir_bimbingan: the programme end 2023-12-31 is before its start 2024-01-01.",
        ),
        (
            "PKS",
            "tanggal_berakhir",
            "2021-12-31",
            "PKS!2 tanggal_berakhir: the end date 2021-12-31 is before the start date 2022-01-01.",
        ),
        (
            "Pelatihan",
            "tanggal_selesai",
            "2024-02-28",
            "Pelatihan!2 tanggal_selesai: the end date 2024-02-28 is before the start date 2024-03-01.",
        ),
    ],
)
def test_end_before_start(workbook_office, sheet, column, value, message):
    assert message in import_errors(with_row(sheet, 1, column, value), workbook_office)


def test_a_training_of_more_than_a_year_is_refused(workbook_office):
    """As in the session form: a typo in the year must not create a training of years."""
    message = "Pelatihan!2 tanggal_selesai: a training lasts at most 366 days (2024-03-01 to 2026-03-01)."
    assert message in import_errors(with_row("Pelatihan", 1, "tanggal_selesai", "2026-03-01"), workbook_office)


def test_pk_of_another_office_or_not_a_pk(workbook_office, bob, kasi_a):
    UserFactory(username="mantan", office=workbook_office, is_active=False)
    book = full_workbook()
    book["Klien"][1][6] = "bob"
    book["Klien"][2][6] = "kasi_a"
    book["Klien"].append([*client_row("REG-3"), "nobody", "", ""])
    book["Klien"].append([*client_row("REG-4"), "mantan", "", ""])
    issues = import_errors(book, workbook_office)
    assert "Klien!2 pk: “bob” is not a staff member of this office." in issues
    assert "Klien!3 pk: “kasi_a” is not a PK." in issues
    assert "Klien!4 pk: no staff member with the username “nobody”." in issues
    assert "Klien!5 pk: the account “mantan” is deactivated." in issues


def test_unknown_partner_and_agreement_references(workbook_office):
    book = full_workbook()
    book["PKS"][1][1] = "XXX"
    issues = import_errors(book, workbook_office)
    assert "PKS!2 kode_mitra: no partner with code “XXX” in the sheet Mitra or in this office." in issues
    # The session referring to that failed agreement gets no second, misleading error.
    assert not [i for i in issues if i.startswith("Pelatihan")]


def test_agreement_of_another_partner(workbook_office):
    book = full_workbook()
    book["Mitra"].append(["HKTI", "HKTI Tangerang", "MASYARAKAT", ""])
    book["Pelatihan"][1][3] = "HKTI"
    assert "Pelatihan!2 nomor_pks: agreement “N-1” belongs to partner GBI, not to HKTI." in import_errors(
        book, workbook_office
    )


def test_participant_of_an_unknown_session(workbook_office):
    book = full_workbook()
    book["Peserta"].append(["NOPE", "REG-1", "YA"])
    assert (
        "Peserta!4 kode_pelatihan: no training session with code “NOPE” in the sheet Pelatihan or in this office."
        in import_errors(book, workbook_office)
    )


def test_participant_who_is_not_a_client_of_this_office(workbook_office, office_b):
    ClientFactory(office=office_b, register_number="B-7")
    book = full_workbook()
    book["Peserta"].append(["P-1", "B-7", "YA"])
    assert (
        "Peserta!4 no_register: no client with register number “B-7” in the sheet Klien or in this office."
        in import_errors(book, workbook_office)
    )


def test_follow_up_for_a_client_not_enrolled(workbook_office):
    book = full_workbook()
    book["Klien"].append([*client_row("REG-3"), "", "", ""])
    book["TindakLanjut"].append(["P-1", "REG-3", "2024-06-01", "BELUM_MENERAPKAN", "", ""])
    assert (
        "TindakLanjut!3 no_register: client REG-3 is not enrolled in training P-1; a follow-up needs an enrolment (sheet Peserta)."
        in import_errors(book, workbook_office)
    )


def test_follow_up_before_the_training(workbook_office):
    book = with_row("TindakLanjut", 1, "tanggal", "2024-02-01")
    assert (
        "TindakLanjut!2 tanggal: the follow-up date 2024-02-01 is before the training began (2024-03-01)."
        in import_errors(book, workbook_office)
    )


def test_attendance_date_outside_the_session(workbook_office):
    book = with_row("Kehadiran", 1, "tanggal", "2024-03-04")
    assert "Kehadiran!2 tanggal: 2024-03-04 lies outside the training (2024-03-01 to 2024-03-03)." in import_errors(
        book, workbook_office
    )


def test_attendance_of_a_client_who_is_not_a_participant(workbook_office):
    book = full_workbook()
    book["Kehadiran"].append(["P-1", "REG-3", "2024-03-01", "HADIR"])
    book["Klien"].append([*client_row("REG-3"), "", "", ""])
    assert (
        "Kehadiran!3 no_register: client REG-3 is not a participant of training P-1; add the row to the sheet Peserta first."
        in import_errors(book, workbook_office)
    )


def test_training_type_given_two_categories(workbook_office):
    book = full_workbook()
    book["Pelatihan"].append(["P-2", "Barista 2", "Barista", "GBI", "2024-04-01", "2024-04-01", "JASA", "", "", "", ""])
    assert "Pelatihan!3 kategori: row 2 gives training type “Barista” the category KULINER." in import_errors(
        book, workbook_office
    )


def test_session_dates_cannot_leave_recorded_attendance_behind(workbook_office):
    session = TrainingSessionFactory(office=workbook_office, code="S-1")
    EnrolmentFactory(session=session).attendance.create(date=session.start_date, status="HADIR")
    book = {
        "Pelatihan": [
            ["kode", "nama", "jenis_pelatihan", "kode_mitra", "tanggal_mulai", "tanggal_selesai"],
            ["S-1", session.title, session.training_type.name, session.partner.code, "2024-01-01", "2024-01-02"],
        ]
    }
    result = run_import(make_xlsx(book), workbook_office)
    assert result.issues == [
        "Pelatihan!2 tanggal_mulai: attendance is recorded from 2023-03-21 to 2023-03-21, outside the new dates."
    ]
    session.refresh_from_db()
    assert str(session.start_date) == "2023-03-21"


def test_future_dates_are_refused(workbook_office):
    book = with_row("WajibLapor", 1, "tanggal", "2099-01-01 10:00")
    assert "WajibLapor!2 tanggal: the date lies in the future." in import_errors(book, workbook_office)


def test_one_bad_row_among_many_writes_nothing(workbook_office):
    book = full_workbook()
    for number in range(3, 60):
        book["Klien"].append([*client_row(f"REG-{number}"), "", "", ""])
    book["WajibLapor"].append(["REG-59", "bukan tanggal", "", ""])
    issues = import_errors(book, workbook_office)
    assert issues == ["WajibLapor!4 tanggal: “bukan tanggal” is not a date; write YYYY-MM-DD or DD/MM/YYYY."]


def test_errors_are_in_indonesian_in_the_indonesian_ui(workbook_office):
    with translation.override("id"):
        issues = import_errors(with_row("Klien", 1, "nik", "123"), workbook_office)
    assert issues == ["Klien!2 nik: NIK harus tepat 16 digit (tertulis “123”)."]


def test_every_error_is_reported_at_once(workbook_office):
    book = full_workbook()
    book["Mitra"][1][2] = "???"
    book["Klien"][1][2] = "X"
    book["WajibLapor"][1][1] = "kemarin"
    issues = import_errors(book, workbook_office)
    assert [i.split(" ")[0] for i in issues] == ["Mitra!2", "Klien!2", "WajibLapor!2"]


def test_existing_data_survives_a_failed_import(workbook_office):
    run_import(make_xlsx(full_workbook()), workbook_office)
    before = snapshot()
    book = full_workbook()
    book["Klien"][1][1] = "Nama Baru"
    book["Klien"].append([*client_row("REG-9", programme="XX"), "", "", ""])
    result = run_import(make_xlsx(book), workbook_office)
    assert not result.ok
    assert snapshot() == before
    assert Client.objects.get(register_number="REG-1").name == "Andi Pratama"
    assert not Client.history.filter(history_type="~").exists()


def test_unknown_sheets_are_ignored_and_reported(workbook_office):
    result = run_import(make_xlsx({"Catatan": [["apa saja"]], "Klien": [CLIENT_HEADER, client_row()]}), workbook_office)
    assert result.ok and result.ignored_sheets == ["Catatan"]
