"""Small calculations every app shares: one definition each, so pages, reports and imports agree."""

import calendar
from datetime import date

RATE_DECIMALS = 4


def rate(numerator: int, denominator: int) -> float | None:
    """A fraction from 0 to 1 rounded to four decimals, or None when the denominator is 0.

    Every rate of the project (compliance, implementation, coverage, attendance) is this one:
    docs/INTERFACES.md promises at least four decimals and ``null`` for an empty denominator.
    """
    if not denominator:
        return None
    return round(numerator / denominator, RATE_DECIMALS)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month (31 Jan + 1: 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
