"""Documents served after the office check; termination; renewal and addendum chains."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from pokmaslipas.models import Agreement
from tests.factories import AgreementFactory, PartnerFactory
from tests.pokmaslipas.conftest import make_pdf_bytes
from trainings.selectors import expiry_alerts

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(office_a, pdf_bytes):
    agreement = AgreementFactory(
        partner=PartnerFactory(office=office_a, name="PARARI"),
        number="W29/PKS/2023/07",
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2023, 12, 31),
    )
    agreement.document.save("pks-parari.pdf", ContentFile(pdf_bytes))
    return agreement


# --- document -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "kasubsi_a", "kasi_a", "kabapas_a", "admin_a"])
def test_document_is_streamed_to_office_roles(request, login, who, agreement, pdf_bytes):
    response = login(request.getfixturevalue(who)).get(reverse("pokmaslipas:agreement_document", args=[agreement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "w29pks202307.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes


def test_document_download_is_an_attachment(login, alice, agreement):
    response = login(alice).get(reverse("pokmaslipas:agreement_document", args=[agreement.pk]), {"download": "1"})
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["bob", "admin_b", "kasi_b", "rita"])
def test_document_is_hidden_from_other_offices(request, login, who, agreement):
    url = reverse("pokmaslipas:agreement_document", args=[agreement.pk])
    assert login(request.getfixturevalue(who)).get(url).status_code == 404


def test_document_missing_or_bad_version_is_404(login, alice, office_a, agreement):
    client = login(alice)
    without = AgreementFactory(partner__office=office_a)
    assert client.get(reverse("pokmaslipas:agreement_document", args=[without.pk])).status_code == 404
    url = reverse("pokmaslipas:agreement_document", args=[agreement.pk])
    assert client.get(url, {"version": "abc"}).status_code == 404
    assert client.get(url, {"version": "999999"}).status_code == 404
    # a history row of another agreement is not reachable through this one
    other = AgreementFactory(partner=agreement.partner)
    other.document.save("lain.pdf", ContentFile(make_pdf_bytes()))
    foreign_row = other.history.exclude(document="").first()
    assert client.get(url, {"version": foreign_row.history_id}).status_code == 404


def test_document_has_no_public_url(login, alice, settings, agreement):
    """Only the view serves scans: the storage path is not reachable under any media or static URL."""
    client = login(alice)
    for prefix in {settings.MEDIA_URL or "/media/", "/media/", "/" + settings.STATIC_URL.strip("/") + "/"}:
        assert client.get(f"{prefix}{agreement.document.name}").status_code == 404


# --- termination ----------------------------------------------------------------------------


def test_admin_terminates_with_date_and_reason(login, admin_a, agreement):
    response = login(admin_a).post(
        reverse("pokmaslipas:agreement_terminate", args=[agreement.pk]),
        {"terminated_on": "2023-08-17", "reason": "Mitra membubarkan diri."},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.terminated_on == dt.date(2023, 8, 17)
    assert agreement.termination_reason == "Mitra membubarkan diri."
    assert agreement.terminated_by == admin_a
    assert agreement.status_on(dt.date(2023, 8, 17)) == Agreement.Status.TERMINATED
    assert agreement.history.first().history_user == admin_a


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"terminated_on": "2024-02-01", "reason": "x"}, "Tanggal pengakhiran harus berada dalam masa berlaku"),
        ({"terminated_on": "2023-05-01", "reason": ""}, "Bidang ini tidak boleh kosong"),
        ({"terminated_on": "bukan tanggal", "reason": "x"}, "tanggal yang valid"),
    ],
)
def test_termination_errors_lose_nothing(login, admin_a, agreement, data, message):
    response = login(admin_a).post(reverse("pokmaslipas:agreement_terminate", args=[agreement.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert response.context["terminate_form"]["reason"].value() == data["reason"]
    agreement.refresh_from_db()
    assert agreement.terminated_on is None


def test_terminating_twice_is_refused(login, admin_a, agreement):
    client = login(admin_a)
    url = reverse("pokmaslipas:agreement_terminate", args=[agreement.pk])
    client.post(url, {"terminated_on": "2023-06-01", "reason": "pertama"})
    response = client.post(url, {"terminated_on": "2023-07-01", "reason": "kedua"})
    assert response.status_code == 400
    assert "Perjanjian ini sudah diakhiri." in response.content.decode()
    agreement.refresh_from_db()
    assert (agreement.terminated_on, agreement.termination_reason) == (dt.date(2023, 6, 1), "pertama")


# --- renewal --------------------------------------------------------------------------------


def test_renewal_form_is_prefilled(login, admin_a, agreement):
    form = login(admin_a).get(reverse("pokmaslipas:agreement_renew", args=[agreement.pk])).context["form"]
    assert form.initial["start_date"] == dt.date(2024, 1, 1)
    assert form.initial["end_date"] == dt.date(2024, 12, 30)
    assert "partner" not in form.fields


def test_renewal_creates_linked_agreement_and_clears_alert(login, admin_a, office_a, agreement, pdf_upload):
    today = dt.date(2023, 12, 1)
    assert [a.pk for a in expiry_alerts(office_a, today)["expiring_30"]] == [agreement.pk]
    response = login(admin_a).post(
        reverse("pokmaslipas:agreement_renew", args=[agreement.pk]),
        {
            "kind": "PKS",
            "number": "W29/PKS/2024/07",
            "start_date": "2024-01-01",
            "end_date": "2025-12-31",
            "scope": ["KEMANDIRIAN"],
            "document": pdf_upload(),
        },
    )
    renewal = Agreement.objects.get(number="W29/PKS/2024/07")
    assert response.status_code == 302
    assert response["Location"] == reverse("pokmaslipas:agreement_detail", args=[renewal.pk])
    assert (renewal.renews, renewal.partner, renewal.office) == (agreement, agreement.partner, agreement.office)
    assert renewal.document
    agreement.refresh_from_db()
    assert agreement.end_date == dt.date(2023, 12, 31)  # the earlier agreement is untouched
    assert expiry_alerts(office_a, today)["expiring_90"] == []
    # the chain is visible on both pages
    client = login(admin_a)
    for pk in (agreement.pk, renewal.pk):
        context = client.get(reverse("pokmaslipas:agreement_detail", args=[pk])).context
        assert [a.pk for a in context["chain"]] == [agreement.pk, renewal.pk]
    partner_page = client.get(reverse("pokmaslipas:partner_detail", args=[agreement.partner_id]))
    rows = partner_page.context["agreements"]
    assert [a.pk for a in rows] == [renewal.pk, agreement.pk]  # latest first
    body = partner_page.content.decode()
    assert "diperpanjang oleh" in body and "memperpanjang" in body


def test_addendum_and_second_renewal_form_one_chain(admin_a, agreement):
    from pokmaslipas.selectors import agreement_chain
    from pokmaslipas.services import agreement_renew

    def renew(original, number, kind, start, end):
        return agreement_renew(
            original=original,
            renewal=Agreement(number=number, kind=kind, start_date=start, end_date=end),
            user=admin_a,
        )

    addendum = renew(agreement, "ADD-1", Agreement.Kind.ADDENDUM, dt.date(2023, 6, 1), dt.date(2023, 12, 31))
    second = renew(agreement, "PKS-2024", Agreement.Kind.PKS, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    third = renew(second, "PKS-2025", Agreement.Kind.PKS, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    family = list(Agreement.objects.filter(partner=agreement.partner))
    chain = agreement_chain(third, family)
    assert [a.number for a in chain] == ["W29/PKS/2023/07", "ADD-1", "PKS-2024", "PKS-2025"]
    assert addendum.history.first().history_user == admin_a


def test_renewal_rules(login, admin_a, agreement):
    client = login(admin_a)
    url = reverse("pokmaslipas:agreement_renew", args=[agreement.pk])
    early = client.post(url, {"kind": "PKS", "number": "R-1", "start_date": "2022-12-01", "end_date": "2024-01-01"})
    assert "Perpanjangan tidak boleh mulai sebelum perjanjian yang diperpanjangnya." in early.content.decode()
    dup = client.post(
        url, {"kind": "PKS", "number": agreement.number, "start_date": "2024-01-01", "end_date": "2024-12-31"}
    )
    assert "Perjanjian dengan nomor ini sudah ada." in dup.content.decode()
    assert Agreement.objects.count() == 1
    agreement.terminated_on = dt.date(2023, 6, 1)
    agreement.save()
    response = client.get(url)
    assert response.status_code == 302
    response = client.post(url, {"kind": "PKS", "number": "R-2", "start_date": "2024-01-01", "end_date": "2024-12-31"})
    assert response.status_code == 302
    assert Agreement.objects.count() == 1


def test_expiry_shows_on_the_admin_home_on_time(login, admin_a, office_a):
    today = timezone.localdate()
    partner = PartnerFactory(office=office_a, name="LBH Benteng Cakrawala")
    soon = AgreementFactory(
        partner=partner,
        number="LBH/SOON",
        start_date=today - dt.timedelta(days=300),
        end_date=today + dt.timedelta(days=30),
    )
    later = AgreementFactory(
        partner=partner,
        number="LBH/LATER",
        start_date=today - dt.timedelta(days=300),
        end_date=today + dt.timedelta(days=91),
    )
    response = login(admin_a).get(reverse("home"))
    alerts = response.context["alerts"]
    assert [a.pk for a in alerts["expiring_30"]] == [soon.pk]
    assert later.pk not in [a.pk for a in alerts["expiring_90"]]
    assert "LBH/SOON" in response.content.decode()
