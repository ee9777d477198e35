"""The main flows at a phone's size (390x844, a PK at a home visit): no page scrolls sideways and every
action can be reached (the navigation opens from its toggler; buttons are on screen and clickable)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


def assert_reachable(locator):
    """On screen after scrolling, inside the phone's width, and clickable (not covered, enabled)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    assert box["x"] >= -1 and box["x"] + box["width"] <= PHONE["width"] + 1, f"{locator} sticks out: {box}"
    locator.click(trial=True)


def open_nav(app, name):
    link = app.nav_link(name)
    assert_reachable(link)
    link.click()


def test_phone_pk_wajib_lapor_and_client_search(app):
    app.phone()
    page = app.login("pk1.tng")
    app.assert_no_horizontal_overflow()
    expect(page.locator("#mainnav")).not_to_be_visible()  # collapsed behind the toggler

    row = page.locator("#overdue tr[data-client]").first
    client_id = row.get_attribute("data-client")
    button = row.get_by_role("link", name="Catat wajib lapor")
    assert_reachable(button)
    app.click(button)
    app.assert_no_horizontal_overflow()
    app.type(page.get_by_label("Catatan bimbingan"), "Kunjungan rumah; dicatat dari ponsel.")
    save = page.get_by_role("button", name="Simpan")
    assert_reachable(save)
    app.click(save)
    assert app.interactions <= 3
    expect(page).to_have_url(app.url("/"))
    expect(page.locator(f"#overdue tr[data-client='{client_id}']")).to_have_count(0)
    app.assert_no_horizontal_overflow()

    open_nav(app, "clients:list")
    app.assert_no_horizontal_overflow()
    page.get_by_label("Cari").fill("maul")
    search = page.locator("form[role=search]").get_by_role("button", name="Cari")
    assert_reachable(search)
    search.click()
    app.assert_no_horizontal_overflow()
    link = page.locator("main table tbody tr a").first
    assert_reachable(link)
    link.click()
    expect(page).to_have_url(re.compile(r"/klien/\d+/$"))
    app.assert_no_horizontal_overflow()
    assert_reachable(page.get_by_role("link", name="Catat wajib lapor").first)


def test_phone_kasubsi_attendance(app):
    app.phone()
    page = app.login("kasubsi.tng")
    app.assert_no_horizontal_overflow()
    open_nav(app, "trainings:session_list")
    app.assert_no_horizontal_overflow()
    page.get_by_role("link", name="Teknik Penyajian Kopi (Barista)").first.click()
    app.assert_no_horizontal_overflow()
    day = page.locator("a[href*='/kehadiran/']").first
    assert_reachable(day)
    day.click()
    expect(page.locator("table.attendance-table tbody tr")).to_have_count(20)
    app.assert_no_horizontal_overflow()
    last_row = page.locator("table.attendance-table tbody tr").last
    assert_reachable(last_row.get_by_text("Tidak hadir", exact=True))
    assert_reachable(page.get_by_role("button", name="Simpan kehadiran").last)


def test_phone_kasi_dashboard_and_reports(app):
    app.phone()
    page = app.login("kasi.tng")
    app.assert_no_horizontal_overflow()
    pdf = page.locator("#participation-pdf")
    assert_reachable(pdf)
    filename, content = app.download(pdf)
    assert filename.endswith(".pdf") and content.startswith(b"%PDF")

    open_nav(app, "reports:index")
    app.assert_no_horizontal_overflow()
    page.get_by_role("link", name="Tingkat implementasi pelatihan").click()
    app.assert_no_horizontal_overflow()
    assert_reachable(page.get_by_role("button", name="Tampilkan"))
    for fmt in ("pdf", "xlsx"):
        assert_reachable(page.locator(f"a[data-format={fmt}]"))


def test_phone_admin_partners_and_import(app):
    app.phone()
    page = app.login("admin")
    app.assert_no_horizontal_overflow()
    open_nav(app, "pokmaslipas:partner_list")
    app.assert_no_horizontal_overflow()
    page.goto(app.url("/mitra/daftar/baru/"))
    app.assert_no_horizontal_overflow()
    assert_reachable(page.get_by_role("button", name="Simpan mitra"))
    page.goto(app.url("/mitra/pks/baru/"))
    app.assert_no_horizontal_overflow()
    assert_reachable(page.locator("#id_document"))
    assert_reachable(page.get_by_role("button", name="Simpan perjanjian"))
    open_nav(app, "workbook:import_upload")
    app.assert_no_horizontal_overflow()
    assert_reachable(page.get_by_role("button", name="Unggah dan lihat pratinjau"))
