"""The PK's panel on the worklist (reports.panels.pk_panel): figures worked out by hand, fixed queries.

Alice's caseload, seen on 15 March 2026 (last complete month: February 2026):
  m1 monthly 2026-01-01..2026-12-31, reported in January and February          -> due 2, reported 2
  m2 monthly 2025-12-15..2026-06-30, reported in December and (current) March  -> due 3, reported 1
  So December 1/1, January 1/2, February 1/2: last month 50%, 12 months 3 of 5.
  c3, c4, c5 finished their programme before the 12 months began (no period due).
Trainings (participations of Alice's clients):
  e1 m1 present, NOT_APPLIED then WORKS_IN_FIELD (latest)      -> followed up, implemented
  e2 m2 late, SIDE_INCOME then UNREACHABLE (latest)            -> followed up, not implemented
  e3 c3 present, no follow-up                                  -> participant only
  e4 c4 absent only, OWN_BUSINESS                              -> not a participant: ignored
  e5 c5 withdrawn (present), OWN_BUSINESS                      -> not counted: ignored
  e6 m1 again, second session, present, OWN_BUSINESS           -> followed up, implemented
  Paula's and Bob's clients, with reports and implemented outcomes, are outside Alice's figures.
So 4 participants, 3 followed up, 2 implemented, 1 not followed up, rate 2/3.
"""

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.panels import pk_panel
from tests.factories import (
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    ReportingVisitFactory,
    TrainingSessionFactory,
    aware,
)
from trainings.models import Attendance, Enrolment, FollowUp

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 15)
D = dt.date


def _report(client, day):
    return ReportingVisitFactory(client=client, reported_at=aware(day.year, day.month, day.day, 10))


def _participation(session, client, day_status=Attendance.Status.PRESENT, outcomes=(), **fields):
    enrolment = EnrolmentFactory(session=session, client=client, **fields)
    AttendanceFactory(enrolment=enrolment, date=session.start_date, status=day_status)
    for day, outcome in outcomes:
        FollowUpFactory(enrolment=enrolment, date=day, status=outcome)
    return enrolment


@pytest.fixture
def caseload(office_a, office_b, alice, paula, bob):
    def client(officer, start, end, **fields):
        return ClientFactory(office=officer.office, officer=officer, programme_start=start, programme_end=end, **fields)

    m1 = client(alice, D(2026, 1, 1), D(2026, 12, 31), name="Mulyadi Satu")
    m2 = client(alice, D(2025, 12, 15), D(2026, 6, 30), name="Marno Dua")
    finished = [client(alice, D(2023, 1, 1), D(2025, 2, 28), name=f"Selesai {i}") for i in (3, 4, 5)]
    c3, c4, c5 = finished
    for day in (D(2026, 1, 10), D(2026, 2, 5)):
        _report(m1, day)
    for day in (D(2025, 12, 20), D(2026, 3, 2)):
        _report(m2, day)
    other = client(paula, D(2025, 1, 1), D(2026, 12, 31), name="Klien Paula")
    for month in range(1, 3):
        _report(other, D(2026, month, 3))
    far = client(bob, D(2025, 1, 1), D(2026, 12, 31), name="Klien Bob")
    _report(far, D(2026, 2, 3))

    s1 = TrainingSessionFactory(office=office_a, start_date=D(2025, 10, 1))
    s2 = TrainingSessionFactory(office=office_a, start_date=D(2025, 11, 3))
    present, late, absent = Attendance.Status.PRESENT, Attendance.Status.LATE, Attendance.Status.ABSENT
    _participation(s1, m1, present, [(D(2025, 11, 1), FollowUp.Status.NOT_APPLIED),
                                     (D(2026, 1, 1), FollowUp.Status.WORKS_IN_FIELD)])  # fmt: skip
    _participation(s1, m2, late, [(D(2026, 1, 1), FollowUp.Status.UNREACHABLE),
                                  (D(2025, 11, 1), FollowUp.Status.SIDE_INCOME)])  # fmt: skip
    _participation(s1, c3, present)
    _participation(s1, c4, absent, [(D(2025, 11, 1), FollowUp.Status.OWN_BUSINESS)])
    _participation(s1, c5, present, [(D(2025, 11, 1), FollowUp.Status.OWN_BUSINESS)],
                   status=Enrolment.Status.WITHDRAWN)  # fmt: skip
    _participation(s2, m1, present, [(D(2025, 12, 3), FollowUp.Status.OWN_BUSINESS)])
    _participation(s2, other, present, [(D(2025, 12, 3), FollowUp.Status.WORKS_IN_FIELD)])
    sb = TrainingSessionFactory(office=office_b, start_date=D(2025, 10, 1))
    _participation(sb, far, present, [(D(2025, 11, 1), FollowUp.Status.SIDE_INCOME)])
    return {"m1": m1, "m2": m2}


def grow(office, officer, n=5):
    """More of everything for the same PK: the number of queries must stay the same."""
    for i in range(n):
        session = TrainingSessionFactory(office=office, start_date=D(2025, 9, 1) + dt.timedelta(days=i))
        for j in range(3):
            c = ClientFactory(office=office, officer=officer, programme_start=D(2025, 6, 1),
                              programme_end=D(2026, 12, 31), reporting_frequency="MINGGUAN" if j else "BULANAN")  # fmt: skip
            _report(c, D(2025, 7, 1) + dt.timedelta(days=7 * (i + j)))
            _participation(session, c, outcomes=[(D(2025, 12, 1), FollowUp.Status.SIDE_INCOME)] if j else [])


def test_figures_on_hand_made_data(caseload, alice):
    panel = pk_panel(alice, DAY)
    assert (panel["participants"], panel["followed_up"], panel["implemented"]) == (4, 3, 2)
    assert panel["not_followed_up"] == 1
    assert panel["rate"] == 0.6667  # 2 / 3, four decimals as every rate
    assert panel["rate_low"] < 2 / 3 < panel["rate_high"]
    assert {o["status"]: (o["participants"], o["implemented"]) for o in panel["outcomes"]} == {
        FollowUp.Status.WORKS_IN_FIELD: (1, True),
        FollowUp.Status.OWN_BUSINESS: (1, True),
        FollowUp.Status.UNREACHABLE: (1, False),
    }
    compliance = panel["compliance"]
    assert compliance["last_month"]["month"] == "2026-02"
    assert (compliance["last_month"]["due"], compliance["last_month"]["reported"]) == (2, 1)
    assert compliance["last_month"]["rate"] == 0.5
    assert (compliance["data"]["totals"]["due"], compliance["data"]["totals"]["reported"]) == (5, 3)
    months = {row["month"]: row for row in compliance["months"]}
    assert len(compliance["months"]) == 12 and compliance["months"][-1]["month"] == "2026-03"
    assert [months[m]["rate"] for m in ("2025-11", "2025-12", "2026-01", "2026-02")] == [None, 1.0, 0.5, 0.5]


def test_panel_html(caseload, alice):
    with timezone.override("Asia/Jakarta"):
        html = render_to_string("reports/_pk_panel.html", {"pk_panel": pk_panel(alice, DAY)})
    assert 'data-kpi="pk_compliance">50' in html
    assert 'data-kpi="pk_rate">66' in html
    assert "<svg" in html and "style=" not in html and "<script" not in html


def test_other_pk_sees_own_figures_only(caseload, paula):
    panel = pk_panel(paula, DAY)
    assert (panel["participants"], panel["followed_up"], panel["implemented"]) == (1, 1, 1)
    totals = panel["compliance"]["data"]["totals"]
    # Paula's client is due every month from April 2025 (the first of the 12 months) to February 2026.
    assert (totals["due"], totals["reported"]) == (11, 2)


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_queries_fixed_for_two_sizes(caseload, office_a, alice):
    small = _count(lambda: pk_panel(alice, DAY))
    grow(office_a, alice)
    large = _count(lambda: pk_panel(alice, DAY))
    assert pk_panel(alice, DAY)["participants"] == 4 + 5 * 3
    # the compliance trend reads the excused absences too, and the transfers between offices
    assert small == large <= 10


def test_panel_on_the_pk_worklist_only(login, office_a, alice, kasi_a, kabapas_a):
    t = timezone.localdate()
    mine = ClientFactory(office=office_a, officer=alice, name="Klien Alice")
    session = TrainingSessionFactory(office=office_a, start_date=t - dt.timedelta(days=90))
    _participation(session, mine, outcomes=[(t - dt.timedelta(days=10), FollowUp.Status.OWN_BUSINESS)])
    response = login(alice).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["pk_panel"]["implemented"] == 1
    assert 'id="pk-panel-title"' in body and 'data-kpi="pk_rate">100' in body
    # The worklist stays the main content: the panel comes after its sections.
    assert body.index('id="due-today"') < body.index('id="pk-panel-title"')
    for other in (kasi_a, kabapas_a):
        response = login(other).get(reverse("worklist"))
        assert response.status_code == 200
        assert response.context["pk_panel"] is None and "pk-panel" not in response.content.decode()
