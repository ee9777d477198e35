"""Transfers between offices (*pelimpahan*): propose, accept, reject, cancel; and who held a client when.

The sending office proposes (client, receiving office, date, reason, letter number); the receiving
office's Admin or Kasi BKD accepts, choosing its PK and entering its own register number, or rejects
with a reason. On acceptance, in one transaction, the client becomes the receiving office's (office,
PK, register number), the PK assignment changes on the transfer date, and both offices' data versions
rise. Every write is audited (django-simple-history) and appears on the client's timeline.

Who held a client on which day (and so which office a reporting period counts for) is
``clients.holding``.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.data_version import bump_offices
from bapas.formatting import date_label
from bapas.models import Office
from clients.holding import ACCEPTED, PROPOSED
from clients.models import Client, Transfer
from clients.services import _check_officer, _open_assignment, _stamp

# --- writes -------------------------------------------------------------------------------------


def _locked(transfer: Transfer) -> Transfer:
    current = (
        Transfer.objects.select_for_update().select_related("client", "from_office", "to_office").get(pk=transfer.pk)
    )
    if current.state != PROPOSED:
        raise ValidationError(
            _("This transfer is no longer open (%(state)s).") % {"state": current.get_state_display()}, code="closed"
        )
    return current


def _propose_errors(client: Client, to_office, transfer_date, reason: str, letter_number: str) -> dict:
    errors = {}
    if to_office is None:
        errors["to_office"] = _("Choose the receiving Bapas.")
    elif to_office.pk == client.office_id:
        errors["to_office"] = _("A client cannot be transferred to its own office.")
    if transfer_date is None:
        errors["transfer_date"] = _("Give the transfer date.")
    elif transfer_date < client.programme_start:
        errors["transfer_date"] = _("The transfer date cannot be before the programme start (%(date)s).") % {
            "date": date_label(client.programme_start)
        }
    elif transfer_date > client.programme_end:
        errors["transfer_date"] = _("The transfer date cannot be after the programme end (%(date)s).") % {
            "date": date_label(client.programme_end)
        }
    else:
        last = client.transfers.filter(state=ACCEPTED).order_by("-transfer_date").first()
        if last is not None and transfer_date <= last.transfer_date:
            errors["transfer_date"] = _("The transfer date must be after the client's last transfer (%(date)s).") % {
                "date": date_label(last.transfer_date)
            }
    if not reason.strip():
        errors["reason"] = _("Give the reason for the transfer.")
    if not letter_number.strip():
        errors["letter_number"] = _("Give the number of the transfer letter.")
    if client.status != Client.Status.ACTIVE:
        errors["__all__"] = _("Only an active client can be transferred (this one is %(status)s).") % {
            "status": client.get_status_display()
        }
    elif client.transfers.filter(state=PROPOSED).exists():
        errors["__all__"] = _("This client already has an open transfer proposal.")
    return errors


@transaction.atomic
def transfer_propose(
    *, client: Client, to_office: Office | None, transfer_date: date | None, reason: str, letter_number: str, user
) -> Transfer:
    """The sending office proposes to hand the client to ``to_office`` from ``transfer_date``."""
    current = Client.objects.select_for_update().select_related("office").get(pk=client.pk)
    errors = _propose_errors(current, to_office, transfer_date, reason, letter_number)
    if errors or transfer_date is None:
        raise ValidationError(errors)
    transfer = Transfer(
        client=current,
        from_office=current.office,
        to_office=to_office,
        transfer_date=transfer_date,
        reason=reason.strip(),
        letter_number=letter_number.strip(),
        from_officer=current.officer,
        from_register_number=current.register_number,
        proposed_by=user,
    )
    transfer.full_clean()
    _stamp(transfer, user)
    transfer.save()
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: Transfer, officer, register_number: str, user) -> Transfer:
    """The receiving office takes the client over: its office, PK and register number change, and the
    PK assignment changes on the transfer date; the sending office keeps its history before that date."""
    current = _locked(transfer)
    client = Client.objects.select_for_update().get(pk=current.client_id)
    register_number = (register_number or "").strip()
    errors: dict[str, Any] = {}
    if officer is None:
        errors["officer"] = _("Choose a PK of your office.")
    else:
        try:
            _check_officer(officer, current.to_office)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not register_number:
        errors["register_number"] = _("Give the client's register number in your office.")
    elif Client.objects.filter(office=current.to_office, register_number=register_number).exists():
        errors["register_number"] = _("This register number is already used in this office.")
    if client.office_id != current.from_office_id or client.status != Client.Status.ACTIVE:
        errors["__all__"] = _("The client is no longer an active client of the sending office.")
    if errors:
        raise ValidationError(errors)
    current.state = ACCEPTED
    current.from_officer_id = client.officer_id
    current.from_register_number = client.register_number
    current.to_officer = officer
    current.to_register_number = register_number
    current.decided_by = user
    current.decided_at = timezone.now()
    _stamp(current, user)
    current.save()
    client.office = current.to_office
    client.officer = officer
    client.register_number = register_number
    client.version += 1
    client.full_clean()
    _stamp(client, user)
    client.save(update_fields=["office", "officer", "register_number", "version", "updated_at"])
    _open_assignment(client=client, officer=officer, start_date=current.transfer_date, user=user)
    bump_offices([current.from_office_id, current.to_office_id])
    return current


@transaction.atomic
def transfer_reject(*, transfer: Transfer, reason: str, user) -> Transfer:
    """The receiving office declines the proposal, saying why; the client stays where it is."""
    current = _locked(transfer)
    if not (reason or "").strip():
        raise ValidationError({"decision_reason": _("Give the reason for the rejection.")})
    current.state = Transfer.State.REJECTED
    current.decision_reason = reason.strip()
    current.decided_by = user
    current.decided_at = timezone.now()
    _stamp(current, user)
    current.save(update_fields=["state", "decision_reason", "decided_by", "decided_at", "updated_at"])
    return current


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, user) -> Transfer:
    """The sending office withdraws its open proposal."""
    current = _locked(transfer)
    current.state = Transfer.State.CANCELLED
    current.decided_by = user
    current.decided_at = timezone.now()
    _stamp(current, user)
    current.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    return current
