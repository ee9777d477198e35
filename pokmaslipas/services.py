"""Writes with business rules: renewing and terminating agreements (each raises the office's data version)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bapas.data_version import bump_offices
from pokmaslipas.models import Agreement


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


@transaction.atomic
def agreement_renew(*, original: Agreement, renewal: Agreement, user) -> Agreement:
    """Save ``renewal`` (unsaved, filled by the renewal form) as the agreement that renews ``original``.

    The renewal belongs to the same partner and owner (office, region or nation); a terminated agreement is not renewed.
    """
    original = _lock(original)
    if original.terminated_on:
        raise ValidationError(_("A terminated agreement cannot be renewed. Register a new agreement instead."))
    if renewal.start_date < original.start_date:
        raise ValidationError(_("A renewal cannot start before the agreement it renews."))
    renewal.renews = original
    renewal.partner_id = original.partner_id
    renewal.level, renewal.office_id, renewal.region_id = original.level, original.office_id, original.region_id
    renewal._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    renewal.full_clean()
    renewal.save()
    bump_offices(renewal.covered_office_ids())
    return renewal


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, user, terminated_on: date, reason: str) -> Agreement:
    """End an agreement early: the date lies within its validity and a reason is given."""
    agreement = _lock(agreement)
    if agreement.terminated_on:
        raise ValidationError(_("This agreement was already terminated."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for ending the agreement early.")})
    if not agreement.start_date <= terminated_on <= agreement.end_date:
        raise ValidationError(
            {"terminated_on": _("The termination date must lie within the agreement's validity period.")}
        )
    agreement.terminated_on = terminated_on
    agreement.termination_reason = reason
    agreement.terminated_by = user
    agreement._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    agreement.full_clean()
    agreement.save(update_fields=["terminated_on", "termination_reason", "terminated_by", "updated_at"])
    bump_offices(agreement.covered_office_ids())
    return agreement
