"""Fit for the office: at a phone's width the lists are stacked cards whose primary button is on screen
without sideways scrolling; documents are one click away (daftar hadir, surat peringatan); the CSV of a
report reads back as one table."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


def on_screen_without_scrolling(app, locator):
    """Inside the phone's width as laid out, with nothing scrolled sideways (page or table)."""
    page = app.page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    locator.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollX") == 0
    assert page.evaluate(
        "(el) => { for (let e = el; e; e = e.parentElement) { if (e.scrollLeft) return false; } return true; }",
        locator.element_handle(),
    )
    box = locator.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    locator.click(trial=True)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def test_phone_worklist_client_list_and_attendance_are_stacked_cards(app):
    app.phone()
    page = app.login("pk1.tng")
    for section in ("#due-today", "#overdue", "#follow-ups"):
        for button in page.locator(f"{section} tbody tr").first.locator("a.btn").all():  # each action in reach
            on_screen_without_scrolling(app, button)
    page.goto(app.url("/klien/"))
    expect(page.locator("main table tbody tr").first).to_be_visible()
    on_screen_without_scrolling(app, page.locator("main table tbody tr").last.locator("a").first)

    page = app.login("kasubsi.tng")
    page.goto(app.url("/pelatihan/"))
    on_screen_without_scrolling(app, page.locator("main table tbody tr").first.locator("a").first)
    page.get_by_role("link", name="Teknik Penyajian Kopi (Barista)").first.click()
    page.locator("a[href*='/kehadiran/']").first.click()
    last = page.locator("table.attendance-table tbody tr").last
    on_screen_without_scrolling(app, last.get_by_text("Tidak hadir", exact=True))
    on_screen_without_scrolling(app, page.get_by_role("button", name="Simpan kehadiran").last)


def test_attendance_sheet_is_linked_from_session_and_attendance_screen(app):
    page = app.login("kasubsi.tng")
    page.goto(app.url("/pelatihan/"))
    page.get_by_role("link", name="Teknik Penyajian Kopi (Barista)").first.click()
    sheet = page.locator("a[data-doc=attendance-sheet]")
    expect(sheet).to_have_text(re.compile("Daftar hadir"))
    page.locator("a[href*='/kehadiran/']").first.click()
    app.click(page.locator("a[data-doc=attendance-sheet]"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Daftar hadir")


def test_warning_letter_right_after_recording_it(app):
    page = app.login("pk1.tng")
    row = page.locator("#overdue tr[data-client]").first
    name = row.locator("td a").first.inner_text()
    row.locator("td a").first.click()
    page.get_by_role("link", name="Terbitkan surat peringatan").first.click()
    page.locator("#id_reason").fill("Tidak datang wajib lapor tiga bulan berturut-turut.")
    page.locator("input[name=missed]").last.check()  # the warning answers the latest missed month
    # Issuing is one action: it records the warning and opens its letter to print.
    with page.expect_response(lambda response: "/laporan/surat-peringatan/" in response.url) as info:
        page.get_by_role("button", name="Terbitkan dan cetak surat").click()
    assert info.value.ok and info.value.headers["content-type"] == "application/pdf"
    content = page.context.request.get(info.value.url).body()
    text = pdf_text(content)
    assert "SURAT PERINGATAN" in text and name in text and "Kepala Bapas" in text
    assert not re.search(r"\b20\d\d-\d\d\b", text)  # periods in words, never ISO months


def test_report_csv_reads_back_as_one_table(app):
    page = app.login("kasi.tng")
    page.goto(app.url("/laporan/participation/?period=year&year=2026"))
    expect(page.locator("select[name=quarter]")).to_be_hidden()  # only the fields of the period kind
    page.locator("a[data-format=csv]").click()
    filename, content = app.download(page.locator("a[data-csv-table=sessions]"))
    assert filename.endswith(".csv") and content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, records = rows[0], rows[1:]
    assert {"code", "title", "start", "participants"} <= set(header)
    assert records and all(len(r) == len(header) for r in records)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[header.index("start")]) for r in records)
