"""Transfers between offices (pelimpahan): propose, the office's list, accept or reject, withdraw; and the
read-only page the sending office keeps of a client it handed over."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bapas.access import log_access
from bapas.formtools import apply_errors
from bapas.models import Role
from clients import transfers as services
from clients.access import (
    NOTES_ROLES,
    TRANSFER_DECIDE_ROLES,
    can_see_full_record,
    get_client_for_user,
    get_transfer_for_user,
    transfers_visible_to,
)
from clients.compliance import client_compliance
from clients.forms import TransferAcceptForm, TransferForm, TransferRejectForm
from clients.models import Transfer
from clients.selectors import timeline

LIST_LIMIT = 100


@require_http_methods(["GET", "POST"])
def transfer_create(request, pk):
    """The office that holds the client proposes to hand it to another Bapas."""
    client = get_client_for_user(request.user, pk, write="transfer")
    form = TransferForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_propose(client=client, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Transfer to %(office)s proposed; it waits for that office's decision.")
                % {"office": form.cleaned_data["to_office"].name},
            )
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/transfer_form.html", {"form": form, "client": client})


@require_GET
def transfer_list(request):
    """Transfers into the office (open ones first, to decide) and out of it."""
    visible = transfers_visible_to(request.user).select_related("client", "from_office", "to_office")
    office_id = request.user.office_id
    incoming = list(visible.filter(to_office_id=office_id).order_by("-created_at", "-id")[:LIST_LIMIT])
    outgoing = list(visible.filter(from_office_id=office_id).order_by("-created_at", "-id")[:LIST_LIMIT])
    return render(
        request,
        "clients/transfer_list.html",
        {
            "open_incoming": [t for t in incoming if t.is_open],
            "closed_incoming": [t for t in incoming if not t.is_open],
            "outgoing": outgoing,
            "can_decide": request.user.role in TRANSFER_DECIDE_ROLES,
        },
    )


@require_http_methods(["GET", "POST"])
def transfer_decide(request, pk):
    """The receiving office's Kasi BKD or Admin accepts (PK and register number) or rejects (reason)."""
    transfer = get_transfer_for_user(request.user, pk, incoming=True)
    posted = request.method == "POST"
    accept_form = TransferAcceptForm(
        request.POST if posted and "reject" not in request.POST else None, office=transfer.to_office
    )
    reject_form = TransferRejectForm(request.POST if posted and "reject" in request.POST else None)
    form = reject_form if "reject" in request.POST else accept_form
    if posted and transfer.is_open and form.is_valid():
        try:
            if form is reject_form:
                services.transfer_reject(
                    transfer=transfer, user=request.user, reason=form.cleaned_data["decision_reason"]
                )
            else:
                services.transfer_accept(transfer=transfer, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if form is reject_form:
                messages.success(request, _("Transfer rejected."))
                return redirect("clients:transfer_list")
            messages.success(request, _("Transfer accepted: the client is now in your office."))
            return redirect("clients:detail", pk=transfer.client_id)
    return render(
        request,
        "clients/transfer_decide.html",
        {"transfer": transfer, "accept_form": accept_form, "reject_form": reject_form},
    )


@require_POST
def transfer_cancel(request, pk):
    """The sending office withdraws its open proposal."""
    transfer = get_transfer_for_user(request.user, pk, incoming=False)
    try:
        services.transfer_cancel(transfer=transfer, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Transfer proposal withdrawn."))
    return redirect("clients:detail", pk=transfer.client_id)


def _as_handed_over(client, transfer: Transfer):
    """The client as the sending office last knew it (the audit trail's record before the acceptance):
    its register number, PK and identity then, not what the receiving office changed since. Unsaved."""
    before = client.history.filter(history_date__lt=transfer.decided_at).order_by("-history_date").first()
    known = before.instance if before is not None and transfer.decided_at else client
    known.register_number = transfer.from_register_number or known.register_number
    known.officer = transfer.from_officer
    known.office = transfer.from_office
    return known


def transferred_client_page(request, client, transfer: Transfer):
    """The sending office's read-only page of a client it handed over: its own history up to the
    transfer date, the status "transferred" with the date and the receiving office; no action."""
    user = request.user
    until = transfer.transfer_date
    client = _as_handed_over(client, transfer)
    full = can_see_full_record(user, client)
    context = {
        "client": client,
        "transferred_out": transfer,
        "today": timezone.localdate(timezone=user.office.tzinfo),
        "days_left": 0,
        "full": full,
        # Notes: the leads who read them, and the PK who had the client.
        "show_notes": user.role in NOTES_ROLES and (user.role != Role.PK or transfer.from_officer_id == user.pk),
    }
    if full:
        visits = list(client.visits.filter(report_date__lt=until).select_related("received_by"))
        warnings = list(client.warnings.filter(issued_on__lt=until).select_related("issued_by"))
        statuses = list(client.status_changes.filter(date__lt=until).select_related("recorded_by"))
        assignments = list(client.pk_assignments.filter(start_date__lt=until).select_related("officer", "assigned_by"))
        excuses = list(client.excuses.filter(date_from__lt=until).select_related("recorded_by"))
        transfers = list(client.transfers.filter(from_office_id=user.office_id).select_related("to_office"))
        compliance = client_compliance(
            client,
            today=context["today"],
            report_dates=[v.report_date for v in visits],
            excuses=[(e.date_from, e.date_to) for e in excuses],
            until=until,
        )
        context.update(
            compliance=compliance,
            timeline=timeline(visits, warnings, statuses, assignments, excuses, transfers=transfers),
            visit_count=len(visits),
        )
    log_access(request, "client_view", client, detail="transferred")
    return render(request, "clients/client_detail.html", context)
