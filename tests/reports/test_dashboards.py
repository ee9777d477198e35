import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.data_version import bump_all_offices
from bapas.models import Office
from reports import dashboards, office_figures, summaries
from reports.panels import pk_panel
from tests.factories import (
    AgreementFactory,
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    ReportingVisitFactory,
    TrainingSessionFactory,
)
from trainings.models import FollowUp

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def recent(office_a, office_b, alice, bob):
    """Data around today: a gap client, an overdue follow-up, an expiring PKS, upcoming and open sessions."""
    t = today()
    gap = ClientFactory(office=office_a, officer=alice, name="Rudi Gap Santoso", nik="3671010101900077",
                        programme_end=t + dt.timedelta(days=30))  # fmt: skip
    ended = TrainingSessionFactory(office=office_a, code="PLT-OLD", title="Pijat Refleksi",
                                   start_date=t - dt.timedelta(days=70), end_date=t - dt.timedelta(days=69))  # fmt: skip
    overdue = EnrolmentFactory(session=ended, client=ClientFactory(office=office_a, officer=alice, name="Tono Telat"))
    AttendanceFactory(enrolment=overdue, date=ended.start_date)
    done = EnrolmentFactory(session=ended, client=ClientFactory(office=office_a, officer=alice, name="Dina Sukses"))
    AttendanceFactory(enrolment=done, date=ended.start_date)
    FollowUpFactory(enrolment=done, date=t - dt.timedelta(days=5), status=FollowUp.Status.SIDE_INCOME)
    AgreementFactory(partner=ended.partner, number="PKS/EXP/1", end_date=t + dt.timedelta(days=20))
    upcoming = TrainingSessionFactory(office=office_a, code="PLT-NEXT", title="Barista Lanjutan",
                                      start_date=t + dt.timedelta(days=10), end_date=t + dt.timedelta(days=10))  # fmt: skip
    open_session = TrainingSessionFactory(office=office_a, code="PLT-OPEN", title="Tata Boga",
                                          start_date=t - dt.timedelta(days=1), end_date=t)  # fmt: skip
    EnrolmentFactory(session=open_session, client=ClientFactory(office=office_a, officer=alice))
    ReportingVisitFactory(client=gap)
    other = TrainingSessionFactory(office=office_b, start_date=t - dt.timedelta(days=70),
                                   end_date=t - dt.timedelta(days=70))  # fmt: skip
    AttendanceFactory(enrolment=EnrolmentFactory(session=other, client=ClientFactory(office=office_b, officer=bob)))
    return {"gap": gap, "ended": ended, "upcoming": upcoming, "open": open_session}


def grow(office, officer, n=6):
    t = today()
    for i in range(n):
        session = TrainingSessionFactory(office=office, start_date=t - dt.timedelta(days=40 + i),
                                         end_date=t - dt.timedelta(days=40 + i))  # fmt: skip
        for _ in range(3):
            enrolment = EnrolmentFactory(session=session, client=ClientFactory(office=office, officer=officer))
            AttendanceFactory(enrolment=enrolment, date=session.start_date)
        ClientFactory(office=office, officer=officer, programme_end=t + dt.timedelta(days=10))
        AgreementFactory(partner=session.partner, end_date=t + dt.timedelta(days=40))


def test_office_dashboard_figures(recent, office_a):
    data = dashboards.office_dashboard(office_a, today=today())
    assert data["clients"]["total"] == 4  # office A: Rudi, Tono, Dina and the open session's client
    assert data["gap"]["total"] == 1  # only Rudi's programme ends within 60 days
    names = [c.name for c in data["gap"]["clients"]]
    assert "Rudi Gap Santoso" in names and "Dina Sukses" not in names
    assert data["overdue"]["total"] == 1  # Tono: one month passed, no follow-up; Dina followed up
    assert data["implementation"]["totals"]["participants"] == 2
    assert data["implementation"]["totals"]["implemented"] == 1
    assert [a.number for a in data["alerts"]["expiring_90"]] == ["PKS/EXP/1"]
    assert "<svg" in data["year_chart"] and "<svg" in data["compliance"]["chart"]


def test_reintegration_gap_counts(office_a, alice):
    t = today()
    soon = ClientFactory(office=office_a, officer=alice, programme_end=t + dt.timedelta(days=59))
    ClientFactory(office=office_a, officer=alice, programme_end=t + dt.timedelta(days=61))  # later
    trained = ClientFactory(office=office_a, officer=alice, programme_end=t + dt.timedelta(days=10))
    session = TrainingSessionFactory(office=office_a, start_date=t - dt.timedelta(days=90))
    enrolment = EnrolmentFactory(session=session, client=trained)
    AttendanceFactory(enrolment=enrolment)
    FollowUpFactory(enrolment=enrolment, status=FollowUp.Status.NOT_APPLIED)
    gap = office_figures.reintegration_gap(office_a, today=t)
    assert [c.pk for c in gap["clients"]] == [soon.pk]


def test_reintegration_gap_total_counts_beyond_the_listed_clients(office_a, alice):
    """The KPI is the true number of clients in the gap; the list stops at 25."""
    t = today()
    in_gap = [ClientFactory(office=office_a, officer=alice, programme_end=t + dt.timedelta(days=5)) for _ in range(27)]
    took_part = in_gap[0]
    took_part.programme_end = t + dt.timedelta(days=4)  # listed first
    took_part.save()
    session = TrainingSessionFactory(office=office_a, start_date=t - dt.timedelta(days=90))
    AttendanceFactory(enrolment=EnrolmentFactory(session=session, client=took_part))  # took part, no follow-up
    gap = office_figures.reintegration_gap(office_a, today=t)
    assert gap["total"] == 27 and gap["more"] is True and len(gap["clients"]) == office_figures.GAP_LIST_LIMIT
    assert {c.pk: c.took_part for c in gap["clients"]}[took_part.pk] is True
    counted = office_figures.reintegration_gap(office_a, today=t, with_names=False)
    assert counted["total"] == 27 and counted["by_office"] == {office_a.pk: 27}


def test_office_dashboard_page(recent, login, kasi_a, kabapas_a):
    for user in (kasi_a, kabapas_a):
        response = login(user).get(reverse("home"))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Rudi Gap Santoso" in body and "PKS/EXP/1" in body and "<svg" in body
        assert "style=" not in body.split("<main", 1)[1]
    assert login(kasi_a).get(reverse("reports:dashboard_office")).status_code == 200


def test_dashboard_roles_and_methods(recent, login, client, alice, kasi_a, kasubsi_a, rita):
    assert login(alice).get(reverse("reports:dashboard_office")).status_code == 403
    assert login(kasi_a).get(reverse("reports:dashboard_kasubsi")).status_code == 403
    assert login(kasi_a).get(reverse("reports:dashboard_regional")).status_code == 403
    assert login(rita).get(reverse("reports:dashboard_office")).status_code == 403
    assert login(kasi_a).post(reverse("reports:dashboard_office")).status_code == 405
    assert login(kasubsi_a).post(reverse("reports:dashboard_kasubsi")).status_code == 405
    assert login(rita).post(reverse("reports:dashboard_regional")).status_code == 405
    client.logout()
    assert client.get(reverse("reports:dashboard_office")).status_code == 302


def test_kasubsi_dashboard(recent, login, kasubsi_a):
    response = login(kasubsi_a).get(reverse("home"))
    assert response.status_code == 200
    ctx = response.context
    assert [s.code for s in ctx["upcoming"]] == ["PLT-NEXT"]
    # PLT-OLD ran two days but only its first day was recorded; PLT-OPEN has nothing for two days.
    assert [(s.code, s.missing_count) for s in ctx["attendance_due"]] == [("PLT-OLD", 2), ("PLT-OPEN", 2)]
    assert ctx["certificates_total"] == 2  # the two participants of PLT-OLD have none
    assert "PKS/EXP/1" in response.content.decode()


def test_regional_dashboard_side_by_side_without_names(recent, login, rita, alice):
    response = login(rita).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    rows = {row["office"].code: row for row in response.context["rows"]}
    assert rows["TNG"]["gap"] == 1 and rows["BPN"]["participants_all"] == 1
    assert rows["TNG"]["expiring"] == 1 and rows["TNG"]["overdue"] == 1
    total = response.context["total"]
    assert total["participants_all"] == 3 and total["clients"] == rows["TNG"]["clients"] + rows["BPN"]["clients"]
    for secret in ("Rudi Gap Santoso", "3671010101900077", "Tono Telat", "Dina Sukses", alice.get_full_name()):
        assert secret not in body


@pytest.mark.parametrize(("user_fixture", "limit"), [("kasi_a", 15), ("kasubsi_a", 15), ("rita", 15)])
def test_dashboard_queries_are_few_and_fixed(recent, request, login, office_a, alice, user_fixture, limit, settings):
    """Queries per dashboard request do not grow with the data: when the summary rows are current
    (the usual case) and right after a change outdated them (an office dashboard recomputes its row
    once; the regional one shows the recent rows and queues their refresh)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}  # fmt: skip
    user = request.getfixturevalue(user_fixture)
    client = login(user)
    client.get(reverse("home"))  # first request of a session also writes the session

    def count():
        summaries._recently_queued.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        # session, user and office are loaded by the middleware for every page
        return len(ctx.captured_queries) - (3 if user.office_id else 2)

    def cold_and_warm():
        bump_all_offices()
        cold = count()
        summaries.refresh_office_summaries.call(list(Office.objects.values_list("pk", flat=True)))  # the worker
        return cold, count()

    small_cold, small_warm = cold_and_warm()
    grow(office_a, alice)
    large_cold, large_warm = cold_and_warm()
    assert (small_cold, small_warm) == (large_cold, large_warm)
    assert large_warm <= limit and large_cold <= limit


def test_pk_panel(recent, office_a, alice):
    t = today()
    ReportingVisitFactory(client=recent["gap"], reported_at=timezone.now() - dt.timedelta(days=35))
    with CaptureQueriesContext(connection) as ctx:
        panel = pk_panel(alice, t)
    # the compliance trend reads the excused absences too, and the transfers between offices
    assert len(ctx.captured_queries) <= 10
    assert (panel["participants"], panel["followed_up"], panel["implemented"]) == (2, 1, 1)
    assert panel["rate"] == 1.0 and panel["not_followed_up"] == 1
    assert panel["compliance"]["data"]["totals"]["due"] >= 1
    html = render_to_string("reports/_pk_panel.html", {"pk_panel": panel})
    assert "<svg" in html and "style=" not in html
