"""Dates, months, weeks, quarters and periods as people write them ("Oktober 2026", "Minggu ke-47
(17–23 November 2026)", "Triwulan I", "1 Januari – 31 Desember 2026"), and yes/no.

The one set of helpers behind the template filters of ``bapas.templatetags.formatting``, messages,
PDFs and XLSX files. Machine formats (JSON, CSV, the workbook) keep their ISO values.
"""

import re
from datetime import date, datetime, timedelta

from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

DASH = "–"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def as_date(value) -> date | None:
    """A date from a date, a datetime or an ISO string ("2026-10-11", "2026-10-11T08:00"); else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_label(value) -> str:
    """ "30 November 2026" (the language's DATE_FORMAT); anything else is returned as text."""
    day = as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return formats.date_format(day, "DATE_FORMAT")


def month_label(value, month: int | None = None) -> str:
    """ "Oktober 2026" from a date, an ISO month "2026-10", or a year and a month."""
    if month is not None:
        return f"{MONTHS[int(month)]} {int(value)}"
    if isinstance(value, str):
        match = ISO_MONTH.match(value)
        if match:
            return f"{MONTHS[int(match[2])]} {int(match[1])}"
    day = as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return f"{MONTHS[day.month]} {day.year}"


def month_name(month) -> str:
    """ "Oktober" for 10."""
    try:
        return str(MONTHS[int(month)])
    except (KeyError, TypeError, ValueError):
        return "" if month is None else str(month)


def period_label(start, end) -> str:
    """ "1 Januari – 31 Desember 2026", "17–23 November 2026", "1 Oktober 2025 – 31 Maret 2026"."""
    first, last = as_date(start), as_date(end)
    if first is None or last is None:
        return f"{date_label(start)} {DASH} {date_label(end)}".strip(f" {DASH}")
    if first == last:
        return date_label(first)
    if first.year != last.year:
        return f"{date_label(first)} {DASH} {date_label(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month]} {DASH} {date_label(last)}"
    return f"{first.day}{DASH}{date_label(last)}"


def week_label(value) -> str:
    """ "Minggu ke-47 (17–23 November 2026)" from a day in the week or an ISO week "2026-W47"."""
    if isinstance(value, str) and ISO_WEEK.match(value):
        match = ISO_WEEK.match(value)
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    else:
        day = as_date(value)
        if day is None:
            return "" if value is None else str(value)
        monday = day - timedelta(days=day.weekday())
    week = monday.isocalendar()[1]
    return _("Week %(week)d (%(days)s)") % {"week": week, "days": period_label(monday, monday + timedelta(days=6))}


def quarter_label(quarter, year=None) -> str:
    """ "Triwulan I" (or "Triwulan I 2026" with a year)."""
    try:
        roman = ROMAN[int(quarter)]
    except (KeyError, TypeError, ValueError):
        return "" if quarter is None else str(quarter)
    label = _("Quarter %(number)s") % {"number": roman}
    return f"{label} {year}" if year else label


def yes_no(value) -> str:
    """ "Ya" or "Tidak"; empty for an unknown value."""
    if value is None or value == "":
        return ""
    return _("Yes") if value else _("No")


def period_code_label(code: str) -> str:
    """A reporting period written as a code ("2026-10", "2026-W47") in words; other text unchanged."""
    code = code.strip()
    if ISO_WEEK.match(code):
        return week_label(code)
    if ISO_MONTH.match(code):
        return month_label(code)
    return code


def period_codes_label(codes: str) -> str:
    """A comma list of period codes in words: "Agustus 2022, September 2022"."""
    return ", ".join(period_code_label(code) for code in (codes or "").split(",") if code.strip())
