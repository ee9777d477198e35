"""Certificate PDFs parsed back, the QR payload, and the public verification page."""

import io
import re
import urllib.parse

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import AttendanceFactory, EnrolmentFactory
from tests.trainings.conftest import DAY, active_client
from trainings import certificates, services
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db
BASE = "https://bapas.example.go.id/"


@pytest.fixture
def issued(session_a, office_a, alice, kasubsi_a):
    names = ["Wawan Setiawan", "Citra Lestari"]
    enrolments = []
    for name in names:
        enrolment = EnrolmentFactory(session=session_a, client=active_client(office_a, alice, name=name))
        AttendanceFactory(enrolment=enrolment, date=DAY)
        enrolments.append(enrolment)
    absent = EnrolmentFactory(session=session_a, client=active_client(office_a, alice, name="Tono Absen"))
    AttendanceFactory(enrolment=absent, date=DAY, status="TIDAK_HADIR")
    services.certificates_issue_all(session=session_a, user=kasubsi_a)
    return Enrolment.objects.filter(certificate_number__isnull=False).order_by("client__name")


def test_issue_all_numbers_eligible_in_name_order(issued):
    assert [(e.client.name, e.certificate_number) for e in issued] == [
        ("Citra Lestari", "TNG/PLT-0001/2023/001"),
        ("Wawan Setiawan", "TNG/PLT-0001/2023/002"),
    ]


def test_pdf_has_one_page_per_certificate_with_number_and_name(session_a, issued):
    pdf = certificates.render_session_certificates(session_a, BASE)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    for text, enrolment in zip(texts, issued, strict=True):
        assert enrolment.certificate_number in text
        assert enrolment.client.name in text
        assert session_a.title in text
        assert session_a.partner.name in text
    assert "Tono Absen" not in " ".join(texts)


def test_qr_payload_is_the_absolute_verification_url(session_a, issued):
    pages = certificates.certificate_context(session_a, BASE)["pages"]
    first = pages[0]
    expected = "https://bapas.example.go.id/pelatihan/sertifikat/TNG/PLT-0001/2023/001/"
    assert first["url"] == expected
    # The data URI is exactly the QR code segno makes for that URL (same modules, same payload).
    svg = urllib.parse.unquote(first["qr"].split(",", 1)[1])
    reference = segno.make(expected, error="m")
    assert svg == urllib.parse.unquote(reference.svg_data_uri(scale=4, border=2).split(",", 1)[1])
    assert first["qr"] != certificates.qr_data_uri(expected + "x")
    assert reference.mode == "byte" and reference.error == "M"


def test_certificates_pdf_view(login, kasubsi_a, alice, session_a, issued):
    response = login(alice).get(reverse("certificates_pdf", args=[session_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "TNG/PLT-0001/2023/001" in " ".join(text.split())


def test_certificates_pdf_without_certificates_redirects(login, kasubsi_a, session_a):
    response = login(kasubsi_a).get(reverse("certificates_pdf", args=[session_a.pk]))
    assert response.status_code == 302


def test_certificates_issue_view(login, kasubsi_a, alice, participant):
    url = reverse("trainings:certificates_issue", args=[participant.session_id])
    assert login(alice).post(url).status_code == 403
    assert login(kasubsi_a).post(url).status_code == 302
    participant.refresh_from_db()
    assert participant.certificate_number == "TNG/PLT-0001/2023/001"


def test_verify_page_is_public_and_discreet(client, issued):
    enrolment = issued[0]
    response = client.get(reverse("trainings:certificate_verify", args=[enrolment.certificate_number]))
    assert response.status_code == 200
    html = response.content.decode()
    assert enrolment.client.name in html and enrolment.certificate_number in html
    assert enrolment.session.title in html and 'id="verify-result"' in html and "alert-success" in html
    for secret in ("Bapas", "klien", "client", "Tangerang", enrolment.client.register_number, "PK"):
        assert secret.lower() not in re.sub(r"<[^>]+>", " ", html).lower(), secret


def test_verify_unknown_and_withdrawn(client, issued):
    response = client.get(reverse("trainings:certificate_verify", args=["TNG/XXX/2023/999"]))
    assert response.status_code == 404 and "alert-danger" in response.content.decode()
    enrolment = issued[0]
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.CANCELLED)
    response = client.get(reverse("trainings:certificate_verify", args=[enrolment.certificate_number]))
    assert response.status_code == 200 and "alert-danger" in response.content.decode()


def test_data_uri_is_svg():
    uri = certificates.qr_data_uri("https://x.example/")
    assert uri.startswith("data:image/svg+xml")
    assert "<svg" in urllib.parse.unquote(uri)
