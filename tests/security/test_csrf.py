"""CSRF is enforced on sign-in and on every state change."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from bapas.models import User

pytestmark = pytest.mark.django_db


def csrf_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_sign_in_without_token_is_refused(alice, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": password})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_sign_in_with_token_works(alice, password):
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client, reverse("login"))
    response = client.post(reverse("login"), {"username": "alice", "password": password, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_csrf_cookie_is_not_readable_by_script(client):
    client.get(reverse("login"))
    assert client.cookies["csrftoken"]["httponly"]


@pytest.fixture
def admin_client(admin_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_state_change_without_token_is_refused(admin_client, alice):
    response = admin_client.post(reverse("bapas:staff_deactivate", args=[alice.pk]))
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.is_active


def test_state_change_with_token_works(admin_client, alice):
    token = csrf_token(admin_client, reverse("bapas:staff_edit", args=[alice.pk]))
    response = admin_client.post(reverse("bapas:staff_deactivate", args=[alice.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active


def test_form_post_with_foreign_token_is_refused(admin_client):
    response = admin_client.post(
        reverse("bapas:staff_create"),
        {"username": "mallory", "csrfmiddlewaretoken": "x" * 64, "password1": "a", "password2": "a"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="mallory").exists()


def test_sign_out_needs_token(admin_client):
    assert admin_client.post(reverse("logout")).status_code == 403
    assert admin_client.get(reverse("bapas:staff_list")).status_code == 200
