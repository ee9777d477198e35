"""Who may see which report data (the "reports" column of the access matrix in docs/ARCHITECTURE.md).

- PK: the own caseload (reports are narrowed to the PK's clients) of the own office.
- Kasubsi Bimker, Kasi BKD, Kepala Bapas, Admin: the whole own office.
- Regional viewer: aggregates of every office, never names or other personal data.

The client card and the attendance sheet use the owners' helpers (clients/access.py,
trainings/access.py). Everything in this app asks these helpers; nothing else decides access.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bapas.access import LEAD_ROLES, OFFICE_ROLES, require_role
from bapas.models import Office, Role
from clients.access import caseload_officer, get_client_for_card

REPORT_ROLES = (*OFFICE_ROLES, Role.REGIONAL)
EVIDENCE_ROLES = (*LEAD_ROLES, Role.REGIONAL)  # the Temuan page


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
    if sees_all_offices(user):
        return Office.objects.all()
    if user.role in OFFICE_ROLES and user.office_id:
        return Office.objects.filter(pk=user.office_id)
    return Office.objects.none()


def report_scope_for(user, office_code: str | None = None) -> ReportScope:
    """The scope of a report request. 404 for an office the user may not see, 403 for other roles."""
    if not user.is_authenticated or user.role not in REPORT_ROLES:
        raise PermissionDenied
    if sees_all_offices(user):
        office = get_object_or_404(Office, code=office_code) if office_code else None
        return ReportScope(office=office, personal_data=False)
    if not user.office_id:
        raise Http404
    if office_code and office_code != user.office.code:
        raise Http404
    return ReportScope(office=user.office, officer=caseload_officer(user))


def evidence_scope_for(user, office_code: str | None = None) -> ReportScope:
    """The scope of the Temuan page: Kasi BKD and Kepala Bapas their office, the regional viewer all
    offices pooled (or one office), aggregates only. 403 for other roles, 404 for another office."""
    if not user.is_authenticated or user.role not in EVIDENCE_ROLES:
        raise PermissionDenied
    return report_scope_for(user, office_code)


# --- dashboards (home pages) ----------------------------------------------------------------------
DASHBOARD_ROLES = {"office": LEAD_ROLES, "kasubsi": (Role.KASUBSI,), "regional": (Role.REGIONAL,)}


def sees_all_offices(user) -> bool:
    """The regional viewer reads aggregates of every office (and chooses one); the others their own."""
    return user.is_authenticated and user.role == Role.REGIONAL


def dashboard_office_for_user(user, dashboard: str) -> Office | None:
    """The office of a dashboard: 403 for a role with another home, 404 without an office; None: all."""
    require_role(user, *DASHBOARD_ROLES[dashboard])
    if dashboard == "regional":
        return None
    if not user.office_id:
        raise Http404
    return user.office


def get_warning_for_letter(user, pk):
    """The warning (SP1, SP2, SP3) of a surat peringatan: whoever may print the client's card."""
    from clients.models import ReportingWarning

    warning = get_object_or_404(ReportingWarning.objects.select_related("issued_by"), pk=pk)
    warning.client = get_client_for_card(user, warning.client_id)
    return warning


def generated_files_visible_to(user):
    from reports.models import GeneratedFile

    if not user.is_authenticated:
        return GeneratedFile.objects.none()
    return GeneratedFile.objects.filter(user=user)


def get_generated_file_for_user(user, pk, write=False):
    """A stored output belongs to the user who asked for it; everybody else gets 404."""
    return get_object_or_404(generated_files_visible_to(user), pk=pk)
