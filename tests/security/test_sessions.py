"""Sessions end on inactivity, on password change and reset, on deactivation; sign-in locks out."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW = "Ganti-sandi-2026!"


def signed_in(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_session_ends_after_inactivity_and_not_before(alice, settings):
    client = signed_in(alice)
    assert client.get(reverse("password_change")).status_code == 200
    session = client.session
    session["_last_seen"] -= settings.SESSION_IDLE_TIMEOUT - 30
    session.save()
    assert client.get(reverse("password_change")).status_code == 200
    session = client.session
    session["_last_seen"] -= settings.SESSION_IDLE_TIMEOUT + 1
    session.save()
    response = client.get(reverse("password_change"), follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert "berakhir" in response.content.decode()


def test_session_cookie_is_http_only_and_ends_with_browser(alice, password):
    client = Client()
    client.post(reverse("login"), {"username": "alice", "password": password})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["expires"]
    assert not cookie["max-age"]


def test_password_change_ends_other_sessions(alice, password):
    phone = signed_in(alice)
    desk = signed_in(alice)
    response = desk.post(
        reverse("password_change"), {"old_password": password, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert desk.get(reverse("password_change")).status_code == 200
    assert phone.get(reverse("password_change")).status_code == 302


def test_admin_reset_and_deactivation_end_sessions(login, admin_a, alice, paula):
    alice_client, paula_client = signed_in(alice), signed_in(paula)
    admin = login(admin_a)
    admin.post(reverse("bapas:staff_password_reset", args=[alice.pk]), {"password1": NEW, "password2": NEW})
    admin.post(reverse("bapas:staff_deactivate", args=[paula.pk]))
    assert alice_client.get(reverse("password_change")).status_code == 302
    assert paula_client.get(reverse("password_change")).status_code == 302


def test_lockout_after_five_failures_even_with_right_password(alice, password):
    client = Client()
    for _ in range(4):
        assert client.post(reverse("login"), {"username": "alice", "password": "salah"}).status_code == 200
    assert client.post(reverse("login"), {"username": "alice", "password": "salah"}).status_code == 429
    response = client.post(reverse("login"), {"username": "alice", "password": password})
    assert response.status_code == 429
    assert "Akun terkunci" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(alice, password):
    client = Client()
    for _ in range(4):
        client.post(reverse("login"), {"username": "alice", "password": "salah"})
    assert client.post(reverse("login"), {"username": "alice", "password": password}).status_code == 302


def test_password_reset_is_for_admins_only(login, alice, kasi_a, kabapas_a, rita, paula, admin_b, password):
    for user in (alice, kasi_a, kabapas_a, rita):
        response = login(user).post(
            reverse("bapas:staff_password_reset", args=[paula.pk]), {"password1": NEW, "password2": NEW}
        )
        assert response.status_code == 403
    assert login(admin_b).post(reverse("bapas:staff_password_reset", args=[paula.pk])).status_code == 404
    paula.refresh_from_db()
    assert paula.check_password(password)


def test_no_public_password_reset_by_email(client):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("password_reset")
    assert client.get("/akun/reset/").status_code in (302, 404)
