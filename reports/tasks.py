"""Background rendering (django-tasks, queue "reports"): large reports and certificate batches.

The worker is ``manage.py db_worker --queue-name reports`` (``make run`` starts one for every queue).
"""

import logging
from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from reports.models import GeneratedFile

logger = logging.getLogger(__name__)


def _progress_setter(pk):
    def set_progress(value: int) -> None:
        GeneratedFile.objects.filter(pk=pk).update(progress=max(0, min(99, int(value))), heartbeat_at=timezone.now())

    return set_progress


def render_report_file(params: dict, progress=None) -> tuple[bytes, str, str]:
    """Render one report from the stored request parameters: (content, file name, content type)."""
    from bapas.models import Office, Region, User
    from reports.access import ReportScope
    from reports.exports import CONTENT_TYPES, filename_for, render
    from reports.scoped import build_dataset

    office = Office.objects.get(code=params["office"]) if params.get("office") else None
    officer = User.objects.get(pk=params["officer"]) if params.get("officer") else None
    region = Region.objects.get(code=params["region"]) if params.get("region") else None
    scope = ReportScope(office=office, officer=officer, personal_data=params.get("personal_data", True), region=region)
    data = build_dataset(
        params["report"],
        scope=scope,
        date_from=date.fromisoformat(params["from"]),
        date_to=date.fromisoformat(params["to"]),
        partner=params.get("partner"),
        training_type=params.get("training_type"),
    )
    if progress:
        progress(20)
    fmt = params["format"]
    kwargs = {"progress": progress}
    if fmt == "pdf":
        kwargs.update(office=office, signer=params.get("signer", "head"), region=region)
    content = render(data, fmt, **kwargs)
    return content, filename_for(data, fmt), CONTENT_TYPES[fmt]


def render_certificates_file(params: dict, progress=None) -> tuple[bytes, str, str]:
    from trainings.certificates import render_session_certificates
    from trainings.models import TrainingSession

    session = TrainingSession.objects.select_related("office").get(pk=params["session"])
    if progress:
        progress(10)
    content = render_session_certificates(session, params.get("base_url") or "", progress=progress)
    return content, f"sertifikat-{session.code}.pdf", "application/pdf"


RENDERERS = {GeneratedFile.Kind.CERTIFICATES: render_certificates_file}


@task(queue_name="reports")
def generate_file(generated_file_id: int) -> str:
    """Render a GeneratedFile, report progress as it goes, store the bytes and mark it ready or failed."""
    generated = GeneratedFile.objects.get(pk=generated_file_id)
    GeneratedFile.objects.filter(pk=generated.pk).update(
        status=GeneratedFile.Status.RUNNING,
        progress=1,
        attempts=generated.attempts + 1,
        error="",
        heartbeat_at=timezone.now(),
    )
    renderer = RENDERERS.get(generated.kind, render_report_file)
    try:
        with translation.override(generated.params.get("language", "id")):
            content, filename, content_type = renderer(generated.params, _progress_setter(generated.pk))
    except Exception as exc:
        logger.exception("Generating file %s (%s) failed", generated.pk, generated.kind)
        with translation.override(generated.params.get("language", "id")):
            message = _("The file could not be made: %(error)s") % {"error": exc}
        GeneratedFile.objects.filter(pk=generated.pk).update(
            status=GeneratedFile.Status.FAILED, error=message[:2000], finished_at=timezone.now()
        )
        raise
    generated.refresh_from_db()
    if generated.file:
        generated.file.delete(save=False)
    generated.file.save(filename, ContentFile(content), save=False)
    generated.filename = filename
    generated.content_type = content_type
    generated.status = GeneratedFile.Status.DONE
    generated.progress = 100
    generated.finished_at = timezone.now()
    generated.expires_at = generated.default_expiry()
    generated.save(
        update_fields=["file", "filename", "content_type", "status", "progress", "finished_at", "expires_at"]
    )
    return generated.file.name
