"""Partner and agreement pages. Each view starts with the access helper of its model.

A saved partner or agreement raises the office's data version in the same transaction
(``bapas.data_version``), as the services do.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bapas.data_version import bump_offices
from bapas.formtools import apply_errors, filter_values
from bapas.navigation import safe_next
from pokmaslipas import selectors, services
from pokmaslipas.access import (
    agreements_visible_to,
    can_write,
    get_agreement_for_user,
    get_partner_for_user,
    partners_visible_to,
    require_write,
)
from pokmaslipas.forms import (
    AgreementFilterForm,
    AgreementForm,
    PartnerFilterForm,
    PartnerForm,
    RenewalForm,
    TerminateForm,
)
from pokmaslipas.models import Agreement

PAGE_SIZE = 25


# --- partners --------------------------------------------------------------------------------


@require_http_methods(["GET"])
def partner_list(request):
    partners = partners_visible_to(request.user)
    today = timezone.localdate()
    form = PartnerFilterForm(request.GET)
    filters = filter_values(form)
    qs = selectors.partner_list(partners, today=today, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pokmaslipas/partner_list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "can_write": can_write(request.user),
            "status_labels": selectors.PartnerStatus.labels,
        },
    )


@require_http_methods(["GET"])
def partner_detail(request, pk):
    partner = get_partner_for_user(request.user, pk)
    today = timezone.localdate()
    agreements = selectors.partner_agreements(partner, today)
    return render(
        request,
        "pokmaslipas/partner_detail.html",
        {
            "partner": partner,
            "agreements": agreements,
            "today": today,
            "can_write": can_write(request.user, partner),
        },
    )


@require_http_methods(["GET", "POST"])
def partner_create(request):
    owner = require_write(request.user)
    form = PartnerForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            partner = form.save()
            bump_offices(partner.covered_office_ids())
        messages.success(request, _("Partner %(name)s was registered.") % {"name": partner.name})
        return redirect(safe_next(request) or reverse("pokmaslipas:partner_detail", args=[partner.pk]))
    return render(request, "pokmaslipas/partner_form.html", {"form": form, "partner": None, "back": safe_next(request)})


@require_http_methods(["GET", "POST"])
def partner_edit(request, pk):
    partner = get_partner_for_user(request.user, pk, write=True)
    form = PartnerForm(request.POST or None, instance=partner, owner=partner)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            bump_offices(partner.covered_office_ids())
        messages.success(request, _("Partner %(name)s was saved.") % {"name": partner.name})
        return redirect("pokmaslipas:partner_detail", pk=partner.pk)
    return render(request, "pokmaslipas/partner_form.html", {"form": form, "partner": partner})


# --- agreements ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def agreement_list(request):
    agreements = agreements_visible_to(request.user)
    today = timezone.localdate()
    form = AgreementFilterForm(request.GET)
    filters = filter_values(form)
    qs = selectors.agreement_list(agreements, today=today, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pokmaslipas/agreement_list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "can_write": can_write(request.user),
            "today": today,
        },
    )


def _history_document_name(row) -> str:
    """simple-history stores a FileField as its plain name (a string)."""
    return getattr(row.document, "name", row.document) or ""


def _document_versions(agreement: Agreement) -> list[dict]:
    """Every scan the agreement has had, newest first (from the audit history)."""
    versions, seen = [], set()
    rows = agreement.history.exclude(document="").select_related("history_user")
    for row in rows.order_by("-history_date", "-history_id"):
        name = _history_document_name(row)
        if name in seen:
            continue
        seen.add(name)
        versions.append(
            {
                "history_id": row.history_id,
                "name": name,
                "date": row.history_date,
                "user": row.history_user_id and str(row.history_user),
                "current": name == agreement.document.name,
            }
        )
    return versions


def _agreement_detail_context(request, agreement: Agreement, terminate_form=None) -> dict:
    today = timezone.localdate()
    family = selectors.annotate_agreements(list(agreement.partner.agreements.all()), today)
    current = next(a for a in family if a.pk == agreement.pk)
    writer = can_write(request.user, agreement)
    if terminate_form is None and writer and not agreement.terminated_on:
        terminate_form = TerminateForm(agreement=agreement)
    return {
        "agreement": current,
        "chain": selectors.agreement_chain(current, family),
        "status": current.status_today,
        "versions": _document_versions(agreement) if agreement.document or writer else [],
        "terminate_form": terminate_form,
        "can_write": writer,
        "today": today,
        "terminated_by": agreement.terminated_by if agreement.terminated_by_id else None,
    }


@require_http_methods(["GET"])
def agreement_detail(request, pk):
    agreement = get_agreement_for_user(request.user, pk)
    return render(request, "pokmaslipas/agreement_detail.html", _agreement_detail_context(request, agreement))


@require_http_methods(["GET", "POST"])
def agreement_create(request):
    owner = require_write(request.user)
    initial = {}
    partner_pk = request.GET.get("partner")
    if partner_pk:
        if not partner_pk.isdigit():
            raise Http404
        initial["partner"] = get_partner_for_user(request.user, partner_pk, write=True)
    form = AgreementForm(request.POST or None, request.FILES or None, owner=owner, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            agreement = form.save()
            bump_offices(agreement.covered_office_ids())
        messages.success(request, _("Agreement %(number)s was registered.") % {"number": agreement.number})
        return redirect(safe_next(request) or reverse("pokmaslipas:agreement_detail", args=[agreement.pk]))
    return render(
        request,
        "pokmaslipas/agreement_form.html",
        {
            "form": form,
            "agreement": None,
            "has_partners": form.fields["partner"].queryset.exists(),
            "back": safe_next(request),
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement = get_agreement_for_user(request.user, pk, write=True)
    form = AgreementForm(
        request.POST or None,
        request.FILES or None,
        instance=agreement,
        owner=agreement,
        partner=agreement.partner,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            bump_offices(agreement.covered_office_ids())
        messages.success(request, _("Agreement %(number)s was saved.") % {"number": agreement.number})
        return redirect("pokmaslipas:agreement_detail", pk=agreement.pk)
    return render(
        request, "pokmaslipas/agreement_form.html", {"form": form, "agreement": agreement, "has_partners": True}
    )


@require_http_methods(["GET"])
def agreement_document(request, pk):
    """Stream the scan (or, with ?version=<history id>, an earlier one) after the office check."""
    agreement = get_agreement_for_user(request.user, pk)
    name = agreement.document.name
    version = request.GET.get("version")
    if version:
        if not (version.isascii() and version.isdigit()):  # "²" is a digit to isdigit(), not to int()
            raise Http404
        row = agreement.history.filter(history_id=version).exclude(document="").first()
        if row is None:
            raise Http404
        name = _history_document_name(row)
    if not name or not default_storage.exists(name):
        raise Http404
    filename = f"{slugify(agreement.number) or 'pks'}{'-v' + version if version else ''}.pdf"
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("download") == "1",
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["POST"])
def agreement_terminate(request, pk):
    agreement = get_agreement_for_user(request.user, pk, write=True)
    form = TerminateForm(request.POST, agreement=agreement)
    if form.is_valid():
        try:
            services.agreement_terminate(
                agreement=agreement,
                user=request.user,
                terminated_on=form.cleaned_data["terminated_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Agreement %(number)s was terminated.") % {"number": agreement.number})
            return redirect("pokmaslipas:agreement_detail", pk=agreement.pk)
    messages.error(request, _("The agreement was not terminated: correct the errors below."))
    context = _agreement_detail_context(request, agreement, terminate_form=form)
    return render(request, "pokmaslipas/agreement_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def agreement_renew(request, pk):
    original = get_agreement_for_user(request.user, pk, write=True)
    if original.terminated_on:
        messages.error(request, _("A terminated agreement cannot be renewed. Register a new agreement instead."))
        return redirect("pokmaslipas:agreement_detail", pk=original.pk)
    form = RenewalForm(request.POST or None, request.FILES or None, original=original)
    if request.method == "POST" and form.is_valid():
        try:
            renewal = services.agreement_renew(original=original, renewal=form.save(commit=False), user=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Agreement %(number)s now renews %(original)s.")
                % {"number": renewal.number, "original": original.number},
            )
            return redirect("pokmaslipas:agreement_detail", pk=renewal.pk)
    return render(request, "pokmaslipas/agreement_renew.html", {"form": form, "original": original})


# --- the Admin's home page -------------------------------------------------------------------


@require_http_methods(["GET"])
def admin_home(request):
    """Home page of the Admins: expiry alerts and quick links.

    The office Admin gets the office's alerts (a block of trainings) and, as a note, the regional and
    national agreements over the office that are expiring (their own Admin renews them); the Admin
    Kanwil and the Admin Ditjenpas get the alerts of the agreements they keep."""
    owner = require_write(request.user)
    today = timezone.localdate()
    visible = agreements_visible_to(request.user)
    counts = dict(
        selectors.agreements_with_status(visible, today)
        .order_by()
        .values("current_status")
        .annotate(n=Count("id"))
        .values_list("current_status", "n")
    )
    own = {name: owner[name] for name in ("level", "office", "region")}
    expiring = selectors.expiring_among(visible, today)
    mine = [a for a in expiring if a.level == own["level"]]
    return render(
        request,
        "pokmaslipas/admin_home.html",
        {
            "office_id": getattr(owner["office"], "pk", None),
            "owner": own,
            "scope_alerts": None
            if own["office"]
            else {
                "today": today,
                "expiring_90": mine,
                "expiring_30": [a for a in mine if a.days_left <= selectors.ALERT_SOON_DAYS],
            },
            "covering_expiring": [a for a in expiring if a.level != own["level"]],
            "partner_count": partners_visible_to(request.user).count(),
            "status_counts": [(status, label, counts.get(status, 0)) for status, label in Agreement.Status.choices],
        },
    )
