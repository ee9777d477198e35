"""The submit-once guard on its own (its use on a real form is in test_staff)."""

import pytest
from django.core import signing
from django.template import Context, Template
from django.test import RequestFactory

from bapas.idempotency import FIELD_NAME, SALT, SubmissionRejected, issue_token, submit_once

pytestmark = pytest.mark.django_db


def post(user, token):
    request = RequestFactory().post("/x", {FIELD_NAME: token})
    request.user = user
    return request


def test_first_claim_wins_and_later_ones_get_its_result(alice):
    token = issue_token(alice)
    with submit_once(post(alice, token)) as submission:
        submission.success_url = "/klien/1/"
    with pytest.raises(SubmissionRejected) as rejected, submit_once(post(alice, token)):
        pytest.fail("a second submission must not run")
    assert rejected.value.success_url == "/klien/1/"


def test_in_flight_duplicate_is_rejected_without_result(alice):
    token = issue_token(alice)
    with submit_once(post(alice, token)):
        with pytest.raises(SubmissionRejected) as rejected, submit_once(post(alice, token)):
            pass
        assert rejected.value.success_url is None


def test_failed_or_invalid_write_releases_the_token(alice):
    token = issue_token(alice)
    with pytest.raises(ValueError), submit_once(post(alice, token)):
        raise ValueError("database said no")
    with submit_once(post(alice, token)):
        pass  # invalid form: nothing saved, no success_url
    with submit_once(post(alice, token)) as submission:
        submission.success_url = "/ok/"


def test_token_of_another_user_or_forged_or_expired_is_refused(alice, paula, settings):
    with pytest.raises(SubmissionRejected), submit_once(post(paula, issue_token(alice))):
        pass
    with pytest.raises(SubmissionRejected), submit_once(post(alice, "forged")):
        pass
    with pytest.raises(SubmissionRejected), submit_once(post(alice, "")):
        pass
    settings.IDEMPOTENCY_TOKEN_MAX_AGE = -1
    with pytest.raises(SubmissionRejected) as rejected, submit_once(post(alice, issue_token(alice))):
        pass
    assert "kedaluwarsa" in rejected.value.message or "expired" in rejected.value.message


def test_template_tag_renders_a_fresh_signed_token(alice, rf):
    request = rf.get("/")
    request.user = alice
    template = Template("{% load idempotency %}{% submit_once_token %}")
    first = template.render(Context({"request": request}))
    second = template.render(Context({"request": request}))
    assert first != second
    token = first.split('value="')[1].split('"')[0]
    assert signing.loads(token, salt=SALT)["u"] == alice.pk
    assert f'name="{FIELD_NAME}"' in first
