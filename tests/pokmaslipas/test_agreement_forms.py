"""Admin creates and edits partners and agreements; bad input gets a clear Indonesian error and loses nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pokmaslipas.models import Agreement, Partner
from pokmaslipas.validators import MAX_DOCUMENT_BYTES
from tests.factories import AgreementFactory, PartnerFactory, TrainingTypeFactory
from tests.pokmaslipas.conftest import make_pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(office_a):
    return PartnerFactory(office=office_a, code="LPKKOPI", name="LPK Masyarakat Kopi Indonesia")


def agreement_data(partner, **overrides):
    data = {
        "partner": partner.pk,
        "kind": "PKS",
        "number": "W29.PAS.PAS4-PK.01.05-0420",
        "partner_number": "012/LPK-MKI/IV/2023",
        "title": "Pelatihan barista bagi klien pemasyarakatan",
        "signed_on": "2023-04-10",
        "start_date": "2023-04-10",
        "end_date": "2024-04-09",
        "scope": ["KEMANDIRIAN", "PENDAMPINGAN_USAHA"],
        "bapas_signatory": "Dr. Hendra Wijaya",
        "partner_signatory": "Ketua LPK",
    }
    data.update(overrides)
    return data


def test_admin_registers_partner(login, admin_a, office_a):
    """The partner form, then its training types on the partner page (a form of trainings)."""
    barista = TrainingTypeFactory(office=office_a, name="Barista")
    client = login(admin_a)
    response = client.post(
        reverse("pokmaslipas:partner_create"),
        {
            "code": "parari",
            "name": "PARARI",
            "kind": "MASYARAKAT",
            "offers": ["KEMANDIRIAN", "KEPRIBADIAN"],
            "contact_person": "Bu Ani",
            "email": "parari@example.org",
            "is_active": "on",
        },
    )
    partner = Partner.objects.get(office=office_a, code="PARARI")
    assert response.status_code == 302
    assert response["Location"] == reverse("pokmaslipas:partner_detail", args=[partner.pk])
    assert partner.offers == "KEPRIBADIAN,KEMANDIRIAN"
    assert partner.history.first().history_user == admin_a
    response = client.post(
        reverse("trainings:partner_training_types", args=[partner.pk]), {"training_types": [barista.pk]}
    )
    assert response["Location"] == reverse("pokmaslipas:partner_detail", args=[partner.pk])
    assert list(partner.training_types.all()) == [barista]


def test_duplicate_partner_code_is_refused(login, admin_a, partner, office_b):
    PartnerFactory(office=office_b, code="SAMA")
    client = login(admin_a)
    response = client.post(reverse("pokmaslipas:partner_create"), {"code": "lpkkopi", "name": "Lain", "kind": "LPK"})
    assert response.status_code == 200
    assert "Kode mitra ini sudah dipakai di kantor ini." in response.content.decode()
    assert response.context["form"]["name"].value() == "Lain"  # nothing typed is lost
    # the same code in another office is fine
    assert (
        client.post(reverse("pokmaslipas:partner_create"), {"code": "SAMA", "name": "X", "kind": "LPK"}).status_code
        == 302
    )


def test_admin_edits_partner(login, admin_a, partner):
    response = login(admin_a).post(
        reverse("pokmaslipas:partner_edit", args=[partner.pk]),
        {"code": "LPKKOPI", "name": "LPK Kopi (baru)", "kind": "LPK", "phone": "0812"},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.phone, partner.is_active) == ("LPK Kopi (baru)", "0812", False)


def test_admin_registers_agreement_with_scan(login, admin_a, partner, pdf_upload, private_storage):
    response = login(admin_a).post(
        reverse("pokmaslipas:agreement_create"), agreement_data(partner, document=pdf_upload("scan pks.pdf"))
    )
    agreement = Agreement.objects.get(number="W29.PAS.PAS4-PK.01.05-0420")
    assert response.status_code == 302
    assert agreement.office == partner.office
    assert agreement.scope == "KEMANDIRIAN,PENDAMPINGAN_USAHA"
    assert agreement.document.name.startswith("agreements/")
    assert agreement.document.name.endswith(".pdf")
    assert "scan pks" not in agreement.document.name  # a generated name, not the uploaded one
    assert (private_storage / agreement.document.name).read_bytes().startswith(b"%PDF-")


def test_create_form_preselects_partner(login, admin_a, partner):
    response = login(admin_a).get(reverse("pokmaslipas:agreement_create"), {"partner": partner.pk})
    assert response.context["form"].initial["partner"] == partner


def test_end_before_start_is_refused(login, admin_a, partner):
    response = login(admin_a).post(
        reverse("pokmaslipas:agreement_create"), agreement_data(partner, start_date="2024-01-10", end_date="2024-01-09")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["Tanggal berakhir tidak boleh sebelum tanggal mulai."]
    assert response.context["form"]["title"].value() == "Pelatihan barista bagi klien pemasyarakatan"
    assert not Agreement.objects.exists()


def test_duplicate_agreement_number_is_refused(login, admin_a, partner):
    AgreementFactory(partner=partner, number="W29.PAS.PAS4-PK.01.05-0420")
    response = login(admin_a).post(
        reverse("pokmaslipas:agreement_create"), agreement_data(partner, number="w29.pas.pas4-pk.01.05-0420")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == ["Perjanjian dengan nomor ini sudah ada."]
    assert Agreement.objects.count() == 1


def test_partner_of_another_office_cannot_be_chosen(login, admin_a, office_b):
    foreign = PartnerFactory(office=office_b)
    PartnerFactory(office=admin_a.office)
    response = login(admin_a).post(reverse("pokmaslipas:agreement_create"), agreement_data(foreign))
    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    assert not Agreement.objects.exists()


def test_create_without_partners_shows_how_to_start(login, admin_a):
    body = login(admin_a).get(reverse("pokmaslipas:agreement_create")).content.decode()
    assert reverse("pokmaslipas:partner_create") in body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pks.pdf", b"", "Berkas kosong"),
        ("pks.pdf", b"GIF89a fake image with a pdf name %%EOF", "bukan dokumen PDF"),
        ("pks.pdf", b"%PDF-1.7\n1 0 obj << >> endobj\n", "bukan dokumen PDF"),  # truncated: no %%EOF
        ("pks.docx", b"PK\x03\x04 word document", "bukan dokumen PDF"),
    ],
)
def test_upload_rules(login, admin_a, partner, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = login(admin_a).post(reverse("pokmaslipas:agreement_create"), agreement_data(partner, document=upload))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("document", []))
    if content == b"":
        # Django refuses an empty upload before our validator; either way the message is Indonesian.
        assert "kosong" in errors
    else:
        assert message in errors
    assert not Agreement.objects.exists()


def test_upload_over_10_mb_is_refused(login, admin_a, partner, pdf_bytes):
    big = pdf_bytes[:-6] + b" " * (MAX_DOCUMENT_BYTES + 1 - len(pdf_bytes)) + b"%%EOF\n"
    assert len(big) > MAX_DOCUMENT_BYTES
    upload = SimpleUploadedFile("besar.pdf", big, content_type="application/pdf")
    response = login(admin_a).post(reverse("pokmaslipas:agreement_create"), agreement_data(partner, document=upload))
    assert response.status_code == 200
    assert "terlalu besar" in " ".join(response.context["form"].errors["document"])
    assert not Agreement.objects.exists()


def test_upload_of_exactly_10_mb_is_accepted(pdf_bytes):
    from pokmaslipas.validators import validate_pdf

    body = pdf_bytes[:-6] + b" " * (MAX_DOCUMENT_BYTES - len(pdf_bytes)) + b"%%EOF\n"
    assert len(body) == MAX_DOCUMENT_BYTES
    validate_pdf(SimpleUploadedFile("ok.pdf", body))


def test_replacing_scan_keeps_previous_file_in_history(login, admin_a, partner, pdf_upload, private_storage):
    client = login(admin_a)
    client.post(reverse("pokmaslipas:agreement_create"), agreement_data(partner, document=pdf_upload("a.pdf")))
    agreement = Agreement.objects.get()
    first_name = agreement.document.name
    response = client.post(
        reverse("pokmaslipas:agreement_edit", args=[agreement.pk]),
        {**agreement_data(partner), "document": pdf_upload("a.pdf", content=make_pdf_bytes(2))},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.document.name != first_name
    assert (private_storage / first_name).exists()  # the old scan is kept
    history_names = {row.document for row in agreement.history.all()}
    assert {first_name, agreement.document.name} <= history_names
    # the old version is still served from the history
    old_row = agreement.history.filter(document=first_name).first()
    old = client.get(reverse("pokmaslipas:agreement_document", args=[agreement.pk]), {"version": old_row.history_id})
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == (private_storage / first_name).read_bytes()
    current = client.get(reverse("pokmaslipas:agreement_document", args=[agreement.pk]))
    assert b"/Count 2" in b"".join(current.streaming_content)  # the second version: two pages
    detail = client.get(reverse("pokmaslipas:agreement_detail", args=[agreement.pk])).content.decode()
    assert f"?version={old_row.history_id}" in detail


def test_editing_without_new_file_keeps_the_scan(login, admin_a, partner, pdf_upload):
    client = login(admin_a)
    client.post(reverse("pokmaslipas:agreement_create"), agreement_data(partner, document=pdf_upload()))
    agreement = Agreement.objects.get()
    name = agreement.document.name
    client.post(reverse("pokmaslipas:agreement_edit", args=[agreement.pk]), agreement_data(partner, title="Judul baru"))
    agreement.refresh_from_db()
    assert (agreement.title, agreement.document.name) == ("Judul baru", name)
    assert agreement.start_date == dt.date(2023, 4, 10)
