"""The two-page PDF brief of the evidence report: letterhead, the same numbers as the page."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from bapas.models import Office, Region
from reports.evidence.present import evidence_context
from reports.pdf import html_to_pdf, letterhead, report_number, signer_for
from reports.tables import report_title


def render_evidence_pdf(
    data: dict, *, office: Office | None = None, signer: str = "head", printed_on: date | None = None,
    region: Region | None = None, **_ignored,
) -> bytes:  # fmt: skip
    if office is None and data.get("office"):
        office = Office.objects.get(code=data["office"])
    if office is None and region is None and data.get("region"):
        region = Region.objects.get(code=data["region"])
    context = {
        **evidence_context(data),
        "title": report_title(data),
        "letterhead": letterhead(office, region),
        "signer": signer_for(office, signer),
        "number": report_number(data),
        "printed_on": printed_on or timezone.localdate(),
        "office": office,
        "region": region,
        "landscape": False,
    }
    return html_to_pdf(render_to_string("reports/pdf/evidence.html", context))
