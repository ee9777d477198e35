"""Reporting periods, due and missed exactly as docs/INTERFACES.md section 3 defines them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.compliance import (
    client_compliance,
    compliance_dataset,
    consecutive_missed,
    eligible_periods,
    period_containing,
    periods_overlapping,
)
from clients.models import Client, ReportingWarning

D = dt.date
MONTHLY, WEEKLY = Client.Frequency.MONTHLY, Client.Frequency.WEEKLY
pytestmark = pytest.mark.django_db


def test_month_and_week_periods():
    assert period_containing(MONTHLY, D(2024, 2, 10)).end == D(2024, 2, 29)
    week = period_containing(WEEKLY, D(2024, 12, 31))
    assert (week.start, week.end, week.label) == (D(2024, 12, 30), D(2025, 1, 5), "2025-W01")
    assert [p.label for p in periods_overlapping(MONTHLY, D(2024, 1, 31), D(2024, 3, 1))] == [
        "2024-01",
        "2024-02",
        "2024-03",
    ]


def test_eligible_periods_end_within_range_and_before_today():
    labels = [p.label for p in eligible_periods(MONTHLY, D(2024, 1, 15), D(2024, 6, 30), today=D(2024, 4, 30))]
    # January ends in range; April ends on "today" so it is not due yet.
    assert labels == ["2024-01", "2024-02", "2024-03"]


def test_programme_starting_on_the_31st(make_client, make_visit, alice, office_a):
    client = make_client(alice, programme_start=D(2024, 1, 31), programme_end=D(2024, 4, 15))
    make_visit(client, D(2024, 2, 10))
    make_visit(client, D(2024, 4, 1))
    data = compliance_dataset(office=office_a, date_from=D(2024, 1, 1), date_to=D(2024, 12, 31), today=D(2024, 6, 1))
    # January overlaps by one day and counts; May does not overlap the programme.
    assert data["totals"] == {"due": 4, "reported": 2, "missed": 2, "rate": 0.5}
    assert [m["month"] for m in data["by_month"]] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert data["by_month"][0] == {"month": "2024-01", "due": 1, "reported": 0, "missed": 1, "rate": 0.0}
    one = client_compliance(client, today=D(2024, 6, 1))
    assert (one.due, one.reported, [p.label for p in one.missed_periods]) == (4, 2, ["2024-01", "2024-03"])


def test_week_crossing_the_new_year(make_client, make_visit, alice, office_a):
    client = make_client(
        alice, reporting_frequency=WEEKLY, programme_start=D(2024, 12, 28), programme_end=D(2025, 1, 12)
    )
    make_visit(client, D(2024, 12, 31))  # Tuesday of ISO week 2025-W01
    data = compliance_dataset(office=office_a, date_from=D(2025, 1, 1), date_to=D(2025, 1, 31), today=D(2025, 2, 1))
    # 2024-W52 ends on 29 December, outside the range; W01 and W02 end in January.
    assert data["totals"] == {"due": 2, "reported": 1, "missed": 1, "rate": 0.5}
    assert data["by_month"] == [{"month": "2025-01", "due": 2, "reported": 1, "missed": 1, "rate": 0.5}]
    # The week that has not ended before today is not due.
    data = compliance_dataset(office=office_a, date_from=D(2025, 1, 1), date_to=D(2025, 1, 31), today=D(2025, 1, 12))
    assert data["totals"]["due"] == 1
    whole = compliance_dataset(office=office_a, date_from=D(2024, 12, 1), date_to=D(2025, 1, 31), today=D(2025, 2, 1))
    assert whole["totals"] == {"due": 3, "reported": 1, "missed": 2, "rate": pytest.approx(1 / 3, abs=1e-4)}


def test_dataset_shape_per_officer_and_office_scope(make_client, make_visit, alice, paula, bob, office_a):
    c1 = make_client(alice, programme_start=D(2024, 1, 1), programme_end=D(2024, 12, 31))
    c2 = make_client(paula, programme_start=D(2024, 1, 1), programme_end=D(2024, 12, 31), status="DICABUT")
    make_client(bob, programme_start=D(2024, 1, 1), programme_end=D(2024, 12, 31))  # other office
    for month in (1, 2, 3):
        make_visit(c1, D(2024, month, 5))
    make_visit(c2, D(2024, 1, 5))
    make_visit(c2, D(2024, 1, 20))  # two visits in one period count once
    ReportingWarning.objects.create(client=c2, level="SP1", issued_on=D(2024, 3, 1), reason="x")
    data = compliance_dataset(office=office_a, date_from=D(2024, 1, 1), date_to=D(2024, 3, 31), today=D(2024, 5, 1))
    assert data["report"] == "compliance"
    assert (data["office"], data["from"], data["to"]) == ("TNG", "2024-01-01", "2024-03-31")
    assert data["totals"] == {"due": 6, "reported": 4, "missed": 2, "rate": 0.6667}  # one rate(): four decimals
    assert data["by_officer"] == [
        {"officer": "alice", "officer_name": "Alice Wulandari", "officer_nip": alice.nip,
         "due": 3, "reported": 3, "missed": 0, "rate": 1.0},
        {"officer": "paula", "officer_name": "Paula Siregar", "officer_nip": paula.nip,
         "due": 3, "reported": 1, "missed": 2, "rate": 0.3333},
    ]  # fmt: skip
    assert data["warnings"] == {"SP1": 1, "SP2": 0, "SP3": 0}
    everything = compliance_dataset(date_from=D(2024, 1, 1), date_to=D(2024, 3, 31), today=D(2024, 5, 1))
    assert everything["office"] is None
    assert everything["totals"]["due"] == 9
    only_alice = compliance_dataset(
        office=office_a, officer=alice, date_from=D(2024, 1, 1), date_to=D(2024, 3, 31), today=D(2024, 5, 1)
    )
    assert only_alice["totals"] == {"due": 3, "reported": 3, "missed": 0, "rate": 1.0}


def test_empty_dataset_has_null_rate(office_a):
    data = compliance_dataset(office=office_a, date_from=D(2024, 1, 1), date_to=D(2024, 1, 31), today=D(2024, 5, 1))
    assert data["totals"] == {"due": 0, "reported": 0, "missed": 0, "rate": None}
    assert data["by_officer"] == [] and data["by_month"] == []


def test_client_counts_under_current_pk(make_client, make_visit, alice, paula, office_a):
    client = make_client(paula, programme_start=D(2024, 1, 1), programme_end=D(2024, 12, 31))
    make_visit(client, D(2024, 1, 3))
    client.officer = alice
    client.save()
    data = compliance_dataset(office=office_a, date_from=D(2024, 1, 1), date_to=D(2024, 1, 31), today=D(2024, 5, 1))
    assert [row["officer"] for row in data["by_officer"]] == ["alice"]


def _queries(callable_):
    with CaptureQueriesContext(connection) as ctx:
        callable_()
    return len(ctx.captured_queries)


def test_dataset_query_count_does_not_grow_with_clients(make_client, make_visit, alice, paula, office_a):
    def run():
        compliance_dataset(office=office_a, date_from=D(2024, 1, 1), date_to=D(2024, 12, 31), today=D(2025, 1, 1))

    def add(n):
        for i in range(n):
            c = make_client(
                alice if i % 2 else paula,
                programme_start=D(2024, 1, 1),
                programme_end=D(2024, 12, 31),
                reporting_frequency=WEEKLY if i % 3 == 0 else MONTHLY,
            )
            make_visit(c, D(2024, 1 + i % 12, 10))

    add(2)
    small = _queries(run)
    add(30)
    assert _queries(run) == small
    # due (per frequency), reported (per frequency), excuses, usernames, warnings, and the transfers
    # that split a moved client's periods between offices (clients.holding)
    assert small <= 8


def test_consecutive_missed_counts_from_last_visit(make_client, alice):
    client = make_client(alice, programme_start=D(2024, 1, 10), programme_end=D(2024, 12, 31))
    assert consecutive_missed(client, None, D(2024, 4, 15)) == 3  # Jan, Feb, Mar
    assert consecutive_missed(client, D(2024, 2, 20), D(2024, 4, 15)) == 1  # March only
    assert consecutive_missed(client, D(2024, 4, 1), D(2024, 4, 15)) == 0
