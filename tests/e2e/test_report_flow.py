"""The Kasi BKD's reports: the implementation report of a year on screen, as PDF and as XLSX, and the
year's participation PDF straight from the dashboard."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.e2e

PARTICIPATION_PDF_LIMIT = 2


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def cells(content):
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def test_kasi_filters_the_implementation_report_by_year_and_downloads_pdf_and_xlsx(app):
    page = app.login("kasi.tng")
    expect(page.get_by_role("heading", name="Dasbor kantor")).to_be_visible()
    page.get_by_role("link", name="Laporan").last.click()
    page.get_by_role("link", name="Tingkat implementasi pelatihan").click()
    page.locator("#id_period").select_option("year")
    page.locator("#id_year").fill("2023")
    page.get_by_role("button", name="Tampilkan").click()

    expect(page).to_have_url(re.compile(r"year=2023"))
    expect(page.locator("main")).to_contain_text("1 Januari – 31 Desember 2023")
    totals = page.locator("table[data-table=totals] tbody tr").first.locator("td").all_inner_texts()
    participants, followed_up, implemented = (int(t.replace(".", "")) for t in totals[:3])
    assert participants == 110  # the Tangerang paper: six trainings with 110 participants in 2023
    assert 0 < implemented < followed_up <= participants

    filename, content = app.download(page.locator("a[data-format=pdf]"))
    assert filename.endswith(".pdf")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "tingkat implementasi" in text.lower()
    assert "1 Januari 2023 sampai 31 Desember 2023" in text
    for figure in (participants, followed_up, implemented):
        assert re.search(rf"\b{figure}\b", text), f"{figure} missing from the PDF"

    filename, content = app.download(page.locator("a[data-format=xlsx]"))
    assert filename.endswith(".xlsx")
    sheets = cells(content)
    rows = [row for rows in sheets.values() for row in rows]
    assert any(row[:3] == [participants, followed_up, implemented] for row in rows), (
        f"totals {participants}/{followed_up}/{implemented} not in the workbook"
    )


def test_annual_participation_pdf_from_the_dashboard_in_two_interactions(app):
    page = app.login("kasi.tng")
    expect(page.get_by_role("heading", name="Dasbor kantor")).to_be_visible()
    link = page.locator("#participation-pdf")
    year = re.search(r"\d{4}", link.inner_text()).group(0)
    filename, content = app.download(link)
    assert app.interactions <= PARTICIPATION_PDF_LIMIT, f"the participation PDF cost {app.interactions}"
    assert filename.endswith(".pdf")
    text = pdf_text(content)
    assert "rekap partisipasi pelatihan" in text.lower()
    assert f"1 Januari {year} sampai 31 Desember {year}" in text
    # The PDF's sessions are the dashboard's "Trainings in <year>" figure.
    sentence = link.locator("xpath=preceding-sibling::p").inner_text()  # "Trainings in 2026: 3 (last year 6)."
    sessions = int(re.search(rf"{year}\D{{0,3}}(\d+)", sentence).group(1))
    assert re.search(rf"^{year} {sessions} ", text, re.MULTILINE), f"{year}: {sessions} sessions not in the PDF"
