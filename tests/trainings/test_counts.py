"""Counts against docs/INTERFACES.md section 3 on hand-made cases; the worklist; the client page partial; suggestions."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from clients.models import Client
from tests.factories import AttendanceFactory, EnrolmentFactory, FollowUpFactory, TrainingSessionFactory
from tests.trainings.conftest import active_client
from trainings import selectors
from trainings.models import Enrolment, TrainingType
from trainings.worklist import client_trainings, follow_ups_due

pytestmark = pytest.mark.django_db


def test_participant_and_implementation_definitions(session_a, office_a, alice):
    def enrol(status=Enrolment.Status.REGISTERED, days=(), follow_ups=()):
        enrolment = EnrolmentFactory(session=session_a, client=active_client(office_a, alice), status=status)
        for attendance_status in days:
            AttendanceFactory(enrolment=enrolment, status=attendance_status)
        for offset, outcome in follow_ups:
            FollowUpFactory(enrolment=enrolment, date=session_a.end_date + dt.timedelta(days=offset), status=outcome)
        return enrolment

    enrol(days=["HADIR"], follow_ups=[(30, "BELUM_MENERAPKAN"), (90, "USAHA_SAMPINGAN")])  # implemented (latest)
    enrol(days=["TERLAMBAT"], follow_ups=[(30, "USAHA_SENDIRI"), (90, "BEKERJA_BIDANG_LAIN")])  # not implemented
    enrol(days=["HADIR"], follow_ups=[(30, "TIDAK_DAPAT_DIHUBUNGI")])  # followed up, not implemented
    enrol(days=["HADIR"])  # participant, no follow-up
    enrol(days=["IZIN"], follow_ups=[(30, "USAHA_SENDIRI")])  # not a participant: ignored
    enrol(days=[], follow_ups=[])  # enrolled, never came
    enrol(status=Enrolment.Status.WITHDRAWN, days=["HADIR"], follow_ups=[(30, "USAHA_SENDIRI")])  # not counted
    enrol(status=Enrolment.Status.INVITED, days=["HADIR"], follow_ups=[(30, "BEKERJA_DI_BIDANG")])  # implemented

    qs = Enrolment.objects.filter(session=session_a)
    assert selectors.counted_enrolments(qs).count() == 7
    assert selectors.participants(qs).count() == 5
    assert selectors.implementation_summary(qs) == {
        "participants": 5,
        "followed_up": 4,
        "implemented": 2,
        "rate": 0.5,
        "coverage": 0.8,
    }


def test_implementation_summary_empty_has_null_rates():
    assert selectors.implementation_summary(Enrolment.objects.none()) == {
        "participants": 0,
        "followed_up": 0,
        "implemented": 0,
        "rate": None,
        "coverage": None,
    }


def test_session_page_shows_rate_and_latest_outcome(login, kasi_a, participant):
    FollowUpFactory(enrolment=participant, date=dt.date(2023, 4, 21), status="BELUM_MENERAPKAN")
    FollowUpFactory(enrolment=participant, date=dt.date(2023, 6, 21), status="USAHA_SAMPINGAN")
    response = login(kasi_a).get(f"/pelatihan/{participant.session_id}/")
    assert response.context["summary"]["rate"] == 1.0
    (row,) = response.context["rows"]
    assert row.latest_status == "USAHA_SAMPINGAN" and row.show_outcome
    assert 'id="stat-rate">100%' in response.content.decode().replace("\n", "")


def test_session_page_hides_other_pks_outcomes(login, paula, admin_a, participant):
    FollowUpFactory(enrolment=participant, date=dt.date(2023, 4, 21), status="USAHA_SAMPINGAN")
    for user in (paula, admin_a):
        (row,) = login(user).get(f"/pelatihan/{participant.session_id}/").context["rows"]
        assert not row.show_outcome


# --- worklist ---------------------------------------------------------------------------------
def test_follow_ups_due_milestones(alice, paula, session_a, office_a):
    # session_a ended 2023-03-21: milestones 2023-04-21, 2023-06-21, 2023-09-21.
    def participant_of(officer, **kwargs):
        enrolment = EnrolmentFactory(session=session_a, client=active_client(office_a, officer, **kwargs))
        AttendanceFactory(enrolment=enrolment)
        return enrolment

    fresh = participant_of(alice)
    followed = participant_of(alice)
    FollowUpFactory(enrolment=followed, date=dt.date(2023, 4, 25))
    participant_of(paula)  # not Alice's
    absent = EnrolmentFactory(session=session_a, client=active_client(office_a, alice))
    AttendanceFactory(enrolment=absent, status="TIDAK_HADIR")  # not a participant
    participant_of(alice, status=Client.Status.DECEASED)

    assert follow_ups_due(officer=alice, today=dt.date(2023, 4, 20)) == []
    due = follow_ups_due(officer=alice, today=dt.date(2023, 4, 21))
    assert [(row["enrolment"], row["milestone_months"], row["due_date"]) for row in due] == [
        (fresh, 1, dt.date(2023, 4, 21))
    ]
    due = follow_ups_due(officer=alice, today=dt.date(2023, 7, 1))
    assert {(row["enrolment"].pk, row["milestone_months"]) for row in due} == {(fresh.pk, 3), (followed.pk, 3)}
    assert set(due[0]) == {"enrolment", "client", "session", "milestone_months", "due_date"}
    FollowUpFactory(enrolment=fresh, date=dt.date(2023, 9, 21))
    due = follow_ups_due(officer=alice, today=dt.date(2024, 1, 1))
    assert [(row["enrolment"], row["milestone_months"]) for row in due] == [(followed, 6)]


def test_follow_ups_due_fixed_queries(alice, office_a, django_assert_num_queries):
    for i in range(6):
        session = TrainingSessionFactory(office=office_a, start_date=dt.date(2023, 1 + i, 3))
        enrolment = EnrolmentFactory(session=session, client=active_client(office_a, alice))
        AttendanceFactory(enrolment=enrolment)
    with django_assert_num_queries(1):
        due = follow_ups_due(officer=alice, today=dt.date(2023, 12, 1))
        assert len(due) == 6 and due[0]["client"].name and due[0]["session"].training_type.name


# --- client page ------------------------------------------------------------------------------
def test_client_trainings_and_partial(participant, session_3days, django_assert_num_queries):
    FollowUpFactory(enrolment=participant, date=dt.date(2023, 4, 21), status="USAHA_SAMPINGAN", income=750000)
    EnrolmentFactory(session=session_3days, client=participant.client, status=Enrolment.Status.WITHDRAWN)
    with django_assert_num_queries(2):
        rows = client_trainings(participant.client)
        html = render_to_string("trainings/_client_trainings.html", {"client_trainings": rows})
    assert [row.session for row in rows] == [session_3days, participant.session]
    assert rows[1].days_attended == 1 and rows[1].latest_follow_up.status == "USAHA_SAMPINGAN"
    assert rows[0].latest_follow_up is None
    assert "750.000" in html and participant.session.title in html
    empty = render_to_string("trainings/_client_trainings.html", {"client_trainings": []})
    assert "empty-state" in empty


# --- suggestions ------------------------------------------------------------------------------
def test_suggestions_ranking(session_a, office_a, alice, paula):
    today_end = dt.date(2030, 1, 1)
    match = active_client(office_a, alice, name="A Minat", interests="memasak", programme_end=today_end)
    took = active_client(office_a, alice, name="B Pernah", interests="kuliner", programme_end=today_end)
    earlier = TrainingSessionFactory(
        office=office_a, training_type=session_a.training_type, start_date=dt.date(2022, 1, 5)
    )
    EnrolmentFactory(session=earlier, client=took)
    employed = active_client(office_a, alice, name="C Kerja", is_employed=True, programme_end=today_end)
    long_left = active_client(office_a, paula, name="D Lama", programme_end=dt.date(2031, 1, 1))
    short_left = active_client(office_a, paula, name="E Singkat", programme_end=dt.date(2023, 9, 1))
    active_client(office_a, alice, name="F Dicabut", status=Client.Status.REVOKED)
    enrolled = active_client(office_a, alice, name="G Sudah")
    EnrolmentFactory(session=session_a, client=enrolled)

    rows = selectors.suggested_clients(session_a)
    assert [c.name for c in rows] == ["A Minat", "B Pernah", "D Lama", "E Singkat", "C Kerja"]
    assert rows[0].matches_interest and rows[1].took_type
    assert [c.name for c in selectors.suggested_clients(session_a, officer=paula)] == ["D Lama", "E Singkat"]
    assert match and employed and long_left and short_left


def test_interest_matching():
    bakso = TrainingType(name="Bakso Instan", category=TrainingType.Category.CULINARY)
    ac = TrainingType(name="Servis AC", category=TrainingType.Category.TECHNICAL)
    assert selectors.interest_matches(["Memasak"], bakso)
    assert selectors.interest_matches(["jualan bakso"], bakso)
    assert not selectors.interest_matches(["menjahit"], bakso)
    assert selectors.interest_matches(["AC"], ac)
    assert not selectors.interest_matches(["kacamata"], ac)
