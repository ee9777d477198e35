"""XLSX downloads of the lists, with the same GET filters as the list pages.

Each kind starts from the owning app's access helper (who sees which rows is decided there), applies
the list page's filters and writes the rows in the import format of its sheet, plus a few extra
columns at the end that the importer ignores.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from bapas.access import user_office_id
from bapas.models import Role
from clients import access as client_access
from clients.models import ReportingVisit
from pokmaslipas import access as partner_access
from trainings import access as training_access
from trainings import selectors as training_selectors
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession
from workbook import exporter, schema

MAX_ROWS = 100_000


@dataclass(frozen=True)
class ListExport:
    kind: str
    title: str
    sheet: str
    columns: list
    rows: Callable  # (request) -> iterable of dicts


# --- clients -----------------------------------------------------------------------------------
def client_rows(request):
    from clients.forms import ClientFilterForm
    from clients.selectors import search_clients

    user = request.user
    visible = client_access.clients_visible_to(user)
    form = ClientFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = search_clients(
        visible.select_related("officer"),
        q=filters.get("q", ""),
        programme=filters.get("programme", ""),
        status=filters.get("status", ""),
        officer=filters.get("officer"),
        ending=filters.get("ending", False),
        archived=filters.get("archived", False),
        today=timezone.localdate(),
    ).order_by("name", "id")
    for client in qs[:MAX_ROWS]:
        row = exporter.client_values(client)
        row["nama"] = client_access.display_name(user, client)
        if not client_access.can_see_full_record(user, client):
            row["nik"] = row["tanggal_lahir"] = None
        yield row


# --- partners and agreements --------------------------------------------------------------------
def _form_filters(form) -> dict:
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value}


def partner_rows(request):
    from pokmaslipas import selectors
    from pokmaslipas.forms import PartnerFilterForm

    filters = _form_filters(PartnerFilterForm(request.GET))
    qs = selectors.partner_list(partner_access.partners_visible_to(request.user), today=timezone.localdate(), **filters)
    labels = dict(selectors.PartnerStatus.choices)
    for partner in qs[:MAX_ROWS]:
        yield {**exporter.partner_values(partner), "status_pks": str(labels.get(partner.agreement_status, ""))}


def agreement_rows(request):
    from pokmaslipas import selectors
    from pokmaslipas.forms import AgreementFilterForm

    filters = _form_filters(AgreementFilterForm(request.GET))
    qs = selectors.agreement_list(
        partner_access.agreements_visible_to(request.user), today=timezone.localdate(), **filters
    )
    for agreement in qs[:MAX_ROWS]:
        yield {
            **exporter.agreement_values(agreement),
            "nama_mitra": agreement.partner.name,
            "status": agreement.current_status,
        }


# --- trainings ----------------------------------------------------------------------------------
def filter_sessions(qs, params):
    """The filters of the session list page: year, status, q."""
    year, status, query = params.get("year", ""), params.get("status", ""), params.get("q", "").strip()
    if year.isdigit():
        qs = qs.filter(start_date__year=int(year))
    if status in TrainingSession.Status.values:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(code__icontains=query) | Q(partner__name__icontains=query))
    return qs


def session_rows(request):
    qs = filter_sessions(training_access.sessions_visible_to(request.user), request.GET)
    qs = qs.select_related("training_type", "partner", "agreement").order_by("-start_date", "-id")
    counts = _participant_counts(qs)
    for session in qs[:MAX_ROWS]:
        yield {**exporter.session_values(session), "status": session.status, "peserta": counts.get(session.pk, 0)}


def _participant_counts(sessions) -> dict:
    rows = (
        training_selectors.participants(Enrolment.objects.filter(session__in=sessions.values("pk")))
        .order_by()
        .values("session_id")
        .annotate(n=Count("id"))
    )
    return {row["session_id"]: row["n"] for row in rows}


def filter_enrolments(qs, params):
    """Participants: the session list's filters (year, q on the session) plus ``session`` (code)."""
    year, query, session = params.get("year", ""), params.get("q", "").strip(), params.get("session", "").strip()
    if year.isdigit():
        qs = qs.filter(session__start_date__year=int(year))
    if session:
        qs = qs.filter(session__code=session)
    if query:
        qs = qs.filter(
            Q(session__title__icontains=query) | Q(session__code__icontains=query) | Q(client__name__icontains=query)
        )
    return qs


def participant_rows(request):
    user = request.user
    qs = filter_enrolments(training_access.enrolments_visible_to(user), request.GET)
    if user.role == Role.PK:
        qs = qs.filter(client__officer=user)
    qs = (
        training_selectors.counted_enrolments(qs)
        .select_related("session", "client")
        .order_by("session__code", "client__register_number")
    )
    enrolments = list(qs[:MAX_ROWS])
    days: dict = {}
    for enrolment_id, day, status in Attendance.objects.filter(enrolment__in=[e.pk for e in enrolments]).values_list(
        "enrolment_id", "date", "status"
    ):
        days.setdefault(enrolment_id, {})[day] = status
    today = timezone.localdate()
    for enrolment in enrolments:
        statuses = days.get(enrolment.pk, {})
        yield {
            "kode_pelatihan": enrolment.session.code,
            "no_register": enrolment.client.register_number,
            "hadir": exporter.attendance_base(statuses, enrolment.session, today),
            "nama": client_access.display_name(user, enrolment.client),
            "pelatihan": enrolment.session.title,
            "hari_hadir": sum(1 for s in statuses.values() if s in Attendance.ATTENDED),
            "status_pendaftaran": enrolment.status,
        }


def filter_follow_ups(qs, params):
    """Follow-ups: ``session`` (code), ``status`` (outcome code), ``year`` of the follow-up, ``q``."""
    session, status, year = params.get("session", "").strip(), params.get("status", ""), params.get("year", "")
    query = params.get("q", "").strip()
    if session:
        qs = qs.filter(enrolment__session__code=session)
    if status in FollowUp.Status.values:
        qs = qs.filter(status=status)
    if year.isdigit():
        qs = qs.filter(date__year=int(year))
    if query:
        qs = qs.filter(Q(enrolment__client__name__icontains=query) | Q(enrolment__session__title__icontains=query))
    return qs


def follow_up_rows(request):
    user = request.user
    qs = filter_follow_ups(training_access.follow_ups_visible_to(user), request.GET)
    qs = qs.select_related("enrolment__session", "enrolment__client").order_by(
        "enrolment__session__code", "enrolment__client__register_number", "date"
    )
    for follow_up in qs[:MAX_ROWS]:
        enrolment = follow_up.enrolment
        row = exporter.follow_up_values(follow_up, enrolment.session.code, enrolment.client.register_number)
        row["nama"] = client_access.display_name(user, enrolment.client)
        yield row


# --- wajib lapor ----------------------------------------------------------------------------------
VISIT_ROLES = (Role.PK, Role.KASI, Role.KABAPAS)


def filter_visits(qs, params):
    """Wajib lapor: ``from`` and ``to`` (dates), ``mode``, ``client`` (id), ``q`` (name or register)."""
    date_from, date_to = parse_date(params.get("from", "") or ""), parse_date(params.get("to", "") or "")
    mode, client, query = params.get("mode", ""), params.get("client", ""), params.get("q", "").strip()
    if date_from:
        qs = qs.filter(report_date__gte=date_from)
    if date_to:
        qs = qs.filter(report_date__lte=date_to)
    if mode in ReportingVisit.Mode.values:
        qs = qs.filter(mode=mode)
    if client.isdigit():
        qs = qs.filter(client_id=int(client))
    if query:
        qs = qs.filter(Q(client__name__icontains=query) | Q(client__register_number__icontains=query))
    return qs


def visit_rows(request):
    user = request.user
    if user.role not in VISIT_ROLES:  # wajib lapor notes: own PK, Kasi, Kepala Bapas only
        raise PermissionDenied
    clients = client_access.clients_visible_to(user)
    qs = filter_visits(ReportingVisit.objects.filter(client__in=clients.values("pk")), request.GET)
    qs = qs.select_related("client").order_by("client__register_number", "reported_at")
    tz = user.office.tzinfo
    for visit in qs[:MAX_ROWS]:
        row = exporter.visit_values(visit, visit.client.register_number, tz)
        row["nama"] = client_access.display_name(user, visit.client)
        yield row


def _columns(sheet, *extra):
    return [*schema.SHEETS_BY_NAME[sheet].headers, *extra]


EXPORTS = {
    export.kind: export
    for export in (
        ListExport("clients", _("Clients"), "Klien", _columns("Klien"), client_rows),
        ListExport("partners", _("Partners"), "Mitra", _columns("Mitra", "status_pks"), partner_rows),
        ListExport("agreements", _("Agreements"), "PKS", _columns("PKS", "nama_mitra", "status"), agreement_rows),
        ListExport("sessions", _("Trainings"), "Pelatihan", _columns("Pelatihan", "status", "peserta"), session_rows),
        ListExport(
            "participants",
            _("Participants"),
            "Peserta",
            _columns("Peserta", "nama", "pelatihan", "hari_hadir", "status_pendaftaran"),
            participant_rows,
        ),
        ListExport("followups", _("Follow-ups"), "TindakLanjut", _columns("TindakLanjut", "nama"), follow_up_rows),
        ListExport("visits", _("Wajib lapor"), "WajibLapor", _columns("WajibLapor", "nama"), visit_rows),
    )
}


# File names in the words of the office (the addresses keep the English kinds).
FILE_NAMES = {
    "clients": "klien",
    "partners": "mitra",
    "agreements": "pks",
    "sessions": "pelatihan",
    "participants": "peserta",
    "followups": "tindak-lanjut",
    "reports": "wajib-lapor",
}


def export_list(request, kind: str) -> tuple[str, bytes]:
    """(file name, XLSX bytes) of one list for the signed-in user; 404 for an unknown kind."""
    export = EXPORTS.get(kind)
    if export is None:
        raise Http404
    user_office_id(request.user)  # 404 for anyone without an office (regional viewer)
    rows = list(export.rows(request))
    book = exporter.Workbook(write_only=True)
    exporter.write_sheet(book, export.sheet, export.columns, rows)
    stamp = timezone.localdate().isoformat()
    name = FILE_NAMES.get(export.kind, export.kind)
    return f"{name}-{request.user.office.code}-{stamp}.xlsx", exporter.save(book)


def is_client_list(kind: str) -> bool:
    return kind in ("clients", "participants", "followups", "visits")
