from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BapasConfig(AppConfig):
    name = "bapas"
    verbose_name = _("Offices and staff")

    def ready(self):
        from bapas import otp  # noqa: F401  (connects the sign-in signal)
