"""XLSX downloads of the lists: same filters as the list pages, same access as the lists."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from bapas.models import AccessLog
from tests.factories import (
    AgreementFactory,
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    PartnerFactory,
    ReportingVisitFactory,
    TrainingSessionFactory,
    aware,
)
from workbook import lists, schema


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def header(response) -> list:
    return list(next(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)))


def url(export_kind, **params):
    from urllib.parse import urlencode

    return reverse("workbook:export_list", args=[export_kind]) + ("?" + urlencode(params) if params else "")


@pytest.fixture
def data(office_a, office_b, alice, paula):
    ClientFactory(office=office_a, register_number="A-1", name="Andi", officer=alice, nik="3671010101900001")
    ClientFactory(office=office_a, register_number="A-2", name="Bunga", officer=paula, status="SELESAI")
    ClientFactory(office=office_a, register_number="A-3", name="Candra Dewa", officer=paula, programme="DIVERSI")
    ClientFactory(office=office_b, register_number="B-1", name="Other")
    return office_a


@pytest.mark.parametrize(
    ("kind", "sheet"),
    [
        ("clients", "Klien"),
        ("partners", "Mitra"),
        ("agreements", "PKS"),
        ("sessions", "Pelatihan"),
        ("participants", "Peserta"),
        ("followups", "TindakLanjut"),
        ("visits", "WajibLapor"),
    ],
)
def test_every_list_starts_with_the_columns_of_its_import_sheet(login, kasi_a, data, kind, sheet):
    response = login(kasi_a).get(url(kind))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    columns = schema.SHEETS_BY_NAME[sheet].headers
    assert header(response)[: len(columns)] == columns
    filename = response["Content-Disposition"].split('filename="')[1]
    assert filename.startswith(f"{lists.FILE_NAMES[kind]}-{kasi_a.office.code}-")  # Indonesian: klien-TNG-...
    assert kind not in filename


def test_clients_export_honours_the_list_filters(login, kasi_a, data):
    assert [r["no_register"] for r in rows(login(kasi_a).get(url("clients")))] == ["A-1", "A-2", "A-3"]
    assert [r["no_register"] for r in rows(login(kasi_a).get(url("clients", status="SELESAI")))] == ["A-2"]
    assert [r["no_register"] for r in rows(login(kasi_a).get(url("clients", q="andi")))] == ["A-1"]
    assert [r["no_register"] for r in rows(login(kasi_a).get(url("clients", programme="DIVERSI")))] == ["A-3"]
    assert AccessLog.objects.filter(user=kasi_a, action="list_export", object_id="clients").count() == 4


def test_clients_export_follows_the_client_access_rules(login, alice, kasubsi_a, kasi_a, data):
    assert [r["no_register"] for r in rows(login(alice).get(url("clients")))] == ["A-1"]  # own caseload
    kasubsi = rows(login(kasubsi_a).get(url("clients")))
    assert kasubsi[0]["nik"] is None  # basic data only
    names = {r["no_register"]: r["nama"] for r in rows(login(kasi_a).get(url("clients")))}
    assert names["A-3"] == "C.D."  # children by initials in lists
    assert names["A-1"] == "Andi"


def test_partner_and_agreement_exports_use_their_filters(login, admin_a, office_a):
    gbi = PartnerFactory(office=office_a, code="GBI", kind="KEAGAMAAN")
    PartnerFactory(office=office_a, code="LPK", kind="LPK")
    today = dt.date.today()
    AgreementFactory(
        partner=gbi, number="OLD", start_date=today - dt.timedelta(days=800), end_date=today - dt.timedelta(days=400)
    )
    AgreementFactory(
        partner=gbi, number="NOW", start_date=today - dt.timedelta(days=10), end_date=today + dt.timedelta(days=400)
    )
    assert [r["kode"] for r in rows(login(admin_a).get(url("partners", kind="LPK")))] == ["LPK"]
    expired = rows(login(admin_a).get(url("agreements", status="EXPIRED")))
    assert [(r["nomor"], r["status"]) for r in expired] == [("OLD", "EXPIRED")]


def test_session_participant_and_follow_up_exports(login, kasubsi_a, kasi_a, office_a, alice):
    old = TrainingSessionFactory(
        office=office_a, code="S-2022", start_date=dt.date(2022, 3, 30), end_date=dt.date(2022, 3, 30)
    )
    new = TrainingSessionFactory(
        office=office_a, code="S-2023", start_date=dt.date(2023, 6, 20), end_date=dt.date(2023, 6, 20)
    )
    enrolment = EnrolmentFactory(session=new, client__register_number="R-1", client__officer=alice)
    AttendanceFactory(enrolment=enrolment)
    EnrolmentFactory(session=old, client__register_number="R-2")
    FollowUpFactory(enrolment=enrolment, date=dt.date(2023, 9, 1), status="USAHA_SENDIRI")
    assert [r["kode"] for r in rows(login(kasubsi_a).get(url("sessions", year="2022")))] == ["S-2022"]
    sessions = rows(login(kasubsi_a).get(url("sessions")))
    assert {r["kode"]: r["peserta"] for r in sessions} == {"S-2023": 1, "S-2022": 0}
    participants = rows(login(kasi_a).get(url("participants", session="S-2023")))
    assert [(r["kode_pelatihan"], r["no_register"], r["hadir"], r["hari_hadir"]) for r in participants] == [
        ("S-2023", "R-1", "YA", 1)
    ]
    follow_ups = rows(login(kasi_a).get(url("followups", status="USAHA_SENDIRI")))
    assert [(r["no_register"], r["status"]) for r in follow_ups] == [("R-1", "USAHA_SENDIRI")]
    assert rows(login(kasi_a).get(url("followups", status="BELUM_MENERAPKAN"))) == []


def test_visits_export(login, kasi_a, alice, admin_a, kasubsi_a, data):
    andi = data.clients.get(register_number="A-1")
    ReportingVisitFactory(client=andi, reported_at=aware(2024, 1, 5, 10, 0), notes="Sehat")
    ReportingVisitFactory(client=andi, reported_at=aware(2024, 3, 5, 10, 0), mode="VIDEO_CALL")
    ReportingVisitFactory(client=data.clients.get(register_number="A-2"), reported_at=aware(2024, 2, 5, 10, 0))
    assert len(rows(login(kasi_a).get(url("visits")))) == 3
    assert len(rows(login(alice).get(url("visits")))) == 2  # own caseload only
    filtered = rows(login(kasi_a).get(url("visits", **{"from": "2024-02-01", "mode": "VIDEO_CALL"})))
    assert [(r["no_register"], r["cara"]) for r in filtered] == [("A-1", "VIDEO_CALL")]
    assert filtered[0]["tanggal"] == dt.datetime(2024, 3, 5, 10, 0)
    # Wajib lapor notes: not for the Admin nor the Kasubsi.
    assert login(admin_a).get(url("visits")).status_code == 403
    assert login(kasubsi_a).get(url("visits")).status_code == 403


def test_list_export_permissions(login, client, rita, admin_b, data):
    assert login(rita).get(url("clients")).status_code == 404
    assert login(admin_b).get(url("clients")).status_code == 200
    assert [r["no_register"] for r in rows(login(admin_b).get(url("clients")))] == ["B-1"]  # never another office
    assert login(admin_b).get(url("nothing")).status_code == 404
    assert login(admin_b).post(url("clients")).status_code == 405
    client.logout()
    response = client.get(url("clients"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_empty_list_gives_a_header_only_workbook(login, kasi_a, office_a):
    response = login(kasi_a).get(url("clients"))
    assert rows(response) == []
    assert header(response)[0] == "no_register"


@pytest.mark.parametrize("count", [3, 30])
def test_list_export_queries_do_not_grow(login, kasi_a, office_a, alice, django_assert_max_num_queries, count):
    for number in range(count):
        client = ClientFactory(office=office_a, register_number=f"R-{number:03d}", officer=alice)
        ReportingVisitFactory(client=client, reported_at=aware(2024, 1, 5, 10, 0))
        EnrolmentFactory(session__office=office_a, client=client)
    browser = login(kasi_a)
    for kind in ("clients", "visits", "participants", "sessions"):
        with django_assert_max_num_queries(12):
            assert browser.get(url(kind)).status_code == 200
