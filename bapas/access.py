"""Role checks shared by every app.

Each owned model has its own helper in its app (``clients_visible_to``, ``get_client_for_user`` ...)
built from these pieces: 404 outside the user's office or caseload, 403 where the role may read
but not write. Nothing else decides access.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bapas.models import AccessLog, Role
from bapas.network import client_ip

OFFICE_ROLES = (Role.PK, Role.KASUBSI, Role.KASI, Role.KABAPAS, Role.ADMIN)
LEAD_ROLES = (Role.KASI, Role.KABAPAS)


def user_office_id(user):
    """The office a staff member works in; 404 for anyone without one (regional viewer)."""
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
