from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_tables(using="default", **kwargs):
    """Database cache tables (the submit-once tokens) exist wherever the schema does."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class BapasConfig(AppConfig):
    name = "bapas"
    verbose_name = _("Offices and staff")

    def ready(self):
        from bapas import otp, signin  # noqa: F401  (connect the sign-in signals)

        post_migrate.connect(_create_cache_tables, sender=self, dispatch_uid="bapas_create_cache_tables")
