"""Hostile fields sent to the POST views without a form of their own (buttons, code forms).

Each action of tests/security/test_fuzz_forms.py ACTIONS is posted by a user the permission matrix
lets through, with one to four hostile fields (the names its forms use and random ones): never a
server error, never an unescaped probe. Each request runs in a rolled-back savepoint.
"""

import copy

import pytest
from django.db import transaction
from django.test import Client as DjangoClient
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.security import fuzz_support as fz
from tests.security import matrix
from tests.security.test_fuzz_forms import ACTIONS, FUZZ
from tests.security.test_permission_matrix import discover, url_kwargs

pytestmark = pytest.mark.django_db

FIELD_NAMES = ["token", "next", "reason", "status", "_submit_once", "confirm", "remove", "page", "version", "language"]


def _user_for(name) -> str:
    """The first user the matrix lets through (Alice when nobody is: sign-out, a set-up to confirm)."""
    outcomes = matrix.EXPECTED[name]["POST"]
    return next((who for who in (*matrix.A_USERS, *matrix.VIEWERS) if outcomes[who] == matrix.OK), "pk_owner_a")


@pytest.fixture
def world(settings, tmp_path):
    return fz.fuzz_world(settings, tmp_path)


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_hostile_fields_never_break_an_action(world, name):
    people, objects = world
    _route, converters, _callback = discover()[name]
    target = reverse(name, kwargs=url_kwargs(name, converters, objects))
    who = _user_for(name)
    client = DjangoClient()
    if who != "anonymous":
        client.force_login(people[who], backend="django.contrib.auth.backends.ModelBackend")
    if name == "bapas:otp_setup":
        client.get(target)  # starts the set-up the POST confirms
    keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=20))

    @FUZZ
    @given(fields=st.dictionaries(keys, fz.HOSTILE, min_size=1, max_size=4))
    def run(fields):
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            response = client.post(target, fields)
            body = response.content.decode("utf-8", "replace") if not response.streaming else ""
            transaction.set_rollback(True)
        client.cookies = cookies
        assert response.status_code < 500, f"{name}: {response.status_code} for {fields!r}"
        assert not fz.raw_probes_in(body, fields.values()), f"{name}: unescaped probe for {fields!r}"

    run()
