"""A list page and its XLSX export read one filter form: bad values are ignored, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import (
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    ReportingVisitFactory,
    TrainingSessionFactory,
    aware,
)
from tests.workbook.test_export_lists import rows, url

HUGE = "99999999999999999999"
# (export, parameter, value): each answered 500 before the export read the list page's form
BROKEN_BEFORE = [
    ("sessions", "year", "²"),
    ("participants", "year", "²"),
    ("followups", "year", "²"),
    ("sessions", "year", "0"),
    ("participants", "year", "0"),
    ("followups", "year", "0"),
    ("sessions", "year", HUGE),
    ("participants", "year", HUGE),
    ("followups", "year", HUGE),
    ("visits", "from", "2023-02-31"),
    ("visits", "to", "2023-13-01"),
    ("visits", "client", HUGE),
]


@pytest.fixture
def trainings(office_a, alice):
    old = TrainingSessionFactory(
        office=office_a, code="S-2022", title="Barista", start_date=dt.date(2022, 3, 30), end_date=dt.date(2022, 3, 30)
    )
    new = TrainingSessionFactory(
        office=office_a, code="S-2023", title="Make-Up", start_date=dt.date(2023, 6, 20), end_date=dt.date(2023, 6, 20)
    )
    mine = EnrolmentFactory(session=new, client__register_number="R-1", client__officer=alice)
    EnrolmentFactory(session=old, client__register_number="R-2", client__officer=alice)
    FollowUpFactory(enrolment=mine, date=dt.date(2023, 9, 1), status="USAHA_SENDIRI")
    ReportingVisitFactory(client=mine.client, reported_at=aware(2024, 1, 5, 10, 0))
    ReportingVisitFactory(client=mine.client, reported_at=aware(2024, 3, 5, 10, 0))
    return old, new


@pytest.mark.parametrize(("kind", "key", "value"), BROKEN_BEFORE)
def test_bad_filter_values_are_ignored_not_a_server_error(login, kasi_a, trainings, kind, key, value):
    everything = rows(login(kasi_a).get(url(kind)))
    assert everything  # the fixture fills every list
    assert rows(login(kasi_a).get(url(kind, **{key: value}))) == everything  # ignored: the whole list


def test_good_values_still_filter_the_exports(login, kasi_a, trainings):
    assert [r["kode"] for r in rows(login(kasi_a).get(url("sessions", year="2022")))] == ["S-2022"]
    assert [r["kode_pelatihan"] for r in rows(login(kasi_a).get(url("participants", year="2023")))] == ["S-2023"]
    assert len(rows(login(kasi_a).get(url("followups", year="2023")))) == 1
    assert rows(login(kasi_a).get(url("followups", year="2022"))) == []
    assert len(rows(login(kasi_a).get(url("visits", **{"from": "2024-02-01"})))) == 1
    client_pk = trainings[1].enrolments.get().client_id
    assert len(rows(login(kasi_a).get(url("visits", client=str(client_pk))))) == 2
    # a bad value next to a good one: the good one still filters
    assert [r["kode"] for r in rows(login(kasi_a).get(url("sessions", year="2022", status="<b>")))] == ["S-2022"]


@pytest.mark.parametrize(
    "params", [{}, {"year": "2022"}, {"q": "make"}, {"status": "PLANNED"}, {"year": "²", "q": "bar"}]
)
def test_session_page_and_export_show_the_same_rows(login, kasubsi_a, trainings, params):
    client = login(kasubsi_a)
    page = client.get(reverse("trainings:session_list"), params)
    assert page.status_code == 200
    on_page = sorted(s.code for s in page.context["page"].object_list)
    assert sorted(r["kode"] for r in rows(client.get(url("sessions", **params)))) == on_page


def test_session_list_pages_keep_the_filters(login, kasubsi_a, office_a):
    for day in range(30):
        start = dt.date(2023, 1, 1) + dt.timedelta(days=day)
        TrainingSessionFactory(office=office_a, start_date=start, end_date=start)
    body = login(kasubsi_a).get(reverse("trainings:session_list"), {"year": "2023", "q": " "}).content.decode()
    assert 'href="?year=2023&amp;q=+&amp;page=2"' in body


def test_participants_export_is_the_pks_own_caseload(login, alice, paula, trainings):
    assert {r["no_register"] for r in rows(login(alice).get(url("participants")))} == {"R-1", "R-2"}
    assert rows(login(paula).get(url("participants"))) == []


def test_client_list_ignores_a_bad_filter_but_keeps_the_good_ones(login, kasi_a, office_a):
    ClientFactory(office=office_a, name="Andi", status="SELESAI")
    ClientFactory(office=office_a, name="Budi")
    params = {"status": "SELESAI", "programme": "<nope>"}
    page = login(kasi_a).get(reverse("clients:list"), params)
    assert [c.name for c in page.context["page"].rows] == ["Andi"]
    assert [r["nama"] for r in rows(login(kasi_a).get(url("clients", **params)))] == ["Andi"]
