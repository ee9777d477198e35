import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploaded scans go to a temporary private folder, never to var/private."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def make_pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def pdf_bytes():
    return make_pdf_bytes()


@pytest.fixture
def pdf_upload(pdf_bytes):
    def _upload(name="pks.pdf", content=None):
        return SimpleUploadedFile(name, pdf_bytes if content is None else content, content_type="application/pdf")

    return _upload
