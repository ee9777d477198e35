import datetime as dt

import pytest

from clients.models import Client, ReportingVisit
from tests.factories import ClientFactory, aware


@pytest.fixture
def make_client():
    """``make_client(officer, **fields)``: a client of the officer's office under that PK."""

    def _make(officer, **fields):
        fields.setdefault("office", officer.office)
        return ClientFactory(officer=officer, **fields)

    return _make


@pytest.fixture
def make_visit():
    """``make_visit(client, date(...), hour=9)``: a wajib lapor at that local date and hour."""

    def _make(client, day: dt.date, hour=9, minute=0, **fields):
        return ReportingVisit.objects.create(
            client=client,
            reported_at=aware(day.year, day.month, day.day, hour, minute, zone=client.office.time_zone),
            **fields,
        )

    return _make


@pytest.fixture
def carol(make_client, alice):
    """An adult client of Alice (office A), monthly, in the middle of her programme."""
    return make_client(alice, name="Carol Susanti", register_number="PAS-TNG.001/2025", nik="9901000000000001")


@pytest.fixture
def dani(make_client, bob):
    """A client of Bob (office B)."""
    return make_client(bob, name="Dani Pratama", register_number="PAS-BPN.001/2025")


@pytest.fixture
def child_of_alice(make_client, alice):
    return make_client(alice, name="Bima Arya Saputra", programme=Client.Programme.DIVERSI)
