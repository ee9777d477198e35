"""Sign-in limits by address: password spraying from one address is refused for a while.

django-axes locks a username tried from one address (``AXES_LOCKOUT_PARAMETERS``). One address
trying many usernames once or twice each never trips that lock, so every failed sign-in is also
counted per client address (bapas.network.client_ip, behind the trusted proxies): more than
``SIGNIN_ADDRESS_FAILURE_LIMIT`` within ``SIGNIN_ADDRESS_WINDOW`` seconds, and the sign-in form
refuses that address, correct password or not, until the window has moved on.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from bapas import throttle
from bapas.network import client_ip

SCOPE = "signin-failures"
THROTTLED = "address_throttled"


def _limits() -> dict:
    return {"limit": settings.SIGNIN_ADDRESS_FAILURE_LIMIT, "window": settings.SIGNIN_ADDRESS_WINDOW}


def address_blocked(request) -> bool:
    return throttle.blocked(SCOPE, client_ip(request) or "", **_limits())


@receiver(user_login_failed, dispatch_uid="bapas_count_failed_sign_in_by_address")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        throttle.record(SCOPE, client_ip(request) or "", **_limits())


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        THROTTLED: _(
            "Too many failed sign-ins from your network address. Sign-in from this address is paused for "
            "%(minutes)s minutes; try again later or ask the office admin."
        ),
    }

    def clean(self):
        if self.request is not None and address_blocked(self.request):
            raise ValidationError(
                self.error_messages[THROTTLED], code=THROTTLED, params={"minutes": settings.SIGNIN_ADDRESS_WINDOW // 60}
            )
        return super().clean()


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", THROTTLED):
            response.status_code = 429
        return response
