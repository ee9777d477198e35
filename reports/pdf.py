"""Official PDFs (WeasyPrint): letterhead from the Office record, report number, Indonesian print date,
"Halaman 1 dari 3" page numbers, repeated table headers and the signature block."""

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.models import Office, Role, User
from reports.charts import charts_for
from reports.exports import report_tables, report_title

REPORT_CODES = {"participation": "RP", "implementation": "TI", "compliance": "WL", "agreements": "PKS"}
SIGNERS = ("head", "kasi")


def letterhead(office: Office | None) -> dict:
    """The lines of the official letterhead; without an office, the regional (all offices) one."""
    if office is None:
        return {
            "ministry": Office._meta.get_field("ministry_name").default,
            "directorate": Office._meta.get_field("directorate_name").default,
            "regional": "",
            "name": _("Recapitulation of all Bapas offices"),
            "address": "",
            "contact": "",
        }
    contact = " · ".join(part for part in (office.phone, office.email) if part)
    return {
        "ministry": office.ministry_name,
        "directorate": office.directorate_name,
        "regional": office.regional_office_name,
        "name": office.name.upper(),
        "address": office.address,
        "contact": contact,
    }


def signer_for(office: Office | None, kind: str = "head") -> dict | None:
    """Who signs: the Kepala Bapas (name and NIP on the office) or the Kasi BKD (the staff record)."""
    if office is None:
        return None
    if kind == "kasi":
        kasi = User.objects.filter(office=office, role=Role.KASI, is_active=True).order_by("pk").first()
        if kasi is not None:
            return {
                "position": _("Head of Adult Client Guidance Section (Kasi BKD)"),
                "on_behalf": _("on behalf of the Head of %(office)s") % {"office": office.name},
                "name": kasi.get_full_name() or kasi.username,
                "nip": kasi.nip,
            }
    name, nip = office.head_name, office.head_nip
    if not name:
        head = User.objects.filter(office=office, role=Role.KABAPAS, is_active=True).order_by("pk").first()
        if head is not None:
            name, nip = head.get_full_name() or head.username, head.nip
    return {"position": _("Head of %(office)s") % {"office": office.name}, "on_behalf": "", "name": name, "nip": nip}


def report_number(data: dict) -> str:
    """Deterministic: the same report of the same period and office keeps its number."""
    code = REPORT_CODES.get(data.get("report"), "LAP")
    office = data.get("office") or "REG"
    start = date.fromisoformat(data["from"])
    end = date.fromisoformat(data["to"])
    return f"{office}/{code}/{start:%Y%m%d}-{end:%Y%m%d}"


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()


def render_report_pdf(
    data: dict,
    *,
    office: Office | None = None,
    signer: str = "head",
    printed_on: date | None = None,
    progress=None,
    base_url: str | None = None,
) -> bytes:
    if office is None and data.get("office"):
        office = Office.objects.get(code=data["office"])
    context = {
        "data": data,
        "title": report_title(data),
        "tables": report_tables(data),
        "charts": charts_for(data),
        "letterhead": letterhead(office),
        "signer": signer_for(office, signer),
        "number": report_number(data),
        "printed_on": printed_on or timezone.localdate(),
        "office": office,
        "landscape": data.get("report") in ("participation", "implementation"),
        "date_from": date.fromisoformat(data["from"]),
        "date_to": date.fromisoformat(data["to"]),
    }
    html = render_to_string("reports/pdf/report.html", context)
    if progress:
        progress(40)
    pdf = html_to_pdf(html, base_url)
    if progress:
        progress(95)
    return pdf


def render_template_pdf(template: str, context: dict, base_url: str | None = None) -> bytes:
    """Client card, attendance sheet: any template of templates/reports/pdf/ to a PDF."""
    return html_to_pdf(render_to_string(template, context), base_url)
