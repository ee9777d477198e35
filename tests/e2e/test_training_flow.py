"""The Kasubsi Bimker's training day: plan a session under a valid PKS, enrol suggested clients, take the
day's attendance of 20 participants with 2 absent, issue and print the certificates."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.e2e

ATTENDANCE_LIMIT = 4  # open the day, mark two absent, save
PARTNER = "LPK Masyarakat Kopi Indonesia"  # its agreements of the demo run from this year into the next


def test_kasubsi_plans_enrols_takes_attendance_and_prints_certificates(app):
    page = app.login("kasubsi.tng")
    today = page.evaluate("new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Jakarta'})")  # YYYY-MM-DD

    # Plan a one-day session today under a valid agreement of the partner.
    page.goto(app.url("/pelatihan/baru/"))
    page.locator("#id_title").fill("Barista Lanjutan E2E")
    page.locator("#id_training_type").select_option(label="Barista")
    page.locator("#id_method").select_option("PRAKTIK")
    page.locator("#id_partner").select_option(label=PARTNER)
    agreement = page.locator("#id_agreement option", has_text=f"({PARTNER})").first.get_attribute("value")
    page.locator("#id_agreement").select_option(agreement)
    page.locator("#id_start_date").fill(today)
    page.locator("#id_end_date").fill(today)
    page.locator("#id_transport_per_day").fill("50000")
    page.locator("form input[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Barista Lanjutan E2E")
    session_url = page.url
    expect(page.locator(".alert-warning")).to_have_count(0)  # the agreement is valid on the training dates

    # Enrol twenty of the suggested clients.
    page.get_by_role("link", name="Usulan peserta").click()
    boxes = page.locator("input.js-check-row")
    assert boxes.count() >= 20, f"only {boxes.count()} suggested clients"
    names = []
    for i in range(20):
        boxes.nth(i).check()
        names.append(page.locator(f"label[for='{boxes.nth(i).get_attribute('id')}']").inner_text())
    page.get_by_role("button", name="Daftarkan klien yang dipilih").click()
    expect(page.locator("#stat-enrolled")).to_contain_text("20")

    # The day's attendance: everyone is present unless marked otherwise.
    app.interactions = 0
    app.click(page.get_by_role("link", name="Catat kehadiran"))
    expect(page).to_have_url(re.compile(rf"/kehadiran/{today}/$"))
    rows = page.locator("table.attendance-table tbody tr")
    expect(rows).to_have_count(20)
    absent = [names[3], names[11]]
    for name in absent:
        app.click(page.get_by_role("group", name=name).get_by_text("Tidak hadir", exact=True))
    app.click(page.get_by_role("button", name="Simpan kehadiran").last)
    assert app.interactions <= ATTENDANCE_LIMIT, f"attendance cost {app.interactions} interactions"
    assert app.interactions == 4

    expect(page).to_have_url(session_url)
    expect(page.locator("#stat-participants")).to_have_text("18")
    expect(page.get_by_role("link", name="18 dari 20 hadir")).to_be_visible()

    # Certificates for the 18 present, then the printable PDF.
    page.get_by_role("button", name="Terbitkan 18 sertifikat").click()
    expect(page.locator(".messages")).to_contain_text("18")
    headers, content = app.open_file(page.get_by_role("link", name="Sertifikat (PDF)"))
    assert headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 18
    for name in names:
        if name in absent:
            assert name not in text
        else:
            assert name in text
    assert "Barista Lanjutan E2E" in text
