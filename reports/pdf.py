"""Official PDFs (WeasyPrint): letterhead from the Office record, report number, Indonesian print date,
"Halaman 1 dari 3" page numbers, repeated table headers and the signature block.

Long reports (more table rows than ``settings.REPORT_PDF_CHUNK_ROWS``, default 400, e.g. the annual
report of all offices: 244 pages) are printed in parts, because WeasyPrint keeps the layout of every
page of a document in memory until it is written (about 3.5 MB a page: 900 MB for that report).
See ``_LongReport``: each part is its own WeasyPrint document, freed once written; the parts continue
each other page for page; pypdf joins them and stamps the page footers ("Halaman X dari Y" over all
parts) from one small WeasyPrint document of Y blank pages with the same ``@page`` rules.
"""

import gc
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.models import Office, Region, Role, User
from reports.charts import charts_for
from reports.tables import Table, report_tables, report_title

REPORT_CODES = {
    "participation": "RP",
    "implementation": "TI",
    "compliance": "WL",
    "agreements": "PKS",
    "evidence": "TM",
    "monthly": "LB",
}
CHUNK_ROWS = 400


def letterhead(office: Office | None, region: Region | None = None) -> dict:
    """The lines of the official letterhead; without an office, the one of a region's offices or of
    all offices. An office's regional line is its region's name (``regional_office_name`` for an office
    without a region)."""
    if office is None:
        return {
            "ministry": Office._meta.get_field("ministry_name").default,
            "directorate": Office._meta.get_field("directorate_name").default,
            "regional": region.name.upper() if region is not None else "",
            "name": _("Recapitulation of the Bapas offices of the region")
            if region is not None
            else _("Recapitulation of all Bapas offices"),
            "address": region.address if region is not None else "",
            "contact": "",
        }
    contact = " · ".join(part for part in (office.phone, office.email) if part)
    return {
        "ministry": office.ministry_name,
        "directorate": office.directorate_name,
        "regional": office.region.name.upper() if office.region_id else office.regional_office_name,
        "name": office.name.upper(),
        "address": office.address,
        "contact": contact,
    }


def signer_for(office: Office | None, kind: str = "head") -> dict | None:
    """Who signs: the Kepala Bapas (name and NIP on the office) or the Kasi BKD (the staff record)."""
    if office is None:
        return None
    if kind == "kasi":
        kasi = User.objects.filter(office=office, role=Role.KASI, is_active=True).order_by("pk").first()
        if kasi is not None:
            return {
                "position": _("Head of Adult Client Guidance Section (Kasi BKD)"),
                "on_behalf": _("on behalf of the Head of %(office)s") % {"office": office.name},
                "name": kasi.get_full_name() or kasi.username,
                "nip": kasi.nip,
            }
    name, nip = office.head_name, office.head_nip
    if not name:
        head = User.objects.filter(office=office, role=Role.KABAPAS, is_active=True).order_by("pk").first()
        if head is not None:
            name, nip = head.get_full_name() or head.username, head.nip
    return {"position": _("Head of %(office)s") % {"office": office.name}, "on_behalf": "", "name": name, "nip": nip}


def report_number(data: dict) -> str:
    """Deterministic: the same report of the same period and office keeps its number."""
    code = REPORT_CODES.get(data.get("report"), "LAP")
    office = data.get("office") or data.get("region") or "REG"
    start = date.fromisoformat(data["from"])
    end = date.fromisoformat(data["to"])
    return f"{office}/{code}/{start:%Y%m%d}-{end:%Y%m%d}"


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()


def report_context(
    data: dict,
    *,
    office: Office | None = None,
    signer: str = "head",
    printed_on: date | None = None,
    region: Region | None = None,
) -> dict:
    """The context of templates/reports/pdf/report.html."""
    if office is None and data.get("office"):
        office = Office.objects.get(code=data["office"])
    if office is None and region is None and data.get("region"):
        region = Region.objects.get(code=data["region"])
    return {
        "data": data,
        "title": report_title(data),
        "tables": report_tables(data),
        "charts": charts_for(data),
        "letterhead": letterhead(office, region),
        "signer": signer_for(office, signer),
        "number": report_number(data),
        "printed_on": printed_on or timezone.localdate(),
        "office": office,
        "landscape": data.get("report") in ("participation", "implementation", "agreements"),
        "date_from": date.fromisoformat(data["from"]),
        "date_to": date.fromisoformat(data["to"]),
    }


def chunk_rows_setting() -> int:
    return int(getattr(settings, "REPORT_PDF_CHUNK_ROWS", CHUNK_ROWS))


def render_report_pdf(
    data: dict,
    *,
    office: Office | None = None,
    signer: str = "head",
    printed_on: date | None = None,
    progress=None,
    base_url: str | None = None,
    chunk_rows: int | None = None,
    region: Region | None = None,
) -> bytes:
    """The report as one PDF. Up to ``chunk_rows`` table rows (default: the setting) it is one WeasyPrint
    document; longer reports are printed in parts of about that many rows (``_LongReport``)."""
    context = report_context(data, office=office, signer=signer, printed_on=printed_on, region=region)
    chunk_rows = chunk_rows or chunk_rows_setting()
    if sum(len(table.rows) for table in context["tables"]) > chunk_rows:
        return _LongReport(context, chunk_rows, base_url=base_url, progress=progress).render()
    html = _short_report_html(context, chunk_rows)
    if progress:
        progress(40)
    pdf = html_to_pdf(html, base_url)
    if progress:
        progress(95)
    return pdf


def _short_report_html(context: dict, chunk_rows: int) -> str:
    """One document. A table too wide for the page (e.g. the agreements' 13 columns in portrait) gets the
    fixed, tighter column layout of the long reports instead of losing its last columns off the page;
    other short reports keep the plain template."""
    report = _LongReport(context, chunk_rows)
    if any(layout and (layout.tight or layout.font_size or layout.wrap) for layout in report.layouts):
        return report.single_html()
    return render_to_string("reports/pdf/report.html", context)


def render_template_pdf(template: str, context: dict, base_url: str | None = None) -> bytes:
    """Client card, attendance sheet: any template of templates/reports/pdf/ to a PDF."""
    return html_to_pdf(render_to_string(template, context), base_url)


# --- Long reports ------------------------------------------------------------------------------

# The width a data table may take (A4 less the @page margins of pdf.css and the body's 8px margins), pt.
TABLE_WIDTH_PT = {True: (297 - 28) / 25.4 * 72 - 12, False: (210 - 28) / 25.4 * 72 - 12}
FONT_SIZE_PT = 9
CELL_EXTRA_PT = 7.5  # 4px padding each side, the collapsed 0.5pt border, 1pt to spare
TIGHT_CELL_EXTRA_PT = 4.5  # table.data.tight: 2px padding each side
NOWRAP_COLUMNS = {"code", "start", "end", "number"}  # as pdf.css: td.c-code ... { white-space: nowrap }
TIGHT_WRAP_COLUMNS = {"start", "end"}  # a tight table lets its dates wrap ("10 September / 2025")
NUMERIC_KINDS = {"int", "money", "rate"}
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans{}.ttf"


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict, float]:
    """Advance widths (in em) of the DejaVu Sans the PDFs are set in; a flat 0.6 em without the font."""
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(DEJAVU.format("-Bold" if bold else ""), lazy=True)
        scale = font["head"].unitsPerEm
        metrics, cmap = font["hmtx"].metrics, font.getBestCmap()
        return {chr(code): metrics[glyph][0] / scale for code, glyph in cmap.items() if code < 0x3000}, 0.6
    except (ImportError, OSError, KeyError):
        return {}, 0.6


def _text_width(text: str, bold: bool = False) -> float:
    advances, default = _advances(bold)
    return sum(advances.get(ch, default) for ch in text) * FONT_SIZE_PT


def _longest_word(text: str, bold: bool = False) -> float:
    return max((_text_width(word, bold) for word in text.split()), default=0.0)


@dataclass
class TableLayout:
    widths: list  # percent of the table's width, as CSS decimals
    tight: bool = False  # narrower cell padding, dates may wrap
    font_size: int | None = None  # smaller type (pt), or None: the 9pt of the page
    wrap: bool = False  # every cell may wrap, long words break


# From the normal layout to ever tighter ones, for tables too wide for the page.
TIGHTER = ((FONT_SIZE_PT, False), (FONT_SIZE_PT, True), (8, True), (7, True))


def table_layout(table: Table, texts: list[list[str]], available: float) -> TableLayout:
    """Column widths as the automatic table layout would give them for the whole table (CSS 2.1 and
    css-tables-3: each column at least its longest word, or its whole text where it may not wrap; the
    rest shared in proportion to how much more the widest cell wants). Every part of a long table then
    looks alike (and WeasyPrint need not measure every cell of the table).

    Where even the narrowest columns overflow the page (the automatic layout then pushes the last
    columns off the page), the table gets tighter: 2px cell padding and wrapping dates, then 8pt and
    7pt type; failing that, every cell wraps and the columns shrink in proportion."""
    low, high, nowrap = [], [], []
    for index, column in enumerate(table.columns):
        label = str(column.label)
        words, whole = _longest_word(label, bold=True), _text_width(label, bold=True)
        unwrapped = 0.0
        for text in {row[index] for row in texts}:
            width = _text_width(text)
            whole = max(whole, width)
            words = max(words, _longest_word(text))
            unwrapped = max(unwrapped, width)
        low.append(words)
        high.append(whole)
        nowrap.append(unwrapped if column.kind in NUMERIC_KINDS or column.key in NOWRAP_COLUMNS else 0.0)
    keys = [column.key for column in table.columns]
    for size, tight in TIGHTER:
        scale, extra = size / FONT_SIZE_PT, TIGHT_CELL_EXTRA_PT if tight else CELL_EXTRA_PT
        minimum = [
            scale * (w if tight and key in TIGHT_WRAP_COLUMNS else max(w, n)) + extra
            for key, w, n in zip(keys, low, nowrap, strict=True)
        ]
        if sum(minimum) <= available:
            wrap = False
            break
    else:
        wrap, minimum = True, [scale * w + extra for w in low]
    maximum = [max(lo, scale * hi + extra) for lo, hi in zip(minimum, high, strict=True)]
    if sum(maximum) <= available:
        widths = [hi * available / sum(maximum) for hi in maximum]
    elif sum(minimum) >= available:
        widths = minimum
    else:
        spare, wanted = available - sum(minimum), sum(maximum) - sum(minimum)
        widths = [lo + spare * (hi - lo) / wanted for lo, hi in zip(minimum, maximum, strict=True)]
    total = sum(widths)
    percent = [f"{100 * width / total:.3f}" for width in widths]  # CSS wants a decimal point
    return TableLayout(percent, tight, size if size != FONT_SIZE_PT else None, wrap)


@dataclass
class _Piece:
    """Part of one table in one document: the title where the table starts, rows, the note where it ends."""

    table: Table
    index: int
    rows: list  # (row id, [(css class, text), ...])
    layout: TableLayout | None
    title: bool
    note: bool
    at_top: bool = False


@dataclass
class _Part:
    pieces: list
    first: bool
    last: bool
    footer: bool = False  # page footers in the document itself (a whole report in one part: bench, tests)


class _LongReport:
    """A long report in parts of about ``chunk_rows`` table rows, each its own WeasyPrint document.

    A position in the report is (table, row): row -1 is the table's title, ``len(rows)`` its closing note.
    Rows, titles and notes carry ids, so the layout of a part tells where its last page starts. That last
    page (its content continues in the next part) is dropped, and the next part begins with what stood
    at its top: page for page the same pagination as one document. The first part has the letterhead,
    the last one the signature; the footers are stamped on all pages at the end.
    """

    def __init__(self, context: dict, chunk_rows: int, base_url: str | None = None, progress=None):
        from reports.templatetags.reports_tags import cell

        self.context = context
        self.tables = context["tables"]
        self.chunk_rows = max(1, chunk_rows)
        self.base_url = base_url or str(settings.BASE_DIR)
        self.progress = progress
        self.cells, self.layouts = [], []
        available = TABLE_WIDTH_PT[bool(context.get("landscape"))]
        for table in self.tables:
            texts = [[str(cell(row, column)) for column in table.columns] for row in table.rows]
            self.layouts.append(table_layout(table, texts, available) if table.rows else None)
            classes = [f"c-{c.key} num" if c.kind in NUMERIC_KINDS else f"c-{c.key}" for c in table.columns]
            self.cells.append([list(zip(classes, row, strict=True)) for row in texts])
        self.page_starts = []  # the first position on each page of the PDF (None: no row, title or note)
        self.part_starts = []  # the position each part starts with
        self.part_pages = []  # pages of each part

    def pieces(self, start: tuple[int, int], budget: int) -> tuple[list, tuple[int, int], bool]:
        """The pieces of one document from ``start`` with up to ``budget`` rows; the position after them;
        whether they reach the end of the report."""
        t, i = start
        pieces, used = [], 0
        while t < len(self.tables) and used < budget:
            n = len(self.tables[t].rows)
            first = max(i, 0)
            last = min(n, first + budget - used)
            rows = [(f"r{t}-{k}", self.cells[t][k]) for k in range(first, last)]
            pieces.append(_Piece(self.tables[t], t, rows, self.layouts[t], title=i < 0, note=last == n))
            used += last - first
            if last < n:
                i = last
                break
            t, i = t + 1, -1
        if pieces and start != (0, -1):
            pieces[0].at_top = True
        return pieces, (t, i), t >= len(self.tables)

    def position(self, anchor: str) -> tuple[int, int] | None:
        kind, rest = anchor[:1], anchor[1:]
        try:
            if kind == "r":
                t, k = rest.split("-")
                return int(t), int(k)
            if kind == "h":
                return int(rest), -1
            if kind == "n":
                return int(rest), len(self.tables[int(rest)].rows)
        except (ValueError, IndexError):
            return None
        return None

    def first_position(self, page) -> tuple[int, int] | None:
        positions = [p for p in map(self.position, page.anchors) if p is not None]
        return min(positions) if positions else None

    def keep(self, page, bookmarks: list) -> None:
        """Note where a kept page starts and its bookmarks; then drop its anchors (no named destinations
        in the PDF) and bookmarks (the outline is added over all parts at the end)."""
        self.page_starts.append(self.first_position(page))
        for level, label, (x, y), state in page.bookmarks:
            bookmarks.append((level, label, len(self.page_starts) - 1, x, y, page.height, state))
        page.bookmarks, page.anchors = [], {}

    def part_html(self, pieces: list, first: bool, last: bool, footer: bool = False) -> str:
        part = _Part(pieces, first, last, footer)
        return render_to_string("reports/pdf/report.html", {**self.context, "part": part})

    def single_html(self) -> str:
        """The whole report as one document in the layout of the parts, with its page footers: what the
        parts add up to (for the benchmark and the tests)."""
        pieces, _after, _final = self.pieces((0, -1), sum(len(table.rows) for table in self.tables) + 1)
        return self.part_html(pieces, True, True, footer=True)

    def render(self) -> bytes:
        """The PDF. Python's cyclic garbage collector stays off while the parts are laid out (WeasyPrint
        allocates millions of objects and the automatic collections over that heap cost about a fifth
        of the time) and runs once after each part instead, which also bounds the memory per part."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._render()
        finally:
            if enabled:
                gc.enable()

    def _render(self) -> bytes:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        total_rows = sum(len(table.rows) for table in self.tables) or 1
        parts, bookmarks = [], []
        start, budget, first = (0, -1), self.chunk_rows, True
        while True:
            pieces, after, final = self.pieces(start, budget)
            html = self.part_html(pieces, first, final)
            document = HTML(string=html, base_url=self.base_url).render(font_config=font_config)
            pages = document.pages
            resume = after
            if not final:
                if len(pages) < 2:  # the part fits on one page: nothing would be kept; take more rows
                    budget *= 2
                    continue
                top = self.first_position(pages[-1])
                if top is not None and top > start:
                    resume, pages = top, pages[:-1]
            for page in pages:
                self.keep(page, bookmarks)
            parts.append(document.copy(pages).write_pdf())
            self.part_starts.append(start)
            self.part_pages.append(len(pages))
            del document, pages
            gc.collect()
            if self.progress:
                done = (resume[0], max(resume[1], 0))
                rows = sum(len(table.rows) for table in self.tables[: done[0]]) + done[1]
                self.progress(min(90, 5 + int(85 * rows / total_rows)))
            if final:
                break
            start, budget, first = resume, self.chunk_rows, False
        footer = self.footer_pdf(len(self.page_starts), font_config)
        pdf = self.join(parts, footer, bookmarks)
        if self.progress:
            self.progress(95)
        return pdf

    def footer_pdf(self, pages: int, font_config=None) -> bytes:
        """Y blank pages with the report number and "Halaman X dari Y" in the margins of pdf.css."""
        from weasyprint import HTML

        context = {**self.context, "pages": range(pages)}
        html = render_to_string("reports/pdf/page_footer.html", context)
        document = HTML(string=html, base_url=self.base_url).render(font_config=font_config)
        if len(document.pages) != pages:  # pragma: no cover - a blank div per page
            raise RuntimeError(f"page footers: {len(document.pages)} pages instead of {pages}")
        return document.write_pdf()

    def join(self, parts: list[bytes], footer: bytes, bookmarks: list) -> bytes:
        from pypdf import PdfReader, PdfWriter
        from pypdf.generic import DictionaryObject, Fit, NameObject

        writer = PdfWriter()
        for part in parts:
            writer.append(PdfReader(io.BytesIO(part)), import_outline=False)
        stamps = PdfReader(io.BytesIO(footer)).pages
        for page, stamp in zip(writer.pages, stamps, strict=True):
            # WeasyPrint shares one resource dictionary between the pages of a document: give each page
            # its own before merging, or the footer's resources pile up in the shared one.
            page[NameObject("/Resources")] = DictionaryObject(page["/Resources"])
            page.merge_page(stamp)
            page.compress_content_streams()
        parents = []  # (level, outline item)
        for level, label, index, x, y, height, state in bookmarks:
            while parents and parents[-1][0] >= level:
                parents.pop()
            item = writer.add_outline_item(
                title=label,
                page_number=index,
                parent=parents[-1][1] if parents else None,
                fit=Fit.xyz(left=x * 0.75, top=(height - y) * 0.75, zoom=0),
                is_open=state != "closed",
            )
            parents.append((level, item))
        metadata = PdfReader(io.BytesIO(parts[0])).metadata or {}
        writer.add_metadata({key: str(value) for key, value in metadata.items()})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
