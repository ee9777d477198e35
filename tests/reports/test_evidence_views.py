"""The Temuan page and its downloads: who may see it, and the same numbers in every format."""

import json

import pytest
from django.shortcuts import resolve_url
from django.urls import reverse

QUERY = {"period": "range", "date_from": "2022-01-01", "date_to": "2023-12-31", "horizon": "6"}


def test_kasi_opens_temuan_with_the_default_period(login, kasi_a):
    response = login(kasi_a).get(reverse("reports:evidence"))
    assert response.status_code == 200
    assert "Temuan" in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "kasubsi_a", "admin_a"])
def test_other_office_roles_may_not(request, login, who):
    user = request.getfixturevalue(who)
    assert login(user).get(reverse("reports:evidence")).status_code == 403
    assert login(user).get(reverse("reports:evidence_download", args=["json"])).status_code == 403


def test_anonymous_goes_to_sign_in(client, settings):
    response = client.get(reverse("reports:evidence"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_another_office_is_404_for_office_staff(login, kasi_a, office_b):
    response = login(kasi_a).get(reverse("reports:evidence"), {**QUERY, "office": office_b.code})
    assert response.status_code == 404


def test_wrong_method_is_405(login, kasi_a):
    assert login(kasi_a).post(reverse("reports:evidence")).status_code == 405


def test_unknown_format_is_404(login, kasi_a):
    assert login(kasi_a).get(reverse("reports:evidence_download", args=["doc"]), QUERY).status_code == 404


def test_regional_viewer_sees_all_offices_pooled_without_names(login, rita, world):
    response = login(rita).get(reverse("reports:evidence"), QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    for client in world["clients"]:
        assert client.name not in page
    data = json.loads(login(rita).get(reverse("reports:evidence_download", args=["json"]), QUERY).content)
    assert data["office"] is None
    assert data["outcome"]["participants"] == 5  # office A's four participations and office B's one
