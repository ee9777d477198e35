"""Dates, months, weeks, quarters and periods as people write them, in Indonesian and in English."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from bapas import formatting


@pytest.fixture
def indonesian():
    with translation.override("id"):
        yield


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 10, 11), "Oktober 2026"),
        ("2026-10", "Oktober 2026"),
        ("2026-10-11", "Oktober 2026"),
        (dt.datetime(2026, 1, 2, 8, 30), "Januari 2026"),
    ],
)
def test_month_label(indonesian, value, expected):
    assert formatting.month_label(value) == expected


def test_month_label_of_year_and_month_and_month_name(indonesian):
    assert formatting.month_label(2026, 3) == "Maret 2026"
    assert formatting.month_name(12) == "Desember"


@pytest.mark.parametrize("value", ["2026-W47", dt.date(2026, 11, 16), dt.date(2026, 11, 22), "2026-11-20"])
def test_week_label(indonesian, value):
    assert formatting.week_label(value) == "Minggu ke-47 (16–22 November 2026)"


def test_week_across_months_and_years(indonesian):
    assert formatting.week_label("2026-W53") == "Minggu ke-53 (28 Desember 2026 – 3 Januari 2027)"
    assert formatting.week_label("2026-W44") == "Minggu ke-44 (26 Oktober – 1 November 2026)"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-01-01", "2026-12-31", "1 Januari – 31 Desember 2026"),
        (dt.date(2026, 11, 17), dt.date(2026, 11, 23), "17–23 November 2026"),
        (dt.date(2025, 10, 1), dt.date(2026, 3, 31), "1 Oktober 2025 – 31 Maret 2026"),
        (dt.date(2026, 11, 30), dt.date(2026, 11, 30), "30 November 2026"),
    ],
)
def test_period_label(indonesian, start, end, expected):
    assert formatting.period_label(start, end) == expected


def test_quarter_date_and_yes_no(indonesian):
    assert [formatting.quarter_label(q) for q in (1, 2, 3, 4)] == [
        "Triwulan I",
        "Triwulan II",
        "Triwulan III",
        "Triwulan IV",
    ]
    assert formatting.quarter_label(1, 2026) == "Triwulan I 2026"
    assert formatting.date_label(dt.date(2026, 11, 30)) == "30 November 2026"
    assert formatting.date_label("2026-11-30") == "30 November 2026"
    assert (formatting.yes_no(True), formatting.yes_no(False), formatting.yes_no(None)) == ("Ya", "Tidak", "")


def test_period_codes_in_words(indonesian):
    assert formatting.period_codes_label("2022-08, 2022-09") == "Agustus 2022, September 2022"
    assert formatting.period_codes_label("2026-W47") == "Minggu ke-47 (16–22 November 2026)"
    assert formatting.period_codes_label("") == ""
    assert formatting.period_codes_label("bulan lalu") == "bulan lalu"  # free text stays


def test_english_forms():
    with translation.override("en"):
        assert formatting.week_label("2026-W47") == "Week 47 (16–22 November 2026)"
        assert formatting.quarter_label(2) == "Quarter II"
        assert formatting.month_label("2026-10") == "October 2026"


def test_template_filters(indonesian):
    template = Template(
        "{% load formatting %}{{ a|month_label }}|{{ b|week_label }}|{{ f|period_to:t }}|{{ q|quarter_label }}|"
        "{{ d|date_label }}|{{ y|yes_no }}|{{ codes|period_codes }}"
    )
    context = Context(
        {
            "a": "2026-10",
            "b": "2026-W47",
            "f": "2026-01-01",
            "t": "2026-12-31",
            "q": 1,
            "d": dt.date(2026, 11, 30),
            "y": True,
            "codes": "2026-09,2026-10",
        }
    )
    assert template.render(context) == (
        "Oktober 2026|Minggu ke-47 (16–22 November 2026)|1 Januari – 31 Desember 2026|Triwulan I|"
        "30 November 2026|Ya|September 2026, Oktober 2026"
    )
