"""Two identical submissions at the same moment make one record (PostgreSQL: real concurrent connections)."""

import re
import threading

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from bapas.models import Role, User

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Sementara-Bapas-77"


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections: PostgreSQL only (SQLite serialises writers)")


def run_together(target, count):
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(i):
        try:
            barrier.wait()
            results[i] = target(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_cache_add_is_atomic_across_connections(settings):
    needs_postgresql()
    cache = caches[settings.IDEMPOTENCY_CACHE]
    results = run_together(lambda i: cache.add("submit-once:race", f"worker {i}", 60), 8)
    assert results.count(True) == 1


def test_simultaneous_double_submission_creates_one_account(admin_a):
    needs_postgresql()
    browser = Client()
    browser.force_login(admin_a, backend="django.contrib.auth.backends.ModelBackend")
    page = browser.get(reverse("bapas:staff_create")).content.decode()
    token = re.search(r'name="_submit_once" value="([^"]+)"', page).group(1)
    data = {
        "username": "pk9.tng",
        "first_name": "Rina",
        "last_name": "Dua Kali",
        "role": Role.PK,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "_submit_once": token,
    }
    cookies = browser.cookies

    def submit(_i):
        client = Client()
        client.cookies = cookies
        return client.post(reverse("bapas:staff_create"), data).status_code

    statuses = run_together(submit, 4)
    assert User.objects.filter(username="pk9.tng").count() == 1
    assert all(status in (200, 302) for status in statuses), statuses
