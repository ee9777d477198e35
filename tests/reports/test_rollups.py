"""The viewers' reports from the offices' rolled-up rows (``reports.rollups``): the same numbers as the
raw aggregates in every scope, period and filter; current after a change; a moment old (and said so)
while the worker recomputes; queued and announced when too many rows are missing.

Office A (TNG) is in region BANTEN, office B (BPN) in KALTIM. The world fixture has sessions in 2022
and 2023 (four participants in A, one in B); ``compliance_world`` adds clients who report monthly
and weekly in 2023, a warning, an excused absence and a client who moved from A to B on 15 April.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.data_version import bump_offices, current_versions
from clients import transfers
from clients.models import Client, ExcusedAbsence, ReportingVisit, ReportingWarning
from reports import rollups, summaries
from reports.access import ReportScope
from reports.datasets import DATASETS, without_personal_data
from reports.models import OfficeRollup
from reports.periods import is_whole_months
from reports.scoped import build_dataset
from reports.tables import PAGE_ROWS, Column, Table, page_tables
from tests.factories import ClientFactory, EnrolmentFactory, aware
from tests.reports.conftest import _attend

pytestmark = pytest.mark.django_db
D = dt.date

PERIODS = {
    "year 2022": (D(2022, 1, 1), D(2022, 12, 31)),
    "year 2023": (D(2023, 1, 1), D(2023, 12, 31)),
    "quarter 2023-Q2": (D(2023, 4, 1), D(2023, 6, 30)),
    "month 2022-03": (D(2022, 3, 1), D(2022, 3, 31)),
    "two years of months": (D(2022, 1, 1), D(2023, 12, 31)),
    "months across a year end": (D(2022, 11, 1), D(2023, 2, 28)),
}


@pytest.fixture
def regions(region_a, region_b):
    return region_a, region_b


def _visit(client, day):
    ReportingVisit.objects.create(
        client=client, reported_at=aware(day.year, day.month, day.day, zone=client.office.time_zone)
    )


@pytest.fixture
def compliance_world(world, regions, alice, bob, kasi_b, office_a, office_b):
    """Monthly and weekly reporters of both offices in 2023, with gaps, a warning, an excuse, a move."""
    monthly = ClientFactory(
        office=office_a, officer=alice, programme_start=D(2023, 1, 1), programme_end=D(2023, 12, 31)
    )
    weekly = ClientFactory(office=office_a, officer=alice, programme_start=D(2023, 2, 6), programme_end=D(2023, 9, 30),
                           reporting_frequency=Client.Frequency.WEEKLY)  # fmt: skip
    far = ClientFactory(office=office_b, officer=bob, programme_start=D(2023, 3, 1), programme_end=D(2024, 2, 29))
    traveller = ClientFactory(office=office_a, officer=alice, programme_start=D(2023, 1, 1),
                              programme_end=D(2023, 12, 31), nik="3671000000000077")  # fmt: skip
    for day in (D(2023, 1, 9), D(2023, 3, 14), D(2023, 4, 3), D(2023, 8, 30)):
        _visit(monthly, day)
    for week in range(0, 30, 3):
        _visit(weekly, D(2023, 2, 7) + dt.timedelta(weeks=week))
    for day in (D(2023, 3, 2), D(2023, 5, 5), D(2023, 6, 6)):
        _visit(far, day)
    ExcusedAbsence.objects.create(client=monthly, date_from=D(2023, 5, 20), date_to=D(2023, 6, 10),
                                  kind=ExcusedAbsence.Kind.ILLNESS, reason="Rawat inap", recorded_by=alice)  # fmt: skip
    ReportingWarning.objects.create(
        client=monthly, level="SP1", issued_on=D(2023, 3, 2), reason="Februari", issued_by=alice
    )
    for day in (D(2023, 1, 12), D(2023, 2, 10)):
        _visit(traveller, day)
    ReportingWarning.objects.create(
        client=traveller, level="SP1", issued_on=D(2023, 4, 3), reason="Maret", issued_by=alice
    )
    transfer = transfers.transfer_propose(client=traveller, to_office=office_b, user=alice, transfer_date=D(2023, 4, 15),
                                          reason="Pindah domisili", letter_number="W11.PAS.1-77")  # fmt: skip
    transfers.transfer_accept(transfer=transfer, officer=bob, register_number="PAS-BPN.500/2023", user=kasi_b)
    for day in (D(2023, 5, 8), D(2023, 7, 9)):
        _visit(traveller, day)
    ReportingWarning.objects.create(
        client=traveller, level="SP2", issued_on=D(2023, 7, 2), reason="Juni", issued_by=bob
    )
    return world


def _scopes(office_a, region_a):
    return {
        "national": ReportScope(office=None, personal_data=False),
        "region": ReportScope(office=None, region=region_a, personal_data=False),
        "one office": ReportScope(office=office_a, personal_data=False),
    }


def _live(name, scope, date_from, date_to, **filters):
    return without_personal_data(
        DATASETS[name](office=scope.office, region=scope.region, date_from=date_from, date_to=date_to, **filters)
    )


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("scope_name", ["national", "region", "one office"])
@pytest.mark.parametrize("name", rollups.ROLLUP_REPORTS)
def test_a_viewers_report_from_the_rollups_equals_the_raw_aggregates(
    compliance_world, office_a, region_a, name, scope_name, period
):
    scope = _scopes(office_a, region_a)[scope_name]
    date_from, date_to = PERIODS[period]
    assert rollups.uses_rollups(name, scope, date_from, date_to)
    expected = _live(name, scope, date_from, date_to)
    assert build_dataset(name, scope=scope, date_from=date_from, date_to=date_to) == expected
    # and again from the stored rows, as a page reads them
    assert build_dataset(name, scope=scope, date_from=date_from, date_to=date_to, freshness={}) == expected


@pytest.mark.parametrize("name", ["participation", "implementation"])
def test_partner_and_type_filters_cut_the_same_sessions_out_of_the_rollups(compliance_world, office_a, region_a, name):
    date_from, date_to = PERIODS["two years of months"]
    for scope in _scopes(office_a, region_a).values():
        for filters in ({"partner": compliance_world["kopi"]}, {"training_type": compliance_world["makeup"]},
                        {"partner": compliance_world["kopi"].pk}):  # fmt: skip
            expected = _live(name, scope, date_from, date_to, **filters)
            assert build_dataset(name, scope=scope, date_from=date_from, date_to=date_to, **filters) == expected


def test_the_figures_are_not_trivially_equal(compliance_world, office_a, region_a):
    """The comparisons above compare real numbers: the transfer splits the traveller's year, the excuse
    and the warnings count, participants are there."""
    scope = _scopes(office_a, region_a)["national"]
    year = build_dataset("compliance", scope=scope, date_from=D(2023, 1, 1), date_to=D(2023, 12, 31))
    assert year["totals"]["due"] > 20 and 0 < year["totals"]["reported"] < year["totals"]["due"]
    assert year["warnings"] == {"SP1": 2, "SP2": 1, "SP3": 0}
    tng = build_dataset("compliance", scope=ReportScope(office=office_a, personal_data=False),
                        date_from=D(2023, 1, 1), date_to=D(2023, 12, 31))  # fmt: skip
    assert tng["warnings"] == {"SP1": 2, "SP2": 0, "SP3": 0}  # the SP2 was BPN's, after the move
    participation = build_dataset("participation", scope=scope, date_from=D(2022, 1, 1), date_to=D(2023, 12, 31))
    # five participations, four people: one client took part in both of office A's sessions
    assert participation["totals"]["participants"] == 5 and participation["totals"]["unique_clients"] == 4


def test_other_periods_and_personal_scopes_are_computed_from_the_raw_rows(office_a, kasi_a):
    viewer = ReportScope(office=None, personal_data=False)
    assert not rollups.uses_rollups("participation", viewer, D(2023, 1, 2), D(2023, 12, 31))
    assert not rollups.uses_rollups("participation", viewer, D(2023, 1, 1), D(2023, 12, 30))
    assert not rollups.uses_rollups("agreements", viewer, D(2023, 1, 1), D(2023, 12, 31))
    assert not rollups.uses_rollups("participation", ReportScope(office=office_a), D(2023, 1, 1), D(2023, 12, 31))
    assert is_whole_months(D(2024, 2, 1), D(2024, 2, 29)) and not is_whole_months(D(2024, 2, 1), D(2024, 2, 28))


def test_a_row_is_current_while_the_version_holds_and_for_an_open_year_on_its_day():
    today = D(2026, 11, 30)
    assert rollups.is_current(today, 7, 7, 2026, today)
    assert not rollups.is_current(today, 7, 8, 2026, today)  # the office's data changed
    assert not rollups.is_current(D(2026, 11, 29), 7, 7, 2026, today)  # computed yesterday, year still open
    assert rollups.is_current(D(2026, 1, 2), 7, 7, 2025, today)  # computed after the year ended
    assert not rollups.is_current(D(2025, 12, 31), 7, 7, 2025, today)


# --- the pages -------------------------------------------------------------------------------------


@pytest.fixture
def dummy_tasks(settings):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}  # fmt: skip
    backend = task_backends["default"]
    backend.clear()
    return backend


PARTICIPATION = {"period": "range", "date_from": "2022-01-01", "date_to": "2023-12-31"}


def _page(client, name="participation", **params):
    return client.get(reverse("reports:report", args=[name]), {**PARTICIPATION, **params})


def test_the_page_reads_stored_rows_in_a_fixed_number_of_queries(world, regions, login, rita, office_a, office_b):
    client = login(rita)
    assert _page(client).status_code == 200
    assert OfficeRollup.objects.count() == 4  # two offices, two years
    with CaptureQueriesContext(connection) as first:
        assert _page(client).status_code == 200
    for _ in range(3):  # more offices' sessions and participants: the same queries
        session = world["sb"]
        _attend(EnrolmentFactory(session=session, client=ClientFactory(office=office_b)), session.start_date)
    bump_offices([office_b.pk])
    call_command("refresh_dashboards", "--years", "0", verbosity=0)
    rollups.ensure_current(office_b, [2022, 2023])
    with CaptureQueriesContext(connection) as second:
        body = _page(client).content.decode()
    assert len(second) == len(first) <= 12, [q["sql"] for q in second.captured_queries]
    assert "data-stale" not in body


def test_after_a_change_the_page_shows_the_rows_of_a_moment_ago_until_the_worker_ran(
    world, regions, login, rita, office_b, dummy_tasks
):
    client = login(rita)
    before = _page(client, fmt="json")
    assert before.status_code == 200 and "data-stale" not in before.content.decode()
    session = world["sb"]
    _attend(EnrolmentFactory(session=session, client=ClientFactory(office=office_b)), session.start_date)
    bump_offices([office_b.pk])
    page = _page(client).content.decode()
    assert 'data-stale="1"' in page  # office B's row is a moment old, and the page says so
    assert dummy_tasks.results, "the worker was asked to recompute office B"
    data = build_dataset("participation", scope=ReportScope(office=None, personal_data=False),
                         date_from=D(2022, 1, 1), date_to=D(2023, 12, 31), freshness={})  # fmt: skip
    assert data["totals"]["participants"] == 5  # the row of a moment ago
    for year in (2022, 2023):  # the worker runs
        rollups.compute_office_rollups.call([office_b.pk], year)
    page = _page(client).content.decode()
    assert "data-stale" not in page
    data = build_dataset("participation", scope=ReportScope(office=None, personal_data=False),
                         date_from=D(2022, 1, 1), date_to=D(2023, 12, 31), freshness={})  # fmt: skip
    assert data["totals"]["participants"] == 6


def test_without_a_recent_row_the_page_computes_the_change_at_once(world, regions, login, rita, office_b, settings):
    settings.DASHBOARD_STALE_MINUTES = 0
    client = login(rita)
    _page(client)
    session = world["sb"]
    _attend(EnrolmentFactory(session=session, client=ClientFactory(office=office_b)), session.start_date)
    bump_offices([office_b.pk])
    data = build_dataset("participation", scope=ReportScope(office=None, personal_data=False),
                         date_from=D(2022, 1, 1), date_to=D(2023, 12, 31), freshness={})  # fmt: skip
    assert data["totals"]["participants"] == 6


def test_too_many_missing_rows_are_queued_and_the_page_says_so(world, regions, login, rita, settings, dummy_tasks):
    settings.REPORT_ROLLUP_INLINE_SECONDS = 0
    client = login(rita)
    response = _page(client)
    assert response.status_code == 202 and response["Refresh"] == "5"
    body = response.content.decode()
    assert "data-pending" in body and "sedang disiapkan" in body
    queued = [(r.args[0], r.args[1]) for r in dummy_tasks.results]
    assert sorted(year for _ids, year in queued) == [2022, 2023]
    # the download of the same report waits on the page too (nothing is computed in its request)
    download = client.get(reverse("reports:download", args=["participation", "json"]), PARTICIPATION)
    assert download.status_code == 302 and reverse("reports:report", args=["participation"]) in download["Location"]
    for office_ids, year in queued:  # the worker runs
        rollups.compute_office_rollups.call(office_ids, year)
    assert _page(client).status_code == 200


def test_the_worker_refresh_of_an_office_brings_its_rollups_up_to_date(world, regions, office_a, login, rita):
    login(rita)
    rollups.ensure_current(office_a, [2022, 2023])
    bump_offices([office_a.pk])
    version = current_versions([office_a.pk])[office_a.pk]
    assert set(OfficeRollup.objects.filter(office=office_a).values_list("version", flat=True)) == {version - 1}
    summaries.refresh_office_summaries.call([office_a.pk])
    assert set(OfficeRollup.objects.filter(office=office_a).values_list("version", flat=True)) == {version}


def test_refresh_dashboards_computes_this_years_and_last_years_rows(office_a, office_b, capsys):
    call_command("refresh_dashboards")
    year = timezone.localdate().year
    assert set(OfficeRollup.objects.values_list("office__code", "year")) == {
        (code, y) for code in (office_a.code, office_b.code) for y in (year - 1, year)
    }
    assert "4 rollup(s) computed" in capsys.readouterr().out
    call_command("refresh_dashboards")
    assert "0 rollup(s) computed" in capsys.readouterr().out  # current rows are left alone


# --- what the page shows ---------------------------------------------------------------------------


def test_a_long_table_shows_its_first_rows_and_says_how_many_there_are(world, regions, login, rita, monkeypatch):
    monkeypatch.setattr("reports.tables.PAGE_ROWS", 1)
    body = _page(login(rita)).content.decode()
    assert 'data-rows-shown="1" data-rows-total="3"' in body  # the sessions of both offices
    assert "unduhan XLSX dan CSV memuat semua baris" in body


def test_page_tables_keep_short_tables_whole():
    short = Table("a", "A", [Column("x", "X")], [{"x": i} for i in range(PAGE_ROWS)])
    long = Table("b", "B", [Column("x", "X")], [{"x": i} for i in range(PAGE_ROWS + 5)])
    page_tables([short, long])
    assert len(short.rows) == PAGE_ROWS and "total_rows" not in short.extra
    assert len(long.rows) == PAGE_ROWS and long.extra["total_rows"] == PAGE_ROWS + 5


def test_a_viewer_filters_by_an_offices_partner_once_the_office_is_chosen(world, regions, login, rita):
    client = login(rita)
    option = f'<option value="{world["kopi"].pk}">Mitra Kopi Nusantara</option>'
    body = _page(client).content.decode()
    assert option not in body  # office A's own partner: thousands of these nationwide
    assert "Pilih kantor" in body  # the field says how to get them
    body = _page(client, office="TNG").content.decode()
    assert option in body
    filtered = _page(client, office="TNG", partner=world["kopi"].pk)
    assert filtered.status_code == 200
