import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_indonesian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Masuk" in response.content.decode()
    assert 'lang="id"' in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_password_lands_on_home(client, alice, password):
    response = client.post(reverse("login"), {"username": "alice", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_error_in_indonesian(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong-password"})
    assert response.status_code == 200
    assert "benar" in response.content.decode()  # "Masukkan nama pengguna dan sandi yang benar"


def test_lockout_after_five_failures(client, alice, password):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.5")
    response = client.post(reverse("login"), {"username": "alice", "password": password}, REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 429
    assert "Akun terkunci" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_requires_post(login, alice):
    client = login(alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_session_ends_after_inactivity(login, alice, settings):
    client = login(alice)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["_last_seen"] = session["_last_seen"] - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_ends_other_sessions(client, alice, password):
    from django.test import Client

    other = Client()
    other.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Ganti-sandi-2026!", "new_password2": "Ganti-sandi-2026!"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert other.get(reverse("home")).status_code == 302


def test_weak_password_is_refused(login, alice, password):
    client = login(alice)
    response = client.post(
        reverse("password_change"), {"old_password": password, "new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(password)


def test_django_admin_is_for_superusers_only(login, admin_a):
    client = login(admin_a)
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]
