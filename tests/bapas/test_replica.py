"""Reads from a hot standby (bapas/replica.py): used inside replica_reads, never after a write, and
skipped while the standby lags too far or cannot be reached.

On PostgreSQL the standby is a real second database, copied from the test database (CREATE DATABASE
... TEMPLATE) before the test writes a row only the primary has: where a read went shows in its result.
"""

import psycopg2
import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bapas import replica
from bapas.models import Office
from tests.factories import OfficeFactory


def test_without_a_standby_every_read_goes_to_the_primary(db):
    assert not replica.configured()
    with replica.replica_reads():
        assert Office.objects.all().db == "default"


def _admin(primary: dict):
    admin = psycopg2.connect(
        dbname="postgres",
        host=primary["HOST"] or None,
        port=primary["PORT"] or None,
        user=primary["USER"] or None,
        password=primary["PASSWORD"] or None,
    )
    admin.autocommit = True
    return admin


def _attach(settings_dict: dict) -> None:
    """The alias 'replica' for this thread, as DATABASE_REPLICA_URL would make it. It is attached as a
    connection of its own rather than a configured alias: the test case only allows its own aliases."""
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=replica.REPLICA)
    setattr(connections._connections, replica.REPLICA, wrapper)
    replica.forget_health()


def _detach() -> None:
    if replica.configured():
        connections[replica.REPLICA].close()
        delattr(connections._connections, replica.REPLICA)
    replica.forget_health()


@pytest.fixture
def standby(transactional_db, kasi_a):
    """A second database holding what the primary held when the fixture ran, as the alias 'replica'."""
    if connection.vendor != "postgresql":
        pytest.skip("the standby is a second PostgreSQL database")
    primary = dict(connection.settings_dict)
    name = f"{primary['NAME']}_standby"
    connections.close_all()  # a template database must have no other session
    admin = _admin(primary)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary["NAME"]}"')
        _attach({**primary, "NAME": name})
        yield {**primary, "NAME": name}
    finally:
        _detach()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def test_reads_in_a_block_go_to_the_standby_until_the_block_writes(standby):
    OfficeFactory(code="NEW")  # on the primary only
    assert Office.objects.filter(code="NEW").exists()  # outside a block: the primary
    with replica.replica_reads():
        on_standby = Office.objects.filter(code="NEW")
        assert on_standby.db == "replica" and not on_standby.exists()
        OfficeFactory(code="NE2")  # a write: from now on this block reads its own writes
        assert Office.objects.filter(code="NEW").db == "default"
        assert Office.objects.filter(code__in=["NEW", "NE2"]).count() == 2
    with replica.replica_reads():  # a new block starts on the standby again
        assert not Office.objects.filter(code="NEW").exists()


def test_a_standby_too_far_behind_is_skipped(standby, settings, monkeypatch):
    assert replica.replica_lag_seconds() == 0  # the real query: not in recovery, no lag
    OfficeFactory(code="NEW")
    settings.BAPAS_REPLICA_MAX_LAG_SECONDS = 30
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda: 31.0)
    replica.forget_health()
    with replica.replica_reads():
        assert Office.objects.filter(code="NEW").exists()  # read on the primary
    monkeypatch.setattr(replica, "replica_lag_seconds", lambda: 29.0)
    replica.forget_health()
    with replica.replica_reads():
        assert not Office.objects.filter(code="NEW").exists()  # caught up: the standby again


def test_an_unreachable_standby_is_skipped(standby):
    OfficeFactory(code="NEW")
    _detach()
    _attach({**standby, "PORT": "1"})  # nothing listens there
    with replica.replica_reads():
        assert Office.objects.filter(code="NEW").exists()
    assert replica.replica_usable() is False  # remembered for BAPAS_REPLICA_CHECK_SECONDS


def test_a_standby_that_stops_between_two_checks_is_skipped_at_once(standby):
    """The health is remembered for BAPAS_REPLICA_CHECK_SECONDS; a standby stopped in between (its
    connections cut, nothing listening) must not fail the reads of the next request."""
    OfficeFactory(code="NEW")
    with replica.replica_reads():
        assert not Office.objects.filter(code="NEW").exists()  # the standby, found healthy
    standby_connection = connections[replica.REPLICA]
    admin = _admin(standby)
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [standby_connection.connection.info.backend_pid])
    finally:
        admin.close()
    standby_connection.settings_dict["PORT"] = "1"  # and nothing listens any more
    standby_connection.health_check_done = False  # a new request
    with replica.replica_reads():
        assert Office.objects.filter(code="NEW").exists()  # read on the primary, no error
    assert replica.replica_usable() is False


def test_report_pages_read_from_the_standby_and_forms_do_not(standby, login, kasi_a):
    client = login(kasi_a)
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        response = client.get(reverse("reports:report", args=["participation"]), {"period": "year", "year": 2025})
    assert response.status_code == 200
    assert len(on_standby) > 1  # the health check and the report's own reads
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        assert client.get(reverse("clients:list")).status_code == 200
    assert len(on_standby) == 0
