"""Access helpers for staff accounts (the User model), in the shape every app uses.

Only the Admin (Tata Usaha) of an office manages staff, and only the staff of that office:
403 for every other role, 404 for an account of another office. Superusers and Django-admin
staff accounts are managed in Django admin only, so an office admin may see but not change them.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from bapas.access import require_role, user_office_id
from bapas.models import Role, User

# Roles an office admin may give. Regional viewers have no office: superusers create them in Django admin.
ASSIGNABLE_ROLES = (Role.PK, Role.KASUBSI, Role.KASI, Role.KABAPAS, Role.ADMIN)
STAFF_ROLES = (Role.ADMIN,)  # who manages the staff of the office


def staff_visible_to(user):
    """The staff of the admin's own office; 403 for every other role."""
    require_role(user, *STAFF_ROLES)
    return User.objects.filter(office_id=user_office_id(user)).select_related("office")


def get_staff_for_user(user, pk, write=False):
    """One staff account of the admin's office: 404 outside it, 403 for accounts managed in Django admin."""
    staff = get_object_or_404(staff_visible_to(user), pk=pk)
    if write and (staff.is_superuser or staff.is_staff):
        raise PermissionDenied
    return staff
