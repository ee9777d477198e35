"""Reports for people speak Indonesian: the agreements report's headers and statuses on the page, in the
PDF and the XLSX; the CSV stays the machine table of the JSON keys. Charts rank only rates with data."""

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pokmaslipas.datasets import agreements_dataset
from reports.charts import MIN_FOLLOWED_UP, rate_ranking, svg_bars
from reports.exports import render, report_tables
from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db

ENGLISH = ("Agreements", "Active", "Expiring", "Expired", "Terminated", "Partner code", "Partner number",
           "Signed on", "Terminated on", "Renews", "Overlaps period", "ACTIVE", "EXPIRED")  # fmt: skip


@pytest.fixture
def agreements(office_a):
    import datetime as dt

    partner = PartnerFactory(office=office_a, name="LPK Masyarakat Kopi Indonesia")
    AgreementFactory(partner=partner, start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 12, 31))
    AgreementFactory(partner=partner, start_date=dt.date(2023, 1, 1), end_date=dt.date(2030, 12, 31))
    return agreements_dataset(office=office_a, date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31))


def test_agreements_page_pdf_and_xlsx_in_indonesian(login, kasi_a, agreements, office_a):
    html = login(kasi_a).get("/laporan/agreements/", {"period": "year", "year": "2023"}).content.decode()
    tables = {t.key: t for t in report_tables(agreements)}
    labels = [c.label for c in tables["agreements"].columns] + [c.label for c in tables["totals"].columns]
    assert "Mitra" in labels and "Aktif" in labels and "Kedaluwarsa" in labels
    for word in ENGLISH:
        assert word not in labels
        assert f">{word}<" not in html
    assert "Masa: 2023" not in html and "1 Januari – 31 Desember 2023" in html

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render(agreements, "pdf"))).pages)
    assert "Kedaluwarsa" in text and "Aktif" in text and "EXPIRED" not in text and "ACTIVE" not in text
    assert "Perjanjian" in text and "Agreements" not in text

    book = load_workbook(io.BytesIO(render(agreements, "xlsx")))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Kedaluwarsa" in cells and "Ya" in cells and "Tidak" in cells
    assert not set(ENGLISH) & set(cells) and "True" not in cells and "False" not in cells


def test_agreements_csv_is_the_machine_table(agreements):
    content = render(agreements, "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r["status"] for r in rows] == ["EXPIRED", "ACTIVE"]  # the contract's codes, ISO dates
    assert rows[0]["start"] == "2022-01-01" and list(rows[0]) == list(agreements["agreements"][0])


def test_rates_with_too_few_followed_up_are_hatched_and_never_on_top():
    rows = [
        {"training_type": "Pembuatan Seblak", "rate": 1.0, "followed_up": 3},
        {"training_type": "Make-Up Artis", "rate": 0.33, "followed_up": 15},
        {"training_type": "Barista", "rate": 0.0, "followed_up": 40},
        {"training_type": "Pijat Refleksi", "rate": None, "followed_up": 0},
    ]
    bars = rate_ranking(rows, "training_type")
    assert [b.label for b in bars] == ["Make-Up Artis", "Barista", "Pembuatan Seblak", "Pijat Refleksi"]
    assert [b.weak for b in bars] == [False, False, True, True]
    assert MIN_FOLLOWED_UP == 10
    svg = str(svg_bars(bars, title="Tingkat implementasi", percent=True))
    assert "Pembuatan Seblak" in svg and "Sebl…" not in svg  # whole labels, wrapped by words
    assert svg.count("url(#hatch-") == 2 and "n=3" in svg and "n=40" in svg


def test_compliance_chart_months_in_words():
    from django.utils import translation

    from reports.charts import charts_for

    data = {"report": "compliance", "by_month": [{"month": "2026-01", "rate": 0.5}, {"month": "2026-10", "rate": 1}]}
    with translation.override("id"):
        svg = str(charts_for(data)[0])
    assert "Jan 26" in svg and "Okt 26" in svg and "2026-01" not in svg
