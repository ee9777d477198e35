"""Writes of the reports app: asking for a background file, retrying it, cleaning up expired ones."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import GeneratedFile

logger = logging.getLogger(__name__)


@transaction.atomic
def generated_file_request(*, user, kind: str, params: dict, title: str = "", office=None) -> GeneratedFile:
    """Store the request and enqueue the task that renders it (queue "reports")."""
    from reports.tasks import generate_file

    generated = GeneratedFile(user=user, kind=kind, params=params, title=title[:200], office=office)
    generated.full_clean()
    generated.save()
    _enqueue(generated, generate_file)
    return generated


def _enqueue(generated: GeneratedFile, task) -> None:
    result = task.enqueue(generated.pk)
    GeneratedFile.objects.filter(pk=generated.pk).update(task_id=str(result.id)[:64])
    generated.task_id = str(result.id)[:64]


@transaction.atomic
def generated_file_retry(*, generated_file: GeneratedFile) -> GeneratedFile:
    """Run a failed request again. Only a failed one: a running one would be rendered twice."""
    from reports.tasks import generate_file

    generated = GeneratedFile.objects.select_for_update().get(pk=generated_file.pk)
    if generated.status != GeneratedFile.Status.FAILED:
        raise ValidationError(_("Only a failed file can be generated again."))
    generated.status = GeneratedFile.Status.PENDING
    generated.progress = 0
    generated.error = ""
    generated.finished_at = None
    generated.save(update_fields=["status", "progress", "error", "finished_at"])
    _enqueue(generated, generate_file)
    return generated


def generated_files_cleanup(*, now=None, dry_run: bool = False) -> int:
    """Delete expired files from storage and their rows. Returns how many were removed."""
    now = now or timezone.now()
    expired = list(GeneratedFile.objects.filter(expires_at__lt=now))
    if dry_run:
        return len(expired)
    for generated in expired:
        if generated.file:
            try:
                generated.file.delete(save=False)
            except OSError:
                logger.exception("Could not delete %s", generated.file.name)
        generated.delete()
    return len(expired)
