"""The training pages ask trainings/access.py who may withdraw, issue a certificate or record a follow-up."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import EnrolmentFactory, TrainingSessionFactory
from trainings import access


@pytest.fixture
def enrolments(session_a, alice_client, paula_client):
    return (
        EnrolmentFactory(session=session_a, client=alice_client),
        EnrolmentFactory(session=session_a, client=paula_client),
    )


def test_enrolment_write_rules(alice, kasubsi_a, kasi_a, kabapas_a, admin_a, enrolments):
    own, other = enrolments
    assert access.can_write_enrolment(alice, own) and not access.can_write_enrolment(alice, other)
    assert not access.can_write_enrolment(alice, own, "certificate")  # a PK issues no certificate
    for writer in (kasubsi_a, kasi_a):
        assert access.can_write_enrolment(writer, other) and access.can_write_enrolment(writer, other, "certificate")
    for reader in (kabapas_a, admin_a):
        assert not access.can_write_enrolment(reader, own)


def test_session_page_buttons_follow_the_access_rules(login, alice, kasubsi_a, session_a, enrolments):
    own, other = enrolments
    url = reverse("trainings:session_detail", args=[session_a.pk])
    rows = {row.pk: row for row in login(alice).get(url).context["rows"]}
    assert rows[own.pk].can_withdraw and not rows[other.pk].can_withdraw
    assert rows[own.pk].can_follow_up is (rows[own.pk].is_participant)
    assert not rows[other.pk].can_follow_up
    rows = {row.pk: row for row in login(kasubsi_a).get(url).context["rows"]}
    assert rows[own.pk].can_withdraw and rows[other.pk].can_withdraw
    assert not rows[own.pk].can_follow_up  # follow-ups are recorded by the client's own PK


def test_pk_cannot_issue_a_certificate_even_for_own_client(login, alice, enrolments):
    response = login(alice).post(reverse("trainings:certificate_issue", args=[enrolments[0].pk]))
    assert response.status_code == 403


def test_pk_enrols_from_own_caseload_only(login, alice, office_a, alice_client, paula_client):
    start = dt.date.today() + dt.timedelta(days=10)
    session = TrainingSessionFactory(office=office_a, start_date=start, end_date=start)
    form = login(alice).get(reverse("trainings:enrol", args=[session.pk])).context["form"]
    assert list(form.fields["clients"].queryset) == [alice_client]
    assert list(access.enrollable_clients(alice, session)) == [alice_client]
