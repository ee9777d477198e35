"""Dashboard summary rows (reports.summaries): served while current, outdated by every change that can
move a figure (each write path: tests/test_data_version.py), recomputed in the background, and adding up
to the same numbers as the raw aggregates."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from bapas.models import OfficeDataVersion
from clients import services
from clients.compliance import compliance_dataset
from reports import dashboards, office_figures, summaries
from reports.datasets import implementation_with_sessions
from reports.models import OfficeSummary
from tests.factories import (
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    ReportingVisitFactory,
    TrainingSessionFactory,
    TrainingTypeFactory,
)
from trainings.models import FollowUp

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def version(office):
    return OfficeDataVersion.objects.get(office=office).version


def register(office, officer):
    """Register a client as the app does (clients.services): the office's summaries are outdated with it.
    Which writes outdate them is tests/test_data_version.py's business."""
    built = ClientFactory.build(office=office)
    data = {name: getattr(built, name) for name in services.EDITABLE_FIELDS}
    return services.client_register(office=office, data=data, user=officer)


def test_a_new_office_gets_its_version_row(office_a):
    assert OfficeDataVersion.objects.filter(office=office_a).exists()


def test_summary_is_served_until_a_change_outdates_it(office_a, alice):
    t = today()
    register(office_a, alice)
    assert dashboards.office_dashboard(office_a, today=t)["clients"]["total"] == 1
    row = OfficeSummary.objects.get(office=office_a, day=t)
    assert row.version == version(office_a)
    # A current row is served as stored, not recomputed: plant a marker and see it come back.
    row.data["clients"]["total"] = 999
    row.save()
    assert dashboards.office_dashboard(office_a, today=t)["clients"]["total"] == 999
    # Registering a client outdates it: the dashboard is right again at once.
    register(office_a, alice)
    assert dashboards.office_dashboard(office_a, today=t)["clients"]["total"] == 2
    assert OfficeSummary.objects.filter(office=office_a, day=t).count() == 1  # replaced, not added


def test_rows_are_per_day_and_language_and_old_days_are_dropped(office_a, alice):
    t = today()
    register(office_a, alice)
    for day in (t - dt.timedelta(days=3), t - dt.timedelta(days=1), t):
        summaries.office_summary(office_a, day)
    with translation.override("en"):
        summaries.office_summary(office_a, t)
    rows = set(OfficeSummary.objects.filter(office=office_a).values_list("day", "language"))
    assert rows == {(t - dt.timedelta(days=1), "id"), (t, "id"), (t, "en")}


def test_after_commit_the_worker_recomputes_the_row(office_a, alice, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}  # fmt: skip
    summaries._recently_queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register(office_a, alice)
    row = OfficeSummary.objects.get(office=office_a, day=summaries.office_today(office_a))
    assert row.version == version(office_a) and row.data["clients"]["total"] == 1
    assert OfficeDataVersion.objects.get(office=office_a).refresh_queued is False


def test_refresh_dashboards_command(office_a, office_b, alice, capsys):
    register(office_a, alice)
    OfficeDataVersion.objects.filter(office=office_a).update(refresh_queued=True)  # a worker that died
    call_command("refresh_dashboards")
    assert OfficeSummary.objects.filter(day=summaries.office_today(office_a)).count() == 2
    assert not OfficeDataVersion.objects.filter(refresh_queued=True).exists()
    assert "2 office(s)" in capsys.readouterr().out


def test_regional_sums_agree_with_the_raw_aggregates(office_a, office_b, alice, bob):
    t = today()
    for office, officer, n in ((office_a, alice, 3), (office_b, bob, 2)):
        type_ = TrainingTypeFactory(office=office, name="Barista")
        session = TrainingSessionFactory(office=office, training_type=type_, start_date=t - dt.timedelta(days=60),
                                         end_date=t - dt.timedelta(days=60))  # fmt: skip
        for i in range(n):
            client = ClientFactory(office=office, officer=officer, programme_start=t - dt.timedelta(days=200))
            enrolment = EnrolmentFactory(session=session, client=client)
            AttendanceFactory(enrolment=enrolment)
            if i:
                FollowUpFactory(enrolment=enrolment, date=t - dt.timedelta(days=20),
                                status=FollowUp.Status.OWN_BUSINESS if i == 1 else FollowUp.Status.NOT_APPLIED)  # fmt: skip
            ReportingVisitFactory(client=client, reported_at=timezone.now() - dt.timedelta(days=40))
    data = dashboards.regional_dashboard(today=t)
    raw, _rows = implementation_with_sessions(
        date_from=office_figures.IMPLEMENTATION_SINCE, date_to=dt.date(t.year, 12, 31)
    )
    for field in ("participants", "followed_up", "implemented", "rate", "rate_low", "rate_high"):
        assert data["implementation"]["totals"][field] == raw["totals"][field]
    shown = [data["total"][k] for k in ("participants_all", "followed_up", "implemented", "implementation_rate")]
    assert shown == [raw["totals"][k] for k in ("participants", "followed_up", "implemented", "rate")]
    merged = [(g["training_type"], g["participants"], g["followed_up"], g["implemented"], g["rate_low"])
              for g in data["implementation"]["by_training_type"]]  # fmt: skip
    assert merged == [(g["training_type"], g["participants"], g["followed_up"], g["implemented"], g["rate_low"])
                      for g in raw["by_training_type"]]  # fmt: skip
    assert merged[0][:4] == ("Barista", 5, 3, 2)
    months = dashboards.months_back(t, 12)
    compliance = compliance_dataset(date_from=dt.date(months[0][0], months[0][1], 1), date_to=t, today=t)
    assert data["total"]["compliance_due"] == compliance["totals"]["due"] > 0
    assert data["total"]["compliance_rate"] == compliance["totals"]["rate"]
    assert data["total"]["clients"] == 5


def test_pk_panel_takes_its_compliance_from_a_current_summary(office_a, alice, paula):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.panels import pk_panel

    t = today()
    for officer, ago in ((alice, (35, 70, 100)), (paula, (40,))):
        client = ClientFactory(office=office_a, officer=officer, programme_start=t - dt.timedelta(days=300))
        for days in ago:
            ReportingVisitFactory(client=client, reported_at=timezone.now() - dt.timedelta(days=days))
    direct = pk_panel(alice, t)  # no summary row yet: counted from alice's caseload
    summaries.office_summary(office_a, t)
    with CaptureQueriesContext(connection) as ctx:
        from_summary = pk_panel(alice, t)
    assert len(ctx.captured_queries) == 2  # the summary row and the outcomes
    assert from_summary["compliance"]["months"] == direct["compliance"]["months"]
    assert from_summary["compliance"]["data"]["totals"] == direct["compliance"]["data"]["totals"]
    assert direct["compliance"]["data"]["totals"]["due"] > direct["compliance"]["data"]["totals"]["reported"] > 0
    # Once outdated, the row is not used (and not recomputed for a PK's page).
    register(office_a, alice)
    with CaptureQueriesContext(connection) as ctx:
        pk_panel(alice, t)
    assert len(ctx.captured_queries) > 2
    assert not OfficeSummary.objects.filter(office=office_a, day=t, version=version(office_a)).exists()


# --- the regional dashboard while rows are being recomputed ------------------------------------------


@pytest.fixture
def dummy_tasks(settings):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}  # fmt: skip
    summaries._recently_queued.clear()
    backend = task_backends["default"]
    backend.clear()
    return backend


def _regional(login, rita):
    response = login(rita).get("/laporan/dasbor/wilayah/")
    assert response.status_code == 200
    return response


def test_regional_shows_a_recent_row_while_the_worker_recomputes_and_says_so(
    login, rita, office_a, office_b, alice, bob, dummy_tasks
):
    register(office_a, alice)
    register(office_b, bob)
    first = _regional(login, rita)
    assert first.context["total"]["clients"] == 2 and not first.context["stale_count"]
    assert b"data-stale" not in first.content
    register(office_a, alice)  # outdates office A's row
    second = _regional(login, rita)
    # The row of a moment ago is shown, marked, and a refresh of office A is queued.
    assert second.context["total"]["clients"] == 2
    assert second.context["stale_count"] == 1
    html = second.content.decode()
    assert 'data-stale="1"' in html and "sedang dihitung ulang" in html
    assert html.count("data-stale-office") == 1
    [result] = dummy_tasks.results
    assert result.task.name == "refresh_office_summaries" and result.args == [[office_a.pk]]
    assert OfficeDataVersion.objects.get(office=office_a).refresh_queued is True
    # Opening the page again queues nothing more; once the worker ran, the figures are current.
    _regional(login, rita)
    assert len(dummy_tasks.results) == 1
    summaries.refresh_office_summaries.call([office_a.pk])
    third = _regional(login, rita)
    assert third.context["total"]["clients"] == 3 and not third.context["stale_count"]
    assert OfficeDataVersion.objects.get(office=office_a).refresh_queued is False


def test_regional_computes_in_the_request_when_no_recent_row_exists(
    login, rita, office_a, office_b, alice, bob, dummy_tasks, settings
):
    register(office_a, alice)
    assert _regional(login, rita).context["total"]["clients"] == 1  # no row at all: computed now
    register(office_b, bob)
    OfficeSummary.objects.update(computed_at=timezone.now() - dt.timedelta(minutes=61))  # too old to show
    response = _regional(login, rita)
    assert response.context["total"]["clients"] == 2 and not response.context["stale_count"]
    register(office_a, alice)
    settings.DASHBOARD_STALE_MINUTES = 0  # never show an outdated row
    response = _regional(login, rita)
    assert response.context["total"]["clients"] == 3 and not response.context["stale_count"]
    assert not dummy_tasks.results


def test_regional_shows_yesterdays_row_on_a_new_day_until_the_worker_ran(office_a, alice, dummy_tasks):
    t = today()
    register(office_a, alice)
    summaries.office_summary(office_a, t - dt.timedelta(days=1))
    stale: dict = {}
    data = summaries.office_summaries([office_a], t, stale=stale)
    assert data[office_a.pk]["clients"]["total"] == 1 and list(stale) == [office_a.pk]
    assert not OfficeSummary.objects.filter(day=t).exists()
    assert [r.args for r in dummy_tasks.results] == [[[office_a.pk]]]


def test_a_mass_outdating_queues_a_few_batched_tasks_in_a_fixed_number_of_queries(dummy_tasks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OfficeFactory

    offices = [OfficeFactory() for _ in range(23)]
    ids = [o.pk for o in offices]
    with CaptureQueriesContext(connection) as ctx:
        summaries.queue_refresh(ids)
    batches = [r.args[0] for r in dummy_tasks.results]
    assert [len(b) for b in batches] == [10, 10, 3] and sorted(pk for b in batches for pk in b) == sorted(ids)
    assert len(ctx.captured_queries) == 2  # which are not queued yet; mark them (the dummy queue stores nothing)
    assert not OfficeDataVersion.objects.filter(office_id__in=ids, refresh_queued=False).exists()
    summaries._recently_queued.clear()
    summaries.queue_refresh(ids)  # all pending already: nothing new
    assert len(dummy_tasks.results) == 3


def test_office_dashboard_shows_the_recent_row_while_the_worker_recomputes(login, kasi_a, office_a, alice, dummy_tasks):
    register(office_a, alice)
    page = login(kasi_a).get("/laporan/dasbor/kantor/")
    assert page.context["clients"]["total"] == 1 and page.context["stale_since"] is None
    register(office_a, alice)
    page = login(kasi_a).get("/laporan/dasbor/kantor/")
    assert page.context["clients"]["total"] == 1 and page.context["stale_since"] is not None
    assert "sedang dihitung ulang" in page.content.decode()
    assert [r.args for r in dummy_tasks.results] == [[[office_a.pk]]]
    summaries.refresh_office_summaries.call([office_a.pk])
    page = login(kasi_a).get("/laporan/dasbor/kantor/")
    assert page.context["clients"]["total"] == 2 and page.context["stale_since"] is None
    # The function itself (reports, tests, the PK panel's callers) still answers with current figures.
    register(office_a, alice)
    assert dashboards.office_dashboard(office_a, today=today())["clients"]["total"] == 3


def test_the_regional_dashboard_reads_only_its_parts_of_each_row(office_a, office_b, alice, bob, world):
    """The whole rows of 100 offices are megabytes (the PKs' months, every session); the regional and
    national dashboards read the totals and two breakdowns they show, stored or computed now alike."""
    t = today()
    computed = summaries.office_summaries([office_a, office_b], t, parts=summaries.REGIONAL_PARTS)
    stored = summaries.office_summaries([office_a, office_b], t, parts=summaries.REGIONAL_PARTS)
    whole = summaries.office_summaries([office_a, office_b], t)
    assert computed == stored
    for office in (office_a, office_b):
        part = stored[office.pk]
        assert "by_officer_month" in whole[office.pk]["compliance"] and "by_officer_month" not in part["compliance"]
        assert "by_session" not in part["implementation"]
        assert part["compliance"]["totals"] == whole[office.pk]["compliance"]["totals"]
        assert part["implementation"]["by_training_type"] == whole[office.pk]["implementation"]["by_training_type"]
        assert (part["clients"], part["years"], part["overdue"], part["gap"]) == (
            whole[office.pk]["clients"], whole[office.pk]["years"], whole[office.pk]["overdue"], whole[office.pk]["gap"]
        )  # fmt: skip
    assert stored[office_a.pk]["implementation"]["totals"]["participants"] == 4
