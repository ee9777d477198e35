"""Report periods: a year, a quarter, a month or two dates, validated once for every report."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_YEARS = 10


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def is_long(self) -> bool:
        """More than one year: renders of such periods run in the background."""
        return self.days > 366


def validate_period(date_from: date, date_to: date) -> Period:
    """Raise a ValidationError with a clear message for an impossible period."""
    if date_to < date_from:
        raise ValidationError(_("The end of the period cannot be before its start."), code="end_before_start")
    limit = _add_years(date_from, MAX_YEARS)
    if date_to >= limit:
        raise ValidationError(
            _("The period cannot be longer than %(years)d years.") % {"years": MAX_YEARS}, code="too_long"
        )
    return Period(date_from, date_to)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def quarter_period(year: int, quarter: int) -> Period:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return Period(date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1]))


def month_period(year: int, month: int) -> Period:
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def months_back(today: date, count: int) -> list[tuple[int, int]]:
    """The ``count`` calendar months ending with today's month, oldest first."""
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        months.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def yesterday(day: date) -> date:
    return day - timedelta(days=1)


def is_whole_months(date_from: date, date_to: date) -> bool:
    """From a month's first day to a month's last day (a year, a quarter, a month or such dates)."""
    return date_from.day == 1 and (date_to + timedelta(days=1)).day == 1


def office_today(office) -> date:
    """The date in the office's time zone: each office closes its days on its own clock."""
    return timezone.localdate(timezone=office.tzinfo)
