"""Two people editing the same record at once: the second save is refused with a conflict message,
the first change stays, the second person's entries stay in the form, and saving again on purpose
works. Driven like a browser: each person loads the edit page and submits the form as rendered."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as Browser
from django.urls import reverse

from bapas.concurrency import FINGERPRINT_FIELD
from bapas.models import Role, User
from pokmaslipas.models import Agreement, Partner
from tests.factories import AgreementFactory, PartnerFactory, TrainingSessionFactory, UserFactory
from tests.pokmaslipas.conftest import make_pdf_bytes
from tests.security.fuzz_support import browser_payload
from trainings.models import TrainingSession

pytestmark = pytest.mark.django_db

CONFLICT = "Orang lain telah mengubah data ini"


def browser(user):
    b = Browser()
    b.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return b


PDF = make_pdf_bytes()  # a real one-page PDF: scans are parsed (pokmaslipas.validators)


def post(b, path, payload, record):
    """Submit like a browser; the agreement form also asks for its scanned document."""
    data = dict(payload)
    if record == "agreement":
        data["document"] = SimpleUploadedFile("pks.pdf", PDF, content_type="application/pdf")
    return b.post(path, data)


def open_form(b, path):
    response = b.get(path)
    assert response.status_code == 200
    payload, _kinds = browser_payload(response.content.decode(), path)
    assert payload.get(FINGERPRINT_FIELD), "the edit form carries the record's fingerprint"
    return payload


@pytest.fixture
def records(office_a, admin_a, kasi_a, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
    partner = PartnerFactory(office=office_a, name="Mitra Lama")
    agreement = AgreementFactory(partner=partner, title="PKS lama")
    today = dt.date.today()
    session = TrainingSessionFactory(office=office_a, partner=partner, title="Barista Dasar",
                                     start_date=today + dt.timedelta(days=20), end_date=today + dt.timedelta(days=20))  # fmt: skip
    staff = UserFactory(username="pk.baru", role=Role.PK, office=office_a, first_name="Budi")
    return {
        "partner": (admin_a, reverse("pokmaslipas:partner_edit", args=[partner.pk]), Partner, partner.pk, "name"),
        "agreement": (admin_a, reverse("pokmaslipas:agreement_edit", args=[agreement.pk]), Agreement, agreement.pk,
                      "title"),
        "session": (kasi_a, reverse("trainings:session_edit", args=[session.pk]), TrainingSession, session.pk,
                    "title"),
        "staff": (admin_a, reverse("bapas:staff_edit", args=[staff.pk]), User, staff.pk, "first_name"),
    }  # fmt: skip


@pytest.mark.parametrize("record", ["partner", "agreement", "session", "staff"])
def test_the_second_of_two_concurrent_edits_gets_a_conflict(records, record):
    user, path, model, pk, field = records[record]
    first, second = browser(user), browser(user)
    mine = open_form(first, path)
    theirs = open_form(second, path)

    theirs[field] = "Perubahan pertama"
    saved = post(second, path, theirs, record)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    assert getattr(model.objects.get(pk=pk), field) == "Perubahan pertama"

    mine[field] = "Perubahan kedua"
    refused = post(first, path, mine, record)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert CONFLICT in body
    assert "Perubahan kedua" in body  # nothing typed is lost
    assert getattr(model.objects.get(pk=pk), field) == "Perubahan pertama"  # nothing overwritten

    # Saving again from the refused form is a deliberate choice, and works.
    again, _kinds = browser_payload(body, path)
    assert again[field] == "Perubahan kedua"
    assert post(first, path, again, record).status_code == 302
    assert getattr(model.objects.get(pk=pk), field) == "Perubahan kedua"


def test_a_change_to_a_field_the_form_does_not_edit_is_not_a_conflict(records):
    user, path, _model, pk, field = records["staff"]
    b = browser(user)
    payload = open_form(b, path)
    User.objects.filter(pk=pk).update(last_login=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    payload[field] = "Budiman"
    assert b.post(path, payload).status_code == 302
    assert User.objects.get(pk=pk).first_name == "Budiman"


def test_a_deactivated_account_is_not_silently_reactivated(records, admin_a):
    """The case that matters most: an edit page opened before another admin deactivated the account."""
    _user, path, _model, pk, _field = records["staff"]
    stale = browser(admin_a)
    payload = open_form(stale, path)
    User.objects.filter(pk=pk).update(is_active=False)
    assert stale.post(path, payload).status_code == 200
    assert User.objects.get(pk=pk).is_active is False
