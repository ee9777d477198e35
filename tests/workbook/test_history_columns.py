"""The optional PKS columns (jenis, memperbarui, diakhiri_pada, alasan_pengakhiran) and the sheet
Peringatan: what they write and what they refuse, with the rules of the agreement and warning services."""

import datetime as dt

import pytest
from django.utils import translation

from clients.models import ReportingWarning
from pokmaslipas.models import Agreement
from tests.factories import AgreementFactory, ClientFactory, PartnerFactory
from tests.workbook.conftest import CLIENT_HEADER, client_row, make_xlsx, run_import

PKS_HEADER = [
    "nomor",
    "kode_mitra",
    "tanggal_mulai",
    "tanggal_berakhir",
    "jenis",
    "memperbarui",
    "diakhiri_pada",
    "alasan_pengakhiran",
]
MITRA = [["kode", "nama", "jenis"], ["GBI", "Griya", "KEAGAMAAN"], ["LPK", "LPK Kopi", "LPK"]]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def pks(*rows):
    return {"Mitra": MITRA, "PKS": [PKS_HEADER, *rows]}


def test_a_renewal_listed_before_the_agreement_it_renews_is_linked(workbook_office):
    book = pks(
        ["N-2", "GBI", "2024-01-01", "2024-12-31", "ADDENDUM", "N-1", "", ""],
        ["N-1", "GBI", "2023-01-01", "2023-12-31", "", "", "2023-10-01", "Mitra pindah"],
    )
    result = run_import(make_xlsx(book), workbook_office)
    assert result.ok, result.issues
    first, second = Agreement.objects.get(number="N-1"), Agreement.objects.get(number="N-2")
    assert second.renews == first and second.kind == "ADDENDUM" and first.kind == "PKS"
    assert first.terminated_on == dt.date(2023, 10, 1) and first.status_on(dt.date(2023, 11, 1)) == "TERMINATED"
    history = second.history.earliest()
    assert history.renews_id == first.pk  # created after N-1: its first history row names the link
    assert run_import(make_xlsx(book), workbook_office).totals() == {"created": 0, "updated": 0, "unchanged": 4}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["N-1", "GBI", "2023-01-01", "2023-12-31", "", "", "2023-10-01", ""],
            "PKS!2 alasan_pengakhiran: Give the reason for ending the agreement early.",
        ),
        (
            ["N-1", "GBI", "2023-01-01", "2023-12-31", "", "", "", "Mitra pindah"],
            "PKS!2 diakhiri_pada: a termination reason needs the date it was ended.",
        ),
        (
            ["N-1", "GBI", "2023-01-01", "2023-12-31", "", "", "2024-02-01", "Mitra pindah"],
            "PKS!2 diakhiri_pada: The termination date must lie within the agreement's validity period.",
        ),
        (
            ["N-1", "GBI", "2023-01-01", "2023-12-31", "", "N-1", "", ""],
            "PKS!2 memperbarui: an agreement cannot renew itself.",
        ),
        (
            ["N-1", "GBI", "2023-01-01", "2023-12-31", "", "X-9", "", ""],
            "PKS!2 memperbarui: no agreement with number “X-9” in the sheet PKS or in this office.",
        ),
        (["N-1", "GBI", "2023-01-01", "2023-12-31", "KONTRAK", "", "", ""], "PKS!2 jenis: unknown code “KONTRAK”"),
    ],
)
def test_bad_rows_are_refused(workbook_office, row, message):
    result = run_import(make_xlsx(pks(row)), workbook_office)
    assert any(issue.startswith(message) for issue in result.issues), result.issues
    assert not Agreement.objects.exists()


def test_renewal_rules_across_rows(workbook_office):
    book = pks(
        ["A", "GBI", "2023-01-01", "2023-12-31", "", "B", "", ""],
        ["B", "GBI", "2023-01-01", "2023-12-31", "", "A", "", ""],
        ["C", "LPK", "2024-01-01", "2024-12-31", "", "A", "", ""],
        ["D", "GBI", "2022-01-01", "2022-12-31", "", "A", "", ""],
    )
    issues = run_import(make_xlsx(book), workbook_office).issues
    assert "PKS!2 memperbarui: the renewal chain goes round in a circle." in issues
    assert "PKS!3 memperbarui: the renewal chain goes round in a circle." in issues
    assert "PKS!4 memperbarui: agreement “A” belongs to partner GBI, not to LPK." in issues
    assert "PKS!5 memperbarui: A renewal cannot start before the agreement it renews." in issues
    assert not Agreement.objects.exists()


def test_an_import_cannot_undo_an_early_termination(workbook_office):
    agreement = AgreementFactory(
        partner=PartnerFactory(office=workbook_office, code="GBI"),
        number="N-1",
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2023, 12, 31),
        terminated_on=dt.date(2023, 6, 1),
        termination_reason="Tutup",
    )
    book = {"PKS": [PKS_HEADER, ["N-1", "GBI", "2023-01-01", "2023-12-31", "", "", "", ""]]}
    assert run_import(make_xlsx(book), workbook_office).issues == [
        "PKS!2 diakhiri_pada: the agreement was ended on 2023-06-01; an import cannot undo an early termination."
    ]
    agreement.refresh_from_db()
    assert agreement.terminated_on == dt.date(2023, 6, 1)
    # Without the columns (an older file), the termination is simply left alone.
    old_format = {
        "PKS": [
            ["nomor", "kode_mitra", "tanggal_mulai", "tanggal_berakhir"],
            ["N-1", "GBI", "2023-01-01", "2023-12-31"],
        ]
    }
    assert run_import(make_xlsx(old_format), workbook_office).ok
    agreement.refresh_from_db()
    assert agreement.terminated_on == dt.date(2023, 6, 1)


# --- Peringatan ----------------------------------------------------------------------------------
WARNING_HEADER = ["no_register", "tanggal", "tingkat", "nomor", "alasan", "periode_terlewat"]


def test_warnings_are_imported_with_the_level_rule(workbook_office, admin_a):
    book = {
        "Klien": [CLIENT_HEADER, client_row(start="2024-01-01")],
        "Peringatan": [
            WARNING_HEADER,
            ["REG-1", "2024-04-02", "SP2", "", "Tidak lapor Maret", "2024-03"],
            ["REG-1", "2024-03-04", "sp1", "SP/1", "Tidak lapor Februari", ""],
        ],
    }
    result = run_import(make_xlsx(book), workbook_office, user=admin_a)
    assert result.ok, result.issues
    levels = list(ReportingWarning.objects.order_by("issued_on").values_list("level", "number", "issued_by__username"))
    assert levels == [("SP1", "SP/1", "admin_a"), ("SP2", "", "admin_a")]
    assert ReportingWarning.history.filter(history_change_reason="import data.xlsx").count() == 2
    book["Peringatan"][1][3] = "SP/2"
    again = run_import(make_xlsx(book), workbook_office)
    assert [(s.name, s.updated, s.unchanged) for s in again.sheets if s.name == "Peringatan"] == [("Peringatan", 1, 1)]
    assert ReportingWarning.objects.get(level="SP2").number == "SP/2"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["REG-1", "2024-03-04", "SP2", "", "x", ""],
            "Peringatan!2 tingkat: SP2 needs an earlier SP1 for this client.",
        ),
        (
            ["REG-1", "2023-12-01", "SP1", "", "x", ""],
            "Peringatan!2 tanggal: A warning cannot be dated before the programme start.",
        ),
        (["REG-1", "2099-01-01", "SP1", "", "x", ""], "Peringatan!2 tanggal: A warning cannot be dated in the future."),
        (["REG-1", "2024-03-04", "SP1", "", "", ""], "Peringatan!2 alasan: is required."),
        (
            ["REG-9", "2024-03-04", "SP1", "", "x", ""],
            "Peringatan!2 no_register: no client with register number “REG-9” in the sheet Klien or in this office.",
        ),
    ],
)
def test_bad_warnings_are_refused(workbook_office, row, message):
    ClientFactory(office=workbook_office, register_number="REG-1", programme_start=dt.date(2024, 1, 1))
    result = run_import(make_xlsx({"Peringatan": [WARNING_HEADER, row]}), workbook_office)
    assert result.issues == [message]
    assert not ReportingWarning.objects.exists()


def test_a_warning_answers_missed_periods_only_as_the_form_checks(workbook_office, alice):
    """Not a period the client reported in, not an excused one, not one outside the programme; the
    message is the form's. An unchanged warning is not asked again (the round trip stays idempotent)."""
    from clients.models import ExcusedAbsence, ReportingVisit

    client = ClientFactory(office=workbook_office, register_number="REG-1", programme_start=dt.date(2024, 1, 1),
                           officer=alice)  # fmt: skip
    ReportingVisit.objects.create(client=client, reported_at=dt.datetime(2024, 2, 5, 3, 0, tzinfo=dt.UTC),
                                  received_by=alice)  # fmt: skip
    ExcusedAbsence.objects.create(client=client, date_from=dt.date(2024, 3, 4), date_to=dt.date(2024, 3, 8), kind="SAKIT",
                                  reason="Sakit", recorded_by=alice)  # fmt: skip
    cases = [
        ("2024-02", "Peringatan!2 periode_terlewat: The client reported in February 2024: a warning cannot answer it."),
        ("2024-03", "Peringatan!2 periode_terlewat: March 2024 is excused (izin): a warning cannot answer it."),
        ("2023-12", "Peringatan!2 periode_terlewat: December 2023 is not an ended reporting period of this "
                    "client's programme."),
    ]  # fmt: skip
    for codes, message in cases:
        row = ["REG-1", "2024-05-02", "SP1", "", "Tidak lapor", codes]
        result = run_import(make_xlsx({"Peringatan": [WARNING_HEADER, row]}), workbook_office)
        assert result.issues == [message]
        assert not ReportingWarning.objects.exists()
    row = ["REG-1", "2024-05-02", "SP1", "", "Tidak lapor", "2024-01, 2024-04"]
    assert run_import(make_xlsx({"Peringatan": [WARNING_HEADER, row]}), workbook_office).ok
    # a wajib lapor recorded late for April: the stored warning is left alone and imports unchanged
    ReportingVisit.objects.create(client=client, reported_at=dt.datetime(2024, 4, 9, 3, 0, tzinfo=dt.UTC),
                                  received_by=alice)  # fmt: skip
    again = run_import(make_xlsx({"Peringatan": [WARNING_HEADER, row]}), workbook_office)
    assert again.ok and [(s.created, s.unchanged) for s in again.sheets if s.name == "Peringatan"] == [(0, 1)]
