"""``{% load formatting %}``: dates, months, weeks, quarters and periods as people write them."""

from django import template

from bapas import formatting

register = template.Library()

register.filter("date_label", formatting.date_label)
register.filter("month_label", formatting.month_label)
register.filter("month_name", formatting.month_name)
register.filter("week_label", formatting.week_label)
register.filter("quarter_label", formatting.quarter_label)
register.filter("yes_no", formatting.yes_no)


@register.filter
def period_to(start, end) -> str:
    """``{{ data.from|period_to:data.to }}`` -> "1 Januari – 31 Desember 2026"."""
    return formatting.period_label(start, end)


@register.filter
def reporting_period(period) -> str:
    """A client's reporting period (clients.compliance.Period): its month or its week."""
    if getattr(period, "kind", None) == "MINGGUAN":
        return formatting.week_label(period.start)
    return formatting.month_label(getattr(period, "start", period))


register.filter("period_codes", formatting.period_codes_label)
