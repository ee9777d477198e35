"""The admin registers a Pokmaslipas partner with its agreement (PKS) and the scanned PDF; an agreement that
ends soon shows in the expiring list of the admin's home page."""

import datetime as dt
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

pytestmark = pytest.mark.e2e


def scanned_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "PKS Koperasi Sejahtera E2E"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_admin_registers_a_partner_with_an_agreement_and_sees_it_expiring(app):
    page = app.login("admin")
    today = dt.date.fromisoformat(page.evaluate("new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Jakarta'})"))
    page.locator("main a[href='/mitra/daftar/baru/']").click()
    page.locator("#id_code").fill("KSE-E2E")
    page.locator("#id_name").fill("Koperasi Sejahtera E2E")
    page.locator("#id_kind").select_option("SWASTA")
    page.locator("#id_contact_person").fill("Ibu Ratna")
    page.locator("#id_phone").fill("0812-1111-2222")
    page.locator("#id_offers_1").check()  # kemandirian
    page.get_by_role("button", name="Simpan mitra").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Koperasi Sejahtera E2E")
    page.get_by_role("link", name="Perjanjian baru").first.click()
    expect(page.locator("#id_partner option:checked")).to_have_text("Koperasi Sejahtera E2E")
    number = "W29.PAS.PAS4-PK.01.05-999/E2E"
    end = today + dt.timedelta(days=45)
    page.locator("#id_number").fill(number)
    page.locator("#id_signed_on").fill((today - dt.timedelta(days=320)).isoformat())
    page.locator("#id_start_date").fill((today - dt.timedelta(days=320)).isoformat())
    page.locator("#id_end_date").fill(end.isoformat())
    page.locator("#id_scope_1").check()
    page.locator("#id_document").set_input_files(
        files=[{"name": "pks-koperasi.pdf", "mimeType": "application/pdf", "buffer": scanned_pdf()}]
    )
    page.get_by_role("button", name="Simpan perjanjian").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.locator(".messages")).to_contain_text(number)
    document = page.locator("main a[href$='/dokumen/']").first
    expect(document).to_be_visible()
    headers, content = app.open_file(document)
    assert headers["content-type"] == "application/pdf"
    assert PdfReader(io.BytesIO(content)).metadata.title == "PKS Koperasi Sejahtera E2E"

    # The admin's home lists it among the agreements ending within 90 days.
    page.goto(app.url("/"))
    alerts = page.locator("section.pks-alerts")
    row = alerts.locator("tr", has_text=number)
    expect(row).to_be_visible()
    expect(row).to_contain_text("Koperasi Sejahtera E2E")
    expect(row.locator("td.num")).to_have_text("45")
    expect(row).to_have_class("table-warning")
