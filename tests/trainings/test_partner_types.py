"""The training types a partner can deliver: kept by trainings, shown and edited from the partner page."""

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, PartnerFactory, TrainingSessionFactory, TrainingTypeFactory
from trainings.models import PartnerTrainingType

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(office_a):
    return PartnerFactory(office=office_a, name="LPK Kopi")


def url(partner):
    return reverse("trainings:partner_training_types", args=[partner.pk])


def test_admin_sets_the_types_and_every_link_is_audited(login, admin_a, office_a, partner):
    barista, sewing, welding = (TrainingTypeFactory(office=office_a, name=n) for n in ("Barista", "Menjahit", "Las"))
    client = login(admin_a)
    client.post(url(partner), {"training_types": [barista.pk, sewing.pk]})
    response = client.post(url(partner), {"training_types": [sewing.pk, welding.pk]})
    assert response.status_code == 302
    assert sorted(t.name for t in partner.training_types.all()) == ["Las", "Menjahit"]
    history = PartnerTrainingType.history.order_by("history_id")
    assert [(h.history_type, h.training_type_id) for h in history] == [
        ("+", barista.pk),
        ("+", sewing.pk),
        ("-", barista.pk),
        ("+", welding.pk),
    ]
    assert {h.history_user for h in history} == {admin_a}


def test_a_type_of_another_office_is_a_form_error(login, admin_a, office_b, partner):
    elsewhere = TrainingTypeFactory(office=office_b)
    response = login(admin_a).post(url(partner), {"training_types": [elsewhere.pk]})
    assert response.status_code == 200
    assert "training_types" in response.context["form"].errors
    assert not partner.training_types.exists()


def test_a_stale_form_is_refused_and_keeps_the_ticks(login, admin_a, office_a, partner):
    barista, sewing = TrainingTypeFactory(office=office_a, name="Barista"), TrainingTypeFactory(office=office_a)
    client = login(admin_a)
    shown = client.get(url(partner)).context["form"]["edit_fingerprint"].value()
    barista.partners.add(partner)  # someone else saves in the meantime
    response = client.post(url(partner), {"training_types": [sewing.pk], "edit_fingerprint": shown})
    assert response.status_code == 200
    assert "Orang lain telah mengubah data ini" in response.content.decode()
    assert response.context["form"]["training_types"].value() == [str(sewing.pk)]
    assert list(partner.training_types.all()) == [barista]


def test_partner_page_shows_the_types_and_only_the_admin_may_change_them(login, admin_a, kasi_a, office_a, partner):
    TrainingTypeFactory(office=office_a, name="Barista").partners.add(partner)
    page = reverse("pokmaslipas:partner_detail", args=[partner.pk])
    as_admin = login(admin_a).get(page).content.decode()
    assert "Barista" in as_admin and url(partner) in as_admin
    as_kasi = login(kasi_a).get(page).content.decode()
    assert "Barista" in as_kasi and url(partner) not in as_kasi
    assert login(kasi_a).post(url(partner), {"training_types": []}).status_code == 403


def test_agreement_page_lists_its_trainings(login, kasi_a, office_a, partner):
    agreement = AgreementFactory(partner=partner)
    session = TrainingSessionFactory(office=office_a, partner=partner, agreement=agreement, title="Barista Angkatan 3")
    body = login(kasi_a).get(reverse("pokmaslipas:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Barista Angkatan 3" in body
    assert reverse("trainings:session_detail", args=[session.pk]) in body


def test_client_page_shows_the_trainings_block(login, alice, office_a):
    from tests.factories import AttendanceFactory, ClientFactory, EnrolmentFactory

    client = ClientFactory(office=office_a, officer=alice)
    session = TrainingSessionFactory(office=office_a, title="Menjahit Dasar")
    AttendanceFactory(enrolment=EnrolmentFactory(session=session, client=client), date=session.start_date)
    body = login(alice).get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert 'id="trainings"' in body
    assert "Menjahit Dasar" in body and reverse("trainings:session_detail", args=[session.pk]) in body
