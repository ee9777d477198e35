"""Who may see which report data (ACCESS MATRIX of issue 2, column "reports").

- PK: the own caseload (reports are narrowed to the PK's clients) of the own office.
- Kasubsi Bimker, Kasi BKD, Kepala Bapas, Admin: the whole own office.
- Regional viewer: aggregates of every office, never names or other personal data.

Everything in this app asks these helpers; nothing else decides access.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bapas.access import LEAD_ROLES, OFFICE_ROLES
from bapas.models import Office, Role

REPORT_ROLES = (*OFFICE_ROLES, Role.REGIONAL)


@dataclass(frozen=True)
class ReportScope:
    """What one user may read in a report: one office or all of them, and maybe one PK's caseload."""

    office: Office | None
    officer: object | None = None
    personal_data: bool = True

    @property
    def office_code(self) -> str | None:
        return self.office.code if self.office else None


def offices_visible_to(user):
    if user.role == Role.REGIONAL:
        return Office.objects.all()
    if user.role in OFFICE_ROLES and user.office_id:
        return Office.objects.filter(pk=user.office_id)
    return Office.objects.none()


def report_scope_for(user, office_code: str | None = None) -> ReportScope:
    """The scope of a report request. 404 for an office the user may not see, 403 for other roles."""
    if not user.is_authenticated or user.role not in REPORT_ROLES:
        raise PermissionDenied
    if user.role == Role.REGIONAL:
        office = get_object_or_404(Office, code=office_code) if office_code else None
        return ReportScope(office=office, personal_data=False)
    if not user.office_id:
        raise Http404
    if office_code and office_code != user.office.code:
        raise Http404
    officer = user if user.role == Role.PK else None
    return ReportScope(office=user.office, officer=officer)


def evidence_scope_for(user, office_code: str | None = None) -> ReportScope:
    """The scope of the Temuan page: Kasi BKD and Kepala Bapas their office, the regional viewer all
    offices pooled (or one office), aggregates only. 403 for other roles, 404 for another office."""
    if not user.is_authenticated or user.role not in (*LEAD_ROLES, Role.REGIONAL):
        raise PermissionDenied
    return report_scope_for(user, office_code)


def get_client_for_card(user, pk):
    """The client of a kartu bimbingan: a PK's own caseload, the whole office for Kasi BKD and Kepala Bapas."""
    from clients.models import Client

    if not user.is_authenticated or not user.office_id:
        raise Http404
    qs = Client.objects.select_related("office", "officer").filter(office_id=user.office_id)
    if user.role == Role.PK:
        qs = qs.filter(officer=user)
    elif user.role not in LEAD_ROLES:
        raise Http404
    return get_object_or_404(qs, pk=pk)


def get_warning_for_letter(user, pk):
    """The warning (SP1, SP2, SP3) of a surat peringatan: whoever may print the client's card."""
    from clients.models import ReportingWarning

    warning = get_object_or_404(ReportingWarning.objects.select_related("issued_by"), pk=pk)
    warning.client = get_client_for_card(user, warning.client_id)
    return warning


def get_session_for_sheet(user, pk):
    """The session of a daftar hadir: every office role reads the sessions of its own office."""
    from trainings.models import TrainingSession

    if not user.is_authenticated or not user.office_id or user.role not in OFFICE_ROLES:
        raise Http404
    qs = TrainingSession.objects.select_related("office", "partner", "training_type")
    return get_object_or_404(qs, pk=pk, office_id=user.office_id)


def generated_files_visible_to(user):
    from reports.models import GeneratedFile

    if not user.is_authenticated:
        return GeneratedFile.objects.none()
    return GeneratedFile.objects.filter(user=user)


def get_generated_file_for_user(user, pk, write=False):
    """A stored output belongs to the user who asked for it; everybody else gets 404."""
    return get_object_or_404(generated_files_visible_to(user), pk=pk)
