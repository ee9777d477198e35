"""Query budgets: the same number of queries with 5 and with 50 participants."""

import pytest
from django.urls import reverse

from tests.factories import AttendanceFactory, EnrolmentFactory, FollowUpFactory, TrainingSessionFactory
from tests.trainings.conftest import DAY, active_client

pytestmark = pytest.mark.django_db


def fill(session, office, officers, n):
    for i in range(n):
        enrolment = EnrolmentFactory(session=session, client=active_client(office, officers[i % len(officers)]))
        AttendanceFactory(enrolment=enrolment, date=DAY, status="HADIR" if i % 4 else "TERLAMBAT")
        if i % 2:
            FollowUpFactory(enrolment=enrolment, status="USAHA_SAMPINGAN")


def count_queries(django_assert_max_num_queries, client, url, budget):
    client.get(url)  # the first request of a session also writes the session row
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("viewer", ["kasubsi_a", "alice"])
def test_session_detail_queries_do_not_grow(
    request, login, session_a, office_a, alice, paula, viewer, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(viewer))
    url = reverse("trainings:session_detail", args=[session_a.pk])
    fill(session_a, office_a, [alice, paula], 5)
    small = count_queries(django_assert_max_num_queries, client, url, 12)
    fill(session_a, office_a, [alice, paula], 45)
    large = count_queries(django_assert_max_num_queries, client, url, 12)
    assert small == large


def test_attendance_screen_queries_do_not_grow(
    login, kasubsi_a, session_a, office_a, alice, paula, django_assert_max_num_queries
):
    client = login(kasubsi_a)
    url = reverse("trainings:attendance", args=[session_a.pk, DAY.isoformat()])
    fill(session_a, office_a, [alice, paula], 5)
    small = count_queries(django_assert_max_num_queries, client, url, 10)
    fill(session_a, office_a, [alice, paula], 45)
    large = count_queries(django_assert_max_num_queries, client, url, 10)
    assert small == large


def test_session_list_queries_do_not_grow(login, kasubsi_a, office_a, alice, django_assert_max_num_queries):
    client = login(kasubsi_a)
    url = reverse("trainings:session_list")
    for _ in range(5):
        fill(TrainingSessionFactory(office=office_a, start_date=DAY, end_date=DAY), office_a, [alice], 2)
    small = count_queries(django_assert_max_num_queries, client, url, 10)
    for _ in range(45):
        TrainingSessionFactory(office=office_a, start_date=DAY, end_date=DAY)
    large = count_queries(django_assert_max_num_queries, client, url, 10)
    assert small == large


def test_suggestions_queries_do_not_grow(login, kasubsi_a, session_a, office_a, alice, django_assert_max_num_queries):
    client = login(kasubsi_a)
    url = reverse("trainings:suggestions", args=[session_a.pk])
    for _ in range(5):
        active_client(office_a, alice)
    small = count_queries(django_assert_max_num_queries, client, url, 10)
    for _ in range(45):
        active_client(office_a, alice)
    large = count_queries(django_assert_max_num_queries, client, url, 10)
    assert small == large
