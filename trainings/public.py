"""Public certificate pages (no sign-in): what a QR code opens, and a check by number and name.

The QR code and the printed link carry the certificate's random token (trainings.certificates):
only someone holding the certificate has it, and that page shows the certificate. A certificate
number alone is sequential and can be guessed, so the check by number reveals no name: it says
whether the number exists and, given the holder's name, only "match" or "no match", a limited
number of times per client address (bapas.throttle).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bapas import throttle
from bapas.network import client_ip
from clients.access import display_name
from trainings.forms import CertificateCheckForm
from trainings.models import Enrolment

CHECK_SCOPE = "certificate-check"


@login_not_required
@require_http_methods(["GET"])
def certificate_verify(request, token):
    """The certificate behind a QR code: valid or not, holder, training, dates, Bapas and partner."""
    enrolment = (
        Enrolment.objects.filter(certificate_token=token, certificate_number__isnull=False)
        .select_related("client", "session", "session__office", "session__partner")
        .first()
        if len(token) <= 64
        else None
    )
    context = {"enrolment": enrolment}
    if enrolment is not None:
        context.update(
            valid=enrolment.status in Enrolment.COUNTED,
            holder=display_name(request.user, enrolment.client),
            session=enrolment.session,
        )
    return render(request, "trainings/certificate_verify.html", context, status=200 if enrolment else 404)


def _same_name(typed: str, holder: str) -> bool:
    def normal(name):
        return " ".join(name.casefold().replace(".", " ").replace(",", " ").split())

    return bool(normal(typed)) and normal(typed) == normal(holder)


@login_not_required
@require_http_methods(["GET", "POST"])
def certificate_check(request, number=""):
    """Whether a certificate number exists; with the holder's name, whether it matches (no name shown)."""
    if request.method == "GET" and not number and request.GET.get("number"):
        return redirect("trainings:certificate_check_number", number=request.GET["number"].strip()[:60] or "-")
    form = CertificateCheckForm(request.POST or None, initial={"number": number})
    context = {
        "form": form,
        "number": number,
        "limit": settings.CERTIFICATE_CHECK_LIMIT,
        "minutes": settings.CERTIFICATE_CHECK_WINDOW // 60,
    }
    status = 200
    if request.method == "POST":
        limits = {"limit": settings.CERTIFICATE_CHECK_LIMIT, "window": settings.CERTIFICATE_CHECK_WINDOW}
        if not throttle.allow(CHECK_SCOPE, client_ip(request) or "", **limits):
            context["limited"] = True
            status = 429
        elif form.is_valid():
            number = form.cleaned_data["number"].strip()
            enrolment = Enrolment.objects.filter(certificate_number=number).select_related("client").first()
            context.update(
                number=number,
                checked=True,
                exists=enrolment is not None,
                match=enrolment is not None and _same_name(form.cleaned_data["name"], enrolment.client.name),
            )
            if enrolment is not None:
                context["valid"] = enrolment.status in Enrolment.COUNTED
    if number and "exists" not in context:
        context["exists"] = Enrolment.objects.filter(certificate_number=number).exists()
    if number and not context["exists"] and status == 200:
        status = 404
    return render(request, "trainings/certificate_check.html", context, status=status)
