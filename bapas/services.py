"""Writes on staff accounts and two-factor devices that touch several rows or have side effects.

Each write sets a change reason, so the staff member's history says why it happened.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice

from bapas.models import User

# Stored untranslated in the history; bapas.audit translates them when it shows them.
REASON_DEACTIVATED = gettext_noop("Deactivated by admin")
REASON_PASSWORD_RESET = gettext_noop("Password reset by admin")
REASON_PASSWORD_RESET_2FA = gettext_noop("Password reset by admin; two-factor authenticator removed")
REASON_2FA_ENABLED = gettext_noop("Two-factor sign-in enabled")
REASON_2FA_DISABLED = gettext_noop("Two-factor sign-in disabled")


def _save_with_reason(user: User, reason: str, update_fields=None):
    user._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history
    if update_fields:
        user.save(update_fields=update_fields)
    else:
        user.save()


@transaction.atomic
def staff_deactivate(*, actor: User, staff: User) -> User:
    """Stop a staff member from signing in; their open sessions end on their next request."""
    if staff.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not staff.is_active:
        raise ValidationError(_("This account is already inactive."))
    staff.is_active = False
    staff.full_clean()
    _save_with_reason(staff, REASON_DEACTIVATED, update_fields=["is_active"])
    return staff


@transaction.atomic
def staff_password_reset(*, actor: User, staff: User, password: str, remove_two_factor: bool = False) -> User:
    """Set a temporary password chosen by the admin, unlock the account and, if asked, drop its authenticator.

    The staff member must choose a new password at the next sign-in (``User.must_change_password``).

    A new password hash ends every open session of the account (Django checks the session hash).
    """
    from axes.utils import reset as axes_reset

    staff.set_password(password)
    staff.must_change_password = True  # the admin knows this password: the staff member chooses their own
    reason = REASON_PASSWORD_RESET
    if remove_two_factor:
        TOTPDevice.objects.filter(user=staff).delete()
        reason = REASON_PASSWORD_RESET_2FA
    _save_with_reason(staff, reason, update_fields=["password", "must_change_password"])
    axes_reset(username=staff.get_username())
    return staff


@transaction.atomic
def otp_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    """Make a freshly verified authenticator the user's one device."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    _save_with_reason(user, REASON_2FA_ENABLED)
    return device


@transaction.atomic
def otp_devices_remove(*, user: User) -> int:
    """Switch two-factor sign-in off for the user."""
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    _save_with_reason(user, REASON_2FA_DISABLED)
    return removed
