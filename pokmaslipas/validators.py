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
    _check_pdf_content(upload)


# Names that make a PDF run code or carry other files. A scanned agreement needs none of them.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/OpenAction", "/Launch", "/SubmitForm", "/ImportData"}
EMBEDDED_KEYS = {"/EmbeddedFiles", "/EmbeddedFile", "/FileAttachment"}
MAX_OBJECTS = 200_000


def _active_content(reader) -> str | None:
    """ "script" or "embedded" when any object of the document holds such a key, else None."""
    seen: set[int] = set()
    stack = [reader.trailer]
    while stack:
        obj = stack.pop()
        if hasattr(obj, "get_object") and hasattr(obj, "idnum"):
            if obj.idnum in seen or len(seen) > MAX_OBJECTS:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, dict):
            keys = {str(key) for key in obj}
            if keys & EMBEDDED_KEYS or obj.get("/Subtype") == "/FileAttachment":
                return "embedded"
            if keys & ACTIVE_KEYS or obj.get("/S") in ("/JavaScript", "/Launch"):
                return "script"
            stack.extend(obj.values())
        elif isinstance(obj, list):
            stack.extend(obj)
    return None


def _check_pdf_content(upload) -> None:
    """Parse the whole document with pypdf: refuse what does not parse, scripts and embedded files."""
    from pypdf import PdfReader

    not_pdf = ValidationError(
        _("The file is damaged or is not a real PDF document. Scan the agreement again and upload the PDF."),
        code="not_pdf",
    )
    try:
        reader = PdfReader(upload, strict=True)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is protected with a password. Upload the scan without a password."), code="encrypted"
            )
        if len(reader.pages) == 0:
            raise not_pdf
        found = _active_content(reader)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors for broken files
        raise not_pdf from exc
    finally:
        upload.seek(0)
    if found == "script":
        raise ValidationError(
            _("The PDF contains scripts or automatic actions (JavaScript). Upload a plain scan of the agreement."),
            code="pdf_script",
        )
    if found == "embedded":
        raise ValidationError(
            _("The PDF contains embedded files. Upload a plain scan of the agreement without attachments."),
            code="pdf_embedded",
        )
