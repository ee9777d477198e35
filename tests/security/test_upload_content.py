"""Uploads judged by their content: evidence photos served by what they are, agreement scans parsed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from pokmaslipas.validators import validate_pdf
from tests.factories import FollowUpFactory
from tests.pokmaslipas.conftest import make_pdf_bytes

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def _photo(alice, office_a, name, content):
    from tests.factories import AttendanceFactory, ClientFactory, EnrolmentFactory

    client = ClientFactory(office=office_a, officer=alice)
    enrolment = EnrolmentFactory(session__office=office_a, client=client)
    AttendanceFactory(enrolment=enrolment)
    follow_up = FollowUpFactory(enrolment=enrolment)
    follow_up.photo.save(name, ContentFile(content), save=True)
    return reverse("trainings:followup_photo", args=[follow_up.pk])


def test_a_png_named_pdf_is_served_as_png(storage, login, alice, office_a):
    response = login(alice).get(_photo(alice, office_a, "bukti.pdf", _png()))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert not response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bukti.png", b"<!doctype html><script>alert(1)</script>"),
        ("bukti.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("bukti.pdf", make_pdf_bytes()),
    ],
)
def test_anything_but_an_image_is_an_attachment(storage, login, alice, office_a, name, content):
    response = login(alice).get(_photo(alice, office_a, name, content))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def _pdf_with(extra: dict, *, on_page=False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    target = writer.pages[0] if on_page else writer._root_object
    for key, value in extra.items():
        target[NameObject(key)] = value
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _js_action():
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def _embedded_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("isi.html", b"<script>alert(1)</script>")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


HTML_POLYGLOT = b"%PDF-1.4\n<!doctype html><html><body><script>alert(1)</script></body></html>\n%%EOF\n"
SVG_POLYGLOT = b'%PDF-1.4\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n%%EOF\n'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HTML_POLYGLOT, "bukan dokumen PDF yang sebenarnya"),
        (SVG_POLYGLOT, "bukan dokumen PDF yang sebenarnya"),
        (_pdf_with({"/OpenAction": _js_action()}), "JavaScript"),
        (_pdf_with({"/AA": DictionaryObject({NameObject("/O"): _js_action()})}, on_page=True), "JavaScript"),
        (_embedded_pdf(), "berkas yang disematkan"),
    ],
    ids=["html", "svg", "open-action-js", "page-aa", "embedded-file"],
)
def test_scans_with_polyglots_scripts_or_attachments_are_refused(content, message):
    with pytest.raises(ValidationError) as refused:
        validate_pdf(SimpleUploadedFile("pks.pdf", content))
    assert message in " ".join(refused.value.messages)


def test_a_plain_scan_is_accepted():
    validate_pdf(SimpleUploadedFile("pks.pdf", make_pdf_bytes(3)))
