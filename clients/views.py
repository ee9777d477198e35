"""Clients and wajib lapor: the client list and page, and the forms that change them."""

import mimetypes
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bapas.access import LEAD_ROLES, log_access, user_office_id
from bapas.audit import history_rows
from bapas.formatting import date_label, period_label
from bapas.formtools import apply_errors, filter_values
from bapas.models import Role
from bapas.navigation import safe_next
from clients import services, supervision, transfer_views
from clients.access import (
    PROPOSAL_READ_ROLES,
    can_create_client,
    can_see_full_record,
    can_see_history,
    can_see_nik,
    can_see_notes,
    can_write,
    clients_visible_to,
    compliance_office_for_user,
    get_client_for_user,
    get_client_page_for_user,
    get_excuse_evidence_for_user,
    get_excuse_for_user,
    get_proposal_for_user,
    get_tpp_session_for_user,
    has_caseload,
    require_create_client,
    tpp_office_for_user,
)
from clients.compliance import client_compliance, compliance_dataset
from clients.forms import (
    ClientFilterForm,
    ClientForm,
    DecisionForm,
    ExcuseForm,
    ExcuseWithdrawForm,
    ReassignForm,
    StatusChangeForm,
    SuspendForm,
    TPPMinutesForm,
    TPPSessionForm,
    VisitForm,
    WarningForm,
)
from clients.ladder import ladder_state
from clients.models import Client, RevocationProposal, TPPSession
from clients.selectors import keyset_page, search_clients, timeline, worklist_for

VISIT_TOKENS_KEY = "clients_visit_tokens"


def _today(user) -> date:
    return timezone.localdate(timezone=user.office.tzinfo) if user.office_id else timezone.localdate()


# --- list ------------------------------------------------------------------------------------


@require_GET
def client_list(request):
    user_office_id(request.user)  # 404 for anyone without an office (regional viewer)
    visible = clients_visible_to(request.user)
    params = request.GET.copy()
    # The list opens on the active clients, a default the form knows as such (ClientFilterForm).
    status_default = not params or bool(params.get("status_default"))
    if not params:
        params.update({"status": Client.Status.ACTIVE, "status_default": "1"})
    form = ClientFilterForm(params, user=request.user)
    filters = filter_values(form)
    qs = search_clients(
        visible.select_related("officer"), today=_today(request.user), by_nik=can_see_nik(request.user), **filters
    )
    page = keyset_page(qs, after=request.GET.get("after"), before=request.GET.get("before"))
    for key in ("after", "before"):
        params.pop(key, None)
    return render(
        request,
        "clients/client_list.html",
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "filtered": bool(request.GET) and bool(filters),
            "can_create": can_create_client(request.user),
            "today": _today(request.user),
            "status_default": status_default,
        },
    )


# --- client page -----------------------------------------------------------------------------


@require_GET
def client_detail(request, pk):
    client, transferred_out = get_client_page_for_user(request.user, pk)
    if transferred_out is not None:
        return transfer_views.transferred_client_page(request, client, transferred_out)
    user = request.user
    today = _today(user)
    full = can_see_full_record(user, client)
    context = {
        "client": client,
        "today": today,
        "days_left": client.days_left(today),
        "full": full,
        "show_notes": can_see_notes(user, client),
        "can_edit": can_write(user, "edit"),
        "can_supervise": can_write(user, "supervise"),
        "can_reassign": can_write(user, "reassign"),
        # The kartu bimbingan (reports.access.get_client_for_card): the PK's own clients, the leads' office.
        "can_print_card": user.role in LEAD_ROLES or (user.role == Role.PK and client.officer_id == user.pk),
    }
    if full:
        visits = list(client.visits.select_related("received_by"))
        warnings = list(client.warnings.select_related("issued_by"))
        statuses = list(client.status_changes.select_related("recorded_by"))
        assignments = list(client.pk_assignments.select_related("officer", "assigned_by"))
        excuses = list(client.excuses.select_related("recorded_by", "withdrawn_by"))
        tpp_cases = list(
            client.tpp_cases.filter(session__state=TPPSession.State.HELD).select_related("session__office")
        )
        proposals = list(client.proposals.select_related("client__office", "decided_by"))
        transfers = list(client.transfers.select_related("from_office", "to_office"))
        compliance = client_compliance(
            client,
            today=today,
            report_dates=[v.report_date for v in visits],
            excuses=[(e.date_from, e.date_to) for e in excuses if e.withdrawn_at is None],
        )
        context.update(
            compliance=compliance,
            ladder=ladder_state(compliance, warnings, today),
            timeline=timeline(visits, warnings, statuses, assignments, excuses, tpp_cases, proposals, transfers),
            open_transfer=next((t for t in transfers if t.is_open), None),
            can_transfer=can_write(user, "transfer") and client.status == Client.Status.ACTIVE,
            can_suspend=can_write(user, "suspend")
            and client.status == Client.Status.ACTIVE
            and supervision.revocation_case(client) is not None,
            pending_proposal=next(
                (p for p in proposals if p.decision == RevocationProposal.Decision.PENDING and user.role == Role.ADMIN),
                None,
            ),
            can_read_proposals=user.role in PROPOSAL_READ_ROLES,
            assignments=assignments,
            visit_count=len(visits),
        )
    if can_see_history(user):
        context["history_rows"] = history_rows(client)
        context["show_history"] = True
    log_access(request, "client_view", client)
    return render(request, "clients/client_detail.html", context)


# --- register and edit -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def client_create(request):
    require_create_client(request.user)
    office = request.user.office
    with_officer = not has_caseload(request.user)  # a PK's new client joins its own caseload
    form = ClientForm(request.POST or None, office=office, with_officer=with_officer)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "officer")}
        try:
            client = services.client_register(
                office=office, data=data, user=request.user, officer=form.cleaned_data.get("officer")
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Client %(name)s registered.") % {"name": client.name})
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client": None})


@require_http_methods(["GET", "POST"])
def client_edit(request, pk):
    client = get_client_for_user(request.user, pk, write="edit")
    form = ClientForm(request.POST or None, instance=client, office=client.office)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        version = form.cleaned_data.get("version") or 0
        try:
            services.client_update(client=client, data=data, version=version, user=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


# --- wajib lapor -----------------------------------------------------------------------------


def _remember_token(request, token: str, visit_pk: int) -> None:
    tokens = request.session.get(VISIT_TOKENS_KEY, {})
    tokens[token] = visit_pk
    request.session[VISIT_TOKENS_KEY] = dict(list(tokens.items())[-20:])


def _is_resubmission(existing, cleaned: dict, user) -> bool:
    """The same form sent twice: same author, mode and notes at the same minute."""
    return (
        existing.created_by_id == user.pk
        and existing.notes == cleaned.get("notes", "")
        and (existing.mode == cleaned.get("mode"))
    )


@require_http_methods(["GET", "POST"])
def visit_create(request, pk):
    client = get_client_for_user(request.user, pk, write="supervise")
    if request.method == "POST":
        token = request.POST.get("token", "")
        previous = request.session.get(VISIT_TOKENS_KEY, {}).get(token) if token else None
        if previous and client.visits.filter(pk=previous).exists():
            messages.info(request, _("This report was already saved; it is shown below."))
            return redirect(reverse("clients:detail", args=[client.pk]) + f"#visit-{previous}")
    form = VisitForm(request.POST or None, client=client, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "token"}
        try:
            visit = services.visit_record(client=client, user=request.user, **data)
        except services.DuplicateVisit as exc:
            if _is_resubmission(exc.existing, data, request.user):
                messages.info(request, _("This report was already saved; it is shown below."))
                return redirect(reverse("clients:detail", args=[client.pk]) + f"#visit-{exc.existing.pk}")
            form.add_error("reported_at", exc.messages)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if form.cleaned_data.get("token"):
                _remember_token(request, form.cleaned_data["token"], visit.pk)
            messages.success(
                request,
                _("Wajib lapor of %(name)s recorded for %(date)s.")
                % {"name": client.name, "date": date_label(visit.report_date)},
            )
            if request.POST.get("next") == "worklist":
                return redirect("home")
            return redirect(safe_next(request) or reverse("clients:detail", args=[client.pk]) + f"#visit-{visit.pk}")
    nxt = "worklist" if request.GET.get("next", request.POST.get("next")) == "worklist" else safe_next(request)
    return render(request, "clients/visit_form.html", {"form": form, "client": client, "next": nxt})


# --- status, PK, warnings, archive -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def status_change(request, pk):
    client = get_client_for_user(request.user, pk, write="supervise")
    initial = {"status": request.GET["status"]} if request.GET.get("status") in Client.Status.values else {}
    form = StatusChangeForm(request.POST or None, client=client, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_change_status(client=client, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect(safe_next(request) or reverse("clients:detail", args=[client.pk]))
    return render(request, "clients/status_form.html", {"form": form, "client": client, "next": safe_next(request)})


@require_http_methods(["GET", "POST"])
def reassign(request, pk):
    client = get_client_for_user(request.user, pk, write="reassign")
    form = ReassignForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_reassign_officer(client=client, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("PK assigned."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/reassign_form.html", {"form": form, "client": client})


@require_http_methods(["GET", "POST"])
def warning_create(request, pk):
    """Issue a warning: one action records it and opens its letter (PDF) to print."""
    client = get_client_for_user(request.user, pk, write="supervise")
    state = client_compliance(client, today=_today(request.user))
    missed = state.missed_periods
    # Opened for a level (the worklist's "Issue SP2"): the run of missed periods is ticked already.
    proposed_level = request.GET.get("level")
    form = WarningForm(
        request.POST or None,
        client=client,
        missed_periods=missed,
        proposed_level=proposed_level,
        proposed_missed=[p.label for p in state.missed_in_a_row_periods] if proposed_level else (),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            warning = services.warning_issue(
                client=client,
                level=data["level"],
                issued_on=data["issued_on"],
                number=data.get("number") or "",
                reason=data["reason"],
                missed_periods=list(data.get("missed") or []),
                order_reason=data.get("order_reason") or "",
                user=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "missed_periods" in exc.error_dict:
                exc.error_dict["missed"] = exc.error_dict.pop("missed_periods")
            apply_errors(form, exc)
        else:
            letter = reverse("reports:warning_letter", args=[warning.pk])
            messages.success(
                request,
                format_html(
                    '{} <a class="alert-link" href="{}" data-doc="warning-letter">{}</a>',
                    _("Warning %(level)s recorded.") % {"level": warning.level},
                    letter,
                    _("Print the warning letter (PDF)"),
                ),
            )
            return redirect(letter)
    return render(
        request,
        "clients/warning_form.html",
        {"form": form, "client": client, "missed": missed, "next": safe_next(request)},
    )


@require_http_methods(["GET", "POST"])
def excuse_withdraw(request, pk):
    """The client's PK withdraws an izin recorded by mistake, with a reason; its periods are due again."""
    excuse = get_excuse_for_user(request.user, pk)
    client = excuse.client
    form = ExcuseWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.excuse_withdraw(excuse=excuse, reason=form.cleaned_data["reason"], user=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Excused absence of %(name)s for %(period)s withdrawn: its periods are due again.")
                % {"name": client.name, "period": period_label(excuse.date_from, excuse.date_to)},
            )
            return redirect(reverse("clients:detail", args=[client.pk]) + "#timeline")
    return render(request, "clients/excuse_withdraw.html", {"form": form, "client": client, "excuse": excuse})


@require_http_methods(["GET", "POST"])
def excuse_create(request, pk):
    client = get_client_for_user(request.user, pk, write="supervise")
    form = ExcuseForm(request.POST or None, request.FILES or None, client=client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            excuse = services.excuse_record(
                client=client,
                date_from=data["date_from"],
                date_to=data["date_to"],
                kind=data["kind"],
                reason=data["reason"],
                evidence=data.get("evidence") or None,
                user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Excused absence of %(name)s recorded for %(period)s.")
                % {"name": client.name, "period": period_label(excuse.date_from, excuse.date_to)},
            )
            return redirect(safe_next(request) or reverse("clients:detail", args=[client.pk]) + "#timeline")
    return render(request, "clients/excuse_form.html", {"form": form, "client": client, "next": safe_next(request)})


@require_GET
def excuse_evidence(request, pk):
    excuse = get_excuse_evidence_for_user(request.user, pk)
    if not excuse.evidence:
        raise Http404
    try:
        handle = excuse.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(excuse.evidence.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    log_access(request, "excuse_evidence", excuse.client, detail=str(excuse.pk))
    return response


@require_POST
def archive(request, pk):
    client = get_client_for_user(request.user, pk, write="edit")
    try:
        client = services.client_archive(client=client, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Client archived.") if client.is_archived else _("Client restored from the archive.")
        )
    return redirect("clients:detail", pk=client.pk)


# --- compliance (Kasi, Kepala Bapas) ---------------------------------------------------------


def _month_bounds(value: str, today: date) -> tuple[date, date, bool]:
    """First and last day of the month ``YYYY-MM``; the previous month when empty or invalid."""
    try:
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
        valid = True
    except (ValueError, AttributeError):
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        valid = not value
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last, valid


@require_GET
def compliance(request):
    office = compliance_office_for_user(request.user)
    today = _today(request.user)
    first, last, valid = _month_bounds(request.GET.get("month", ""), today)
    if not valid:
        messages.error(request, _("Choose a month as YYYY-MM; the previous month is shown."))
    data = compliance_dataset(office=office, date_from=first, date_to=last, today=today)
    from bapas.models import User

    names = {
        u.username: (u.get_full_name() or u.username, u.pk)
        for u in User.objects.filter(office=office, role=Role.PK).only("username", "first_name", "last_name")
    }
    rows = [
        {
            **row,
            "name": row["officer_name"],
            "pk": names.get(row["officer"], (0, None))[1],
        }
        for row in data["by_officer"]
    ]
    return render(
        request,
        "clients/compliance.html",
        {
            "data": data,
            "rows": rows,
            "month": first,
            "month_value": first.strftime("%Y-%m"),
            "month_end": last,
            "partial": last >= today,
        },
    )


# --- the ladder overview and the TPP (Kasi, Kepala Bapas) -------------------------------------


@require_GET
def tpp_list(request):
    """The office's ladder: clients at each step, steps overdue, cases for the TPP; sessions planned and held."""
    office = tpp_office_for_user(request.user)
    today = _today(request.user)
    rows = worklist_for(Client.objects.filter(office=office).select_related("officer"), today).overdue
    steps = {step: [r for r in rows if r.ladder and r.ladder.step == step] for step in (1, 2, 3)}
    sessions = list(
        TPPSession.objects.filter(office=office).prefetch_related("cases__client").order_by("-date", "-id")[:50]
    )
    proposals = list(
        RevocationProposal.objects.filter(client__office=office)
        .select_related("client")
        .order_by("-suspended_on", "-id")[:50]
    )
    return render(
        request,
        "clients/tpp_list.html",
        {
            "steps": steps,
            "overdue_steps": [r for r in rows if r.ladder and r.ladder.overdue],
            "tpp_ready": [r for r in rows if r.ladder and r.ladder.tpp_ready],
            "planned": [s for s in sessions if s.state == TPPSession.State.PLANNED],
            "held": [s for s in sessions if s.state == TPPSession.State.HELD],
            "proposals": proposals,
            "can_schedule": request.user.role == Role.KASI,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def tpp_create(request):
    office = tpp_office_for_user(request.user, write=True)
    initial = {"date": _today(request.user)}
    if request.GET.get("client", "").isdigit():
        initial["clients"] = Client.objects.filter(office=office, pk=int(request.GET["client"]))
    form = TPPSessionForm(
        request.POST or None, office=office, member_roles=supervision.TPP_MEMBER_ROLES, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = supervision.tpp_session_schedule(
                office=office,
                date=data["date"],
                place=data["place"],
                members=data["members"],
                clients=data["clients"],
                user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("TPP session scheduled for %(date)s.") % {"date": date_label(session.date)})
            return redirect("clients:tpp_detail", pk=session.pk)
    return render(request, "clients/tpp_form.html", {"form": form})


@require_GET
def tpp_detail(request, pk):
    session = get_tpp_session_for_user(request.user, pk)
    return render(
        request,
        "clients/tpp_detail.html",
        {
            "session": session,
            "cases": session.cases.select_related("client", "client__officer"),
            "members": session.members.order_by("role", "first_name"),
            "attendee_ids": set(session.attendees.values_list("pk", flat=True)),
            "can_write": request.user.role == Role.KASI,
        },
    )


@require_http_methods(["GET", "POST"])
def tpp_minutes(request, pk):
    session = get_tpp_session_for_user(request.user, pk, write=True)
    form = TPPMinutesForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            supervision.tpp_minutes_record(
                session=session,
                attendees=form.cleaned_data["attendees"],
                cases=form.case_data(),
                notes=form.cleaned_data["notes"],
                user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Minutes of the TPP session saved."))
            return redirect("clients:tpp_detail", pk=session.pk)
    return render(request, "clients/tpp_minutes_form.html", {"form": form, "session": session})


@require_http_methods(["GET", "POST"])
def suspend(request, pk):
    """The Kepala Bapas suspends the programme on the TPP's recommendation and proposes its revocation."""
    client = get_client_for_user(request.user, pk, write="suspend")
    case = supervision.revocation_case(client)
    form = SuspendForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = supervision.client_suspend(
                client=client, date=form.cleaned_data["date"], grounds=form.cleaned_data["grounds"], user=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            letter = reverse("reports:revocation_proposal", args=[proposal.pk])
            messages.success(
                request,
                format_html(
                    '{} <a class="alert-link" href="{}" data-doc="revocation-proposal">{}</a>',
                    _("Programme suspended; revocation proposed."),
                    letter,
                    _("Print the proposal to the Kanwil (PDF)"),
                ),
            )
            return redirect(letter)
    return render(request, "clients/suspend_form.html", {"form": form, "client": client, "case": case})


@require_http_methods(["GET", "POST"])
def revocation_decide(request, pk):
    """The Admin records the Kanwil's decision on a revocation proposal."""
    proposal = get_proposal_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            supervision.revocation_decide(
                proposal=proposal,
                decision=data["decision"],
                decree_number=data.get("decree_number") or "",
                decree_date=data.get("decree_date"),
                note=data.get("decision_note") or "",
                user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("clients:detail", pk=proposal.client_id)
    return render(
        request, "clients/decision_form.html", {"form": form, "proposal": proposal, "client": proposal.client}
    )
