"""Certificate PDFs (WeasyPrint): one page per participant with a QR code to the public verification page."""

import secrets
from decimal import Decimal

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from trainings.models import Enrolment, TrainingSession

TOKEN_BYTES = 32  # 256 random bits


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def ensure_tokens(enrolments) -> None:
    """Give every issued certificate among ``enrolments`` its verification token if it has none yet.

    Tokens are made when a certificate is issued; certificates issued before that (or written by the
    bulk loaders) get theirs here, the first time they are printed.
    """
    missing = [e for e in enrolments if e.certificate_number and not e.certificate_token]
    for enrolment in missing:
        enrolment.certificate_token = new_token()
    if missing:
        Enrolment.objects.bulk_update(missing, ["certificate_token"])


def verification_url(token: str) -> str:
    """The public verification link of a certificate, on the configured public address (PUBLIC_URL)."""
    return settings.PUBLIC_URL.rstrip("/") + reverse("trainings:certificate_verify", args=[token])


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def certificate_pages(session: TrainingSession) -> list[dict]:
    """What each page shows; every enrolment of the session with a certificate number, by name."""
    enrolments = list(
        Enrolment.objects.filter(session=session, certificate_number__isnull=False, status__in=Enrolment.COUNTED)
        .select_related("client")
        .order_by("client__name", "pk")
    )
    ensure_tokens(enrolments)
    pages = []
    for enrolment in enrolments:
        url = verification_url(enrolment.certificate_token)
        pages.append(
            {"enrolment": enrolment, "number": enrolment.certificate_number, "url": url, "qr": qr_data_uri(url)}
        )
    return pages


def certificate_context(session: TrainingSession) -> dict:
    session = TrainingSession.objects.select_related("office", "partner", "agreement", "training_type").get(
        pk=session.pk
    )
    hours = (session.hours_per_day or Decimal(0)) * session.days
    agreement = session.agreement
    return {
        "session": session,
        "office": session.office,
        "pages": certificate_pages(session),
        "total_hours": hours.normalize() if hours else None,
        "partner_signatory": (agreement.partner_signatory if agreement else "") or session.partner.contact_person,
        "partner_signatory_title": agreement.partner_signatory_title if agreement else "",
    }


CERTIFICATES_PER_PART = 25


def render_session_certificates(session: TrainingSession, base_url: str, progress=None) -> bytes:
    """One PDF with a page per issued certificate of the session (Indonesian text).

    Laid out in parts of 25 certificates so that a background batch can report its progress; the
    parts' pages are then written as one document.
    """
    from weasyprint import HTML

    with translation.override("id"):
        context = certificate_context(session)
        pages = context["pages"]
        documents = []
        for start in range(0, max(len(pages), 1), CERTIFICATES_PER_PART):
            part = {**context, "pages": pages[start : start + CERTIFICATES_PER_PART]}
            html = render_to_string("trainings/certificate_pdf.html", part)
            documents.append(HTML(string=html, base_url=base_url).render())
            if progress:
                progress(10 + 80 * min(len(pages), start + CERTIFICATES_PER_PART) / max(len(pages), 1))
    if len(documents) == 1:
        return documents[0].write_pdf()
    return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()
