"""The office data version: raised with every write that can move a figure computed from an office's data.

``OfficeDataVersion.version`` is a property of the office. Whatever is kept computed from the office's
clients, wajib lapor, warnings, trainings, enrolments, attendance, follow-ups, partners and agreements
(the dashboards' summary rows) is valid only for the version it was computed at.

The bump travels with the write, in its transaction:
- the services that write (``clients.services``, ``trainings.services``, ``pokmaslipas.services``) and
  the views that save one form call ``bump_offices`` themselves;
- the Django admin, a generic write that cannot know, does it through ``OfficeDataAdminMixin``;
- bulk paths (the workbook import, ``load_demo``, ``seed_scale``) call ``bump_offices`` or
  ``bump_all_offices``.

This floor does not know who keeps such copies: after the commit it sends ``office_data_changed``
(``office_ids``), and the dashboards queue their recomputation on it.
"""

from __future__ import annotations

from operator import attrgetter
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.dispatch import Signal
from django.utils import timezone

from bapas.models import Office, OfficeDataVersion

# Sent after the commit of a transaction that raised the version of ``office_ids``.
office_data_changed = Signal()

# The easternmost office time zone: no office's "today" is later than this zone's date.
LATEST_ZONE = ZoneInfo("Asia/Jayapura")


def latest_today():
    """The latest date any office can be on now: days from this one on are not closed anywhere."""
    return timezone.localdate(timezone=LATEST_ZONE)


# The office's current data version beside a row that has ``office_id``: a kept copy is valid where
# its recorded version equals this.
CURRENT_VERSION = Subquery(OfficeDataVersion.objects.filter(office_id=OuterRef("office_id")).values("version")[:1])


def current_versions(office_ids) -> dict[int, int]:
    """{office pk: its data version now}; an office without a version row gets one (created before the
    table existed, or by raw inserts)."""
    versions = dict(OfficeDataVersion.objects.filter(office_id__in=office_ids).values_list("office_id", "version"))
    missing = [pk for pk in office_ids if pk not in versions]
    if missing:
        OfficeDataVersion.objects.bulk_create(
            [OfficeDataVersion(office_id=pk) for pk in missing], ignore_conflicts=True
        )
        versions.update(OfficeDataVersion.objects.filter(office_id__in=missing).values_list("office_id", "version"))
    return versions


def bump_offices(office_ids) -> None:
    """Raise the data version of these offices (inside the caller's transaction)."""
    ids = sorted({pk for pk in office_ids if pk})
    if not ids:
        return
    updated = OfficeDataVersion.objects.filter(office_id__in=ids).update(version=F("version") + 1)
    if updated < len(ids):  # offices created by bulk inserts have no row yet
        OfficeDataVersion.objects.bulk_create(
            [OfficeDataVersion(office_id=pk, version=1) for pk in ids], ignore_conflicts=True
        )
    transaction.on_commit(lambda: office_data_changed.send(sender=OfficeDataVersion, office_ids=ids))


def bump_all_offices() -> None:
    bump_offices(Office.objects.values_list("pk", flat=True))


class OfficeDataAdminMixin:
    """For the ModelAdmin of a model whose rows feed an office's figures: an admin save or delete
    raises the version of the office (the one before and the one after an edit) like a service does.

    ``office_lookup`` is the path from the model to its office id (``"client__office_id"``)."""

    office_lookup = "office_id"

    def moves_figures(self, obj, *, change: bool) -> bool:
        """Whether adding (``change`` False), editing or deleting ``obj`` can move a figure."""
        return True

    def _offices_in_db(self, queryset) -> list:
        return list(queryset.order_by().values_list(self.office_lookup, flat=True).distinct())

    def save_model(self, request, obj, form, change):
        before = self._offices_in_db(type(obj)._base_manager.filter(pk=obj.pk)) if change else []
        super().save_model(request, obj, form, change)
        if self.moves_figures(obj, change=change):
            bump_offices([*before, attrgetter(self.office_lookup.replace("__", "."))(obj)])

    def delete_model(self, request, obj):
        offices = self._offices_in_db(type(obj)._base_manager.filter(pk=obj.pk))
        super().delete_model(request, obj)
        if self.moves_figures(obj, change=False):
            bump_offices(offices)

    def delete_queryset(self, request, queryset):
        offices = self._offices_in_db(queryset)
        super().delete_queryset(request, queryset)
        bump_offices(offices)
