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
