"""XLSX downloads of the lists, with the same GET filters as the list pages.

Each kind starts from the owning app's access helper (who sees which rows is decided there), applies
the list page's filters and writes the rows in the import format of its sheet, plus a few extra
columns at the end that the importer ignores.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bapas.access import user_office_id
from bapas.formtools import filter_values
from clients import access as client_access
from clients.forms import ClientFilterForm, ReportingVisitFilterForm
from clients.selectors import filter_reporting_visits
from pokmaslipas import access as partner_access
from pokmaslipas.forms import AgreementFilterForm, PartnerFilterForm
from trainings import access as training_access
from trainings import selectors as training_selectors
from trainings.forms import EnrolmentFilterForm, FollowUpFilterForm, SessionFilterForm
from trainings.models import Attendance, Enrolment
from workbook import exporter, schema

MAX_ROWS = 100_000


@dataclass(frozen=True)
class ListExport:
    kind: str
    title: str
    sheet: str
    columns: list
    rows: Callable  # (request, filters) -> iterable of dicts
    form: Callable  # (request) -> the list page's GET filter form, read by bapas.formtools.filter_values


# --- clients -----------------------------------------------------------------------------------
def client_rows(request, filters):
    from clients.selectors import search_clients

    user = request.user
    visible = client_access.clients_visible_to(user)
    qs = search_clients(
        visible.select_related("officer"),
        today=timezone.localdate(),
        by_nik=client_access.can_see_nik(user),
        **filters,
    )
    for client in qs.order_by("name", "id")[:MAX_ROWS]:
        row = exporter.client_values(client)
        row["nama"] = client_access.display_name(user, client)
        if not client_access.can_see_full_record(user, client):
            row["nik"] = row["tanggal_lahir"] = None
        yield row


# --- partners and agreements --------------------------------------------------------------------
def partner_rows(request, filters):
    from pokmaslipas import selectors

    qs = selectors.partner_list(partner_access.partners_visible_to(request.user), today=timezone.localdate(), **filters)
    labels = dict(selectors.PartnerStatus.choices)
    for partner in qs[:MAX_ROWS]:
        yield {**exporter.partner_values(partner), "status_pks": str(labels.get(partner.agreement_status, ""))}


def agreement_rows(request, filters):
    from pokmaslipas import selectors

    qs = selectors.agreement_list(
        partner_access.agreements_visible_to(request.user), today=timezone.localdate(), **filters
    )
    for agreement in qs.select_related("renews")[:MAX_ROWS]:
        yield {
            **exporter.agreement_values(agreement),
            "nama_mitra": agreement.partner.name,
            "status": agreement.current_status,
        }


# --- trainings ----------------------------------------------------------------------------------
def session_rows(request, filters):
    qs = training_selectors.filter_sessions(training_access.sessions_visible_to(request.user), **filters)
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


def participant_rows(request, filters):
    user = request.user
    qs = training_selectors.filter_enrolments(training_access.participants_visible_to(user), **filters)
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


def follow_up_rows(request, filters):
    user = request.user
    qs = training_selectors.filter_follow_ups(training_access.follow_ups_visible_to(user), **filters)
    qs = qs.select_related("enrolment__session", "enrolment__client").order_by(
        "enrolment__session__code", "enrolment__client__register_number", "date"
    )
    for follow_up in qs[:MAX_ROWS]:
        enrolment = follow_up.enrolment
        row = exporter.follow_up_values(follow_up, enrolment.session.code, enrolment.client.register_number)
        row["nama"] = client_access.display_name(user, enrolment.client)
        yield row


# --- wajib lapor ----------------------------------------------------------------------------------
def visit_rows(request, filters):
    user = request.user
    qs = filter_reporting_visits(client_access.reporting_visits_visible_to(user), **filters)
    qs = qs.select_related("client").order_by("client__register_number", "reported_at")
    tz = user.office.tzinfo
    for visit in qs[:MAX_ROWS]:
        row = exporter.visit_values(visit, visit.client.register_number, tz)
        row["nama"] = client_access.display_name(user, visit.client)
        yield row


def _columns(sheet, *extra):
    return [*schema.SHEETS_BY_NAME[sheet].headers, *extra]


def _get_form(form_class):
    return lambda request: form_class(request.GET or None)


EXPORTS = {
    export.kind: export
    for export in (
        ListExport(
            "clients",
            _("Clients"),
            "Klien",
            _columns("Klien"),
            client_rows,
            lambda request: ClientFilterForm(request.GET or None, user=request.user),
        ),
        ListExport(
            "partners",
            _("Partners"),
            "Mitra",
            _columns("Mitra", "status_pks"),
            partner_rows,
            _get_form(PartnerFilterForm),
        ),
        ListExport(
            "agreements",
            _("Agreements"),
            "PKS",
            _columns("PKS", "nama_mitra", "status"),
            agreement_rows,
            _get_form(AgreementFilterForm),
        ),
        ListExport(
            "sessions",
            _("Trainings"),
            "Pelatihan",
            _columns("Pelatihan", "status", "peserta"),
            session_rows,
            _get_form(SessionFilterForm),
        ),
        ListExport(
            "participants",
            _("Participants"),
            "Peserta",
            _columns("Peserta", "nama", "pelatihan", "hari_hadir", "status_pendaftaran"),
            participant_rows,
            _get_form(EnrolmentFilterForm),
        ),
        ListExport(
            "followups",
            _("Follow-ups"),
            "TindakLanjut",
            _columns("TindakLanjut", "nama"),
            follow_up_rows,
            _get_form(FollowUpFilterForm),
        ),
        ListExport(
            "visits",
            _("Wajib lapor"),
            "WajibLapor",
            _columns("WajibLapor", "nama"),
            visit_rows,
            _get_form(ReportingVisitFilterForm),
        ),
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
    "visits": "wajib-lapor",
}


def export_list(request, kind: str) -> tuple[str, bytes]:
    """(file name, XLSX bytes) of one list for the signed-in user; 404 for an unknown kind."""
    export = EXPORTS.get(kind)
    if export is None:
        raise Http404
    user_office_id(request.user)  # 404 for anyone without an office (regional viewer)
    rows = list(export.rows(request, filter_values(export.form(request))))
    book = exporter.Workbook(write_only=True)
    exporter.write_sheet(book, export.sheet, export.columns, rows)
    stamp = timezone.localdate().isoformat()
    name = FILE_NAMES.get(export.kind, export.kind)
    return f"{name}-{request.user.office.code}-{stamp}.xlsx", exporter.save(book)


def is_client_list(kind: str) -> bool:
    return kind in ("clients", "participants", "followups", "visits")
