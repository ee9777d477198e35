"""The access log page for the Kasi BKD and the Kepala Bapas."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AccessLog
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def log(user, client=None, action="client_view", detail=""):
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type="clients.Client" if client else "report",
        object_id=str(client.pk) if client else "participation",
        detail=detail,
        ip_address="10.0.0.9",
    )


def test_kasi_and_kabapas_see_their_office_entries(login, kasi_a, kabapas_a, alice, bob, office_a, office_b):
    budi = ClientFactory(office=office_a, officer=alice, name="Budi Santoso")
    other = ClientFactory(office=office_b, officer=bob, name="Orang Lain")
    log(alice, budi)
    log(bob, other)
    log(alice, action="report_download", detail="participation 2023 PDF")
    for user in (kasi_a, kabapas_a):
        response = login(user).get(reverse("bapas:access_log"))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Budi Santoso" in body
        assert "participation 2023 PDF" in body
        assert "Orang Lain" not in body
        assert len(response.context["rows"]) == 2
        assert "Membuka data klien" in body


@pytest.mark.parametrize("fixture", ["alice", "kasubsi_a", "admin_a", "rita"])
def test_other_roles_get_403(request, login, fixture):
    assert login(request.getfixturevalue(fixture)).get(reverse("bapas:access_log")).status_code == 403


def test_anonymous_and_wrong_method(client, login, kasi_a):
    response = client.get(reverse("bapas:access_log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert login(kasi_a).post(reverse("bapas:access_log")).status_code == 405


def test_filters_by_staff_and_dates(login, kasi_a, alice, paula, office_a):
    budi = ClientFactory(office=office_a, officer=alice)
    old = log(alice, budi)
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=10))
    log(alice, budi)
    log(paula, budi)
    client = login(kasi_a)
    assert len(client.get(reverse("bapas:access_log"), {"user": alice.pk}).context["rows"]) == 2
    today = timezone.localdate().isoformat()
    response = client.get(reverse("bapas:access_log"), {"user": alice.pk, "date_from": today})
    assert len(response.context["rows"]) == 1
    bad = client.get(reverse("bapas:access_log"), {"date_from": "2024-02-01", "date_to": "2024-01-01"})
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in bad.content.decode()


def test_empty_state(login, kasi_a):
    body = login(kasi_a).get(reverse("bapas:access_log")).content.decode()
    assert "Belum ada akses yang tercatat" in body


def test_paginated(login, kasi_a, alice):
    AccessLog.objects.bulk_create(
        [AccessLog(user=alice, action="client_view", object_type="report", object_id=str(i)) for i in range(120)]
    )
    client = login(kasi_a)
    assert len(client.get(reverse("bapas:access_log")).context["rows"]) == 50
    assert len(client.get(reverse("bapas:access_log"), {"page": 3}).context["rows"]) == 20


@pytest.mark.parametrize("size", [5, 60])
def test_query_budget(login, kasi_a, alice, office_a, size, django_assert_max_num_queries):
    clients = ClientFactory.create_batch(size, office=office_a, officer=alice)
    for item in clients:
        log(alice, item)
    client = login(kasi_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("bapas:access_log"))
    assert len(response.context["rows"]) == min(size, 50)
