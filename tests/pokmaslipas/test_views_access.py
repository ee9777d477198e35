"""Every view: works; anonymous -> sign-in; other office -> 404; read-only role -> 403; wrong method -> 405."""

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db

READERS = ["alice", "kasubsi_a", "kasi_a", "kabapas_a", "admin_a"]
READ_ONLY = ["alice", "kasubsi_a", "kasi_a", "kabapas_a"]


@pytest.fixture
def partner(office_a):
    return PartnerFactory(office=office_a, code="GBI", name="GBI WTC Regency")


@pytest.fixture
def agreement(partner):
    return AgreementFactory(partner=partner, number="W29.PAS.PAS4-PK.01.05-0101")


@pytest.fixture
def foreign_agreement(office_b):
    return AgreementFactory(partner__office=office_b, number="W17.PAS-BPN-01")


def read_urls(partner, agreement):
    return [
        reverse("pokmaslipas:partner_list"),
        reverse("pokmaslipas:partner_detail", args=[partner.pk]),
        reverse("pokmaslipas:agreement_list"),
        reverse("pokmaslipas:agreement_detail", args=[agreement.pk]),
    ]


def write_get_urls(partner, agreement):
    return [
        reverse("pokmaslipas:partner_create"),
        reverse("pokmaslipas:partner_edit", args=[partner.pk]),
        reverse("pokmaslipas:agreement_create"),
        reverse("pokmaslipas:agreement_edit", args=[agreement.pk]),
        reverse("pokmaslipas:agreement_renew", args=[agreement.pk]),
    ]


@pytest.mark.parametrize("who", READERS)
def test_office_roles_read(request, login, who, partner, agreement):
    client = login(request.getfixturevalue(who))
    for url in read_urls(partner, agreement):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "GBI WTC Regency" in response.content.decode(), url


def test_anonymous_is_sent_to_sign_in(client, partner, agreement):
    urls = read_urls(partner, agreement) + write_get_urls(partner, agreement)
    urls += [
        reverse("pokmaslipas:agreement_document", args=[agreement.pk]),
        reverse("pokmaslipas:agreement_terminate", args=[agreement.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("who", ["bob", "kasi_b", "admin_b"])
def test_other_office_gets_404(request, login, who, partner, agreement):
    client = login(request.getfixturevalue(who))
    for url in read_urls(partner, agreement)[1::2] + write_get_urls(partner, agreement)[1::2]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("pokmaslipas:agreement_document", args=[agreement.pk])).status_code == 404
    post = client.post(reverse("pokmaslipas:agreement_terminate", args=[agreement.pk]), {"reason": "x"})
    assert post.status_code == 404
    post = client.post(reverse("pokmaslipas:partner_edit", args=[partner.pk]), {"name": "Diubah"})
    assert post.status_code == 404
    partner.refresh_from_db()
    assert partner.name == "GBI WTC Regency"
    # ?partner= of another office is not a way in either
    response = client.get(reverse("pokmaslipas:agreement_create"), {"partner": partner.pk})
    assert response.status_code in (403, 404)


def test_other_office_lists_do_not_show_records(login, bob, partner, agreement):
    client = login(bob)
    assert "GBI WTC Regency" not in client.get(reverse("pokmaslipas:partner_list")).content.decode()
    assert agreement.number not in client.get(reverse("pokmaslipas:agreement_list")).content.decode()


def test_regional_viewer_gets_404(login, rita, partner, agreement):
    client = login(rita)
    for url in read_urls(partner, agreement) + write_get_urls(partner, agreement):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", READ_ONLY)
def test_read_only_roles_get_403_on_admin_forms(request, login, who, partner, agreement):
    client = login(request.getfixturevalue(who))
    for url in write_get_urls(partner, agreement):
        assert client.get(url).status_code == 403, url
    count_before = partner.agreements.count()
    posts = {
        reverse("pokmaslipas:partner_create"): {"code": "NEW", "name": "Baru", "kind": "LPK"},
        reverse("pokmaslipas:partner_edit", args=[partner.pk]): {"code": "GBI", "name": "Diubah", "kind": "LPK"},
        reverse("pokmaslipas:agreement_create"): {"partner": partner.pk, "number": "X-1", "kind": "PKS"},
        reverse("pokmaslipas:agreement_edit", args=[agreement.pk]): {"number": "X-2", "kind": "PKS"},
        reverse("pokmaslipas:agreement_renew", args=[agreement.pk]): {"number": "X-3", "kind": "PKS"},
        reverse("pokmaslipas:agreement_terminate", args=[agreement.pk]): {
            "terminated_on": "2024-01-01",
            "reason": "coba",
        },
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    partner.refresh_from_db()
    agreement.refresh_from_db()
    assert partner.name == "GBI WTC Regency"
    assert agreement.number == "W29.PAS.PAS4-PK.01.05-0101"
    assert agreement.terminated_on is None
    assert partner.agreements.count() == count_before
    assert not partner.office.partners.filter(code="NEW").exists()


def test_read_only_roles_see_no_write_buttons(login, kasi_a, partner, agreement):
    body = login(kasi_a).get(reverse("pokmaslipas:agreement_detail", args=[agreement.pk])).content.decode()
    assert reverse("pokmaslipas:agreement_edit", args=[agreement.pk]) not in body
    assert reverse("pokmaslipas:agreement_terminate", args=[agreement.pk]) not in body


def test_wrong_methods_get_405(login, admin_a, partner, agreement):
    client = login(admin_a)
    for url in [*read_urls(partner, agreement), reverse("pokmaslipas:agreement_document", args=[agreement.pk])]:
        assert client.post(url).status_code == 405, url
    assert client.get(reverse("pokmaslipas:agreement_terminate", args=[agreement.pk])).status_code == 405
    for url in write_get_urls(partner, agreement):
        assert client.delete(url).status_code == 405, url


def test_admin_home_is_the_admin_landing_page(login, admin_a, partner, agreement):
    response = login(admin_a).get(reverse("home"))
    assert response.status_code == 200
    assert "pokmaslipas/admin_home.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert reverse("pokmaslipas:partner_create") in body
    assert reverse("pokmaslipas:agreement_create") in body
    assert "alerts" in response.context


def test_admin_home_refuses_other_roles(rf, kasi_a, rita):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from pokmaslipas.views import admin_home

    request = rf.get("/")
    request.user = kasi_a
    with pytest.raises(PermissionDenied):
        admin_home(request)
    request.user = rita
    with pytest.raises(Http404):
        admin_home(request)
