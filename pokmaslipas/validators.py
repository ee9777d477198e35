"""Checks on uploaded agreement scans: judged by content, never by file name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
EOF_MARKER = b"%%EOF"
TAIL_BYTES = 2048


def validate_pdf(upload) -> None:
    """Non-empty, at most 10 MB, starts with ``%PDF-`` and ends (within its last 2 KB) with ``%%EOF``."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty. Choose the scanned agreement as a PDF file."), code="empty")
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s). The maximum is %(max)s."),
            code="too_large",
            params={"size": filesizeformat(size), "max": filesizeformat(MAX_DOCUMENT_BYTES)},
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(max(0, size - TAIL_BYTES))
    tail = upload.read()
    upload.seek(0)
    if head != PDF_MAGIC or EOF_MARKER not in tail:
        raise ValidationError(
            _("The file is not a valid PDF document. Upload the scanned agreement as a PDF."), code="not_pdf"
        )
