"""Role checks shared by every app.

Each owned model has its own helper in its app (``clients_visible_to``, ``get_client_for_user`` ...)
built from these pieces: 404 outside the user's office or caseload, 403 where the role may read
but not write. Nothing else decides access.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from bapas.models import VIEWER_ROLES, AccessLog, Office, Region, Role
from bapas.network import client_ip

OFFICE_ROLES = (Role.PK, Role.KASUBSI, Role.KASI, Role.KABAPAS, Role.ADMIN)
LEAD_ROLES = (Role.KASI, Role.KABAPAS)


# --- which offices and regions a user may see: the one home of that rule ------------------------


def offices_visible_to(user):
    """The offices whose figures the user may read: the national viewer every office, a regional
    viewer the offices of its region (none without a region), office staff their own office."""
    if not user.is_authenticated:
        return Office.objects.none()
    if user.role == Role.NATIONAL:
        return Office.objects.all()
    if user.role == Role.REGIONAL:
        return Office.objects.filter(region_id=user.region_id) if user.region_id else Office.objects.none()
    if user.role in OFFICE_ROLES and user.office_id:
        return Office.objects.filter(pk=user.office_id)
    return Office.objects.none()


def regions_visible_to(user):
    """The regions the user may read as a whole: every region for the national viewer, its own for
    a regional viewer, none for office staff."""
    if not user.is_authenticated:
        return Region.objects.none()
    if user.role == Role.NATIONAL:
        return Region.objects.all()
    if user.role == Role.REGIONAL and user.region_id:
        return Region.objects.filter(pk=user.region_id)
    return Region.objects.none()


def get_office_for_user(user, code: str) -> Office:
    """An office by its code (any case) among those the user may see; 404 for any other."""
    return get_object_or_404(offices_visible_to(user), code__iexact=code)


def get_region_for_user(user, code: str) -> Region:
    """A region by its code (any case) among those the user may see; 404 for any other."""
    return get_object_or_404(regions_visible_to(user), code__iexact=code)


def viewer_region(user) -> Region | None:
    """The region a regional viewer is bound to (None for everyone else)."""
    return user.region if user.is_authenticated and user.role == Role.REGIONAL else None


def require_viewer(user):
    """403 unless the user is a regional or national viewer."""
    require_role(user, *VIEWER_ROLES)


def office_q(*, office=None, region=None, prefix: str = "office") -> Q:
    """The filter of rows in scope: one office, the offices of one region, or everything (both None)."""
    if office is not None:
        return Q(**{f"{prefix}_id": getattr(office, "pk", office)})
    if region is not None:
        return Q(**{f"{prefix}__region_id": getattr(region, "pk", region)})
    return Q()


def user_office_id(user):
    """The office a staff member works in; 404 for anyone without one (regional or national viewer)."""
    if not user.is_authenticated or not user.office_id:
        raise Http404
    return user.office_id


def require_role(user, *roles):
    """403 unless the user has one of the roles."""
    if user.role not in roles:
        raise PermissionDenied


def access_log_visible_to(user):
    """The log of reads of personal data in the user's office: Kasi BKD and Kepala Bapas only (403)."""
    require_role(user, *LEAD_ROLES)
    return AccessLog.objects.filter(user__office_id=user_office_id(user)).select_related("user")


def log_access(request, action: str, obj=None, *, object_type: str = "", object_id="", detail: str = ""):
    """Record a read of personal data (a client's full record, a personal-data report download)."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
    AccessLog.objects.create(
        user=request.user,
        ip_address=client_ip(request),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail[:300],
    )
