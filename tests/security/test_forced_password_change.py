"""A password an admin set (reset or new account) must be replaced by the staff member at sign-in.

bapas.middleware.PasswordChangeRequiredMiddleware sends a user with ``must_change_password`` to the
password change page from every other page; the change clears the flag and keeps the session.
"""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bapas.models import Role, User
from tests.factories import ClientFactory
from tests.security.conftest import code

pytestmark = pytest.mark.django_db

TEMPORARY = "Sementara-Bapas-77"
OWN = "Pilihan-Sendiri-2026!"
NOTICE = "Kata sandi Anda ditetapkan oleh admin"  # the Indonesian notice on the change page


def reset_by_admin(admin_client, user, password=TEMPORARY, **extra):
    response = admin_client.post(
        reverse("bapas:staff_password_reset", args=[user.pk]), {"password1": password, "password2": password, **extra}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def sign_in(username, password):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return client, response


def change_password(client, old, new=OWN):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


def assert_sent_to_password_change(response):
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")


def test_reset_sets_the_flag_and_next_sign_in_lands_on_password_change(login, admin_a, alice):
    assert not alice.must_change_password
    reset_by_admin(login(admin_a), alice)
    alice.refresh_from_db()
    assert alice.must_change_password

    client, signed_in = sign_in("alice", TEMPORARY)
    assert signed_in["Location"] == reverse("home")
    assert_sent_to_password_change(client.get(signed_in["Location"]))
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert NOTICE in page.content.decode()


def test_every_other_page_and_post_redirects_to_password_change(login, admin_a, alice, office_a):
    client_record = ClientFactory(office=office_a, officer=alice)
    reset_by_admin(login(admin_a), alice)
    client, _ = sign_in("alice", TEMPORARY)
    for url in (
        reverse("home"),
        reverse("clients:list"),
        reverse("clients:detail", args=[client_record.pk]),
        reverse("reports:index"),
        reverse("bapas:staff_list"),  # even a page the role may not open: the password comes first
        reverse("password_change_done"),  # allowed, but only a finished change leads there
    ):
        response = client.get(url)
        if url == reverse("password_change_done"):
            assert response.status_code == 200
            continue
        assert_sent_to_password_change(response)
    before = client_record.name
    response = client.post(reverse("clients:edit", args=[client_record.pk]), {"name": "Diubah"})
    assert_sent_to_password_change(response)
    client_record.refresh_from_db()
    assert client_record.name == before


def test_sign_out_healthz_language_and_static_stay_reachable(login, admin_a, alice):
    reset_by_admin(login(admin_a), alice)
    client, _ = sign_in("alice", TEMPORARY)
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get("/static/css/app.css").status_code == 200
    language = client.post(reverse("set_language"), {"language": "en", "next": reverse("password_change")})
    assert language["Location"] == reverse("password_change")
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_after_the_change_the_user_is_free_and_the_session_stays(login, admin_a, alice):
    reset_by_admin(login(admin_a), alice)
    client, _ = sign_in("alice", TEMPORARY)
    wrong = change_password(client, "not-the-temporary-one")
    assert wrong.status_code == 200
    alice.refresh_from_db()
    assert alice.must_change_password

    response = change_password(client, TEMPORARY)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    alice.refresh_from_db()
    assert not alice.must_change_password
    assert alice.check_password(OWN)
    # update_session_auth_hash: the session that changed the password goes on
    assert client.get(reverse("clients:list")).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    assert NOTICE not in client.get(reverse("password_change")).content.decode()
    # and the next sign-in is free too
    again, signed_in = sign_in("alice", OWN)
    assert again.get(signed_in["Location"]).status_code == 200


def test_own_change_does_not_set_the_flag(login, alice, password):
    client = login(alice)
    assert change_password(client, password).status_code == 302
    alice.refresh_from_db()
    assert not alice.must_change_password
    assert alice.check_password(OWN)
    assert client.get(reverse("clients:list")).status_code == 200
    record = alice.history.first()
    assert record.history_change_reason == "Password changed by the staff member"
    assert record.history_user == alice


def test_new_account_from_the_admin_must_change_its_password(login, admin_a, office_a):
    admin = login(admin_a)
    page = admin.get(reverse("bapas:staff_create")).content.decode()
    token = re.search(r'name="_submit_once" value="([^"]+)"', page).group(1)
    response = admin.post(
        reverse("bapas:staff_create"),
        {
            "_submit_once": token,
            "username": "pk9.tng",
            "first_name": "Nadia",
            "last_name": "Putri",
            "role": Role.PK,
            "password1": TEMPORARY,
            "password2": TEMPORARY,
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="pk9.tng")
    assert created.must_change_password
    client, signed_in = sign_in("pk9.tng", TEMPORARY)
    assert_sent_to_password_change(client.get(signed_in["Location"]))
    assert change_password(client, TEMPORARY).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_flag_and_its_clearing_are_audited(login, admin_a, alice):
    reset_by_admin(login(admin_a), alice)
    client, _ = sign_in("alice", TEMPORARY)
    change_password(client, TEMPORARY)
    reset, changed = alice.history.order_by("history_date", "history_id").filter(history_change_reason__isnull=False)[
        :2
    ]
    assert (reset.history_change_reason, reset.history_user, reset.must_change_password) == (
        "Password reset by admin",
        admin_a,
        True,
    )
    assert (changed.history_change_reason, changed.history_user, changed.must_change_password) == (
        "Password changed by the staff member",
        alice,
        False,
    )
    assert reset.ip_address == changed.ip_address == "127.0.0.1"
    # the admin reads both on the staff member's page, in Indonesian
    page = login(admin_a).get(reverse("bapas:staff_edit", args=[alice.pk])).content.decode()
    assert "Kata sandi direset oleh admin" in page
    assert "Kata sandi diubah oleh pegawai sendiri" in page


def test_two_factor_code_comes_before_the_new_password(two_factor, login, admin_a, alice):
    """A temporary password alone is not enough: the authenticator code is asked for first."""
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    reset_by_admin(login(admin_a), alice)  # the phone is not lost: the authenticator stays
    client, _ = sign_in("alice", TEMPORARY)
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("bapas:otp_verify"))
    assert client.get(reverse("bapas:otp_verify")).status_code == 200  # no loop between the two
    verified = client.post(reverse("bapas:otp_verify"), {"token": code(device), "next": reverse("home")})
    assert verified["Location"] == reverse("home")
    assert_sent_to_password_change(client.get(reverse("home")))
    assert change_password(client, TEMPORARY).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_privileged_user_sets_up_two_factor_then_changes_password(two_factor, kasi_a):
    two_factor.OTP_REQUIRED_FOR_PRIVILEGED = True
    kasi_a.must_change_password = True
    kasi_a.set_password(TEMPORARY)
    kasi_a.save()
    client, _ = sign_in("kasi_a", TEMPORARY)
    response = client.get(reverse("password_change"))
    assert response["Location"].startswith(reverse("bapas:otp_setup"))
    assert client.get(reverse("bapas:otp_setup")).status_code == 200  # reachable, no loop
    device = TOTPDevice.objects.get(user=kasi_a, confirmed=False)
    confirmed = client.post(reverse("bapas:otp_setup"), {"token": code(device), "next": reverse("home")})
    assert confirmed.status_code == 302
    assert_sent_to_password_change(client.get(reverse("home")))


def test_demo_logins_are_never_forced(login, admin_a):
    call_command("load_demo", verbosity=0)
    assert not User.objects.filter(must_change_password=True).exists()
    # even after an admin reset in the demo, loading the demo again frees the login
    pk1 = User.objects.get(username="pk1.tng")
    pk1.must_change_password = True
    pk1.save(update_fields=["must_change_password"])
    call_command("load_demo", verbosity=0)
    pk1.refresh_from_db()
    assert not pk1.must_change_password
    client, signed_in = sign_in("pk1.tng", "demo-bapas-2026")
    assert client.get(signed_in["Location"]).status_code == 200
