"""Who may import and export whole workbooks: the Admin and the Kasi BKD of the office.

404 outside the user's office (and for the regional viewer, who has none); 403 for the other
roles of the office. List exports (workbook/lists.py) use each list's own access helper instead.
"""

from django.shortcuts import get_object_or_404

from bapas.access import require_role, user_office_id
from bapas.models import Role
from workbook.models import ImportJob

WORKBOOK_ROLES = (Role.ADMIN, Role.KASI)


def require_workbook_access(user) -> int:
    """For views without an object (upload, template, office export): the user's office id."""
    office_id = user_office_id(user)
    require_role(user, *WORKBOOK_ROLES)
    return office_id


def import_jobs_visible_to(user):
    return ImportJob.objects.filter(office_id=require_workbook_access(user))


def get_import_job_for_user(user, pk, write: bool = False) -> ImportJob:
    """An import of the user's office: 404 for another office's, 403 for roles that may not import."""
    job = get_object_or_404(
        ImportJob.objects.select_related("office", "created_by"), pk=pk, office_id=user_office_id(user)
    )
    require_role(user, *WORKBOOK_ROLES)
    return job
