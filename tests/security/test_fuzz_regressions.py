"""The defects the fuzz tests found, pinned as plain examples (they must stay fixed)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgreementFactory, ClientFactory, PartnerFactory, TrainingSessionFactory, TrainingTypeFactory
from trainings.models import Enrolment, TrainingSession

pytestmark = pytest.mark.django_db

HUGE = str(10**30)  # beyond any integer column


def test_enrol_with_an_out_of_range_client_key_is_a_form_error(login, kasubsi_a, office_a):
    """ModelMultipleChoiceField ran ``pk__in`` with the number: OverflowError on SQLite (500)."""
    session = TrainingSessionFactory(office=office_a, start_date=dt.date(2026, 1, 5))
    ClientFactory(office=office_a)
    for value in (HUGE, f"-{HUGE}", "9223372036854775808"):
        response = login(kasubsi_a).post(
            reverse("trainings:enrol", args=[session.pk]), {"clients": value, "status": "REGISTERED"}
        )
        assert response.status_code == 200
        assert "clients" in response.context["form"].errors
    assert not Enrolment.objects.exists()


def test_partner_with_an_out_of_range_training_type_is_a_form_error(login, admin_a, office_a):
    TrainingTypeFactory(office=office_a)
    partner = PartnerFactory(office=office_a, code="MTR9")
    response = login(admin_a).post(
        reverse("trainings:partner_training_types", args=[partner.pk]), {"training_types": [HUGE]}
    )
    assert response.status_code == 200
    assert "training_types" in response.context["form"].errors
    assert not partner.training_types.exists()


def _session_data(office, start, end):
    partner = PartnerFactory(office=office)
    agreement = AgreementFactory(partner=partner)
    return {
        "title": "Pelatihan",
        "training_type": TrainingTypeFactory(office=office).pk,
        "partner": partner.pk,
        "agreement": agreement.pk,
        "location_kind": "AULA",
        "method": "PENGENALAN",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "hours_per_day": 6,
        "certificate_min_attendance": 75,
    }


def test_a_session_spanning_centuries_is_refused(login, kasubsi_a, office_a):
    """A session from the year 1 was accepted; its page then listed 740,000 days (minutes to render)."""
    end = timezone.localdate() + dt.timedelta(days=10)
    data = _session_data(office_a, dt.date(1, 1, 1), end)
    response = login(kasubsi_a).post(reverse("trainings:session_create"), data)
    assert response.status_code == 200
    assert "Pelatihan berlangsung paling lama 366 hari." in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_a_session_of_up_to_a_year_is_accepted(login, kasubsi_a, office_a):
    start = timezone.localdate() + dt.timedelta(days=1)
    client = login(kasubsi_a)
    refused = client.post(
        reverse("trainings:session_create"), _session_data(office_a, start, start + dt.timedelta(days=366))
    )
    assert refused.status_code == 200
    accepted = client.post(
        reverse("trainings:session_create"), _session_data(office_a, start, start + dt.timedelta(days=365))
    )
    assert accepted.status_code == 302, accepted.context["form"].errors if accepted.context else accepted
    session = TrainingSession.objects.get()
    assert len(session.dates()) == 366


def test_a_next_that_is_not_a_path_goes_home(login, alice):
    """``next=foo`` reached ``redirect("foo")``, which reads a bare word as a view name: NoReverseMatch (500)."""
    client = login(alice)
    for value in ("foo", "x" * 300, "javascript:alert(1)", "//evil.example/"):
        response = client.post(reverse("bapas:otp_verify"), {"next": value})
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
    assert client.post(reverse("bapas:otp_verify"), {"next": "/klien/"})["Location"] == "/klien/"


def test_nul_in_the_address_is_a_bad_request(login, admin_a, office_a):
    """PostgreSQL refuses NUL in a query parameter: staff search, session search, certificate number."""
    client = login(admin_a)
    for url in (
        reverse("bapas:staff_list") + "?q=a%00b",
        reverse("trainings:session_list") + "?q=%00",
        reverse("trainings:certificate_check_number", args=["X"]).replace("X", "%00"),
        reverse("clients:list") + "?a%00=1",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response["X-Frame-Options"] == "DENY"
    assert client.get(reverse("bapas:staff_list") + "?q=ab").status_code == 200


def test_a_document_version_that_is_not_ascii_digits_is_not_found(login, admin_a, office_a):
    """``"²".isdigit()`` is true but the history lookup cannot use it: ValueError (500)."""
    agreement = AgreementFactory(partner=PartnerFactory(office=office_a))
    response = login(admin_a).get(reverse("pokmaslipas:agreement_document", args=[agreement.pk]), {"version": "²"})
    assert response.status_code == 404
