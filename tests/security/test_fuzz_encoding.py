"""Bodies that are not UTF-8: each field of every fuzzed form in turn, percent-encoded Latin-1 and
overlong UTF-8 bytes with a NUL (as an old or hostile client might send). Never a server error; a
refused submission writes nothing. Cases and helpers: tests/security/test_fuzz_forms.py.
"""

import copy

import pytest
from django.db import transaction

from bapas.idempotency import FIELD_NAME, issue_token
from tests.security import fuzz_support as fz
from tests.security.test_fuzz_forms import CASES, fuzzable, starting_payload, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_non_utf8_bodies_never_break_a_form(world, case):  # noqa: F811
    """Each field in turn as bytes that are not UTF-8 (a urlencoded body as an old client might send)."""
    from urllib.parse import urlencode

    target, payload, kinds = starting_payload(world, case)
    client = world["clients"][case.user]
    for name in fuzzable(case, payload, kinds):
        data = {k: v for k, v in payload.items() if k != name}
        if FIELD_NAME in data:
            data[FIELD_NAME] = issue_token(world["people"][case.user])
        body = urlencode(data, doseq=True) + f"&{name}=%FF%FE%C0%80caf%E9%00"
        cookies = copy.deepcopy(client.cookies)
        before = fz.snapshot()
        with transaction.atomic():
            response = client.post(target, body, content_type="application/x-www-form-urlencoded")
            status, after = response.status_code, fz.snapshot()
            transaction.set_rollback(True)
        client.cookies = cookies
        assert status < 500, f"{case.id}: {status} for non-UTF-8 {name}"
        if status in (200, 400):
            assert after == before, f"{case.id}: refused non-UTF-8 {name} wrote rows"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_nul_in_every_field_is_refused_before_the_database(world, case):  # noqa: F811
    """PostgreSQL refuses NUL in text: every field of every form must refuse it first (no 500)."""
    target, payload, kinds = starting_payload(world, case)
    client = world["clients"][case.user]
    for name in fuzzable(case, payload, kinds):
        data = {**payload, name: "nul\x00byte"}
        if FIELD_NAME in data:
            data[FIELD_NAME] = issue_token(world["people"][case.user])
        cookies = copy.deepcopy(client.cookies)
        before = fz.snapshot()
        with transaction.atomic():
            response = client.post(target, data)
            status, after = response.status_code, fz.snapshot()
            transaction.set_rollback(True)
        client.cookies = cookies
        assert status < 500, f"{case.id}: {status} for NUL in {name}"
        if status in (200, 400):
            assert after == before, f"{case.id}: refused NUL in {name} wrote rows"
