"""Import (upload, preview, confirm, progress) and export (whole office, single lists) of workbooks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bapas.access import log_access
from bapas.history import client_ip
from bapas.replica import replica_reads
from workbook import exporter, lists, services
from workbook.access import get_import_job_for_user, import_jobs_visible_to, require_workbook_access
from workbook.forms import UploadForm
from workbook.importer import ImportResult
from workbook.models import BACKGROUND_ROWS, ImportJob
from workbook.reader import MAX_UPLOAD_BYTES, mb

RECENT_JOBS = 10


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=exporter.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _upload_page(request, form, status=200, error=""):
    jobs = import_jobs_visible_to(request.user).select_related("created_by")[:RECENT_JOBS]
    return render(
        request,
        "workbook/import_upload.html",
        {"form": form, "jobs": jobs, "background_rows": BACKGROUND_ROWS, "upload_error": error},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require_workbook_access(request.user)
    if request.method == "GET":
        return _upload_page(request, UploadForm())
    # Refuse an oversized upload before reading its body.
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_UPLOAD_BYTES + 64 * 1024:
        error = _("The file is too large (%(size)s MB; at most %(max)s MB).") % {
            "size": mb(length),
            "max": mb(MAX_UPLOAD_BYTES),
        }
        return _upload_page(request, UploadForm(), status=400, error=error)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    try:
        job = services.import_job_create(
            office=request.user.office,
            user=request.user,
            upload=form.cleaned_data["file"],
            ip_address=client_ip(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("file", message)
        return _upload_page(request, form, status=400)
    return redirect("workbook:import_preview", pk=job.pk)


@require_http_methods(["GET"])
def import_template(request):
    require_workbook_access(request.user)
    return xlsx_response("template-impor-bapas.xlsx", exporter.template_workbook())


@require_http_methods(["GET"])
def import_preview(request, pk):
    job = get_import_job_for_user(request.user, pk)
    if job.status not in ImportJob.OPEN and job.status != ImportJob.Status.EXPIRED:
        return redirect("workbook:import_status", pk=job.pk)
    return render(
        request,
        "workbook/import_preview.html",
        {"job": job, "result": ImportResult.from_dict(job.preview), "background_rows": BACKGROUND_ROWS},
    )


@require_http_methods(["POST"])
def import_confirm(request, pk):
    job = get_import_job_for_user(request.user, pk, write=True)
    try:
        job = services.import_job_confirm(job=job, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("workbook:import_preview", pk=job.pk)
    if job.status == ImportJob.Status.DONE:
        messages.success(request, _("The workbook %(name)s was imported.") % {"name": job.filename})
    elif job.status == ImportJob.Status.FAILED:
        messages.error(request, _("The import failed; nothing was written."))
    return redirect("workbook:import_status", pk=job.pk)


def _progress(job: ImportJob) -> dict:
    progress = job.read_progress() if job.status in ImportJob.ACTIVE else {}
    finished = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED, ImportJob.Status.EXPIRED)
    total = progress.get("total") or job.row_count
    done = total if finished else min(progress.get("done", 0), total)
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else (100 if finished else 0),
        "finished": finished,
    }


@require_http_methods(["GET"])
def import_status(request, pk):
    job = get_import_job_for_user(request.user, pk)
    if job.status in ImportJob.OPEN:
        return redirect("workbook:import_preview", pk=job.pk)
    result = ImportResult.from_dict(job.result) if job.result else None
    return render(request, "workbook/import_status.html", {"job": job, "result": result, "progress": _progress(job)})


@require_http_methods(["GET"])
def import_progress(request, pk):
    job = get_import_job_for_user(request.user, pk)
    return JsonResponse(_progress(job))


@require_http_methods(["GET"])
@replica_reads
def export_office(request):
    require_workbook_access(request.user)
    office = request.user.office
    content = exporter.office_workbook(office)
    log_access(request, "workbook_export", object_type="bapas.Office", object_id=office.pk, detail="office workbook")
    stamp = timezone.localdate().isoformat()
    return xlsx_response(f"bapas-{office.code}-{stamp}.xlsx", content)


@require_http_methods(["GET"])
@replica_reads
def export_list(request, kind):
    filename, content = lists.export_list(request, kind)
    if lists.is_client_list(kind):
        log_access(request, "list_export", object_type="workbook", object_id=kind, detail=request.GET.urlencode())
    return xlsx_response(filename, content)
