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

from reports.models import GeneratedFile, MonthlyReturn

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


# --- the monthly return: review, sign-off, correction ----------------------------------------------


def _month_is_over(office, first) -> None:
    from reports.monthly import month_bounds
    from reports.periods import office_today

    if office_today(office) <= month_bounds(first)[1]:
        raise ValidationError(_("The month is not over yet: its return can be reviewed and signed from the 1st."))


@transaction.atomic
def monthly_return_review(*, office, month, user) -> MonthlyReturn:
    """The Kasi BKD has checked the draft: the current revision (the first one is made now) records it."""
    from reports.monthly import current_revision

    _month_is_over(office, month)
    current = current_revision(office, month)
    if current is not None and current.is_signed:
        raise ValidationError(_("This return is signed. Start a correction to change it."))
    if current is None:
        current = MonthlyReturn(office=office, month=month, revision=1)
    current.reviewed_by = user
    current.reviewed_at = timezone.now()
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def monthly_return_sign(*, office, month, user, base_url: str | None = None) -> MonthlyReturn:
    """The Kepala Bapas signs the reviewed draft: its figures and PDF are frozen from now on."""
    from django.core.files.base import ContentFile

    from reports.exports import render
    from reports.monthly import current_revision, monthly_dataset

    _month_is_over(office, month)
    current = current_revision(office, month)
    if current is None or current.is_signed or current.reviewed_by_id is None:
        raise ValidationError(_("Only a draft reviewed by the Kasi BKD can be signed."))
    current = MonthlyReturn.objects.select_for_update().get(pk=current.pk)
    now = timezone.now()
    data = monthly_dataset(office, month)
    data.update(state=MonthlyReturn.State.SIGNED.value, revision=current.revision, signed_by=user.username,
                signed_by_name=user.get_full_name() or user.username, signed_at=now.isoformat(),
                reason=current.reason or None)  # fmt: skip
    current.state = MonthlyReturn.State.SIGNED
    current.signed_by = user
    current.signed_at = now
    current.data = data
    pdf = render(data, "pdf", office=office, base_url=base_url)
    current.pdf.save(f"laporan-bulanan-{office.code.lower()}-{data['month']}-r{current.revision}.pdf",
                     ContentFile(pdf), save=False)  # fmt: skip
    current.save()
    return current


@transaction.atomic
def monthly_return_correct(*, office, month, user, reason: str) -> MonthlyReturn:
    """A signed return needs a correction: a new draft revision with the reason; the signed one stays."""
    from reports.monthly import current_revision

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction."))
    current = current_revision(office, month)
    if current is None or not current.is_signed:
        raise ValidationError(_("Only a signed return can be corrected; change the draft instead."))
    correction = MonthlyReturn(office=office, month=month, revision=current.revision + 1, reason=reason[:500])
    correction.full_clean()
    correction.save()
    return correction
