"""Forms started from a list return to that list, filters and all: the ``next`` parameter, checked."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str = "") -> str:
    """The ``next`` path of the request (POST before GET) when it stays on this site, else ``default``.

    Only local paths count ("/klien/?status=AKTIF"); a full address, "//host" or "/\\host" is ignored.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    ):
        return target
    return default
