"""The SidangTPP sheet (beyond the contract): TPP sessions and their minutes export, import back into an
emptied office as they were, import again into the same office unchanged, record the minutes of a
planned session, and are refused with the pages' rules (nothing written)."""

import datetime as dt

import pytest
from django.utils import timezone

from bapas.models import OfficeDataVersion
from clients import supervision
from clients.models import Client, TPPCase, TPPSession
from tests.factories import ClientFactory
from tests.workbook.conftest import make_xlsx, run_import
from tests.workbook.test_roundtrip import wipe
from workbook import schema
from workbook.exporter import office_rows, office_workbook

pytestmark = pytest.mark.django_db

HEADER = list(schema.SHEETS_BY_NAME["SidangTPP"].headers)


def facts():
    return sorted(
        (c.session.date, c.session.place, c.client.register_number, c.session.state,
         sorted(u.username for u in c.session.members.all()), sorted(u.username for u in c.session.attendees.all()),
         c.session.notes, c.findings, c.recommendation, c.note)
        for c in TPPCase.objects.select_related("session", "client")
    )  # fmt: skip


def version(office) -> int:
    row = OfficeDataVersion.objects.filter(office=office).first()
    return row.version if row else 0


@pytest.fixture
def today(office_a):
    return timezone.localdate(timezone=office_a.tzinfo)


@pytest.fixture
def tpp_office(office_a, alice, kasi_a, today):
    clients = {
        register: ClientFactory(office=office_a, officer=alice, register_number=register, name=name,
                                programme_start=today - dt.timedelta(days=200),
                                programme_end=today + dt.timedelta(days=300))
        for register, name in (("REG-1", "Joko"), ("REG-2", "Budi"), ("REG-3", "Citra"))
    }  # fmt: skip
    held = supervision.tpp_session_schedule(
        office=office_a, date=today - dt.timedelta(days=30), place="Aula", members=[alice, kasi_a],
        clients=[clients["REG-1"], clients["REG-2"]], user=kasi_a,
    )  # fmt: skip
    cases = {c.client.register_number: c.pk for c in held.cases.select_related("client")}
    supervision.tpp_minutes_record(
        session=held, attendees=[kasi_a], notes="Rapat lengkap", user=kasi_a,
        cases={cases["REG-1"]: {"findings": "Tidak lapor 3 bulan", "recommendation": "USUL_CABUT", "note": "Keras"},
               cases["REG-2"]: {"findings": "Sudah lapor lagi", "recommendation": "LANJUT"}},
    )  # fmt: skip
    supervision.tpp_session_schedule(
        office=office_a, date=today + dt.timedelta(days=10), place="", members=[alice],
        clients=[clients["REG-3"]], user=kasi_a,
    )  # fmt: skip
    return office_a


def test_export_then_import_into_the_emptied_office_reproduces_the_sessions(tpp_office, admin_a, today):
    before = facts()
    rows = office_rows(tpp_office)["SidangTPP"]
    assert [(r["no_register"], r["anggota"], r["hadir"], r["rekomendasi"]) for r in rows] == [
        ("REG-1", "alice, kasi_a", "kasi_a", "USUL_CABUT"),
        ("REG-2", "alice, kasi_a", "kasi_a", "LANJUT"),
        ("REG-3", "alice", "", ""),
    ]
    content = office_workbook(tpp_office)
    wipe(tpp_office)
    assert not TPPSession.objects.exists()
    result = run_import(content, tpp_office, user=admin_a, filename="export.xlsx")
    assert result.ok, result.issues
    assert facts() == before
    assert TPPSession.objects.count() == 2
    assert TPPSession.history.filter(history_change_reason="import export.xlsx").count() == 2  # audited
    assert TPPCase.history.filter(history_change_reason="import export.xlsx").count() == 3
    # and into the same office again: nothing changes
    again = run_import(office_workbook(tpp_office), tpp_office, user=admin_a)
    assert again.ok and [(s.created, s.updated, s.unchanged) for s in again.sheets if s.name == "SidangTPP"] == [
        (0, 0, 3)
    ]
    assert facts() == before and TPPSession.objects.count() == 2


def test_the_import_records_the_minutes_of_a_planned_session(office_a, alice, kasi_a, admin_a, today):
    client = ClientFactory(office=office_a, officer=alice, register_number="REG-9", name="Dewi")
    session = supervision.tpp_session_schedule(
        office=office_a, date=today, place="Aula", members=[alice, kasi_a], clients=[client], user=kasi_a
    )
    start = version(office_a)
    row = [today.isoformat(), "REG-9", "Aula", "kasi_a,alice", "kasi_a, alice", "Membaik", "lanjut", "", "Singkat"]
    result = run_import(make_xlsx({"SidangTPP": [HEADER, row]}), office_a, user=admin_a)
    assert result.ok, result.issues
    assert [(s.created, s.updated, s.unchanged) for s in result.sheets] == [(0, 1, 0)]
    session.refresh_from_db()
    case = session.cases.get()
    assert session.state == TPPSession.State.HELD and session.minutes_by == admin_a and session.notes == "Singkat"
    assert set(session.attendees.all()) == {alice, kasi_a}
    assert (case.findings, case.recommendation) == ("Membaik", "LANJUT")
    assert version(office_a) > start


def row(day, register="REG-1", place="Aula", members="alice, kasi_a", present="kasi_a", findings="Temuan",
        code="LANJUT", note="", notes=""):  # fmt: skip
    return [day, register, place, members, present, findings, code, note, notes]


NEW = dt.timedelta(days=-5)  # a day without a session in the fixture


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([row(NEW, members="bob")], "SidangTPP!2 anggota: Anggota harus PK atau pejabat aktif kantor ini."),
        ([row(NEW, members="alice, nobody")], "SidangTPP!2 anggota: tidak ada pengguna “nobody”."),
        ([row(NEW, members="alice, admin_a", present="alice")], "SidangTPP!2 anggota: "),
        ([row(NEW), row(NEW, "REG-2", findings="", code="")], "SidangTPP!3 rekomendasi: baris 2 "),
        ([row(NEW, present="")], "SidangTPP!2 hadir: Centang paling sedikit satu anggota yang hadir."),
        ([row(NEW, present="paula")], "SidangTPP!2 hadir: "),
        ([row(NEW, findings="")], "SidangTPP!2 temuan: Tulis temuan untuk Joko."),
        ([row(dt.timedelta(days=3))], "SidangTPP!2 tanggal: "),
        ([row(dt.timedelta(days=400), present="", findings="", code="")], "SidangTPP!2 tanggal: "),
        ([row(NEW, present="", code="")], "SidangTPP!2 temuan: "),
        ([row(NEW), row(NEW, "REG-2", members="alice")], "SidangTPP!3 anggota: "),
        ([row(NEW), row(NEW)], "SidangTPP!3 no_register: "),
        ([row(NEW, "REG-404")], "SidangTPP!2 no_register: "),
        ([row(dt.timedelta(days=-30), place="Ruang 2", findings="x")], "SidangTPP!2 no_register: "),
    ],
)
def test_bad_sessions_are_refused_and_nothing_is_written(tpp_office, bob, paula, admin_a, today, rows, message):
    before, start = facts(), version(tpp_office)
    rows = [[(today + r[0]).isoformat() if i == 0 else v for i, v in enumerate(r)] for r in rows]
    result = run_import(make_xlsx({"SidangTPP": [HEADER, *rows]}), tpp_office, user=admin_a)
    assert len(result.issues) == 1 and result.issues[0].startswith(message), result.issues
    assert facts() == before and version(tpp_office) == start


def exported(office) -> list[list]:
    return [[r[c] for c in HEADER] for r in office_rows(office)["SidangTPP"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: rows[0].__setitem__(6, "PERINGATAN"), "SidangTPP!2 rekomendasi: "),  # held minutes
        (lambda rows: rows[1].__setitem__(5, "Lain"), "SidangTPP!3 temuan: "),
        (lambda rows: rows.pop(1), "SidangTPP!2 no_register: "),  # a case of the session left out
        (lambda rows: rows[2].__setitem__(3, "alice, kasi_a"), "SidangTPP!4 anggota: "),  # the schedule
        (lambda rows: rows[2].__setitem__(1, "REG-2"), "SidangTPP!4 no_register: "),  # a case added
    ],
)
def test_an_import_changes_no_schedule_and_no_held_minutes(tpp_office, admin_a, change, message):
    before = facts()
    rows = exported(tpp_office)
    change(rows)
    result = run_import(make_xlsx({"SidangTPP": [HEADER, *rows]}), tpp_office, user=admin_a)
    assert result.issues and result.issues[0].startswith(message), result.issues
    assert facts() == before


def test_a_contract_only_workbook_leaves_the_sessions_alone(tpp_office):
    before = facts()
    book = {"Klien": [["no_register", "nama", "jenis_kelamin", "program", "mulai_bimbingan", "akhir_bimbingan"],
                      ["REG-1", "Joko", "L", "PB", "2024-01-01", "2025-12-31"]]}  # fmt: skip
    assert run_import(make_xlsx(book), tpp_office).ok
    assert facts() == before and Client.objects.filter(register_number="REG-1").count() == 1
