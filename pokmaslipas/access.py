"""Who may see and change partners and agreements (the access matrix in tests/security/matrix.py).

A partner or agreement belongs to an office, a region (Kanwil) or the nation (``Level``). Every
office role reads its own office's records and those of its region and the nation (read-only); only
the office's Admin (Tata Usaha) writes the office's records. The Admin Kanwil writes its region's
records and reads the national ones; the Admin Ditjenpas writes the national records. Another
office's or another region's records are 404; the viewers above the offices get 404 everywhere.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bapas.access import OFFICE_ROLES, require_role, user_office_id
from bapas.models import Office, Role
from pokmaslipas.models import Agreement, Level, Partner, covering_q

WRITE_ROLES = (Role.ADMIN, Role.REGIONAL_ADMIN, Role.NATIONAL_ADMIN)
READ_ROLES = (*OFFICE_ROLES, Role.REGIONAL_ADMIN, Role.NATIONAL_ADMIN)


def _visible_q(user) -> Q:
    """The records a user may read; 404 for anyone else (viewers, anonymous, a user without its place)."""
    if not user.is_authenticated:
        raise Http404
    if user.role == Role.NATIONAL_ADMIN:
        return Q(level=Level.NATION)
    if user.role == Role.REGIONAL_ADMIN:
        if not user.region_id:
            raise Http404
        return Q(level=Level.REGION, region_id=user.region_id) | Q(level=Level.NATION)
    user_office_id(user)  # 404 without an office (the viewers)
    require_role(user, *OFFICE_ROLES)
    return covering_q(user.office)


def owner_of(user) -> dict:
    """Where a new partner or agreement of this writer goes: ``level``, ``office`` and ``region``."""
    if user.role == Role.NATIONAL_ADMIN:
        return {"level": Level.NATION, "office": None, "region": None}
    if user.role == Role.REGIONAL_ADMIN:
        return {"level": Level.REGION, "office": None, "region": user.region}
    return {"level": Level.OFFICE, "office": user.office, "region": None}


def require_write(user) -> dict:
    """For views without an object (create): 404 without an office or region, 403 unless an Admin.

    Returns the owner new records get (``owner_of``)."""
    _visible_q(user)
    require_role(user, *WRITE_ROLES)
    return owner_of(user)


def can_write(user, record=None) -> bool:
    """May the user write partners and agreements (``record``: this one, of the user's own level and owner)?"""
    if not user.is_authenticated or user.role not in WRITE_ROLES:
        return False
    if (user.role == Role.ADMIN and not user.office_id) or (user.role == Role.REGIONAL_ADMIN and not user.region_id):
        return False
    if record is None:
        return True
    owner = owner_of(user)
    return (record.level, record.office_id, record.region_id) == (
        owner["level"],
        getattr(owner["office"], "pk", None),
        getattr(owner["region"], "pk", None),
    )


def _require_write_of(user, record) -> None:
    require_role(user, *WRITE_ROLES)
    if not can_write(user, record):
        raise PermissionDenied  # a record the user reads but another level keeps


def partners_visible_to(user) -> QuerySet:
    return Partner.objects.filter(_visible_q(user))


def get_partner_for_user(user, pk, write: bool = False) -> Partner:
    partner = get_object_or_404(partners_visible_to(user).select_related("office", "region"), pk=pk)
    if write:
        _require_write_of(user, partner)
    return partner


def agreements_visible_to(user) -> QuerySet:
    return Agreement.objects.filter(_visible_q(user))


def get_agreement_for_user(user, pk, write: bool = False) -> Agreement:
    qs = agreements_visible_to(user).select_related("partner", "office", "region", "renews")
    agreement = get_object_or_404(qs, pk=pk)
    if write:
        _require_write_of(user, agreement)
    return agreement


def office_ids_of(user) -> list[int] | None:
    """The offices whose work under a partner the user may read (the partner page's trainings): its own
    office, an Admin Kanwil its region's offices, the Admin Ditjenpas every office (None)."""
    if user.role == Role.NATIONAL_ADMIN:
        return None
    if user.role == Role.REGIONAL_ADMIN:
        return list(Office.objects.filter(region_id=user.region_id).values_list("pk", flat=True))
    return [user_office_id(user)]
