"""Django's admin app with the site of bapas.admin_site (kept apart: an app config imports no models)."""

from django.contrib.admin.apps import AdminConfig


class BapasAdminConfig(AdminConfig):
    default_site = "bapas.admin_site.BapasAdminSite"
