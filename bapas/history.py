"""Audit trail: every audited model keeps a history row with who, when, from which address and why."""

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from bapas.network import client_ip


class IPAddressHistoricalModel(models.Model):
    """Abstract base for history rows: adds the client address of the request that made the change."""

    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        abstract = True


def audited(**kwargs) -> HistoricalRecords:
    """The one way models declare an audit trail."""
    kwargs.setdefault("bases", [IPAddressHistoricalModel])
    return HistoricalRecords(**kwargs)


__all__ = ["IPAddressHistoricalModel", "audited", "client_ip"]


@receiver(pre_create_historical_record)
def _add_ip_address(sender, **kwargs):
    history_instance = kwargs["history_instance"]
    if hasattr(history_instance, "ip_address"):
        request = getattr(HistoricalRecords.context, "request", None)
        history_instance.ip_address = client_ip(request)
