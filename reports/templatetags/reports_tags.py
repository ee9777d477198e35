"""Formatting of report cells the same way on the page and in the PDF."""

from datetime import date

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_filter
from django.utils.formats import number_format

from bapas.formatting import month_label, month_name, quarter_label, yes_no

register = template.Library()

DASH = "–"


@register.filter
def percent(value, decimals=1):
    """0.1234 -> "12,3%" (Indonesian) ; None -> "–"."""
    if value is None or value == "":
        return DASH
    return f"{number_format(round(float(value) * 100, int(decimals)), int(decimals))}%"


@register.filter
def cell(row, column):
    """The formatted value of a table cell: ``{{ row|cell:column }}``."""
    value = row.get(column.key) if isinstance(row, dict) else None
    if value is None or value == "":
        return DASH
    kind = column.kind
    if kind in ("int", "money"):
        return intcomma(value)
    if kind == "rate":
        return percent(value)
    if kind == "date":
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value[:10])
            except ValueError:
                return value
        return date_filter(value, "DATE_FORMAT")
    if kind == "year":
        return str(value)
    if kind == "month":
        return month_label(value) if isinstance(value, str) else month_name(value)
    if kind == "quarter":
        return quarter_label(value)
    if isinstance(value, bool):
        return yes_no(value)
    return value


@register.filter
def is_numeric(column):
    return column.kind in ("int", "money", "rate")


@register.filter
def get_item(mapping, key):
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def points(value):
    """A difference of rates in whole percentage points with its sign: 0.183 -> "+18"; None -> "–"."""
    if value is None or value == "":
        return DASH
    return f"{round(float(value) * 100):+d}"


@register.filter
def iso_datetime(value):
    """An ISO date-time string as a datetime in the current time zone (for the ``date`` filter)."""
    from datetime import datetime

    from django.utils import timezone

    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment
