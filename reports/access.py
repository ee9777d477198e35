"""Who may see which report data (the "reports" column of the access matrix in docs/ARCHITECTURE.md).

- PK: the own caseload (reports are narrowed to the PK's clients) of the own office.
- Kasubsi Bimker, Kasi BKD, Kepala Bapas, Admin: the whole own office.
- Regional viewer: aggregates of its region's offices; national viewer: of every office (one region
  or one office on request). Never names or other personal data. Which offices and regions a user
  may see is decided in ``bapas.access`` (``offices_visible_to``, ``regions_visible_to``).

The client card and the attendance sheet use the owners' helpers (clients/access.py,
trainings/access.py). Everything in this app asks these helpers; nothing else decides access.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bapas.access import (
    LEAD_ROLES,
    OFFICE_ROLES,
    get_office_for_user,
    get_region_for_user,
    offices_visible_to,
    require_role,
    viewer_region,
)
from bapas.models import VIEWER_ROLES, Office, Region, Role
from clients.access import caseload_officer, get_client_for_card

REPORT_ROLES = (*OFFICE_ROLES, *VIEWER_ROLES)
# the Temuan page: the office's leads their office; the viewers the offices of their scope pooled
EVIDENCE_ROLES = (*LEAD_ROLES, *VIEWER_ROLES)
__all__ = ["EVIDENCE_ROLES", "REPORT_ROLES", "ReportScope", "offices_visible_to", "report_scope_for"]


@dataclass(frozen=True)
class ReportScope:
    """What one user may read in a report: one office, one region's offices or all of them (both
    None), and maybe one PK's caseload."""

    office: Office | None
    officer: object | None = None
    personal_data: bool = True
    region: Region | None = None

    @property
    def office_code(self) -> str | None:
        return self.office.code if self.office else None


def report_scope_for(user, office_code: str | None = None, region_code: str | None = None) -> ReportScope:
    """The scope of a report request. 404 for an office or region the user may not see, 403 for
    other roles. A regional viewer's reports never reach past its region."""
    if not user.is_authenticated or user.role not in REPORT_ROLES:
        raise PermissionDenied
    if user.role in VIEWER_ROLES:
        region = get_region_for_user(user, region_code) if region_code else viewer_region(user)
        if user.role == Role.REGIONAL and region is None:
            raise Http404  # a regional viewer not bound to a region sees nothing
        office = get_office_for_user(user, office_code) if office_code else None
        if office is not None and region is not None and office.region_id != region.pk:
            raise Http404
        return ReportScope(office=office, personal_data=False, region=None if office else region)
    if not user.office_id:
        raise Http404
    if office_code and office_code != user.office.code:
        raise Http404
    return ReportScope(office=user.office, officer=caseload_officer(user))


def evidence_scope_for(
    user, office_code: str | None = None, region_code: str | None = None, *, national: bool = False
) -> ReportScope:
    """The scope of the Temuan page: Kasi BKD and Kepala Bapas their office; the regional viewer its
    region's offices pooled (or one of them) or, with ``national``, every office pooled (the national
    answer: findings over all offices, no office's own figures); the national viewer every office
    pooled, one region's or one office; aggregates only. 403 for other roles, 404 for an office or
    region out of scope."""
    if not user.is_authenticated or user.role not in EVIDENCE_ROLES:
        raise PermissionDenied
    scope = report_scope_for(user, office_code, region_code)
    if national and user.role in VIEWER_ROLES and scope.office is None:
        return ReportScope(office=None, personal_data=False, region=None)
    return scope


# --- dashboards (home pages) ----------------------------------------------------------------------
DASHBOARD_ROLES = {"office": LEAD_ROLES, "kasubsi": (Role.KASUBSI,), "regional": VIEWER_ROLES,
                   "national": (Role.NATIONAL,)}  # fmt: skip


def sees_all_offices(user) -> bool:
    """A regional or national viewer reads aggregates of the offices in its scope (``offices_visible_to``)
    and chooses one; the others read their own office."""
    return user.is_authenticated and user.role in VIEWER_ROLES


def dashboard_office_for_user(user, dashboard: str) -> Office | None:
    """The office of a dashboard: 403 for a role with another home, 404 without an office; None: all."""
    require_role(user, *DASHBOARD_ROLES[dashboard])
    if dashboard in ("regional", "national"):
        return None
    if not user.office_id:
        raise Http404
    return user.office


def dashboard_offices_for_viewer(user, region_code: str | None = None):
    """(region, offices) of a regional dashboard: a regional viewer's own region; the national viewer
    any region (``region_code``) or every office (region None). 403 for other roles, 404 for a region
    out of scope or a regional viewer without one."""
    dashboard_office_for_user(user, "regional")
    region = get_region_for_user(user, region_code) if region_code else viewer_region(user)
    if user.role == Role.REGIONAL and region is None:
        raise Http404
    offices = offices_visible_to(user)
    return region, offices.filter(region=region) if region is not None else offices


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


# The monthly return: the office's leads read it (the Kasi BKD reviews, the Kepala Bapas signs), the
# viewers above the office read it; everybody else is refused.
MONTHLY_READ_ROLES = (*LEAD_ROLES, *VIEWER_ROLES)


def get_office_for_monthly_return(user, code: str, *, roles=MONTHLY_READ_ROLES) -> Office:
    """The office of a monthly return: 404 outside the user's offices, then 403 unless the role is one
    of ``roles`` (reading: the office's leads and the viewers above it)."""
    if not user.is_authenticated:
        raise PermissionDenied
    office = get_office_for_user(user, code)
    if user.role not in roles:
        raise PermissionDenied
    return office
