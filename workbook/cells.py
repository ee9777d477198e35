"""Reading one cell of the workbook into its normalised value, and writing values back.

Every column kind has one normalised form (``str`` for text and codes, ``date``, ``int`` ...), the
same for a cell read from a file and for a value taken from a stored record, so comparing the two
tells whether a row changes anything.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from workbook import schema

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
HOURS_MAX = Decimal("24")
VISIT_DEFAULT_TIME = dt.time(9, 0)

_DATE_FORMS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
)
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
_NIK = re.compile(r"^\d{16}$")


class CellError(Exception):
    """A cell that cannot be read; the message is shown to the user as is."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def plain_text(value) -> str:
    """A cell as text: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "YA" if value else "TIDAK"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def empty_value(column: schema.Column):
    if column.kind in (schema.DATE, schema.DATETIME, schema.MONEY, schema.HOURS, schema.RATING):
        return None
    return column.default or ""


def parse(column: schema.Column, value, *, has_time: bool = False, tz=None):
    """The normalised value of one cell; raises CellError with a message for the user."""
    if is_blank(value):
        if column.mandatory:
            raise CellError(_("is required."))
        return empty_value(column)
    if column.is_text and not isinstance(value, str):
        raise CellError(not_text_message(column))
    parser = _PARSERS[column.kind]
    result = parser(column, value, has_time, tz)
    if column.max_length and isinstance(result, str) and len(result) > column.max_length:
        raise CellError(_("is too long (at most %(max)d characters).") % {"max": column.max_length})
    return result


def not_text_message(column: schema.Column) -> str:
    """Why a number (or date) cell in a text column is refused rather than converted."""
    if column.kind == schema.NIK:
        return _("type the NIK as text (start with ') — Excel rounds 16-digit numbers")
    return _("type it as text (start with ') — a number or date cell changes what was typed (digits, leading zeros)")


def _text(column, value, has_time, tz):
    return plain_text(value)


def _email(column, value, has_time, tz):
    text = plain_text(value)
    try:
        validate_email(text)
    except ValidationError as exc:
        raise CellError(_("“%(value)s” is not a valid email address.") % {"value": text}) from exc
    return text


def _code(column, value, has_time, tz):
    code = plain_text(value).upper()
    if code not in column.choices:
        raise CellError(
            _("unknown code “%(code)s”; use one of: %(choices)s.")
            % {"code": plain_text(value), "choices": ", ".join(column.choices)}
        )
    return code


def _codes(column, value, has_time, tz):
    items = [item.strip().upper() for item in plain_text(value).split(",") if item.strip()]
    unknown = [item for item in items if item not in column.choices]
    if unknown:
        raise CellError(
            _("unknown code “%(code)s”; use one of: %(choices)s.")
            % {"code": ", ".join(unknown), "choices": ", ".join(column.choices)}
        )
    return canonical_codes(items, column.choices)


def canonical_codes(items, choices) -> str:
    """Codes in the order of the choices, each once: the same set always gives the same text."""
    wanted = {item.strip().upper() for item in items if item and item.strip()}
    return ",".join(code for code in choices if code in wanted)


def canonical_list(text: str) -> str:
    return ", ".join(item.strip() for item in (text or "").split(",") if item.strip())


def _list(column, value, has_time, tz):
    return canonical_list(plain_text(value))


def _nik(column, value, has_time, tz):
    text = re.sub(r"\s", "", plain_text(value))
    if not _NIK.match(text):
        raise CellError(_("NIK must be exactly 16 digits (got “%(value)s”).") % {"value": plain_text(value)})
    return text


def _yesno(column, value, has_time, tz):
    text = plain_text(value).upper()
    if text not in column.choices:
        raise CellError(_("must be YA or TIDAK (got “%(value)s”).") % {"value": plain_text(value)})
    return text


def _date_from_text(text: str) -> dt.date:
    for pattern, order in _DATE_FORMS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError as exc:
                raise CellError(_("“%(value)s” is not an existing date.") % {"value": text}) from exc
    raise CellError(_("“%(value)s” is not a date; write YYYY-MM-DD or DD/MM/YYYY.") % {"value": text})


def _check_range(day: dt.date, raw) -> dt.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise CellError(_("“%(value)s” is not a plausible date.") % {"value": plain_text(raw)})
    return day


def _date(column, value, has_time, tz):
    if isinstance(value, dt.datetime):
        return _check_range(value.date(), value)
    if isinstance(value, dt.date):
        return _check_range(value, value)
    if isinstance(value, str):
        return _check_range(_date_from_text(value.strip()), value)
    raise CellError(_("“%(value)s” is not a date; write YYYY-MM-DD or DD/MM/YYYY.") % {"value": plain_text(value)})


def _datetime(column, value, has_time, tz):
    """A date (``date``) or an aware datetime in the office's zone (``datetime``)."""
    if isinstance(value, dt.datetime):
        _check_range(value.date(), value)
        if has_time or value.time() != dt.time(0, 0):
            return value.replace(second=0, microsecond=0, tzinfo=tz)
        return value.date()
    if isinstance(value, dt.date):
        return _check_range(value, value)
    if isinstance(value, str):
        text = value.strip()
        date_part, _sep, time_part = text.partition(" ")
        try:
            day = _check_range(_date_from_text(date_part), value)
        except CellError as exc:
            if not time_part:
                raise
            raise CellError(_("“%(value)s” is not a date; write YYYY-MM-DD or DD/MM/YYYY.") % {"value": text}) from exc
        time_part = time_part.strip()
        if not time_part:
            return day
        match = _TIME.match(time_part)
        if not match:
            raise CellError(_("“%(value)s” is not a time; write HH:MM.") % {"value": time_part})
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise CellError(_("“%(value)s” is not a time; write HH:MM.") % {"value": time_part})
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)
    raise CellError(_("“%(value)s” is not a date; write YYYY-MM-DD or DD/MM/YYYY.") % {"value": plain_text(value)})


def _number_text(value) -> str:
    text = plain_text(value)
    text = re.sub(r"(?i)^rp\.?", "", text).strip()
    return text.replace(" ", "")


def _money(column, value, has_time, tz):
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number of rupiah.") % {"value": plain_text(value)})
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("“%(value)s” is not a whole number of rupiah.") % {"value": plain_text(value)})
        amount = int(value)
    else:
        text = _number_text(value)
        # Thousands separators: 1.500.000 or 1,500,000; a decimal part ",00" is allowed.
        text = re.sub(r"[.,]00$", "", text) if re.search(r"\d[.,]\d{3}[.,]00$", text) else text
        if not re.fullmatch(r"-?\d{1,3}([.,]\d{3})+|-?\d+", text):
            raise CellError(_("“%(value)s” is not a whole number of rupiah.") % {"value": plain_text(value)})
        amount = int(re.sub(r"[.,]", "", text))
    if amount < 0:
        raise CellError(_("cannot be negative."))
    if column.max_value is not None and amount > column.max_value:
        raise CellError(_("is too large."))
    return amount


def _hours(column, value, has_time, tz):
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number of hours.") % {"value": plain_text(value)})
    try:
        if isinstance(value, (int, float)):
            hours = Decimal(str(value))
        else:
            hours = Decimal(_number_text(value).replace(",", "."))
    except InvalidOperation as exc:
        raise CellError(_("“%(value)s” is not a number of hours.") % {"value": plain_text(value)}) from exc
    if not hours.is_finite() or hours <= 0 or hours > HOURS_MAX:
        raise CellError(_("must be more than 0 and at most 24 hours."))
    return hours.quantize(Decimal("0.1"))


def _rating(column, value, has_time, tz):
    text = plain_text(value)
    if isinstance(value, bool) or not re.fullmatch(r"\d", text) or not 1 <= int(text) <= column.max_value:
        raise CellError(
            _("“%(value)s” is not a rating; write a whole number from 1 to %(top)s.")
            % {"value": text, "top": column.max_value}
        )
    return int(text)


_PARSERS = {
    schema.TEXT: _text,
    schema.EMAIL: _email,
    schema.CODE: _code,
    schema.CODES: _codes,
    schema.LIST: _list,
    schema.NIK: _nik,
    schema.YESNO: _yesno,
    schema.DATE: _date,
    schema.DATETIME: _datetime,
    schema.MONEY: _money,
    schema.HOURS: _hours,
    schema.RATING: _rating,
}


def display(value) -> str:
    """A normalised value as the user would type it in the workbook (for the preview)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
