"""The client's address behind the proxy (BAPAS_TRUSTED_PROXIES), lock-out per username and address,
the password-spraying limit per address, and two-factor sign-in for superusers and the admin site."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bapas.models import AccessLog, Role
from bapas.network import client_ip
from tests.factories import UserFactory
from tests.security.conftest import code

pytestmark = pytest.mark.django_db
PROXY = "127.0.0.1"


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(_request("10.0.0.1", "6.6.6.6")) == "10.0.0.1"


def test_behind_one_proxy_the_rightmost_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(_request(PROXY, "203.0.113.7")) == "203.0.113.7"
    # whatever the client wrote itself stands to the left and is not believed
    assert client_ip(_request(PROXY, "6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request(PROXY, "not-an-address")) == PROXY
    assert client_ip(_request(PROXY)) == PROXY


def test_behind_two_proxies_the_second_from_the_right(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_ip(_request(PROXY, "6.6.6.6, 203.0.113.7, 10.1.1.1")) == "203.0.113.7"
    assert client_ip(_request(PROXY, "203.0.113.7")) == PROXY  # did not pass both proxies


def _sign_in(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address
    )


def test_lockout_is_per_username_and_client_address_behind_the_proxy(settings, alice, password):
    settings.TRUSTED_PROXIES = 1
    attacker, office = Client(), Client()
    for _ in range(5):
        _sign_in(attacker, "alice", "wrong-password", "198.51.100.9")
    assert _sign_in(attacker, "alice", password, "198.51.100.9").status_code == 429
    # Alice at the office, through the same proxy, is not locked out by the attacker
    assert _sign_in(office, "alice", password, "10.20.0.15").status_code == 302


def test_access_log_records_the_client_behind_the_proxy(settings, login, alice):
    from tests.factories import ClientFactory

    settings.TRUSTED_PROXIES = 1
    person = ClientFactory(office=alice.office, officer=alice)
    login(alice).get(reverse("clients:detail", args=[person.pk]), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.20.0.15")
    assert AccessLog.objects.get(action="client_view").ip_address == "10.20.0.15"


def test_password_spraying_from_one_address_is_refused(settings, alice, password):
    settings.TRUSTED_PROXIES = 1
    sprayer = Client()
    for n in range(settings.SIGNIN_ADDRESS_FAILURE_LIMIT):
        assert _sign_in(sprayer, f"staff{n}", "Rahasia-2026", "198.51.100.20").status_code == 200
    refused = _sign_in(sprayer, "alice", password, "198.51.100.20")
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal dari alamat jaringan Anda" in refused.content.decode()
    assert "_auth_user_id" not in sprayer.session
    # another address signs in as usual
    assert _sign_in(Client(), "alice", password, "10.20.0.15").status_code == 302


def test_a_few_failures_do_not_pause_the_address(settings, alice, password):
    for n in range(3):
        _sign_in(Client(), f"staff{n}", "Rahasia-2026", PROXY)
    assert _sign_in(Client(), "alice", password, PROXY).status_code == 302


# --- two-factor for superusers and the admin site -------------------------------------------------


@pytest.fixture
def root(office_a):
    return UserFactory(username="root", office=office_a, role=Role.PK, is_superuser=True, is_staff=True)


def test_superusers_must_set_up_two_factor(two_factor, root, password):
    two_factor.OTP_REQUIRED_FOR_PRIVILEGED = True
    client = Client()
    assert client.post(reverse("login"), {"username": "root", "password": password}).status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("bapas:otp_setup"))
    admin = client.get("/django-admin/")
    assert admin.status_code == 302 and admin["Location"].startswith(reverse("bapas:otp_setup"))


def test_django_admin_needs_a_verified_session(two_factor, root, password):
    two_factor.OTP_REQUIRED_FOR_PRIVILEGED = True
    device = TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    client = Client()
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    # a session without the code is not let into the admin site (its own sign-in asks for the code)
    response = client.get("/django-admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("bapas:otp_verify"))
    page = Client().get("/django-admin/login/")
    assert 'name="otp_token"' in page.content.decode()
    verified = Client()
    verified.post(reverse("login"), {"username": "root", "password": password})
    verified.post(reverse("bapas:otp_verify"), {"token": code(device)})
    assert verified.get("/django-admin/").status_code == 200


def test_without_the_requirement_the_admin_site_is_plain(settings, root):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = False
    client = Client()
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/django-admin/").status_code == 200
