"""A clear Indonesian error page, without the database, while the database is down."""

import sys
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from bapas.views import server_error

pytestmark = pytest.mark.django_db


def outage(*args, **kwargs):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def test_signed_in_page_during_outage_is_a_503_in_indonesian(alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", outage):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Terjadi gangguan" in body
    assert 'lang="id"' in body
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert "Content-Security-Policy" in response.headers


def test_write_during_outage_is_a_503(alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    with mock.patch("django.db.models.query.QuerySet._fetch_all", outage):
        response = client.post(reverse("password_change"), {"old_password": "x"})
    assert response.status_code == 503
    assert "Terjadi gangguan" in response.content.decode()


def test_error_page_uses_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        with django_assert_num_queries(0):
            response = server_error(request)
    assert response.status_code == 503


def test_other_errors_are_500_with_the_same_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Terjadi gangguan" in response.content.decode()
