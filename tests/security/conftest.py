import pytest
from django_otp.oath import totp

TWO_FACTOR_MIDDLEWARE = "bapas.middleware.TwoFactorMiddleware"


@pytest.fixture
def two_factor(settings):
    """The two-factor middleware as production runs it (appended if settings do not list it yet)."""
    if TWO_FACTOR_MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, TWO_FACTOR_MIDDLEWARE]
    return settings


def code(device, steps_ahead=0):
    """The real TOTP code of a device, now or ``steps_ahead`` periods later."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"
