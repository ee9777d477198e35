"""Guard against double submission of create forms: one form render, at most one record.

How it works: each render of a guarded form carries a fresh one-time token (signed, bound to the
user, valid for ``IDEMPOTENCY_TOKEN_MAX_AGE`` seconds). After the form validates, the view *claims*
the token with ``cache.add()``, which is atomic: only the first of two identical submissions wins.
When the write succeeds, the claim remembers where it led, so a repeated submission (double
click, browser resend, retry after a time-out) is sent to the record that was already created
instead of creating a second one. When the write fails, the claim is released and the user can
correct the form and save again.

The cache is ``settings.IDEMPOTENCY_CACHE`` (default ``"default"``). With several server processes
it must be shared by all of them (a ``DatabaseCache`` or Redis); the per-process memory cache is
only right for one process and for tests.

Usage, in the template inside the ``<form>``::

    {% load idempotency %}
    <form method="post" data-once>{% csrf_token %}{% submit_once_token %} ... </form>

and in the view (the claim comes before validation, so that a repeated submission is recognised
even when the first one already made its data invalid, e.g. a unique number now taken)::

    from bapas.idempotency import SubmissionRejected, submit_once

    if request.method == "POST":
        try:
            with submit_once(request) as submission:
                if form.is_valid():
                    thing = thing_create(office=..., **form.cleaned_data)
                    submission.success_url = thing.get_absolute_url()
        except SubmissionRejected as rejected:
            if rejected.success_url:                      # already saved by the first submission
                messages.info(request, rejected.message)
                return redirect(rejected.success_url)
            form.add_error(None, rejected.message)        # expired or still in progress: keep the input
        else:
            if submission.success_url:
                return redirect(submission.success_url)

A block that ends without ``success_url`` (invalid form) or with an exception (a service's
ValidationError, a database error) releases the claim: the user corrects the form and saves again.
The rendered form gets a new token every time, so re-rendering after an error needs nothing else.
"""

import hashlib
import secrets
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.utils.translation import gettext as _

FIELD_NAME = "_submit_once"
SALT = "bapas.idempotency"
PENDING = "__pending__"


def _max_age() -> int:
    return int(getattr(settings, "IDEMPOTENCY_TOKEN_MAX_AGE", 12 * 60 * 60))


def _cache():
    return caches[getattr(settings, "IDEMPOTENCY_CACHE", "default")]


def issue_token(user) -> str:
    """A fresh one-time token for one render of a form, bound to the signed-in user."""
    return signing.dumps({"u": getattr(user, "pk", None), "n": secrets.token_urlsafe(16)}, salt=SALT, compress=False)


class SubmissionRejected(Exception):
    """The submission must not be processed. ``success_url`` is set when it was already saved."""

    def __init__(self, message: str, success_url: str | None = None):
        super().__init__(message)
        self.message = message
        self.success_url = success_url


@dataclass
class Submission:
    key: str
    success_url: str | None = None


def _claim_key(request) -> str:
    token = request.POST.get(FIELD_NAME, "")
    try:
        data = signing.loads(token, salt=SALT, max_age=_max_age())
    except signing.SignatureExpired as exc:
        raise SubmissionRejected(
            _("This form was open too long and has expired. Check the data and save again.")
        ) from exc
    except signing.BadSignature as exc:
        raise SubmissionRejected(_("This form could not be verified. Check the data and save again.")) from exc
    if data.get("u") != getattr(request.user, "pk", None):
        raise SubmissionRejected(_("This form could not be verified. Check the data and save again."))
    return "submit-once:" + hashlib.sha256(token.encode()).hexdigest()


@contextmanager
def submit_once(request):
    """Claim the form's token for the duration of the write; see the module docstring."""
    key = _claim_key(request)
    cache = _cache()
    if not cache.add(key, PENDING, timeout=_max_age()):
        outcome = cache.get(key)
        if outcome and outcome != PENDING:
            raise SubmissionRejected(_("This form was already saved; it was not saved a second time."), outcome)
        raise SubmissionRejected(
            _("This form was already submitted and is being saved or was saved. Check the list before saving again.")
        )
    submission = Submission(key=key)
    try:
        yield submission
    except BaseException:
        cache.delete(key)
        raise
    if submission.success_url:
        cache.set(key, submission.success_url, timeout=_max_age())
    else:
        cache.delete(key)
