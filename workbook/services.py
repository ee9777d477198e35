"""The life of an uploaded workbook: preview on upload, then confirmation, then the import itself."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from workbook.importer import import_workbook
from workbook.jobs import import_job_execute
from workbook.models import ImportJob, expire_old_jobs
from workbook.reader import read_workbook
from workbook.tasks import run_import_job


def read_upload(upload):
    """Read an uploaded file; file-level problems (not an XLSX, corrupt, too large) raise ValidationError."""
    upload.seek(0)
    data = read_workbook(upload, size=upload.size)
    file_level = [str(issue) for issue in data.issues if not issue.sheet]
    if file_level:
        raise ValidationError(file_level)
    return data


def import_job_create(*, office, user, upload, ip_address=None) -> ImportJob:
    """Store the upload privately and compute its preview (a dry run of the whole import)."""
    expire_old_jobs()
    data = read_upload(upload)  # a workbook with none of the known sheets is refused there too
    filename = (upload.name or "workbook.xlsx").rsplit("/", 1)[-1][:255]
    preview = import_workbook(data, office=office, user=user, filename=filename, dry_run=True, ip_address=ip_address)
    job = ImportJob(
        office=office,
        created_by=user,
        filename=filename,
        size=upload.size or 0,
        row_count=data.row_count,
        preview=preview.as_dict(),
        ip_address=ip_address,
    )
    if preview.ok:
        upload.seek(0)
        job.file.save(f"{timezone.now():%Y%m%d%H%M%S}.xlsx", upload, save=False)
    job.save()
    return job


def import_job_confirm(*, job: ImportJob, user) -> ImportJob:
    """Apply a previewed import: at once for small workbooks, by the task worker for large ones."""
    if job.is_expired:
        raise ValidationError(_("This upload has expired; upload the workbook again."))
    if not job.can_confirm:
        raise ValidationError(_("This import cannot be confirmed (it has errors or was already confirmed)."))
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.QUEUED, confirmed_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("This import was already confirmed."))
    job.refresh_from_db()
    if job.runs_in_background:
        task_result = run_import_job.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(task_result.id)[:64])
    else:
        import_job_execute(job.pk)
    job.refresh_from_db()
    return job
