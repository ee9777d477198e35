"""A pg_dump restored into an empty database holds the same records (PostgreSQL only).

The commands are the ones docs/BACKUP.md tells operators to run.
"""

import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.db import connection
from django.utils import timezone

from bapas.models import AccessLog
from tests.factories import ClientFactory, ReportingVisitFactory

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [
    "bapas_office",
    "bapas_user",
    "bapas_historicaluser",
    "bapas_accesslog",
    "clients_client",
    "clients_historicalclient",
    "clients_reportingvisit",
    "django_migrations",
]


def pg_env():
    s = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": s.get("HOST") or "127.0.0.1",
            "PGPORT": str(s.get("PORT") or 5432),
            "PGUSER": s.get("USER") or "postgres",
            "PGPASSWORD": s.get("PASSWORD") or "",
        }
    )
    return env


def run(*args):
    return subprocess.run(args, check=True, env=pg_env(), capture_output=True, text=True, timeout=300)


def counts(cursor):
    result = {}
    for table in TABLES:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        result[table] = cursor.fetchone()[0]
    return result


def test_dump_restores_into_an_empty_database(tmp_path, office_a, alice, kasi_a):
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore use pg_dump: PostgreSQL only")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed")
    budi = ClientFactory(office=office_a, officer=alice, name="Budi Santoso", nik="3603123456789012")
    budi.status = "SELESAI"
    budi.save()
    for days in (3, 2, 1):
        ReportingVisitFactory(client=budi, reported_at=timezone.now() - dt.timedelta(days=days))
    AccessLog.objects.create(user=kasi_a, action="client_view", object_type="clients.Client", object_id=str(budi.pk))

    with connection.cursor() as cursor:
        before = counts(cursor)
    assert before["clients_historicalclient"] >= 2

    source = connection.settings_dict["NAME"]
    target = f"{source}_restore"
    dump = tmp_path / "bapas.dump"
    run("pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source)
    run("dropdb", "--if-exists", target)
    run("createdb", target)
    try:
        run("pg_restore", "--no-owner", "--exit-on-error", "--dbname", target, str(dump))
        import psycopg2

        env = pg_env()
        restored = psycopg2.connect(
            dbname=target, host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"], password=env["PGPASSWORD"]
        )
        try:
            with restored.cursor() as cursor:
                assert counts(cursor) == before
                cursor.execute("SELECT name, nik, status FROM clients_client WHERE id = %s", [budi.pk])
                assert cursor.fetchone() == ("Budi Santoso", "3603123456789012", "SELESAI")
                cursor.execute("SELECT password FROM bapas_user WHERE username = 'alice'")
                assert cursor.fetchone()[0] == type(alice).objects.get(pk=alice.pk).password
                cursor.execute(
                    "SELECT COUNT(*) FROM clients_historicalclient WHERE id = %s AND history_type = '~'", [budi.pk]
                )
                assert cursor.fetchone()[0] >= 1
        finally:
            restored.close()
    finally:
        run("dropdb", "--if-exists", target)
