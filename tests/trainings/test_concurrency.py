"""Capacity holds when several people enrol at the same moment (PostgreSQL: real row locks).

On SQLite this test is skipped: the in-memory test database is private to one connection, so
threads cannot share it, and SQLite has no row locks (select_for_update is a no-op there).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.trainings.conftest import active_client
from trainings import services
from trainings.models import Enrolment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and shared connections"),
]


def test_capacity_under_concurrent_enrolment(session_a, office_a, alice, kasubsi_a):
    session_a.capacity = 3
    session_a.save()
    clients = [active_client(office_a, alice) for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    results = []

    def enrol(client):
        try:
            barrier.wait()
            services.enrolment_create(session=session_a, client=client, user=kasubsi_a)
            results.append("ok")
        except ValidationError:
            results.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["full"] * 5 + ["ok"] * 3
    assert Enrolment.objects.filter(session=session_a).count() == 3
