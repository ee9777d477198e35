"""Report pages, downloads, printable client card and attendance sheet, dashboards, background files.

Also the pages made of several apps' parts, which live on this floor because it sits above them all:
the PK's worklist (clients, trainings and the PK's panel) and the certificates PDF of a training
(straight back, or a background file when the batch is large).
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bapas.access import LEAD_ROLES, log_access, offices_visible_to, require_role, user_office_id
from bapas.models import Role
from bapas.replica import replica_reads
from clients.access import clients_visible_to, get_client_for_card, get_proposal_for_user, get_tpp_session_for_user
from clients.ladder import answered_codes
from clients.models import ReportingWarning, TPPSession
from clients.selectors import worklist_for
from reports import dashboards
from reports.access import (
    MONTHLY_READ_ROLES,
    dashboard_office_for_user,
    dashboard_offices_for_viewer,
    evidence_scope_for,
    generated_files_visible_to,
    get_generated_file_for_user,
    get_office_for_monthly_return,
    get_warning_for_letter,
    report_scope_for,
)
from reports.charts import charts_for
from reports.datasets import DATASETS, REPORT_FILTERS
from reports.evidence.cache import default_period, evidence_for
from reports.evidence.present import evidence_context
from reports.exports import CONTENT_TYPES, FORMATS, csv_table_key, csv_tables, filename_for
from reports.exports import render as render_format
from reports.forms import EvidenceForm, ReportFilterForm
from reports.models import GeneratedFile
from reports.panels import pk_panel
from reports.pdf import letterhead, render_template_pdf, signer_for
from reports.rollups import RollupPending
from reports.scoped import build_dataset
from reports.services import generated_file_request, generated_file_retry, generated_files_requeue_stalled
from reports.tables import REPORT_TITLES, page_tables, report_tables
from trainings.access import get_session_for_user
from trainings.certificates import render_session_certificates
from trainings.models import Enrolment
from trainings.worklist import follow_ups_due

# Above these sizes a PDF or XLSX is rendered in the background (besides any period over a year).
LARGE_ROWS = {"pdf": 150, "xlsx": 5000}
PENDING_REFRESH_SECONDS = 5  # a report whose figures the worker is preparing looks again after this
# Signature columns per attendance sheet: seven 22 mm columns fit a landscape A4 page beside the names.
SHEET_DAYS = 7
REPORT_DESCRIPTIONS = {
    "participation": gettext_lazy(
        "Trainings held and who took part: per session, year, quarter, month, partner, type, programme and sex."
    ),
    "implementation": gettext_lazy(
        "Of the participants followed up, how many apply the skill, by every factor, with 95 percent intervals."
    ),
    "compliance": gettext_lazy("Wajib lapor periods due, reported and missed, per PK and month; warnings issued."),
    "agreements": gettext_lazy(
        "Every agreement (PKS) with partner, period, scope and status at the end of the period."
    ),
}


def _today(user):
    office = getattr(user, "office", None)
    return timezone.localdate(timezone=office.tzinfo) if office is not None else timezone.localdate()


# --- the PK's worklist -------------------------------------------------------------------------


@require_GET
def worklist(request):
    """The PK's home page: who is due today, this week, overdue, ending soon, and follow-ups due."""
    user_office_id(request.user)  # 404 for anyone without an office (regional viewer)
    today = _today(request.user)
    work = worklist_for(clients_visible_to(request.user), today)
    is_pk = request.user.role == Role.PK
    follow_ups = [
        {**row, "url": reverse("trainings:followup_create", args=[row["enrolment"].pk])}
        for row in (follow_ups_due(officer=request.user, today=today) if is_pk else [])
    ]
    return render(
        request,
        "clients/worklist.html",
        {
            "work": work,
            "follow_ups": follow_ups,
            "today": today,
            "week_end": today + timedelta(days=6),
            # The PK's own figures: a fixed number of queries, only on a PK's own worklist.
            "pk_panel": pk_panel(request.user, today) if is_pk else None,
        },
    )


# --- reports -------------------------------------------------------------------------------------


@require_GET
def index(request):
    scope = report_scope_for(request.user)
    reports = [
        {"name": name, "title": REPORT_TITLES[name], "description": REPORT_DESCRIPTIONS[name]} for name in DATASETS
    ]
    return render(request, "reports/report_index.html", {"reports": reports, "scope": scope})


def _report_request(request, name, freshness=None):
    """Access, filters and dataset of a report request: (scope, form, data or None).

    ``freshness`` (a dict): the viewers' reports may come from rolled-up rows; see ``build_dataset``."""
    if name not in DATASETS:
        raise Http404
    scope = report_scope_for(request.user, request.GET.get("office") or None, request.GET.get("region") or None)
    form = ReportFilterForm(request.GET or None, user=request.user, filters=REPORT_FILTERS[name])
    if not request.GET:
        form = ReportFilterForm({"period": "year", "year": _today(request.user).year}, user=request.user,
                                filters=REPORT_FILTERS[name])  # fmt: skip
    if not form.is_valid():
        return scope, form, None
    period = form.cleaned_data["period_obj"]
    data = build_dataset(
        name,
        scope=scope,
        date_from=period.date_from,
        date_to=period.date_to,
        partner=form.cleaned_data.get("partner"),
        training_type=form.cleaned_data.get("training_type"),
        freshness=freshness,
    )
    return scope, form, data


@require_GET
@replica_reads
def report(request, name):
    freshness: dict = {}
    try:
        scope, form, data = _report_request(request, name, freshness)
    except RollupPending as pending:
        return _report_pending(request, name, pending)
    query = request.GET.urlencode()
    context = {
        "freshness": freshness,
        "name": name,
        "title": REPORT_TITLES[name],
        "scope": scope,
        "form": form,
        "data": data,
        "tables": page_tables(report_tables(data)) if data else [],
        "charts": charts_for(data) if data else [],
        "downloads": [
            {"format": fmt, "url": reverse("reports:download", args=[name, fmt]) + (f"?{query}" if query else "")}
            for fmt in FORMATS
        ],
        "csv_tables": _csv_links(name, data, query),
    }
    return render(request, "reports/report_detail.html", context, status=200 if data else 400)


def _report_pending(request, name, pending):
    """The figures of too many offices are being computed by the worker: say so, and look again soon."""
    context = {
        "name": name,
        "title": REPORT_TITLES[name],
        "pending": pending,
        "refresh_seconds": PENDING_REFRESH_SECONDS,
    }
    response = render(request, "reports/report_pending.html", context, status=202)
    response["Refresh"] = str(PENDING_REFRESH_SECONDS)
    return response


def _csv_links(name, data, query) -> list[dict]:
    """One CSV per table of the report (its title on the page, its JSON key in the address)."""
    if not data:
        return []
    titles = {table.key: table.title for table in report_tables(data)}
    base = reverse("reports:download", args=[name, "csv"])
    links = []
    main = csv_table_key(data)
    for key in sorted(csv_tables(data), key=lambda k: k != main):
        params = f"{query}&table={key}" if query else f"table={key}"
        links.append({"key": key, "title": titles.get(key, key), "url": f"{base}?{params}"})
    return links


def _is_large(data, fmt, period) -> bool:
    if fmt not in LARGE_ROWS:
        return False
    rows = sum(len(table.rows) for table in report_tables(data))
    return period.is_long or rows > LARGE_ROWS[fmt]


@require_GET
@replica_reads
def download(request, name, fmt):
    if fmt not in FORMATS:
        raise Http404
    try:
        scope, form, data = _report_request(request, name, freshness={})
    except RollupPending:  # the page says the figures are being prepared and looks again
        return redirect(reverse("reports:report", args=[name]) + f"?{request.GET.urlencode()}")
    if data is None:
        for error in form.non_field_errors() or [_("Check the filters of the report.")]:
            messages.error(request, error)
        return redirect(reverse("reports:report", args=[name]) + f"?{request.GET.urlencode()}")
    period = form.cleaned_data["period_obj"]
    signer = form.cleaned_data.get("signer") or "head"
    table = request.GET.get("table") or None if fmt == "csv" else None
    if table is not None and table not in csv_tables(data):
        raise Http404
    log_access(request, "report_download", object_type="report", object_id=name,
               detail=f"{fmt} {data['office'] or 'ALL'} {data['from']}..{data['to']}")  # fmt: skip
    if _is_large(data, fmt, period):
        params = {
            "report": name,
            "format": fmt,
            "office": scope.office_code,
            "region": scope.region.code if scope.region is not None else None,
            "officer": scope.officer.pk if scope.officer is not None else None,
            "personal_data": scope.personal_data,
            "from": data["from"],
            "to": data["to"],
            "partner": form.cleaned_data["partner"].pk if form.cleaned_data.get("partner") else None,
            "training_type": form.cleaned_data["training_type"].pk if form.cleaned_data.get("training_type") else None,
            "signer": signer,
            "language": get_language() or "id",
        }
        title = f"{REPORT_TITLES[name]} {data['from']} – {data['to']} ({fmt.upper()})"
        generated = generated_file_request(
            user=request.user, kind=name, params=params, title=title, office=scope.office
        )
        messages.info(request, _("This is a large file: it is being made in the background. You may leave this page."))
        return redirect("reports:generated_detail", pk=generated.pk)
    kwargs = {"office": scope.office, "signer": signer, "region": scope.region} if fmt == "pdf" else {}
    if table is not None:
        kwargs["table"] = table
    content = render_format(data, fmt, **kwargs)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename_for(data, fmt, table)}"'
    return response


# --- Temuan: the evidence report -------------------------------------------------------------------


def _evidence_request(request, wait=True):
    """(scope, form, data or None) of a Temuan request (``wait``: see reports.evidence.cache.evidence_for)."""
    scope = evidence_scope_for(
        request.user,
        request.GET.get("office") or None,
        request.GET.get("region") or None,
        national=request.GET.get("pool") == "national",
    )
    if request.GET.get("period"):
        form = EvidenceForm(request.GET, user=request.user)
    else:  # no period asked (a link naming only the pool, region or office): the default period
        date_from, date_to = default_period(_today(request.user))
        initial = {"period": "range", "date_from": date_from, "date_to": date_to, "horizon": 6}
        form = EvidenceForm({**initial, **request.GET.dict()}, user=request.user)
    if not form.is_valid():
        return scope, form, None
    period = form.cleaned_data["period_obj"]
    data = evidence_for(scope.office, period.date_from, period.date_to, form.cleaned_data["horizon"],
                        _today(request.user), wait=wait, region=scope.region)  # fmt: skip
    return scope, form, data


@require_GET
@replica_reads
def evidence(request):
    """Temuan: which trainings lead to work, with honest uncertainty (Kasi BKD, Kepala Bapas; the viewers
    their offices pooled, computed by the worker)."""
    scope, form, data = _evidence_request(request, wait=False)
    query = request.GET.urlencode()
    context = {
        "title": REPORT_TITLES["evidence"],
        "scope": scope,
        "form": form,
        "downloads": [
            {"format": fmt, "url": reverse("reports:evidence_download", args=[fmt]) + (f"?{query}" if query else "")}
            for fmt in ("pdf", "xlsx", "csv", "json")
        ],
    }
    if data is not None and data.get("pending"):
        context["pending"] = True
    elif data is not None:
        context.update(evidence_context(data))
    return render(request, "reports/evidence.html", context, status=200 if data else 400)


@require_GET
@replica_reads
def evidence_download(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    scope, form, data = _evidence_request(request)
    if data is None:
        messages.error(request, _("Check the filters of the report."))
        return redirect(reverse("reports:evidence") + f"?{request.GET.urlencode()}")
    data = {key: value for key, value in data.items() if key not in ("computed_at", "stale")}
    log_access(request, "report_download", object_type="report", object_id="evidence",
               detail=f"{fmt} {data['office'] or data.get('region') or 'ALL'} {data['from']}..{data['to']} "
                      f"h{data['horizon_months']}")  # fmt: skip
    kwargs = (
        {"office": scope.office, "signer": form.cleaned_data.get("signer") or "head", "region": scope.region}
        if fmt == "pdf" else {}
    )  # fmt: skip
    content = render_format(data, fmt, **kwargs)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename_for(data, fmt)}"'
    return response


# --- client card and attendance sheet ------------------------------------------------------


@require_GET
def client_card(request, pk):
    client = get_client_for_card(request.user, pk)
    from clients.models import ReportingVisit
    from trainings.selectors import roster

    visits = list(
        ReportingVisit.objects.filter(client=client).select_related("received_by").order_by("-reported_at")[:60]
    )
    warnings = list(ReportingWarning.objects.filter(client=client).order_by("-issued_on"))
    enrolments = list(
        roster(client.enrolments.all())
        .select_related("session", "session__training_type", "session__partner")
        .prefetch_related("follow_ups")
        .order_by("-session__start_date")
    )
    today = _today(request.user)
    context = {
        "client": client,
        "visits": visits,
        "warnings": warnings,
        "enrolments": enrolments,
        "today": today,
        "letterhead": letterhead(client.office),
        "signer": signer_for(client.office, "kasi"),
        "office": client.office,
        "printed_on": today,
        "number": f"{client.office.code}/KB/{client.register_number}",
        "title": _("Client guidance card (kartu bimbingan)"),
    }
    log_access(request, "client_card", client, detail=request.GET.get("format", "html"))
    if request.GET.get("format") == "pdf":
        pdf = render_template_pdf("reports/pdf/client_card.html", context, request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="kartu-bimbingan-{client.pk}.pdf"'
        return response
    return render(request, "reports/client_card.html", context)


def day_blocks(days: list, size: int = SHEET_DAYS) -> list[list]:
    """The training's days in blocks of at most ``size``: one table (and printed page) per block."""
    return [days[i : i + size] for i in range(0, len(days), size)]


@require_GET
def attendance_sheet(request, pk):
    session = get_session_for_user(request.user, pk)
    from trainings.selectors import counted_enrolments

    enrolments = list(
        counted_enrolments(session.enrolments.all()).select_related("client").order_by("client__name", "pk")
    )
    today = _today(request.user)
    context = {
        "session": session,
        "enrolments": enrolments,
        "day_blocks": day_blocks(session.dates()),
        "letterhead": letterhead(session.office),
        "signer": signer_for(session.office, "kasi"),
        "office": session.office,
        "printed_on": today,
        "number": f"{session.office.code}/DH/{session.code}",
        "title": _("Attendance sheet (daftar hadir)"),
        "user": request.user,  # names as clients.access.display_name shows them (the PDF has no request)
        "landscape": session.days > 3,
    }
    log_access(request, "attendance_sheet", session, detail=request.GET.get("format", "html"))
    if request.GET.get("format") == "pdf":
        pdf = render_template_pdf("reports/pdf/attendance_sheet.html", context, request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="daftar-hadir-{session.code}.pdf"'
        return response
    return render(request, "reports/attendance_sheet.html", context)


# Consequences a warning letter states, by level (the path of a violation: SP1, SP2, SP3, then the TPP).
WARNING_CONSEQUENCES = {
    "SP1": gettext_lazy("If you miss another reporting period, a second warning (SP2) will be issued."),
    "SP2": gettext_lazy("If you miss another reporting period, a third and last warning (SP3) will be issued."),
    "SP3": gettext_lazy(
        "This is the last warning. If you miss another reporting period, your case goes to the observation "
        "team (TPP) and the Head of the Bapas may suspend your programme and propose its revocation."
    ),
}


@require_GET
def warning_letter(request, pk):
    """The surat peringatan of a recorded warning as an official PDF (letterhead, number, signature)."""
    from bapas.formatting import period_codes_label

    warning = get_warning_for_letter(request.user, pk)
    client = warning.client
    context = {
        "warning": warning,
        "client": client,
        "missed": period_codes_label(warning.missed_periods),
        "consequence": WARNING_CONSEQUENCES.get(warning.level, ""),
        "letterhead": letterhead(client.office),
        "signer": signer_for(client.office, "head"),
        "office": client.office,
        "printed_on": warning.issued_on,
        "number": warning.letter_number,
        "title": _("Warning letter"),
    }
    log_access(request, "warning_letter", client, detail=warning.level)
    pdf = render_template_pdf("reports/pdf/warning_letter.html", context, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"surat-peringatan-{warning.level.lower()}-{client.register_number}".replace("/", "-").replace(".", "-")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename.replace("/", "-").replace(".", "-")}.pdf"'
    return response


@require_GET
def tpp_minutes_pdf(request, pk):
    """The berita acara sidang TPP: members and attendance, each case's findings and recommendation,
    and a signature line for every member."""
    session = get_tpp_session_for_user(request.user, pk)
    if session.state != TPPSession.State.HELD:
        raise Http404
    cases = list(session.cases.select_related("client", "client__officer").order_by("id"))
    members = list(session.members.order_by("role", "first_name", "username"))
    attendee_ids = set(session.attendees.values_list("pk", flat=True))
    context = {
        "session": session,
        "cases": cases,
        "members": [{"user": m, "present": m.pk in attendee_ids} for m in members],
        "signers": [m for m in members if m.pk in attendee_ids],
        "letterhead": letterhead(session.office),
        "office": session.office,
        "printed_on": session.date,
        "number": session.number,
        "title": _("Minutes of the TPP session"),
    }
    for case in cases:
        log_access(request, "tpp_minutes", case.client, detail=session.number)
    pdf = render_template_pdf("reports/pdf/tpp_minutes.html", context, request.build_absolute_uri("/"))
    return _pdf_response(pdf, f"berita-acara-tpp-{session.number}")


@require_GET
def revocation_proposal(request, pk):
    """The proposal to the Kanwil to revoke a client's programme, with the chain of grounds: the missed
    periods, the warnings with their numbers and dates, the TPP minutes."""
    from bapas.formatting import period_codes_label

    proposal = get_proposal_for_user(request.user, pk)
    client = proposal.client
    warnings = list(
        ReportingWarning.objects.filter(client=client).select_related("client__office").order_by("issued_on", "id")
    )
    missed = sorted({code for w in warnings for code in answered_codes(w)})
    case = proposal.tpp_case
    context = {
        "proposal": proposal,
        "client": client,
        "warnings": [{"warning": w, "periods": period_codes_label(w.missed_periods)} for w in warnings],
        "missed": period_codes_label(", ".join(missed)),
        "case": case,
        "session": case.session,
        "letterhead": letterhead(client.office),
        "signer": signer_for(client.office, "head"),
        "office": client.office,
        "printed_on": proposal.suspended_on,
        "number": proposal.number,
        "title": _("Proposal to revoke the programme"),
    }
    log_access(request, "revocation_proposal", client, detail=proposal.number)
    pdf = render_template_pdf("reports/pdf/revocation_proposal.html", context, request.build_absolute_uri("/"))
    return _pdf_response(pdf, f"usulan-pencabutan-{client.register_number}")


# --- dashboards (home pages, see config.views.HOME_VIEWS) -------------------------------------


def _year_param(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


@require_GET
@replica_reads
def dashboard_office(request):
    office = dashboard_office_for_user(request.user, "office")
    context = dashboards.office_dashboard(
        office, today=_today(request.user), year=_year_param(request), allow_stale=True
    )
    return render(request, "reports/dashboard_office.html", context)


@require_GET
@replica_reads
def dashboard_kasubsi(request):
    office = dashboard_office_for_user(request.user, "kasubsi")
    context = dashboards.kasubsi_dashboard(office, today=_today(request.user))
    return render(request, "reports/dashboard_kasubsi.html", context)


@require_GET
@replica_reads
def dashboard_regional(request):
    """A region's offices side by side: the regional viewer's own region; the national viewer drills
    into any region (``?region=CODE``) or sees every office. Another region is 404."""
    region, offices = dashboard_offices_for_viewer(request.user, request.GET.get("region") or None)
    context = dashboards.regional_dashboard(today=_today(request.user), year=_year_param(request), offices=offices)
    context["region"] = region
    return render(request, "reports/dashboard_regional.html", context)


@require_GET
@replica_reads
def dashboard_national(request):
    """Ditjenpas: the regions side by side, each opening its regional dashboard."""
    dashboard_office_for_user(request.user, "national")
    context = dashboards.national_dashboard(today=_today(request.user), year=_year_param(request))
    return render(request, "reports/dashboard_national.html", context)


# --- files made in the background ------------------------------------------------------------


@require_GET
def generated_list(request):
    report_scope_for(request.user)
    files = list(generated_files_visible_to(request.user)[:100])
    return render(request, "reports/generated_list.html", {"files": files})


@require_GET
def generated_detail(request, pk):
    generated = get_generated_file_for_user(request.user, pk)
    return render(request, "reports/generated_detail.html", {"generated": generated})


@require_GET
def generated_status(request, pk):
    generated = get_generated_file_for_user(request.user, pk)
    if generated.status == GeneratedFile.Status.RUNNING and generated_files_requeue_stalled():
        generated.refresh_from_db()  # its worker had stopped: another one takes it
    return JsonResponse(
        {
            "id": generated.pk,
            "status": generated.status,
            "status_label": generated.get_status_display(),
            "progress": generated.progress,
            "finished": generated.is_finished,
            "error": generated.error,
            "download_url": reverse("reports:generated_download", args=[generated.pk])
            if generated.status == GeneratedFile.Status.DONE
            else None,
        }
    )


@require_GET
def generated_download(request, pk):
    generated = get_generated_file_for_user(request.user, pk)
    if generated.status != GeneratedFile.Status.DONE or not generated.file:
        raise Http404
    try:
        handle = generated.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    log_access(request, "generated_download", generated, detail=generated.filename)
    return FileResponse(
        handle, as_attachment=True, filename=generated.filename, content_type=generated.content_type or None
    )


@require_POST
def generated_retry(request, pk):
    generated = get_generated_file_for_user(request.user, pk, write=True)
    try:
        generated_file_retry(generated_file=generated)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file is being made again."))
    return redirect("reports:generated_detail", pk=generated.pk)


# --- the certificates PDF of a training ----------------------------------------------------------

# Up to this many certificates the PDF comes straight back; a larger batch is made in the background.
CERTIFICATES_SYNC_MAX = 30


@require_GET
def certificates_pdf(request, pk):
    session = get_session_for_user(request.user, pk)
    count = Enrolment.objects.filter(
        session=session, certificate_number__isnull=False, status__in=Enrolment.COUNTED
    ).count()  # the pages of trainings.certificates.certificate_pages
    if not count:
        messages.info(request, _("No certificate has been issued for this training yet."))
        return redirect("trainings:session_detail", pk=session.pk)
    if count > CERTIFICATES_SYNC_MAX:
        return _certificates_in_background(request, session, count)
    pdf = render_session_certificates(session, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{session.code}.pdf"'
    return response


def _certificates_in_background(request, session, count):
    """A large batch: a background file (progress bar page; the user may leave)."""
    # Reloading the page while the batch is still being made shows that batch instead of a second one.
    generated = GeneratedFile.objects.filter(
        user=request.user,
        kind=GeneratedFile.Kind.CERTIFICATES,
        params__session=session.pk,
        status__in=[GeneratedFile.Status.PENDING, GeneratedFile.Status.RUNNING],
    ).first()
    if generated is None:
        generated = generated_file_request(
            user=request.user,
            kind=GeneratedFile.Kind.CERTIFICATES,
            params={
                "session": session.pk,
                "base_url": request.build_absolute_uri("/"),
                "language": get_language() or "id",
            },
            title=_("Certificates %(code)s – %(title)s") % {"code": session.code, "title": session.title},
            office=session.office,
        )
    messages.info(
        request,
        _("%(count)s certificates: the PDF is being made in the background. You may leave this page.")
        % {"count": count},
    )
    return redirect("reports:generated_detail", pk=generated.pk)


# --- the monthly return (laporan bulanan) ----------------------------------------------------------


def _month_arg(value: str):
    from reports.monthly import parse_month

    try:
        return parse_month(value)
    except ValueError as exc:
        raise Http404 from exc


def _previous_month(today):
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@require_GET
def monthly_list(request):
    """The month's returns of the offices the user may see: signed or not, the deadline, days late."""
    from reports.monthly import overview

    require_role(request.user, *MONTHLY_READ_ROLES)
    today = _today(request.user)
    month = _month_arg(request.GET["month"]) if request.GET.get("month") else _previous_month(today)
    offices = list(offices_visible_to(request.user).order_by("code"))
    rows = overview(offices, month)
    return render(
        request,
        "reports/monthly_list.html",
        {"month": month, "rows": rows, "signed": sum(1 for row in rows if row["revision"]),
         "late": sum(1 for row in rows if row["late_days"]), "month_value": f"{month:%Y-%m}"},
    )  # fmt: skip


@require_GET
def monthly_detail(request, office, month):
    from reports.monthly import deadline, month_bounds, return_data, revisions
    from reports.periods import office_today

    office = get_office_for_monthly_return(request.user, office)
    first = _month_arg(month)
    data = return_data(office, first)
    history = list(revisions(office, first).order_by("-revision"))
    current = history[0] if history else None
    month_over = office_today(office) > month_bounds(first)[1]
    context = {
        "office": office,
        "month": first,
        "month_value": f"{first:%Y-%m}",
        "data": data,
        "tables": report_tables(data),
        "revisions": history,
        "current": current,
        "deadline": deadline(first),
        "month_over": month_over,
        "can_review": request.user.role == Role.KASI and month_over and not (current and current.is_signed),
        "can_sign": request.user.role == Role.KABAPAS and month_over and current is not None
        and not current.is_signed and current.reviewed_by_id is not None,
        "can_correct": request.user.role in LEAD_ROLES and current is not None and current.is_signed,
    }  # fmt: skip
    return render(request, "reports/monthly_detail.html", context)


def _monthly_action(request, office, month, roles, action):
    office = get_office_for_monthly_return(request.user, office, roles=roles)
    first = _month_arg(month)
    try:
        action(office, first)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:monthly_detail", office=office.code, month=f"{first:%Y-%m}")


@require_POST
def monthly_review(request, office, month):
    from reports.services import monthly_return_review

    def review(office, first):
        monthly_return_review(office=office, month=first, user=request.user)
        messages.success(request, _("Reviewed: the Kepala Bapas can sign the return now."))

    return _monthly_action(request, office, month, (Role.KASI,), review)


@require_POST
def monthly_sign(request, office, month):
    from reports.services import monthly_return_sign

    def sign(office, first):
        monthly_return_sign(office=office, month=first, user=request.user, base_url=request.build_absolute_uri("/"))
        messages.success(request, _("Signed: the return's figures and PDF are kept as they are now."))

    return _monthly_action(request, office, month, (Role.KABAPAS,), sign)


@require_POST
def monthly_correct(request, office, month):
    from reports.services import monthly_return_correct

    def correct(office, first):
        monthly_return_correct(office=office, month=first, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("A correction was started as a new revision; the signed return stays."))

    return _monthly_action(request, office, month, LEAD_ROLES, correct)


@require_GET
def monthly_pdf(request, office, month):
    """The signed PDF as it was signed; before that, the draft's PDF of the figures now."""
    from reports.monthly import latest_signed, return_data

    office = get_office_for_monthly_return(request.user, office)
    first = _month_arg(month)
    signed = latest_signed(office, first)
    filename = f"laporan-bulanan-{office.code.lower()}-{first:%Y-%m}.pdf"
    if signed is not None and signed.pdf:
        try:
            return FileResponse(signed.pdf.open("rb"), filename=filename, content_type="application/pdf")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
    content = render_format(return_data(office, first), "pdf", office=office)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
