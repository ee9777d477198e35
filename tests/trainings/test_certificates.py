"""Certificate PDFs parsed back, the QR payload, and the public verification page."""

import io
import re
import urllib.parse

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from clients.models import Client
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


def test_qr_payload_is_the_token_link_on_the_public_address(settings, session_a, issued):
    settings.PUBLIC_URL = "https://bapas.example.go.id"
    pages = certificates.certificate_context(session_a)["pages"]
    first = pages[0]
    token = Enrolment.objects.get(certificate_number=first["number"]).certificate_token
    expected = f"https://bapas.example.go.id/pelatihan/sertifikat/v/{token}/"
    assert first["url"] == expected
    # The data URI is exactly the QR code segno makes for that URL (same modules, same payload).
    svg = urllib.parse.unquote(first["qr"].split(",", 1)[1])
    reference = segno.make(expected, error="m")
    assert svg == urllib.parse.unquote(reference.svg_data_uri(scale=4, border=2).split(",", 1)[1])
    assert first["qr"] != certificates.qr_data_uri(expected + "x")
    assert reference.mode == "byte" and reference.error == "M"


def test_tokens_are_random_and_not_derived_from_the_number(issued):
    tokens = [e.certificate_token for e in issued]
    assert all(token and len(token) >= 43 for token in tokens)  # 32 random bytes, base64url
    assert len(set(tokens)) == len(tokens)
    for enrolment in issued:
        assert enrolment.certificate_number.rsplit("/", 1)[-1] not in enrolment.certificate_token


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


def test_token_page_shows_the_certificate(client, issued):
    enrolment = issued[0]
    response = client.get(reverse("trainings:certificate_verify", args=[enrolment.certificate_token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert enrolment.client.name in html and enrolment.certificate_number in html
    assert enrolment.session.title in html and 'id="verify-result"' in html and "alert-success" in html
    assert enrolment.session.office.name in html and enrolment.session.partner.name in html
    text = re.sub(r"<[^>]+>", " ", html).lower()
    for secret in ("klien", "client", enrolment.client.register_number):
        assert secret.lower() not in text, secret
    assert "no-store" in response["Cache-Control"]


def test_token_page_of_a_child_shows_initials(client, issued):
    enrolment = issued[0]
    Client.objects.filter(pk=enrolment.client_id).update(is_child=True)
    html = client.get(reverse("trainings:certificate_verify", args=[enrolment.certificate_token])).content.decode()
    assert enrolment.client.initials in html and enrolment.client.name not in html


def test_token_page_unknown_and_withdrawn(client, issued):
    response = client.get(reverse("trainings:certificate_verify", args=["x" * 43]))
    assert response.status_code == 404 and "alert-danger" in response.content.decode()
    enrolment = issued[0]
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.CANCELLED)
    response = client.get(reverse("trainings:certificate_verify", args=[enrolment.certificate_token]))
    assert response.status_code == 200 and "alert-danger" in response.content.decode()


@pytest.fixture
def fifty(session_a, office_a, alice, kasubsi_a):
    """A session with 50 certificates, numbers 001-050, holders with recognisable names."""
    for n in range(50):
        enrolment = EnrolmentFactory(
            session=session_a, client=active_client(office_a, alice, name=f"Holder Zuleikha{n:02d}")
        )
        AttendanceFactory(enrolment=enrolment, date=DAY)
    services.certificates_issue_all(session=session_a, user=kasubsi_a)
    return list(Enrolment.objects.filter(session=session_a, certificate_number__isnull=False))


def _no_holder_in(html, enrolments):
    text = html.lower()
    return not any(part.lower() in text for e in enrolments for part in (e.client.name, e.client.initials, "zuleikha"))


def test_walking_the_numbers_signed_out_finds_no_name(client, fifty):
    assert len(fifty) == 50
    for n in range(1, 51):
        number = f"TNG/PLT-0001/2023/{n:03d}"
        for url in (
            reverse("trainings:certificate_check_number", args=[number]),
            reverse("trainings:certificate_check") + "?number=" + urllib.parse.quote(number),
        ):
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert "alert-info" in html and number in html
            assert _no_holder_in(html, fifty), url
    unknown = client.get(reverse("trainings:certificate_check_number", args=["TNG/PLT-0001/2023/051"]))
    assert unknown.status_code == 404 and _no_holder_in(unknown.content.decode(), fifty)


def test_check_by_number_and_name_answers_match_or_no_match(client, issued):
    enrolment = issued[0]
    url = reverse("trainings:certificate_check")
    match = client.post(url, {"number": enrolment.certificate_number, "name": f"  {enrolment.client.name.upper()} "})
    assert match.status_code == 200 and "alert-success" in match.content.decode()
    other = client.post(url, {"number": enrolment.certificate_number, "name": "Budi Santoso"})
    html = other.content.decode()
    assert other.status_code == 200 and "alert-danger" in html
    assert enrolment.client.name not in html and issued[1].client.name not in html
    unknown = client.post(url, {"number": "TNG/XXX/2023/999", "name": "Budi Santoso"})
    assert "alert-danger" in unknown.content.decode()


def test_check_is_rate_limited_per_address(client, settings, issued):
    enrolment = issued[0]
    url = reverse("trainings:certificate_check")
    page = client.get(reverse("trainings:certificate_check_number", args=[enrolment.certificate_number]))
    assert "10" in page.content.decode() and "10 menit" in page.content.decode()
    for _ in range(10):
        response = client.post(url, {"number": enrolment.certificate_number, "name": "Salah"}, REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 200
    refused = client.post(
        url, {"number": enrolment.certificate_number, "name": enrolment.client.name}, REMOTE_ADDR="10.9.9.9"
    )
    assert refused.status_code == 429 and "alert-success" not in refused.content.decode()
    # another address is not affected
    other = client.post(
        url, {"number": enrolment.certificate_number, "name": enrolment.client.name}, REMOTE_ADDR="10.9.9.8"
    )
    assert other.status_code == 200 and "alert-success" in other.content.decode()


def test_old_certificates_get_tokens_when_printed(session_a, issued):
    Enrolment.objects.filter(pk__in=[e.pk for e in issued]).update(certificate_token=None)
    pages = certificates.certificate_context(session_a)["pages"]
    tokens = set(Enrolment.objects.filter(pk__in=[e.pk for e in issued]).values_list("certificate_token", flat=True))
    assert None not in tokens and len(tokens) == 2
    assert {page["url"].rstrip("/").rsplit("/", 1)[-1] for page in pages} == tokens


def test_certificates_pdf_uses_the_public_address_not_the_request_host(login, settings, alice, session_a, issued):
    settings.PUBLIC_URL = "https://bapas.example.go.id"
    settings.ALLOWED_HOSTS = ["*"]
    response = login(alice).get(reverse("certificates_pdf", args=[session_a.pk]), HTTP_HOST="evil.example")
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "evil.example" not in text
    assert "bapas.example.go.id/pelatihan/sertifikat/v/" in text.replace(" ", "")


def test_data_uri_is_svg():
    uri = certificates.qr_data_uri("https://x.example/")
    assert uri.startswith("data:image/svg+xml")
    assert "<svg" in urllib.parse.unquote(uri)
