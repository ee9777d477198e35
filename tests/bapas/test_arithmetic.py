"""The shared calculations: one rate() for every report, one add_months() for every date step."""

import datetime as dt

import pytest

from bapas.arithmetic import add_months, rate
from clients.compliance import compliance_dataset


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(2, 3, 0.6667), (1, 3, 0.3333), (0, 5, 0.0), (5, 5, 1.0), (1, 7, 0.1429), (0, 0, None), (3, 0, None)],
)
def test_rate_is_a_fraction_with_four_decimals_or_none(numerator, denominator, expected):
    assert rate(numerator, denominator) == expected


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 15), 3) == dt.date(2024, 2, 15)
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 1, 15), -13) == dt.date(2022, 12, 15)


def test_compliance_rounds_like_every_other_rate(office_a, alice):
    """Compliance used to round to six decimals while the other reports used four."""
    from tests.factories import ClientFactory, ReportingVisitFactory, aware

    client = ClientFactory(
        office=office_a, officer=alice, programme_start=dt.date(2024, 1, 1), programme_end=dt.date(2024, 12, 31)
    )
    ReportingVisitFactory(client=client, reported_at=aware(2024, 1, 5, 10, 0))
    data = compliance_dataset(
        office=office_a, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 3, 31), today=dt.date(2024, 5, 1)
    )
    assert data["totals"]["due"] == 3 and data["totals"]["rate"] == 0.3333
