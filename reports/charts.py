"""The one chart helper: bar and line charts drawn on the server as SVG.

The same markup goes into the page and into the PDF. The page's Content Security Policy forbids
inline style attributes, so everything is styled with SVG presentation attributes (fill=, stroke=).
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#d63384", "#20c997")
FONT = "DejaVu Sans, Arial, sans-serif"


@dataclass
class Series:
    name: str
    values: list  # numbers or None (no data)
    color: str = ""
    extra: dict = field(default_factory=dict)


def _nice_max(value: float) -> float:
    """A round top for four grid steps (0, 1, 2, 3, 4 rather than 0, 1.2, 2.5 ...)."""
    if value <= 0:
        return 1
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    for m in (1, 2, 5, 10):
        if raw_step <= m * magnitude:
            return 4 * m * magnitude
    return 40 * magnitude


def _format(value: float, percent: bool) -> str:
    if percent:
        return f"{number_format(round(value * 100), 0)}%"
    if float(value).is_integer():
        return number_format(int(value), 0, force_grouping=True)
    return number_format(round(value, 1), 1, force_grouping=True)


@dataclass
class _Frame:
    """Where the plot sits in the picture and how values map onto it."""

    width: int
    height: int
    left: int
    right: int
    top: int
    plot_w: float
    plot_h: float
    top_value: float
    slot: float

    def y(self, value: float) -> float:
        return self.top + self.plot_h - (value / self.top_value) * self.plot_h


def _grid(frame: _Frame, percent: bool) -> list[str]:
    """Five horizontal grid lines with their value on the left."""
    parts = []
    for i in range(5):
        value = frame.top_value * i / 4
        ypos = frame.y(value)
        parts.append(
            f'<line x1="{frame.left}" y1="{ypos:.1f}" x2="{frame.width - frame.right}" y2="{ypos:.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{frame.left - 6}" y="{ypos + 4:.1f}" text-anchor="end" fill="#6c757d">'
            f"{_format(value, percent)}</text>"
        )
    return parts


def _x_labels(frame: _Frame, labels: list[str]) -> list[str]:
    """The category labels under the plot, thinned out to about twelve."""
    count = max(len(labels), 1)
    step_label = max(1, int(count / 12) + (1 if count % 12 and count > 12 else 0))
    parts = []
    for i, label in enumerate(labels):
        if i % step_label:
            continue
        x = frame.left + frame.slot * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{frame.top + frame.plot_h + 16}" text-anchor="middle" fill="#495057">'
            f"{escape(label)}</text>"
        )
    return parts


def _bars(frame: _Frame, labels: list[str], series: list[Series], colors: list[str], percent: bool) -> list[str]:
    """Grouped bars, with their value printed above them when there are few."""
    group_w = frame.slot * 0.75
    bar_w = group_w / max(len(series), 1)
    parts = []
    for si, s in enumerate(series):
        for i, value in enumerate(s.values):
            if value is None:
                continue
            x = frame.left + frame.slot * i + (frame.slot - group_w) / 2 + bar_w * si
            h = max(0.0, (value / frame.top_value) * frame.plot_h)
            parts.append(
                f'<rect x="{x:.1f}" y="{frame.y(value):.1f}" width="{max(bar_w - 2, 1):.1f}" height="{h:.1f}" '
                f'fill="{colors[si]}"><title>{escape(s.name)} · {escape(labels[i])}: '
                f"{_format(value, percent)}</title></rect>"
            )
            if len(labels) * len(series) <= 16:
                parts.append(
                    f'<text x="{x + bar_w / 2 - 1:.1f}" y="{frame.y(value) - 3:.1f}" text-anchor="middle" '
                    f'font-size="10" fill="#212529">{_format(value, percent)}</text>'
                )
    return parts


def _lines(frame: _Frame, labels: list[str], series: list[Series], colors: list[str], percent: bool) -> list[str]:
    """One line per series with a dot per value; a missing value breaks the line."""
    parts = []
    for si, s in enumerate(series):
        segment: list[str] = []
        segments = [segment]
        for i, value in enumerate(s.values):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            x = frame.left + frame.slot * (i + 0.5)
            segment.append(f"{x:.1f},{frame.y(value):.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{frame.y(value):.1f}" r="3" fill="{colors[si]}">'
                f"<title>{escape(s.name)} · {escape(labels[i])}: {_format(value, percent)}</title></circle>"
            )
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colors[si]}" stroke-width="2"/>'
                )
    return parts


def _legend(frame: _Frame, series: list[Series], colors: list[str]) -> list[str]:
    x = frame.left
    ypos = frame.height - 8
    parts = []
    for si, s in enumerate(series):
        parts.append(f'<rect x="{x}" y="{ypos - 9}" width="10" height="10" fill="{colors[si]}"/>')
        parts.append(f'<text x="{x + 14}" y="{ypos}" fill="#212529">{escape(s.name)}</text>')
        x += 24 + 7 * len(s.name)
    return parts


def svg_chart(
    kind: str,
    labels: list[str],
    series: list[Series],
    *,
    title: str = "",
    width: int = 640,
    height: int = 260,
    percent: bool = False,
    y_max: float | None = None,
    font_size: int = 11,
) -> SafeString:
    """A grouped bar chart (kind="bar") or a line chart (kind="line") as an <svg> element."""
    if kind not in ("bar", "line"):
        raise ValueError(f"unknown chart kind {kind!r}")
    left, right, top, bottom = 48, 12, 28 if title else 12, 54
    legend_height = 18 if len(series) > 1 else 0
    plot_w = width - left - right
    plot_h = height - top - bottom - legend_height
    values = [v for s in series for v in s.values if v is not None]
    top_value = y_max if y_max is not None else (1 if percent else _nice_max(max(values, default=0)))
    frame = _Frame(width, height, left, right, top, plot_w, plot_h, top_value or 1, plot_w / max(len(labels), 1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="{font_size}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
        parts.append(
            f'<text x="{left}" y="16" font-size="{font_size + 2}" font-weight="bold" fill="#212529">{escape(title)}</text>'
        )
    parts += _grid(frame, percent)
    parts += _x_labels(frame, labels)
    colors = [s.color or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    draw = _bars if kind == "bar" else _lines
    parts += draw(frame, labels, series, colors, percent)
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#6c757d" stroke-width="1"/>'
    )
    if legend_height:
        parts += _legend(frame, series, colors)
    if not values:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" text-anchor="middle" fill="#6c757d">–</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _month_label(row) -> str:
    """A month on a chart's axis: "Okt 26" (short, for up to 12 or more labels side by side)."""
    from django.utils.dates import MONTHS_3

    month, year = row.get("month"), row.get("year")
    if isinstance(month, str) and len(month) == 7 and month[4] == "-":
        year, month = int(month[:4]), int(month[5:])
    if isinstance(month, int) and year:
        return f"{str(MONTHS_3[month]).title()} {str(year)[2:]}"
    return str(month or row.get("period") or "")


def charts_for(data: dict) -> list[SafeString]:
    """The charts printed with a report, from its dataset (page and PDF alike)."""
    from django.utils.translation import gettext as _

    report = data.get("report")
    charts = []
    if report == "participation" and not data.get("empty"):
        years = data["by_year"]
        charts.append(
            svg_chart(
                "bar",
                [str(r["year"]) for r in years],
                [
                    Series(_("Sessions"), [r["sessions"] for r in years]),
                    Series(_("Participations"), [r["participants"] for r in years]),
                ],
                title=_("Sessions and participations by year"),
            )
        )
        types = sorted(data["by_training_type"], key=lambda r: -r["participants"])[:12]
        if types:
            charts.append(
                svg_bars(
                    [Bar(r["training_type"], r["participants"]) for r in types],
                    title=_("Participations by training type"),
                )
            )
    elif report == "implementation" and not data.get("empty"):
        charts.append(
            svg_bars(
                rate_ranking(data["by_training_type"], "training_type"),
                title=_("Implementation rate by training type"),
                percent=True,
            )
        )
    elif report == "compliance":
        months = data.get("by_month") or []
        if months and isinstance(months[0], dict) and "rate" in months[0]:
            charts.append(
                svg_chart(
                    "line",
                    [_month_label(r) for r in months],
                    [Series(_("Compliance rate"), [r.get("rate") for r in months])],
                    title=_("Wajib lapor compliance by month"),
                    percent=True,
                )
            )
    return charts


# --- ranked horizontal bars ---------------------------------------------------------------------

# A rate from fewer followed-up participants is shown, hatched, but not ranked among the others.
MIN_FOLLOWED_UP = 10
CHAR_EM = 0.58  # mean advance of a character of DejaVu Sans, in em


@dataclass
class Bar:
    label: str
    value: float | None
    note: str = ""  # printed after the value, e.g. "n=12"
    weak: bool = False  # too little data: hatched grey, "not enough data"


def _wrap(text: str, chars: int, lines: int = 3) -> list[str]:
    """Whole words over at most ``lines`` lines of about ``chars`` characters; never a cut word."""
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= chars:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    return out or [""]


def svg_bars(bars: list[Bar], *, title: str = "", percent: bool = False, width: int = 480) -> SafeString:
    """Horizontal bars, one row each, in the order given: the whole label on the left (wrapped by words),
    the value and its note after the bar. Legible when the chart is scaled down to a phone's width."""
    from django.utils.translation import gettext as _

    font, line = 12, 14
    label_w = int(width * 0.36)
    value_w = 118
    bar_x = label_w + 8
    bar_span = width - bar_x - value_w
    top = 28 if title else 6
    chars = max(8, int(label_w / (font * CHAR_EM)))
    rows = [(bar, _wrap(bar.label, chars)) for bar in bars]
    notes = [[part for part in (bar.note, _("not enough data") if bar.weak else "") if part] for bar in bars]
    heights = [
        max(26, len(lines) * line + 10, 18 + 11 * len(note) + 4)
        for (_bar, lines), note in zip(rows, notes, strict=True)
    ]
    height = top + sum(heights) + 8
    values = [b.value for b in bars if b.value is not None]
    top_value = 1 if percent else _nice_max(max(values, default=0))
    pattern = f"hatch-{sum(map(ord, title)) % 100000}-{len(bars)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="{font}">',
        f'<defs><pattern id="{pattern}" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#e9ecef"/>'
        f'<rect width="3" height="6" fill="#adb5bd"/></pattern></defs>',
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
        parts.append(f'<text x="0" y="16" font-size="13" font-weight="bold" fill="#212529">{escape(title)}</text>')
    y = top
    for (bar, lines), row_h, note in zip(rows, heights, notes, strict=True):
        first = y + (row_h - len(lines) * line) / 2 + line - 3
        for k, text in enumerate(lines):
            parts.append(
                f'<text x="{label_w}" y="{first + k * line:.1f}" text-anchor="end" fill="#212529">{escape(text)}</text>'
            )
        fill = f"url(#{pattern})" if bar.weak else "#198754" if percent else PALETTE[0]
        size = 0.0 if bar.value is None else max(0.0, bar.value / top_value * bar_span)
        stroke = ' stroke="#6c757d" stroke-width="0.5"' if bar.weak else ""
        parts.append(
            f'<rect x="{bar_x}" y="{y + 5:.1f}" width="{max(size, 1.5):.1f}" height="{row_h - 10:.1f}" fill="{fill}"'
            f"{stroke}><title>{escape(bar.label)}</title></rect>"
        )
        shown = "–" if bar.value is None else _format(bar.value, percent)
        color = "#6c757d" if bar.weak else "#212529"
        # The value and each part of its note on a line of their own after the bar, moved left over a
        # long bar as far as needed to stay inside the chart (never cut at its right edge).
        texts = [(shown, font, ' font-weight="bold"'), *((part, 10, "") for part in note)]
        widest = max(len(text) * size_ * CHAR_EM for text, size_, _bold in texts)
        x = min(bar_x + size + 4, width - widest - 2)
        baseline = y + (row_h - (14 + 11 * len(note))) / 2 + 12
        for k, (text, size_, bold) in enumerate(texts):
            parts.append(
                f'<text x="{x:.1f}" y="{baseline + (0 if k == 0 else 3 + 11 * k):.1f}" font-size="{size_}" '
                f'fill="{color}"{bold}>{escape(text)}</text>'
            )
        y += row_h
    parts.append(f'<line x1="{bar_x}" y1="{top}" x2="{bar_x}" y2="{y}" stroke="#6c757d" stroke-width="1"/>')
    if not bars:
        parts.append(f'<text x="{width / 2}" y="{top + 14}" text-anchor="middle" fill="#6c757d">–</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def rate_ranking(rows: list[dict], key: str, limit: int = 12) -> list[Bar]:
    """Implementation rates ranked: rates from at least MIN_FOLLOWED_UP followed-up participants first,
    highest first; the others after them (hatched), so too little data never tops the ranking."""
    from django.utils.translation import gettext as _

    def order(row):
        weak = (row.get("followed_up") or 0) < MIN_FOLLOWED_UP or row.get("rate") is None
        return (weak, -(row.get("rate") or 0), str(row.get(key)))

    bars = []
    for row in sorted(rows, key=order)[:limit]:
        followed = row.get("followed_up") or 0
        bars.append(
            Bar(
                label=str(row.get(key)),
                value=row.get("rate"),
                note=_("n=%(n)s followed up") % {"n": followed},
                weak=followed < MIN_FOLLOWED_UP or row.get("rate") is None,
            )
        )
    return bars


@dataclass
class Interval:
    """One row of a forest plot: an estimate with its interval, or a note when there is none."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    note: str = ""


def svg_forest(rows: list[Interval], *, title: str = "", width: int = 560, row_height: int = 24) -> SafeString:
    """Differences with their 95% intervals as points and whiskers around a zero line (percentage
    points). Rows without an estimate print their note instead. Legible at a phone's width."""
    font, line = 12, 14
    label_w = int(width * 0.38)
    plot_x, plot_w = label_w + 10, width - label_w - 20
    title_lines = _wrap(title, max(20, int(width / (13 * CHAR_EM))), lines=2) if title else []
    top = 12 + 18 * len(title_lines) if title else 6
    chars = max(8, int(label_w / (font * CHAR_EM)))
    wrapped = [(row, _wrap(row.label, chars, lines=5)) for row in rows]
    heights = [max(row_height, len(lines) * line + 6) for _row, lines in wrapped]
    axis_y = top + sum(heights) + 4
    height = axis_y + 22
    ends = [abs(v) for r in rows for v in (r.low, r.high, r.value) if v is not None]
    span = max(0.2, min(1.0, math.ceil(max(ends, default=0.2) * 10) / 10))

    def x(value):
        return plot_x + (max(-span, min(span, value)) + span) / (2 * span) * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="{font}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
        for k, text in enumerate(title_lines):
            parts.append(
                f'<text x="0" y="{16 + 18 * k}" font-size="13" font-weight="bold" fill="#212529">{escape(text)}</text>'
            )
    for tick in (-span, -span / 2, 0, span / 2, span):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top}" x2="{x(tick):.1f}" y2="{axis_y}" '
            f'stroke="{"#6c757d" if tick == 0 else "#dee2e6"}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x(tick):.1f}" y="{axis_y + 14}" text-anchor="middle" font-size="10" fill="#6c757d">'
            f"{round(tick * 100):+d}</text>".replace("+0<", "0<")
        )
    y = top
    for (row, lines), row_h in zip(wrapped, heights, strict=True):
        first = y + (row_h - len(lines) * line) / 2 + line - 3
        for k, text in enumerate(lines):
            parts.append(
                f'<text x="{label_w}" y="{first + k * line:.1f}" text-anchor="end" fill="#212529">{escape(text)}</text>'
            )
        mid = y + row_h / 2
        if row.value is None or row.low is None or row.high is None:
            parts.append(
                f'<text x="{plot_x + 4}" y="{mid + 4:.1f}" font-size="11" fill="#6c757d">{escape(row.note)}</text>'
            )
        else:
            color = "#198754" if row.low > 0 else "#dc3545" if row.high < 0 else "#0d6efd"
            parts.append(
                f'<line x1="{x(row.low):.1f}" y1="{mid:.1f}" x2="{x(row.high):.1f}" y2="{mid:.1f}" '
                f'stroke="{color}" stroke-width="2"><title>{escape(row.label)}: {round(row.value * 100):+d} '
                f"({round(row.low * 100):+d} … {round(row.high * 100):+d})</title></line>"
            )
            parts.append(f'<circle cx="{x(row.value):.1f}" cy="{mid:.1f}" r="4" fill="{color}"/>')
        y += row_h
    parts.append("</svg>")
    return mark_safe("".join(parts))


def rate_bars_by_size(rows: list[dict], key: str, limit: int = 12) -> list[Bar]:
    """Implementation rates of the largest groups first (by participants followed up), not ranked by
    rate: which training works is the evidence report's question (Temuan), not a bar chart's.
    Groups with fewer than MIN_FOLLOWED_UP followed up are hatched and marked "not enough data"."""
    from django.utils.translation import gettext as _

    bars = []
    for row in sorted(rows, key=lambda r: (-(r.get("followed_up") or 0), str(r.get(key))))[:limit]:
        followed = row.get("followed_up") or 0
        bars.append(
            Bar(
                label=str(row.get(key)),
                value=row.get("rate"),
                note=_("n=%(n)s followed up") % {"n": followed},
                weak=followed < MIN_FOLLOWED_UP or row.get("rate") is None,
            )
        )
    return bars
