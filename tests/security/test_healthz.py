"""The health check answers GET and HEAD only, without sign-in; every other method is 405."""

import json

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_get_and_head_answer_without_sign_in(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert client.head(reverse("healthz")).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_state_changing_methods_are_refused(login, admin_a, method):
    anonymous = Client()
    for who in (anonymous, login(admin_a)):
        response = getattr(who, method)(reverse("healthz"))
        assert response.status_code == 405
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
