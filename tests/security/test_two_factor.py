"""Two-factor sign-in with real TOTP codes (django_otp.oath.totp)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import code

pytestmark = pytest.mark.django_db


def sign_in(user, password):
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


@pytest.fixture
def alice_device(alice):
    return TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)


# --- setup --------------------------------------------------------------------------------------


def test_privileged_users_must_set_up_before_any_page(two_factor, kasi_a, admin_a, kabapas_a, password):
    two_factor.OTP_REQUIRED_FOR_PRIVILEGED = True
    for user in (kasi_a, admin_a, kabapas_a):  # the Kepala Bapas signs the monthly return
        client = sign_in(user, password)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("bapas:otp_setup"))
        assert client.get(reverse("password_change")).status_code == 302


def test_setting_off_or_other_roles_need_no_setup(two_factor, kasi_a, alice, kasubsi_a, kabapas_a, password):
    two_factor.OTP_REQUIRED_FOR_PRIVILEGED = False
    assert sign_in(kasi_a, password).get(reverse("password_change")).status_code == 200
    assert sign_in(kabapas_a, password).get(reverse("password_change")).status_code == 200
    two_factor.OTP_REQUIRED_FOR_PRIVILEGED = True
    assert sign_in(alice, password).get(reverse("password_change")).status_code == 200
    assert sign_in(kasubsi_a, password).get(reverse("password_change")).status_code == 200


def test_setup_shows_qr_svg_and_secret_and_confirms_real_code(two_factor, kasi_a, password):
    two_factor.OTP_REQUIRED_FOR_PRIVILEGED = True
    client = sign_in(kasi_a, password)
    page = client.get(reverse("bapas:otp_setup"), {"next": reverse("password_change")})
    body = page.content.decode()
    assert page.status_code == 200
    assert '<svg viewBox="' in body
    assert "style=" not in body.split('class="otp-qr"')[1].split("</svg>")[0]
    device = TOTPDevice.objects.get(user=kasi_a, confirmed=False)
    secret = re.search(r'class="otp-secret[^"]*">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    # reloading keeps the same secret
    assert client.get(reverse("bapas:otp_setup")).context["secret"] == page.context["secret"]

    wrong = client.post(reverse("bapas:otp_setup"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Kode salah" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code makes the next try wait a second

    response = client.post(reverse("bapas:otp_setup"), {"token": code(device, 1), "next": reverse("password_change")})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("password_change")).status_code == 200
    assert kasi_a.history.filter(history_change_reason="Two-factor sign-in enabled").exists()


def test_setup_refuses_letters(two_factor, alice, password):
    client = sign_in(alice, password)
    client.get(reverse("bapas:otp_setup"))
    response = client.post(reverse("bapas:otp_setup"), {"token": "abcdef"})
    assert "Masukkan enam digit" in response.content.decode()


# --- verify -------------------------------------------------------------------------------------


def test_users_with_a_device_enter_a_code_after_the_password(two_factor, alice, alice_device, password):
    client = sign_in(alice, password)
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("bapas:otp_verify") + "?next=%2Fakun%2Fkata-sandi%2F"
    wrong = client.post(reverse("bapas:otp_verify"), {"token": "12345a"})
    assert wrong.status_code == 200
    assert client.get(reverse("password_change")).status_code == 302
    response = client.post(reverse("bapas:otp_verify"), {"token": code(alice_device), "next": "/akun/kata-sandi/"})
    assert response.status_code == 302
    assert response["Location"] == "/akun/kata-sandi/"
    assert client.get(reverse("password_change")).status_code == 200


def test_a_code_cannot_be_used_twice(two_factor, alice, alice_device, password):
    token = code(alice_device)
    first = sign_in(alice, password)
    assert first.post(reverse("bapas:otp_verify"), {"token": token}).status_code == 302
    second = sign_in(alice, password)
    response = second.post(reverse("bapas:otp_verify"), {"token": token})
    assert response.status_code == 200
    assert second.get(reverse("password_change")).status_code == 302


def test_wrong_codes_are_throttled(two_factor, alice, alice_device, password):
    client = sign_in(alice, password)
    bad = "000000" if code(alice_device) != "000000" else "999999"
    client.post(reverse("bapas:otp_verify"), {"token": bad})
    response = client.post(reverse("bapas:otp_verify"), {"token": code(alice_device)})
    assert "Terlalu banyak kode yang salah" in response.content.decode()
    assert client.get(reverse("password_change")).status_code == 302


def test_unverified_user_cannot_add_a_second_device(two_factor, alice, alice_device, password):
    client = sign_in(alice, password)
    response = client.get(reverse("bapas:otp_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("bapas:otp_verify"))
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_sign_out_and_sign_in_page_stay_reachable(two_factor, alice, alice_device, password):
    client = sign_in(alice, password)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("login")).status_code == 200


def test_next_cannot_leave_the_site(two_factor, alice, alice_device, password):
    client = sign_in(alice, password)
    response = client.post(reverse("bapas:otp_verify"), {"token": code(alice_device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


# --- disable ------------------------------------------------------------------------------------


def test_user_switches_off_with_a_current_code(two_factor, alice, alice_device, password):
    client = sign_in(alice, password)
    client.post(reverse("bapas:otp_verify"), {"token": code(alice_device)})
    refused = client.post(reverse("bapas:otp_disable"), {"token": "12"}, follow=True)
    assert "tetap aktif" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=alice).exists()
    response = client.post(reverse("bapas:otp_disable"), {"token": code(alice_device, 1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert client.get(reverse("password_change")).status_code == 200
    assert sign_in(alice, password).get(reverse("password_change")).status_code == 200


def test_privileged_user_cannot_switch_off_when_required(two_factor, kasi_a, password):
    two_factor.OTP_REQUIRED_FOR_PRIVILEGED = True
    device = TOTPDevice.objects.create(user=kasi_a, name="phone", confirmed=True)
    client = sign_in(kasi_a, password)
    client.post(reverse("bapas:otp_verify"), {"token": code(device)})
    response = client.post(reverse("bapas:otp_disable"), {"token": code(device, 1)}, follow=True)
    assert "wajib untuk peran Anda" in response.content.decode()
    assert TOTPDevice.objects.filter(user=kasi_a).exists()


def test_views_need_sign_in_and_right_method(two_factor, client, login, alice):
    for name in ("bapas:otp_setup", "bapas:otp_verify"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert login(alice).get(reverse("bapas:otp_disable")).status_code == 405
    assert login(alice).put(reverse("bapas:otp_setup")).status_code == 405


def test_the_kepala_bapas_signs_the_monthly_return_only_after_the_code(two_factor, kabapas_a, kasi_a, password):
    """With two-factor sign-in on, a password alone does not sign off the office's return."""
    import datetime as dt

    from django.utils import timezone

    from reports.models import MonthlyReturn

    two_factor.OTP_REQUIRED_FOR_PRIVILEGED = True
    device = TOTPDevice.objects.create(user=kabapas_a, name="phone", confirmed=True)
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    MonthlyReturn.objects.create(office=kabapas_a.office, month=month, reviewed_by=kasi_a, reviewed_at=timezone.now())
    sign_url = reverse("reports:monthly_sign", args=[kabapas_a.office.code, f"{month:%Y-%m}"])

    client = sign_in(kabapas_a, password)
    response = client.post(sign_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("bapas:otp_verify"))
    assert not MonthlyReturn.objects.filter(state=MonthlyReturn.State.SIGNED).exists()

    assert client.post(reverse("bapas:otp_verify"), {"token": code(device)}).status_code == 302
    assert client.post(sign_url).status_code == 302
    assert MonthlyReturn.objects.get().state == MonthlyReturn.State.SIGNED
