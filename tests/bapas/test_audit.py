"""The audit trail as people read it: bapas.audit.history_rows and includes/_history.html."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from bapas.audit import history_for, history_rows
from bapas.models import Role
from clients.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def label(name):
    text = str(Client._meta.get_field(name).verbose_name)
    return text[:1].upper() + text[1:]


@pytest.fixture
def tracked_client(office_a, alice, paula, kasi_a):
    client = ClientFactory.build(
        office=office_a, officer=alice, name="Budi Santoso", programme_end=dt.date(2027, 1, 31)
    )
    client._history_user = kasi_a
    client.save()
    client.status = Client.Status.COMPLETED
    client.officer = paula
    client.programme_end = dt.date(2027, 3, 1)
    client._history_user = kasi_a
    client._change_reason = "Programme completed"
    client.save()
    return client


def test_rows_show_who_what_and_labels(tracked_client, kasi_a):
    with translation.override("id"), timezone.override(kasi_a.office.tzinfo):
        rows = history_rows(tracked_client)
        assert [r["action"] for r in rows] == ["changed", "created"]
        latest = rows[0]
        assert latest["who"] == "Karin Kasi"
        assert latest["username"] == "kasi_a"
        assert latest["action_label"] == "diubah"
        assert latest["reason"] == "Programme completed"
        changes = {c["field"]: (c["old"], c["new"]) for c in latest["changes"]}
        assert changes[label("status")] == (str(Client.Status.ACTIVE.label), str(Client.Status.COMPLETED.label))
        assert changes[label("officer")] == ("Alice Wulandari", "Paula Siregar")
        assert changes[label("programme_end")] == ("31 Januari 2027", "1 Maret 2027")
        assert set(changes) == {label("status"), label("officer"), label("programme_end")}
        created = {c["field"]: c for c in rows[1]["changes"]}
        assert created[label("name")]["new"] == "Budi Santoso"
        assert created[label("name")]["old"] is None


def test_when_is_in_office_time(tracked_client, office_b):
    with timezone.override(office_b.tzinfo):
        rows = history_rows(tracked_client)
    assert rows[0]["when"].utcoffset() == dt.timedelta(hours=8)


def test_ip_address_and_user_come_from_the_request(login, admin_a, alice):
    data = {
        "username": alice.username,
        "first_name": alice.first_name,
        "last_name": alice.last_name,
        "email": "",
        "role": Role.KASUBSI,
        "nip": alice.nip,
        "rank": "",
        "position_title": "",
        "phone": "",
        "is_active": "on",
    }
    login(admin_a).post(reverse("bapas:staff_edit", args=[alice.pk]), data, REMOTE_ADDR="10.20.30.40")
    row = history_rows(alice)[0]
    assert row["ip_address"] == "10.20.30.40"
    assert row["who"] == "Ani TataUsaha"
    assert {c["field"] for c in row["changes"]} >= {"Peran"}


def test_limit_and_query_budget(office_a, alice, kasi_a, paula, django_assert_max_num_queries):
    client = ClientFactory(office=office_a, officer=alice)
    for number in range(60):
        client.phone = f"0812{number:04d}"
        client.officer = paula if number % 2 else alice
        client.save()
    with django_assert_max_num_queries(3):
        rows = history_rows(client, limit=50)
    assert len(rows) == 50
    few = ClientFactory(office=office_a, officer=alice)
    few.phone = "1"
    few.save()
    with django_assert_max_num_queries(3):
        assert len(history_rows(few)) == 2


def test_deleted_record_shows_deletion(office_a, alice, kasi_a):
    client = ClientFactory(office=office_a, officer=alice)
    pk = client.pk
    client._history_user = kasi_a
    client.delete()
    rows = history_rows(Client(pk=pk))
    assert [r["action"] for r in rows] == ["deleted", "created"]
    assert rows[0]["who"] == "Karin Kasi"
    assert rows[0]["changes"] == []


def test_history_for_leads_only(tracked_client, kasi_a, kabapas_a, alice, admin_a):
    assert history_for(kasi_a, tracked_client)
    assert history_for(kabapas_a, tracked_client)
    assert history_for(alice, tracked_client) is None
    assert history_for(admin_a, tracked_client) is None


def test_partial_escapes_and_has_no_edit_links(tracked_client, kasi_a):
    tracked_client.name = "<script>alert(1)</script>"
    tracked_client.save()
    with translation.override("id"):
        html = render_to_string("includes/_history.html", {"history": history_rows(tracked_client)})
    assert "Riwayat perubahan" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<form" not in html
    assert "href=" not in html
    assert render_to_string("includes/_history.html", {"history": None}).strip() == ""
    with translation.override("id"):
        empty = render_to_string("includes/_history.html", {"history": []})
    assert "Belum ada perubahan yang tercatat" in empty
