"""Running a confirmed import job, the same way in a request and in the task worker."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workbook.importer import ImportResult, import_workbook
from workbook.models import ImportJob
from workbook.reader import read_workbook

logger = logging.getLogger(__name__)


def import_job_execute(job_id: int) -> dict:
    """Run a confirmed import (in a request or in the task worker); returns the result as a dict."""
    job = ImportJob.objects.select_related("office", "created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job.result
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    job.write_progress(0, job.row_count)
    try:
        with job.file.open("rb") as handle:
            data = read_workbook(handle, size=job.size or None)
        result = import_workbook(
            data,
            office=job.office,
            user=job.created_by,
            filename=job.filename,
            dry_run=False,
            progress=job.write_progress,
            ip_address=job.ip_address,
        )
    except Exception:
        logger.exception("import job %s failed", job.pk)
        result = ImportResult(
            filename=job.filename, dry_run=False, issues=[_("The import failed unexpectedly; nothing was written.")]
        )
    with transaction.atomic():
        job.result = result.as_dict()
        job.status = ImportJob.Status.DONE if result.applied else ImportJob.Status.FAILED
        job.finished_at = timezone.now()
        job.delete_file()
        job.save(update_fields=["result", "status", "finished_at", "file"])
    job.clear_progress()
    return job.result
