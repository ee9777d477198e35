import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from reports.datasets import (
    DATASETS,
    implementation_dataset,
    participation_dataset,
    rate,
    wilson_interval,
    without_personal_data,
)
from tests.reports.conftest import PERIOD, grow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_labels():
    with translation.override("en"):
        yield


def test_participation_numbers(world, office_a):
    data = participation_dataset(office=office_a, **PERIOD)
    assert data["report"] == "participation"
    assert data["office"] == "TNG"
    assert (data["from"], data["to"]) == ("2022-01-01", "2023-12-31")
    assert data["totals"] == {
        "sessions": 2,  # the cancelled one is left out
        "enrolled": 5,  # withdrawn c4 does not count
        "participants": 4,  # absent c3 is not a participant
        "unique_clients": 3,  # c1 twice
        "attendance_rate": round(7 / 9, 4),
        "budget": 4_900_000,
        "transport_paid": 100_000 + 150_000 + 225_000,
        "planned": 0,  # both sessions were held long ago
    }
    assert data["by_year"] == [
        {"year": 2022, "sessions": 1, "enrolled": 3, "participants": 2},
        {"year": 2023, "sessions": 1, "enrolled": 2, "participants": 2},
    ]
    assert data["by_quarter"] == [
        {"year": 2022, "quarter": 1, "sessions": 1, "enrolled": 3, "participants": 2},
        {"year": 2023, "quarter": 2, "sessions": 1, "enrolled": 2, "participants": 2},
    ]
    assert [(m["year"], m["month"]) for m in data["by_month"]] == [(2022, 3), (2023, 6)]
    assert {p["partner"]: p["participants"] for p in data["by_partner"]} == {
        "Mitra Kopi Nusantara": 2,
        "Mitra Salon Cantik": 2,
    }
    assert {p["training_type"]: p["sessions"] for p in data["by_training_type"]} == {"Barista": 1, "Make-Up Artis": 1}
    assert {p["programme"]: p["participants"] for p in data["by_programme"]} == {"PB": 3, "CB": 1}
    assert {p["sex"]: p["participants"] for p in data["by_sex"]} == {"L": 3, "P": 1}
    s1, s2 = data["sessions"]
    assert s1["code"] == "PLT-S1" and s1["enrolled"] == 3 and s1["participants"] == 2
    assert s1["attendance_rate"] == 0.6667 and s1["transport_paid"] == 100_000 and s1["days"] == 1
    assert s1["start"] == s1["end"] == "2022-03-30" and s1["partner"] == "Mitra Kopi Nusantara"
    assert s2["days"] == 3 and s2["attendance_rate"] == round(5 / 6, 4) and s2["budget"] == 900_000
    assert data["empty"] is False


def test_participation_all_offices_and_filters(world, office_a):
    everything = participation_dataset(**PERIOD)
    assert everything["office"] is None
    assert everything["totals"]["participants"] == 5
    assert {o["office"]: o["participants"] for o in everything["by_office"]} == {"TNG": 4, "BPN": 1}
    by_partner = participation_dataset(office=office_a, partner=world["kopi"], **PERIOD)
    assert by_partner["totals"]["sessions"] == 1 and by_partner["totals"]["participants"] == 2
    by_type = participation_dataset(office=office_a, training_type=world["makeup"], **PERIOD)
    assert [s["code"] for s in by_type["sessions"]] == ["PLT-S2"]
    one_year = participation_dataset(office=office_a, date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31))
    assert one_year["totals"]["sessions"] == 1 and one_year["totals"]["unique_clients"] == 2


def test_participation_of_one_pk(world, office_a, alice):
    data = participation_dataset(office=office_a, officer=alice, **PERIOD)
    # Alice's caseload: c1 (both sessions), c3 (absent), c5; c2 is Paula's.
    assert data["totals"]["enrolled"] == 4
    assert data["totals"]["participants"] == 3
    assert data["totals"]["unique_clients"] == 2


def test_implementation_numbers(world, office_a):
    data = implementation_dataset(office=office_a, **PERIOD)
    totals = data["totals"]
    assert (totals["participants"], totals["followed_up"], totals["implemented"]) == (4, 3, 1)
    assert totals["rate"] == 0.3333 and totals["coverage"] == 0.75
    assert (totals["rate_low"], totals["rate_high"]) == (0.0615, 0.7923)
    types = {row["training_type"]: row for row in data["by_training_type"]}
    assert (types["Barista"]["participants"], types["Barista"]["followed_up"], types["Barista"]["implemented"]) == (
        2,
        2,
        0,
    )
    assert types["Barista"]["rate"] == 0.0
    assert (types["Barista"]["rate_low"], types["Barista"]["rate_high"]) == (0.0, 0.6576)
    assert types["Make-Up Artis"]["rate"] == 1.0 and types["Make-Up Artis"]["coverage"] == 0.5
    partners = {row["partner"]: row["implemented"] for row in data["by_partner"]}
    assert partners == {"Mitra Kopi Nusantara": 0, "Mitra Salon Cantik": 1}
    assert {row["method"]: row["participants"] for row in data["by_method"]} == {"Introduction": 2, "Apprenticeship": 2}
    assert {row["duration"]: row["followed_up"] for row in data["by_duration"]} == {"1 day": 2, "2–5 days": 1}
    budget = {row["budget_band"]: row["participants"] for row in data["by_budget_per_participant"]}
    assert budget == {"Rp1,000,000 or more": 2, "Rp250,000 – Rp499,999": 2}
    domicile = {
        row["domicile"]: (row["participants"], row["followed_up"], row["implemented"]) for row in data["by_domicile"]
    }
    assert domicile == {"Urban": (3, 2, 1), "Rural": (1, 1, 0)}
    interest = {row["interest_match"]: row["implemented"] for row in data["by_interest_match"]}
    assert interest == {"Matches the client's interest": 1, "Does not match the interest": 0}
    category = {row["category"]: row["participants"] for row in data["by_category"]}
    assert category == {"Culinary": 2, "Beauty": 2}
    outcomes = {row["status"]: row["participants"] for row in data["outcomes"]}
    assert outcomes["BEKERJA_DI_BIDANG"] == 1 and outcomes["BELUM_MENERAPKAN"] == 1
    assert outcomes["TIDAK_DAPAT_DIHUBUNGI"] == 1 and outcomes[""] == 1 and outcomes["USAHA_SENDIRI"] == 0
    assert "Wilson" in data["formula"]


def test_empty_period_gives_empty_report(world, office_a):
    data = participation_dataset(office=office_a, date_from=dt.date(2010, 1, 1), date_to=dt.date(2010, 12, 31))
    assert data["empty"] is True and data["sessions"] == []
    assert data["totals"]["participants"] == 0 and data["totals"]["attendance_rate"] is None
    impl = implementation_dataset(office=office_a, date_from=dt.date(2010, 1, 1), date_to=dt.date(2010, 12, 31))
    assert impl["totals"] == {
        "participants": 0,
        "followed_up": 0,
        "implemented": 0,
        "rate": None,
        "coverage": None,
        "rate_low": None,
        "rate_high": None,
        "planned": 0,
    }


def test_rates_and_wilson():
    assert rate(1, 3) == 0.3333 and rate(0, 0) is None and rate(2, 2) == 1.0
    assert wilson_interval(0, 0) == (None, None)
    low, high = wilson_interval(3, 3)
    assert high == 1.0 and 0.43 < low < 0.44
    # 40 of 40 is surer than 3 of 3.
    assert wilson_interval(40, 40)[0] > low


@pytest.mark.parametrize("function", [participation_dataset, implementation_dataset])
def test_query_count_does_not_grow_with_rows(world, office_a, function):
    with CaptureQueriesContext(connection) as small:
        function(office=office_a, **PERIOD)
    grow(office_a, n_sessions=4, per_session=5)
    with CaptureQueriesContext(connection) as large:
        data = function(office=office_a, **PERIOD)
    assert data["totals"]["participants"] == 24
    assert len(small.captured_queries) == len(large.captured_queries)
    assert len(large.captured_queries) <= 7  # six, and the count of planned sessions


def test_registry_wraps_every_report(world, office_a):
    assert set(DATASETS) == {"participation", "implementation", "compliance", "agreements"}
    for name, function in DATASETS.items():
        data = function(office=office_a, **PERIOD)
        assert data["report"] == name
        assert data["office"] == "TNG"


def test_personal_data_is_stripped():
    data = {"totals": {"due": 1}, "by_officer": [{"officer": "alice", "due": 1}], "rows": [{"name": "X", "n": 1}]}
    assert without_personal_data(data) == {"totals": {"due": 1}}
