"""The two-page PDF brief of the evidence report: letterhead, the same numbers as the page."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from bapas.models import Office
from reports.evidence.present import evidence_context
from reports.pdf import html_to_pdf, letterhead, report_number, signer_for
from reports.tables import report_title


def render_evidence_pdf(
    data: dict, *, office: Office | None = None, signer: str = "head", printed_on: date | None = None, **_ignored
) -> bytes:
    if office is None and data.get("office"):
        office = Office.objects.get(code=data["office"])
    context = {
        **evidence_context(data),
        "title": report_title(data),
        "letterhead": letterhead(office),
        "signer": signer_for(office, signer),
        "number": report_number(data),
        "printed_on": printed_on or timezone.localdate(),
        "office": office,
        "landscape": False,
    }
    return html_to_pdf(render_to_string("reports/pdf/evidence.html", context))
