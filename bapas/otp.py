"""Two-factor sign-in (TOTP, django-otp): who must use it, and whether a session still owes a code.

Whether the user has a confirmed authenticator is kept in the session (set at sign-in and whenever a
device is added or removed), so the check costs no query on ordinary requests.
"""

import base64

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from bapas.models import Role

HAS_DEVICE_KEY = "_otp_has_device"
# The Kepala Bapas signs the monthly return and suspends programmes: as privileged as the Admin and the Kasi.
PRIVILEGED_ROLES = (Role.ADMIN, Role.KASI, Role.KABAPAS)


def otp_required_for(user) -> bool:
    """Admins, Kasi BKD, the Kepala Bapas and superusers must use two-factor sign-in when the setting is on (always with
    debug off): the requirement follows the power of the account, not only its office role."""
    if not getattr(settings, "OTP_REQUIRED_FOR_PRIVILEGED", False):
        return False
    return user.role in PRIVILEGED_ROLES or user.is_superuser or user.is_staff


def confirmed_devices(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def remember_device_state(request, user=None) -> bool:
    user = user or request.user
    has_device = confirmed_devices(user).exists()
    request.session[HAS_DEVICE_KEY] = has_device
    return has_device


def session_has_device(request) -> bool:
    """Whether the signed-in user has a confirmed authenticator (cached in the session)."""
    if HAS_DEVICE_KEY not in request.session:
        return remember_device_state(request)
    return bool(request.session[HAS_DEVICE_KEY])


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up; kept across reloads so the QR code stays the same."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URL as an inline SVG QR code (no style attributes: the CSP forbids them)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, svgclass="otp-qr", lineclass=None, omitsize=True
    )


def secret_for_display(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@receiver(user_logged_in)
def _remember_device_state_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_device_state(request, user)
