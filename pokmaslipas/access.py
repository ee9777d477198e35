"""Who may see and change partners and agreements (the access matrix in tests/security/matrix.py).

Every office role reads its own office's partners and agreements; only the Admin (Tata Usaha)
writes. Another office's records are 404; the regional viewer (no office) gets 404 everywhere.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from bapas.access import OFFICE_ROLES, require_role, user_office_id
from bapas.models import Role
from pokmaslipas.models import Agreement, Partner

WRITE_ROLES = (Role.ADMIN,)


def _office_id_for_reader(user) -> int:
    office_id = user_office_id(user)  # 404 without an office (regional viewer)
    require_role(user, *OFFICE_ROLES)
    return office_id


def require_write(user) -> int:
    """For views without an object (create): 404 without an office, 403 unless Admin."""
    office_id = _office_id_for_reader(user)
    require_role(user, *WRITE_ROLES)
    return office_id


def can_write(user) -> bool:
    return user.is_authenticated and bool(user.office_id) and user.role in WRITE_ROLES


def partners_visible_to(user) -> QuerySet:
    return Partner.objects.filter(office_id=_office_id_for_reader(user))


def get_partner_for_user(user, pk, write: bool = False) -> Partner:
    partner = get_object_or_404(partners_visible_to(user).select_related("office"), pk=pk)
    if write:
        require_role(user, *WRITE_ROLES)
    return partner


def agreements_visible_to(user) -> QuerySet:
    return Agreement.objects.filter(office_id=_office_id_for_reader(user))


def get_agreement_for_user(user, pk, write: bool = False) -> Agreement:
    agreement = get_object_or_404(agreements_visible_to(user).select_related("partner", "office", "renews"), pk=pk)
    if write:
        require_role(user, *WRITE_ROLES)
    return agreement
