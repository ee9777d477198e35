"""Partner page figures (with trainings/selectors.py rules), current-first ordering, and query budgets."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AgreementFactory,
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    PartnerFactory,
    TrainingSessionFactory,
    TrainingTypeFactory,
)
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession

pytestmark = pytest.mark.django_db


def build_partner(office, *, sessions=2, per_session=3, agreements=2, name="Dinas Sosial Provinsi Banten"):
    partner = PartnerFactory(office=office, name=name)
    partner.training_types.add(TrainingTypeFactory(office=office, name=f"Make-up {name}"))
    today = timezone.localdate()
    previous = None
    for i in range(agreements):
        previous = AgreementFactory(
            partner=partner,
            renews=previous,
            start_date=today - dt.timedelta(days=365 * (agreements - i)),
            end_date=today
            - dt.timedelta(days=365 * (agreements - i - 1) + 1)
            + dt.timedelta(days=200 if i == agreements - 1 else 0),
        )
    for s in range(sessions):
        session = TrainingSessionFactory(
            office=office,
            partner=partner,
            agreement=previous,
            start_date=dt.date(2023, 1, 10) + dt.timedelta(days=30 * s),
            end_date=dt.date(2023, 1, 11) + dt.timedelta(days=30 * s),
            status=TrainingSession.Status.HELD,
        )
        for _ in range(per_session):
            enrolment = EnrolmentFactory(session=session, client=ClientFactory(office=office))
            AttendanceFactory(enrolment=enrolment, date=session.start_date)
            AttendanceFactory(enrolment=enrolment, date=session.end_date, status=Attendance.Status.ABSENT)
            FollowUpFactory(enrolment=enrolment, status=FollowUp.Status.SIDE_INCOME)
    return partner


def test_partner_figures_follow_the_contract_definitions(login, kasi_a, office_a):
    partner = PartnerFactory(office=office_a, name="Dinas Sosial Provinsi Banten")
    session = TrainingSessionFactory(
        office=office_a, partner=partner, start_date=dt.date(2022, 11, 15), end_date=dt.date(2022, 11, 16)
    )
    # five enrolments: 2 attend both days, 1 attends one day, 1 never attends, 1 withdrawn (not counted)
    rows = []
    for days_present in (2, 2, 1, 0):
        enrolment = EnrolmentFactory(session=session, client=ClientFactory(office=office_a))
        for i, day in enumerate(session.dates()):
            status = Attendance.Status.PRESENT if i < days_present else Attendance.Status.ABSENT
            AttendanceFactory(enrolment=enrolment, date=day, status=status)
        rows.append(enrolment)
    withdrawn = EnrolmentFactory(
        session=session, client=ClientFactory(office=office_a), status=Enrolment.Status.WITHDRAWN
    )
    AttendanceFactory(enrolment=withdrawn, date=session.start_date)
    # outcomes: latest follow-up decides; the non-participant's follow-up is ignored
    FollowUpFactory(enrolment=rows[0], date=dt.date(2022, 12, 20), status=FollowUp.Status.NOT_APPLIED)
    FollowUpFactory(enrolment=rows[0], date=dt.date(2023, 2, 20), status=FollowUp.Status.SIDE_INCOME)
    FollowUpFactory(enrolment=rows[1], date=dt.date(2023, 2, 20), status=FollowUp.Status.UNREACHABLE)
    FollowUpFactory(enrolment=rows[3], date=dt.date(2023, 2, 20), status=FollowUp.Status.OWN_BUSINESS)
    # a cancelled session counts in no total
    TrainingSessionFactory(office=office_a, partner=partner, status=TrainingSession.Status.CANCELLED)

    response = login(kasi_a).get(reverse("pokmaslipas:partner_detail", args=[partner.pk]))
    shown = {s.pk: s for s in response.context["sessions"]}[session.pk]
    assert (shown.enrolled, shown.participant_count, shown.followed_up, shown.implemented) == (4, 3, 2, 1)
    assert shown.attendance_rate == round(5 / 8, 4)
    assert shown.implementation_rate == 0.5
    totals = response.context["totals"]
    assert totals["sessions"] == 1
    assert (totals["participants"], totals["implementation_rate"], totals["coverage"]) == (3, 0.5, round(2 / 3, 4))
    body = response.content.decode()
    assert "62,5%" in body and "50,0%" in body


def test_current_agreement_first(login, alice, office_a):
    today = timezone.localdate()
    partner = PartnerFactory(office=office_a)
    old = AgreementFactory(
        partner=partner,
        number="OLD",
        start_date=today - dt.timedelta(days=800),
        end_date=today - dt.timedelta(days=400),
    )
    stopped = AgreementFactory(
        partner=partner,
        number="STOP",
        start_date=today - dt.timedelta(days=100),
        end_date=today + dt.timedelta(days=900),
        terminated_on=today - dt.timedelta(days=1),
    )
    current = AgreementFactory(
        partner=partner,
        number="NOW",
        renews=old,
        start_date=today - dt.timedelta(days=399),
        end_date=today + dt.timedelta(days=30),
    )
    future = AgreementFactory(
        partner=partner,
        number="NEXT",
        renews=current,
        start_date=today + dt.timedelta(days=31),
        end_date=today + dt.timedelta(days=400),
    )
    rows = login(alice).get(reverse("pokmaslipas:partner_detail", args=[partner.pk])).context["agreements"]
    assert [a.number for a in rows] == ["NOW", "NEXT", "OLD", "STOP"]
    assert [a.number for a in rows[0].renewed_by] == ["NEXT"]
    assert rows[0].renews_obj.pk == old.pk
    assert (stopped.pk, future.pk) == (rows[3].pk, rows[1].pk)


def test_partner_page_query_count_is_fixed(login, kasi_a, office_a, django_assert_max_num_queries):
    small = build_partner(office_a, sessions=1, per_session=2, agreements=1, name="Kecil")
    large = build_partner(office_a, sessions=6, per_session=12, agreements=4, name="Besar")
    client = login(kasi_a)
    client.get(reverse("pokmaslipas:partner_detail", args=[small.pk]))  # warm the session
    budget = 12
    with django_assert_max_num_queries(budget) as small_run:
        assert client.get(reverse("pokmaslipas:partner_detail", args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(budget) as large_run:
        response = client.get(reverse("pokmaslipas:partner_detail", args=[large.pk]))
    assert response.context["totals"]["participants"] == 72
    assert len(large_run.captured_queries) == len(small_run.captured_queries)


@pytest.mark.parametrize(("url_name", "budget"), [("pokmaslipas:partner_list", 8), ("pokmaslipas:agreement_list", 8)])
def test_list_query_count_is_fixed(login, kasi_a, office_a, django_assert_max_num_queries, url_name, budget):
    client = login(kasi_a)
    build_partner(office_a, sessions=0, agreements=2, name="Satu")
    client.get(reverse(url_name))
    with django_assert_max_num_queries(budget) as small_run:
        client.get(reverse(url_name))
    for i in range(20):
        build_partner(office_a, sessions=0, agreements=3, name=f"Mitra {i:02d}")
    with django_assert_max_num_queries(budget) as large_run:
        response = client.get(reverse(url_name), {"q": "", "status": ""})
    assert response.status_code == 200
    assert len(large_run.captured_queries) == len(small_run.captured_queries)
    assert len(response.context["page"].object_list) >= 21


def test_admin_home_query_count(login, admin_a, office_a, django_assert_max_num_queries):
    client = login(admin_a)
    first = build_partner(office_a, sessions=1, agreements=1, name="Satu")
    TrainingSessionFactory(office=office_a, partner=first, start_date=timezone.localdate() + dt.timedelta(days=5))
    client.get(reverse("home"))
    with django_assert_max_num_queries(10) as small_run:
        client.get(reverse("home"))
    for i in range(10):
        partner = build_partner(office_a, sessions=0, agreements=2, name=f"M{i}")
        TrainingSessionFactory(office=office_a, partner=partner, start_date=timezone.localdate() + dt.timedelta(days=5))
        AgreementFactory(partner=partner, end_date=timezone.localdate() + dt.timedelta(days=20 + i))
    with django_assert_max_num_queries(10) as large_run:
        response = client.get(reverse("home"))
    assert len(large_run.captured_queries) == len(small_run.captured_queries)
    assert len(response.context["alerts"]["expiring_90"]) == 10
