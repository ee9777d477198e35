"""Writes of the reports app: asking for a background file, retrying it, handing a stalled one to another
worker, cleaning up expired ones."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
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


def generated_files_requeue_stalled(*, now=None) -> int:
    """Hand the files whose worker stopped (no sign of life for BAPAS_GENERATED_FILE_STALLED_SECONDS) to
    another worker; after GENERATED_FILE_MAX_ATTEMPTS tries, mark them failed. Returns how many moved.

    Rendering is repeatable (the same request gives the same file), so a worker that was only slow
    and finishes after all does no harm.
    """
    from reports.tasks import generate_file

    now = now or timezone.now()
    stalled = Q(status=GeneratedFile.Status.RUNNING) & (
        Q(heartbeat_at__lt=now - timedelta(seconds=settings.GENERATED_FILE_STALLED_SECONDS))
        | Q(heartbeat_at__isnull=True, created_at__lt=now - timedelta(seconds=settings.GENERATED_FILE_STALLED_SECONDS))
    )
    moved = 0
    for pk in list(GeneratedFile.objects.filter(stalled).values_list("pk", flat=True)[:100]):
        with transaction.atomic():
            generated = GeneratedFile.objects.select_for_update().filter(stalled, pk=pk).first()
            if generated is None:
                continue  # finished, or handed on by another request meanwhile
            if generated.attempts >= settings.GENERATED_FILE_MAX_ATTEMPTS:
                with translation.override(generated.params.get("language", "id")):
                    generated.error = _(
                        "The worker making this file stopped %(count)s times; try again later or tell the administrator."
                    ) % {"count": generated.attempts}
                generated.status = GeneratedFile.Status.FAILED
                generated.finished_at = now
                generated.save(update_fields=["status", "error", "finished_at"])
            else:
                generated.status = GeneratedFile.Status.PENDING
                generated.progress = 0
                generated.heartbeat_at = None
                generated.save(update_fields=["status", "progress", "heartbeat_at"])
                _enqueue(generated, generate_file)
            moved += 1
    return moved


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
