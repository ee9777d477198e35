import time
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

DEFAULT_ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


class OfficeTimezoneMiddleware:
    """Render every time in the signed-in user's office time zone (WIB, WITA or WIT)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = DEFAULT_ZONE
        if user is not None and user.is_authenticated and user.office_id:
            zone = zoneinfo.ZoneInfo(user.office.time_zone)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page but those marked ``login_not_required`` needs a signed-in user."""


class SessionIdleTimeoutMiddleware:
    """End a session after ``SESSION_IDLE_TIMEOUT`` seconds without a request.

    The timestamp is written at most once a minute so that reads do not turn into session writes.
    """

    KEY = "_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("Your session ended after a period of inactivity. Please sign in again."))
                return redirect(settings.LOGIN_URL)
            if now - last_seen >= 60 or self.KEY not in request.session:
                request.session[self.KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Ask for the authenticator code before any other page.

    Users with a confirmed authenticator enter a code after the password (``bapas:otp_verify``); with
    ``OTP_REQUIRED_FOR_PRIVILEGED`` on, Admins, Kasi BKD and the Kepala Bapas without one must set one up first
    (``bapas:otp_setup``). Public pages, sign-out and the language switch stay reachable.
    Place it after ``django_otp.middleware.OTPMiddleware`` and the login-required middleware.
    """

    VERIFY_ALLOWED = frozenset({"bapas:otp_verify", "logout", "set_language"})
    SETUP_ALLOWED = frozenset({"bapas:otp_setup", "logout", "set_language"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from bapas import otp

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or getattr(view_func, "login_required", True) is False:
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if otp.session_has_device(request):
            if view_name in self.VERIFY_ALLOWED:
                return None
            return self._redirect("bapas:otp_verify", request)
        if otp.otp_required_for(user):
            if view_name in self.SETUP_ALLOWED:
                return None
            return self._redirect("bapas:otp_setup", request)
        return None

    @staticmethod
    def _redirect(name, request):
        from urllib.parse import urlencode

        from django.urls import reverse

        url = reverse(name)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


class RejectNulMiddleware:
    """Answer 400 to a request whose path or query string holds a NUL character.

    No page takes one, and PostgreSQL refuses NUL in any text it is given: a search for "a\\x00b"
    would be a server error (found by tests/security/test_fuzz_filters.py). Posted form fields
    refuse NUL themselves (Django's ProhibitNullCharactersValidator). Last in MIDDLEWARE, so that
    the 400 gets every security header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import BadRequest

        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the address")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Send a staff member whose password an admin set to the password change page first.

    ``User.must_change_password`` is set when an admin creates the account or resets its password;
    the password change view clears it. Until then every page but the password change itself,
    sign-out, the language switch and the two-factor pages (the code comes before the new password:
    a temporary password alone must not be enough to take over an account) redirects there. Public
    pages (sign-in, healthz, certificate check) and static files are not affected. Place it after
    ``TwoFactorMiddleware``, so that the authenticator code is asked for first.
    """

    ALLOWED = frozenset(
        {
            "password_change",
            "password_change_done",
            "logout",
            "set_language",
            "bapas:otp_verify",
            "bapas:otp_setup",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "must_change_password", False):
            return None
        if getattr(view_func, "login_required", True) is False:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in self.ALLOWED or request.path_info.lstrip("/").startswith(settings.STATIC_URL.lstrip("/")):
            return None
        return redirect("password_change")


class PrivacyHeadersMiddleware:
    """Headers every response gets, static files and error pages included: first in MIDDLEWARE.

    ``Cache-Control: no-store`` is the one rule that keeps personal data (client pages, lists,
    rosters, exports, cards, attendance sheets, the certificate pages) out of browser and proxy
    caches: every response that has not chosen its own caching gets it. Static files keep
    WhiteNoise's long caching. ``Permissions-Policy`` turns off the browser features no page uses;
    ``Cross-Origin-Resource-Policy`` keeps other sites from embedding our responses.
    """

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
