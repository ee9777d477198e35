import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from bapas.models import Role

pytestmark = pytest.mark.django_db


def nav_names(response):
    return [item["name"] for item in response.context["nav_items"]]


def test_navigation_follows_role(login, alice, admin_a, rita, kasi_a):
    pk_nav = nav_names(login(alice).get(reverse("home")))
    assert "home" in pk_nav
    assert "bapas:staff_list" not in pk_nav
    assert "workbook:import_upload" not in pk_nav
    regional_nav = nav_names(login(rita).get(reverse("home")))
    assert all(name not in regional_nav for name in ("clients:list", "trainings:session_list", "bapas:staff_list"))


def test_header_shows_office_and_user(login, alice):
    body = login(alice).get(reverse("home")).content.decode()
    assert "Bapas Kelas I Tangerang" in body
    assert "Alice Wulandari" in body


@pytest.mark.parametrize(
    ("office_fixture", "expected_hour", "zone"), [("office_a", "15.30", "WIB"), ("office_b", "16.30", "WITA")]
)
def test_times_render_in_office_time_zone(request, login, office_fixture, expected_hour, zone):
    from tests.factories import UserFactory

    office = request.getfixturevalue(office_fixture)
    user = UserFactory(role=Role.KASI, office=office)
    client = login(user)
    client.get(reverse("home"))
    moment = dt.datetime(2023, 10, 20, 8, 30, tzinfo=dt.UTC)
    with timezone.override(office.tzinfo), translation.override("id"):
        rendered = Template("{{ t|date:'DATETIME_FORMAT' }}").render(Context({"t": moment}))
    assert rendered == f"20 Oktober 2023, {expected_hour}"
    body = client.get(reverse("home")).content.decode()
    assert zone in body


def test_middleware_activates_office_zone(login, bob):
    from django.test import RequestFactory

    from bapas.middleware import OfficeTimezoneMiddleware

    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        from django.http import HttpResponse

        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = bob
    OfficeTimezoneMiddleware(view)(request)
    assert seen["zone"] == "Asia/Makassar"


def test_indonesian_date_and_number_formatting():
    with translation.override("id"):
        out = Template("{% load humanize %}{{ d|date:'DATE_FORMAT' }} {{ n }} {{ n|intcomma }}").render(
            Context({"d": dt.date(2023, 10, 20), "n": 1234567})
        )
    assert out == "20 Oktober 2023 1.234.567 1.234.567"


def test_language_switch_to_english(login, alice):
    client = login(alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert "Sign out" in body
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Keluar" in client.get(reverse("home")).content.decode()


def test_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
