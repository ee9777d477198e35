"""Long report PDFs are printed in parts (reports.pdf._LongReport) and joined into one PDF: every page
numbered over the whole report, letterhead on page 1, signature at the end, the same pages as one
document would have. Short reports stay one WeasyPrint document, as before."""

import datetime as dt
import io
import re

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from reports import pdf as report_pdf
from reports.datasets import implementation_dataset, participation_dataset
from reports.exports import render
from reports.tables import report_tables
from tests.reports.conftest import PERIOD, grow

pytestmark = pytest.mark.django_db


def pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def parts(monkeypatch):
    """Records the reports printed in parts: their _LongReport objects."""
    made = []
    original = report_pdf._LongReport.render

    def spy(self):
        made.append(self)
        return original(self)

    monkeypatch.setattr(report_pdf._LongReport, "render", spy)
    return made


@pytest.fixture
def long_participation(world, office_a):
    grow(office_a, n_sessions=45, per_session=1)
    return participation_dataset(office=office_a, **PERIOD)


def test_long_report_is_one_pdf_numbered_over_all_parts(long_participation, office_a, settings, parts):
    settings.REPORT_PDF_CHUNK_ROWS = 20
    data = long_participation
    texts = pages_text(render(data, "pdf", office=office_a))
    assert len(parts) == 1 and len(parts[0].part_pages) >= 4  # printed in several parts
    total = len(texts)
    assert total == sum(parts[0].part_pages) >= 6
    for number, text in enumerate(texts, start=1):
        assert f"Halaman {number} dari {total}" in text
        assert report_pdf.report_number(data) in text
    letterhead = "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN"
    assert letterhead in texts[0] and not any(letterhead in text for text in texts[1:])
    assert "REKAP PARTISIPASI PELATIHAN" in texts[0]
    signature = ["Kepala Contoh", office_a.head_nip]
    assert all(s in texts[-1] for s in signature)
    assert not any(s in text for s in signature for text in texts[:-1])
    # The sessions table: the codes of the dataset, in its order, each printed once.
    printed = re.findall(r"PLT-(?:S\d|\d{4})", "\n".join(texts))
    assert printed == [row["code"] for row in data["sessions"]]


def test_table_headers_repeat_on_every_page_of_a_long_table(long_participation, office_a, settings):
    settings.REPORT_PDF_CHUNK_ROWS = 20
    texts = pages_text(render(long_participation, "pdf", office=office_a))
    with_sessions = [text for text in texts if re.search(r"PLT-\d{4}", text)]
    assert len(with_sessions) >= 2
    assert all("Kode Judul" in text for text in with_sessions)


def anchors_per_page(document) -> list[dict]:
    return [{name: round(box[1], 2) for name, box in page.anchors.items()} for page in document.pages]


@pytest.mark.parametrize(
    ("report", "chunk_rows"),
    [("participation", 7), ("participation", 33), ("implementation", 9), ("implementation", 25)],
)
def test_parts_break_pages_exactly_as_one_document(world, office_a, report, chunk_rows):
    """Every row, title and note on the same page at the same height as in one document of the same
    layout, wherever the parts begin: inside a table, or at a table's title (implementation, with
    these sizes: the title's top margin must go as after a page break)."""
    from weasyprint import HTML

    grow(office_a, n_sessions=45, per_session=1)
    dataset = {"participation": participation_dataset, "implementation": implementation_dataset}[report]
    context = report_pdf.report_context(dataset(office=office_a, **PERIOD), office=office_a)
    whole = HTML(string=report_pdf._LongReport(context, chunk_rows).single_html()).render()
    expected = anchors_per_page(whole)
    kept = []

    class Recording(report_pdf._LongReport):
        def keep(self, page, bookmarks):
            kept.append({name: round(box[1], 2) for name, box in page.anchors.items()})
            super().keep(page, bookmarks)

    parts = Recording(context, chunk_rows)
    pdf = parts.render()
    assert len(parts.part_pages) > 3
    if report == "implementation":
        assert any(row == -1 for _table, row in parts.part_starts[1:])  # a part starts at a title
    assert kept == expected
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(whole.pages)


def test_outline_of_the_parts_is_one_tree(long_participation, office_a, settings):
    settings.REPORT_PDF_CHUNK_ROWS = 20
    reader = PdfReader(io.BytesIO(render(long_participation, "pdf", office=office_a)))
    (title, children) = reader.outline
    assert title.title == "Rekap partisipasi pelatihan"
    headings = [item.title for item in children]
    assert headings == [table.title for table in report_tables(long_participation)]
    pages = [reader.get_destination_page_number(item) for item in children]
    assert pages == sorted(pages) and pages[-1] > 0


def test_short_report_is_one_document_as_before(world, office_a, settings, parts):
    settings.REPORT_PDF_CHUNK_ROWS = 400
    data = participation_dataset(office=office_a, **PERIOD)
    rows = sum(len(table.rows) for table in report_tables(data))
    assert rows < 400
    content = render(data, "pdf", office=office_a)
    assert parts == []
    html = render_to_string("reports/pdf/report.html", report_pdf.report_context(data, office=office_a))
    assert 'class="data fixed' not in html and 'id="r' not in html
    alone = report_pdf.html_to_pdf(html)
    assert pages_text(content) == pages_text(alone)


def test_chunk_rows_is_a_threshold(world, office_a, settings, parts):
    data = implementation_dataset(office=office_a, **PERIOD)
    rows = sum(len(table.rows) for table in report_tables(data))
    settings.REPORT_PDF_CHUNK_ROWS = rows
    render(data, "pdf", office=office_a)
    assert parts == []
    settings.REPORT_PDF_CHUNK_ROWS = rows - 1
    texts = pages_text(render(data, "pdf", office=office_a))
    assert len(parts) == 1
    assert f"Halaman {len(texts)} dari {len(texts)}" in texts[-1]


def test_long_implementation_report_by_session_in_parts(world, office_a, settings, parts):
    grow(office_a, n_sessions=40, per_session=1)
    settings.REPORT_PDF_CHUNK_ROWS = 25
    data = implementation_dataset(office=office_a, **PERIOD)
    assert len(data["by_session"]) >= 40
    texts = pages_text(render(data, "pdf", office=office_a))
    assert len(parts) == 1 and len(parts[0].part_pages) >= 2
    for number, text in enumerate(texts, start=1):
        assert f"Halaman {number} dari {len(texts)}" in text
    assert "Wilson" in "\n".join(texts)  # the formula under the totals
    assert "Kepala Contoh" in texts[-1]


def _regional(report: str, **lists) -> dict:
    return {"report": report, "office": None, "from": "2025-01-01", "to": "2025-12-31", "filters": {}, **lists}


def _agreement(n: int) -> dict:
    """An agreement row of the agreements dataset (13 columns: too wide for a portrait page)."""
    return {
        "number": f"W.S001.PK.01.05-{n:05d}/2025",
        "partner": f"Mitra Contoh M{n:03d}",
        "partner_code": f"M{n:03d}",
        "office": "S001",
        "start": "2025-01-02",
        "end": "2027-01-01",
        "status": "ACTIVE",
        "scope": ["KEMANDIRIAN"],
        "kind": "PKS",
        "partner_number": f"{n}/MITRA/2025",
        "signed_on": "2025-01-02",
        "terminated_on": None,
        "renews": None,
        "overlaps_period": True,
    }


def test_long_compliance_and_agreements_reports_in_parts(db, settings, parts):
    """The generic tables (compliance by PK on portrait pages, agreements on landscape) take the same path."""
    settings.REPORT_PDF_CHUNK_ROWS = 30
    month = {"due": 10, "reported": 9, "missed": 1, "rate": 0.9}
    compliance = _regional(
        "compliance",
        totals={"due": 100, "reported": 90, "missed": 10, "rate": 0.9},
        by_officer=[
            {"officer": f"u{n}", "officer_name": f"pk{n:03d}.x", "officer_nip": f"19800101{n:010d}", **month}
            for n in range(90)
        ],
        by_month=[{"month": f"2025-{m:02d}", **month} for m in range(1, 13)],
    )
    agreements = _regional(
        "agreements", totals={"agreements": 70, "ACTIVE": 70}, agreements=[_agreement(n) for n in range(70)]
    )
    for data, key, codes, landscape in (
        (compliance, "officer", [f"pk{n:03d}.x" for n in range(90)], False),
        (agreements, "partner", [f"M{n:03d}" for n in range(70)], True),
    ):
        content = render(data, "pdf")
        assert len(parts[-1].part_pages) >= 2
        texts = pages_text(content)
        assert re.findall(r"pk\d{3}\.x|M\d{3}", "\n".join(texts)) == codes, key
        for number, text in enumerate(texts, start=1):
            assert f"Halaman {number} dari {len(texts)}" in text
        page = PdfReader(io.BytesIO(content)).pages[0]
        assert (page.mediabox.width > page.mediabox.height) == landscape, key
    assert len(parts) == 2


def test_column_widths_fit_the_page_and_follow_the_content():
    from reports.tables import Column, Table

    table = Table("t", "T", [Column("name", "Nama"), Column("count", "Jumlah", "int")], [])
    texts = [["Nama yang cukup panjang sekali untuk kolom", "1"], ["Pendek", "12"]]
    layout = report_pdf.table_layout(table, texts, available=500)
    widths = [float(w) for w in layout.widths]
    assert sum(widths) == pytest.approx(100, abs=0.01)
    assert widths[0] > 2 * widths[1] and not layout.tight and not layout.wrap and layout.font_size is None
    # Too wide even at the narrowest spacing: smaller type, then everything wraps.
    wide = Table("w", "W", [Column(f"c{i}", f"Kolom{i}") for i in range(12)], [])
    long_words = [["Panjangsekalikatanya" * 2] * 12]
    squeezed = report_pdf.table_layout(wide, long_words, available=500)
    assert squeezed.tight and squeezed.wrap and squeezed.font_size == 7
    assert sum(float(w) for w in squeezed.widths) == pytest.approx(100, abs=0.01)


def test_a_short_report_too_wide_for_the_page_gets_the_fitted_columns(office_a, settings, parts):
    """An office's agreements (13 columns) print in landscape; in portrait they would be short but wider
    than the page: the table then gets the fixed, tighter layout (no column pushed off the page), still
    one document with its footers."""
    from pokmaslipas.datasets import agreements_dataset
    from tests.factories import AgreementFactory, PartnerFactory

    settings.REPORT_PDF_CHUNK_ROWS = 400
    partner = PartnerFactory(office=office_a, name="Yayasan Mitra Karya Mandiri Sejahtera Bersama")
    for i in range(3):
        AgreementFactory(partner=partner, number=f"W29.PAS.PAS4-PK.01.05-{i:04d}")
    data = agreements_dataset(office=office_a, date_from=dt.date(2020, 1, 1), date_to=dt.date(2030, 12, 31))
    context = report_pdf.report_context(data, office=office_a)
    assert context["landscape"]  # how the agreements report prints
    context["landscape"] = False  # in portrait its 13 columns are wider than the page
    report = report_pdf._LongReport(context, 400)
    assert any(layout and (layout.tight or layout.font_size or layout.wrap) for layout in report.layouts)
    html = report_pdf._short_report_html(context, 400)
    assert 'class="data fixed' in html
    content = render(data, "pdf", office=office_a)
    assert parts == []  # one document, not parts
    texts = pages_text(content)
    assert all(f"Halaman {i} dari {len(texts)}" in text for i, text in enumerate(texts, 1))
    assert "W29.PAS.PAS4-PK.01.05-0002" in re.sub(r"\s+", "", "".join(texts))  # narrow cells may wrap
