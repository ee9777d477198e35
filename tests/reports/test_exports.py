"""The four formats print the same numbers, from one dataset."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.charts import Series, svg_chart
from reports.datasets import implementation_dataset, participation_dataset
from reports.exports import render
from reports.pdf import report_number
from reports.tables import report_tables
from tests.reports.conftest import PERIOD

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def csv_rows(content: bytes) -> list[dict]:
    """The CSV read back as a program would: one header row, then records."""
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_four_formats_agree_on_participation(world, office_a, kasi_a):
    data = participation_dataset(office=office_a, **PERIOD)
    tables = {t.key: t for t in report_tables(data)}
    as_json = json.loads(render(data, "json"))
    assert as_json["totals"] == data["totals"]

    # CSV: one tidy table for programs, the sessions by default, any other list of the JSON on request.
    sessions = csv_rows(render(data, "csv"))
    assert [r["code"] for r in sessions] == ["PLT-S1", "PLT-S2"]
    assert list(sessions[0]) == list(data["sessions"][0])  # the header is the JSON keys
    assert sum(int(r["participants"]) for r in sessions) == 4
    by_year = csv_rows(render(data, "csv", table="by_year"))
    assert [int(r["participants"]) for r in by_year] == [y["participants"] for y in data["by_year"]]

    wb = load_workbook(io.BytesIO(render(data, "xlsx")))
    sheet = next(ws for ws in wb.worksheets if ws["A1"].value == tables["totals"].columns[0].label)
    assert [c.value for c in sheet[2]][:7] == [2, 5, 4, 3, 0.7778, 4_900_000, 475_000]
    sessions_sheet = next(ws for ws in wb.worksheets if ws["A1"].value == tables["sessions"].columns[0].label)
    assert [sessions_sheet.cell(row=r, column=1).value for r in (2, 3)] == ["PLT-S1", "PLT-S2"]

    text = pdf_text(render(data, "pdf", office=office_a))
    assert "PLT-S1" in text and "PLT-S2" in text and "Mitra Salon Cantik" in text
    assert "77,8%" in text  # attendance rate, as CSV 0.7778 and XLSX 0.7778
    assert "4.900.000" in text and "475.000" in text
    assert "Halaman 1 dari" in text
    assert report_number(data) in text


def test_pdf_letterhead_signature_and_date(world, office_a, kasi_a):
    office_a.head_name = "Dr. Hendra Wijaya, S.H."
    office_a.head_nip = "197503122000031001"
    office_a.save()
    data = implementation_dataset(office=office_a, **PERIOD)
    import datetime as dt

    text = pdf_text(render(data, "pdf", office=office_a, printed_on=dt.date(2023, 10, 20)))
    assert "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN" in text
    assert "DIREKTORAT JENDERAL PEMASYARAKATAN" in text
    assert office_a.regional_office_name in text and "BAPAS KELAS I TANGERANG" in text
    assert "20 Oktober 2023" in text
    assert "Dr. Hendra Wijaya, S.H." in text and "197503122000031001" in text
    assert "Wilson" in text  # the formula under the table
    kasi_text = pdf_text(render(data, "pdf", office=office_a, signer="kasi"))
    assert "Karin Kasi" in kasi_text and kasi_a.nip in kasi_text


def test_all_offices_pdf_has_regional_letterhead(world):
    data = participation_dataset(**PERIOD)
    text = pdf_text(render(data, "pdf"))
    assert "Rekapitulasi seluruh Bapas" in text or "Recapitulation of all Bapas offices" in text
    assert "NIP" not in text  # no signature block without an office


def test_long_tables_repeat_headers_over_pages(world, office_a):
    from tests.reports.conftest import grow

    grow(office_a, n_sessions=60, per_session=1)
    data = participation_dataset(office=office_a, **PERIOD)
    reader = PdfReader(io.BytesIO(render(data, "pdf", office=office_a)))
    assert len(reader.pages) >= 3
    # The sessions table spans pages; its header row (Kode, Judul ... Hari) is printed on each of them.
    pages_with_header = [p for p in reader.pages if "Kode Judul" in p.extract_text()]
    assert len(pages_with_header) >= 2
    last = reader.pages[-1].extract_text()
    assert f"Halaman {len(reader.pages)} dari {len(reader.pages)}" in last


def test_empty_report_says_so_in_every_format(office_a):
    import datetime as dt

    data = participation_dataset(office=office_a, date_from=dt.date(2010, 1, 1), date_to=dt.date(2010, 12, 31))
    assert json.loads(render(data, "json"))["empty"] is True
    empty_csv = render(data, "csv").decode("utf-8-sig").splitlines()
    assert len(empty_csv) == 1 and "code" in empty_csv[0].split(",")  # only the header: no rows
    wb = load_workbook(io.BytesIO(render(data, "xlsx")))
    assert any("Tidak ada data" in str(c.value) for c in wb.worksheets[0]["A"])
    assert "Tidak ada data" in pdf_text(render(data, "pdf", office=office_a))


def test_svg_chart_uses_presentation_attributes_only():
    bar = svg_chart("bar", ["2022", "2023"], [Series("Sesi", [4, 6]), Series("Peserta", [69, 110])], title="A <b>")
    assert bar.startswith("<svg") and "<rect" in bar and 'fill="#' in bar
    assert "style=" not in bar and "<script" not in bar and "&lt;b&gt;" in bar
    line = svg_chart("line", ["1", "2", "3"], [Series("Rate", [0.5, None, 0.8])], percent=True)
    assert "<circle" in line and "style=" not in line and "100%" in line
    with pytest.raises(ValueError):
        svg_chart("pie", [], [])
