"""The Django admin site (``/django-admin/``, superusers only) behind the second factor.

With ``OTP_REQUIRED_FOR_PRIVILEGED`` on, the site behaves as django-otp's ``OTPAdminSite``: only a
session verified with an authenticator code gets in, and its sign-in form asks for the code. With
the setting off (development), it is Django's plain admin site.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminSite


def _required() -> bool:
    return bool(getattr(settings, "OTP_REQUIRED_FOR_PRIVILEGED", False))


class BapasAdminSite(OTPAdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def login_form(self):
        return OTPAdminSite.login_form if _required() else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if _required() else None

    def has_permission(self, request):
        if _required():
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
