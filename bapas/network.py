"""The address of the person at the other end of a request, behind the deployment's proxies.

One function answers it for everything that records or limits by address: django-axes
(``AXES_CLIENT_IP_CALLABLE``), the audit trail, the access log and the rate limits of public pages.

``TRUSTED_PROXIES`` (env ``BAPAS_TRUSTED_PROXIES``) says how many proxies of our own stand in front
of the app. 0: the app is reached directly, the address is ``REMOTE_ADDR``. N: each of our proxies
appends the address it saw to ``X-Forwarded-For`` (nginx: ``proxy_add_x_forwarded_for``), so the
Nth entry from the right is the client as our outermost proxy saw it; anything to its left was
written by the client and is not believed.
"""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, or None without a request (commands, the task worker)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(forwarded) < proxies:
        return remote  # not through all of our proxies: only the direct peer is known
    return _valid(forwarded[-proxies]) or remote
