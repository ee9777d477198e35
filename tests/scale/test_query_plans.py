"""Every query of the counter pages reaches the big tables through an index (checked with EXPLAIN).

PostgreSQL only. The pages are requested through the test client over ``seed_scale`` data; each
SELECT they run is explained with sequential scans priced out (``enable_seqscan = off``). A plan
that still reads a big table sequentially has no index it could use. The client list must also
come out of its index already in order (``enable_sort = off`` leaves no Sort node), which is what
makes its keyset pages cheap at any depth. At 100,000 clients the same pages are timed by
``make bench`` (docs/PERFORMANCE.md).
"""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bapas.models import User
from clients.models import Client
from clients.selectors import encode_cursor
from config import scale
from trainings.models import TrainingSession

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are checked on PostgreSQL")

BIG_TABLES = {
    "clients_client",
    "clients_reportingvisit",
    "clients_reportingwarning",
    "clients_pkassignment",
    "clients_statuschange",
    "trainings_enrolment",
    "trainings_attendance",
    "trainings_followup",
    "trainings_trainingsession",
    "pokmaslipas_partner",
    "pokmaslipas_agreement",
}


@pytest.fixture
def seeded(db):
    call_command("seed_scale", "--clients", "600", "--offices", "2", "--seed", "5", verbosity=0)
    office = scale.scale_offices().order_by("code").first()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return office


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def explain(sql: str, *, sort: bool = True) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        if not sort:
            cursor.execute("SET enable_sort = off")
            cursor.execute("SET enable_incremental_sort = off")
        try:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
            cursor.execute("RESET enable_incremental_sort")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]


def page_selects(client, user, path: str) -> list[str]:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]


def counter_pages(office) -> list[tuple[str, str]]:
    pk = User.objects.filter(office=office, username__startswith="pk").order_by("username").first()
    client = Client.objects.filter(officer=pk, status=Client.Status.ACTIVE).order_by("id").first()
    middle = Client.objects.filter(office=office).order_by("name", "id")[150]
    session = TrainingSession.objects.filter(office=office, status="HELD").order_by("-start_date").first()
    code = office.code.lower()
    return [
        (pk.username, "/"),
        (pk.username, f"/klien/{client.pk}/"),
        (pk.username, f"/klien/{client.pk}/wajib-lapor/"),
        (f"kasi.{code}", "/klien/"),
        (f"kasi.{code}", "/klien/?status=AKTIF"),
        (f"kasi.{code}", f"/klien/?after={encode_cursor(middle)}"),
        (f"kasi.{code}", "/klien/?q=Nasution"),
        (f"kasi.{code}", "/laporan/dasbor/kantor/"),
        (f"kasubsi.{code}", "/pelatihan/"),
        (f"kasubsi.{code}", f"/pelatihan/{session.pk}/"),
        (f"kasubsi.{code}", f"/pelatihan/{session.pk}/kehadiran/{session.start_date.isoformat()}/"),
        (f"admin.{code}", "/mitra/daftar/"),
        (f"admin.{code}", "/mitra/pks/"),
        (scale.REGIONAL_USERNAME, "/laporan/dasbor/wilayah/"),
    ]


def test_no_counter_page_reads_a_big_table_without_an_index(seeded, client):
    misses = []
    for username, path in counter_pages(seeded):
        user = User.objects.get(username=username)
        for sql in page_selects(client, user, path):
            for node in nodes(explain(sql)):
                if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
                    misses.append(f"{path} ({username}): Seq Scan on {node['Relation Name']} in {sql[:200]}")
    assert not misses, "\n".join(misses)


def client_list_query(selects: list[str]) -> str:
    [sql] = [s for s in selects if 'FROM "clients_client"' in s and "ORDER BY" in s and "LIMIT" in s]
    return sql


@pytest.mark.parametrize("query", ["", "?status=AKTIF", "?after"])
def test_client_list_comes_out_of_its_index_in_order(seeded, client, query):
    kasi = User.objects.get(username=f"kasi.{seeded.code.lower()}")
    if query == "?after":
        query = "?after=" + encode_cursor(Client.objects.filter(office=seeded).order_by("name", "id")[150])
    plan = explain(client_list_query(page_selects(client, kasi, "/klien/" + query)), sort=False)
    kinds = [node["Node Type"] for node in nodes(plan)]
    assert not {"Sort", "Incremental Sort", "Seq Scan"} & set(kinds), kinds
    indexes = {node.get("Index Name") for node in nodes(plan)}
    assert indexes & {"client_office_name", "client_office_status_name"}, indexes


def test_the_check_would_see_a_missing_index(seeded):
    """The same EXPLAIN reports the sequential scan when no index fits (a filter on a free-text column)."""
    with CaptureQueriesContext(connection) as ctx:
        list(Client.objects.filter(address__startswith="Jl").order_by("name")[:5])
    plan = explain(ctx.captured_queries[-1]["sql"])
    assert any(n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "clients_client" for n in nodes(plan))


def test_the_check_would_see_a_list_sorted_after_reading(seeded, client):
    """Without the composite indexes the client list is read and then sorted: the order check fails."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX client_office_name")  # rolled back with the test's transaction
        cursor.execute("DROP INDEX client_office_status_name")
    kasi = User.objects.get(username=f"kasi.{seeded.code.lower()}")
    plan = explain(client_list_query(page_selects(client, kasi, "/klien/")), sort=False)
    assert {"Sort", "Incremental Sort"} & {node["Node Type"] for node in nodes(plan)}
