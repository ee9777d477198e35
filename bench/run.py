"""``make bench``: seed national-scale data, start gunicorn, measure every page, load-test, report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale .venv/bin/python bench/run.py \
        --clients 100000 [--requests 30] [--users 50 --duration 60] [--reseed | --skip-seed]

Steps: migrate and collectstatic; ``seed_scale`` (reused when the scale data of that size is
already there); gunicorn with 2 workers on 127.0.0.1, DEBUG off (as in production, behind an
HTTPS proxy: the client sends ``X-Forwarded-Proto: https``); staff of office S001 and the regional
viewer sign in through the sign-in form; each page gets warm-up requests and then ``--requests``
timed requests (p50/p95 of the server time from the ``X-Server-Time-Ms`` header and of the
client-side time, SQL queries per page from ``X-Query-Count``); the client list side by side with
Django admin's change list of the same clients; a closed-loop load test (``--users`` signed-in
staff, ``--duration`` seconds, think time around ``--think`` seconds); gunicorn worker memory
(RSS from /proc); the ``report`` command for a whole year. Prints a table and writes
``docs/performance/scale.md`` (and the raw numbers to bench/results/). Pages that do not exist yet
are reported as missing; nothing fails because of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load import percentile  # noqa: E402
from bench.procs import stop_process_group  # noqa: E402

PY = sys.executable
MIDDLEWARE_PATH = "bench.querycount.QueryCountMiddleware"
PASSWORD = "demo-bapas-2026"
BENCH_ADMIN = "bench.superuser"

# name, target p95 server time in ms (None: no target of its own)
TARGETS = {
    "worklist": 150,
    "client list (first page)": 150,
    "client list (deep page)": 150,
    "search": 150,
    "client page": 150,
    "session page": 150,
    "attendance screen": 150,
    "office dashboard": 300,
}
# Every page of the regional and national viewers: p95 under 500 ms at 250,000 clients in 100 offices
# and 10 regions. (page name, viewer, URL name, query string)
VIEWER_TARGET_MS = 500
VIEWER_PAGES = [
    ("regional dashboard", "regional", "reports:dashboard_regional", ""),
    ("national dashboard", "national", "reports:dashboard_national", ""),
    ("national: all offices side by side", "national", "reports:dashboard_regional", ""),
    *[
        (f"{who}: {name} report", who, "reports:report", name)
        for who in ("regional", "national")
        for name in ("participation", "implementation", "compliance", "agreements")
    ],
    ("regional: monthly returns", "regional", "reports:monthly_list", ""),
    ("national: monthly returns", "national", "reports:monthly_list", ""),
]
TARGETS.update({page: VIEWER_TARGET_MS for page, *_rest in VIEWER_PAGES})
QUERY_BUDGET = 15
# The other targets, shared by the full table and the summary.
ADMIN_RATIO = 2  # client list at least this many times faster than Django admin's changelist
LOAD_P95_MS = 500
WORKER_MB = 250
REPORT_JSON_S = 10
PDF_WORKER_MB = 400
DEFAULT_OUTPUT = ROOT / "docs/performance/scale.md"
DEFAULT_SUMMARY = ROOT / "docs/PERFORMANCE.md"


def log(message: str) -> None:
    print(message, flush=True)


def fmt_ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def manage(*args: str, env: dict | None = None, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env or os.environ.copy(), check=True, text=True, capture_output=capture
    )


# --- environment ----------------------------------------------------------------------------------


def server_env(port: int, settings_module: str) -> dict:
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_OTP_REQUIRED="0",
        DJANGO_LOG_LEVEL="ERROR",
        BAPAS_BENCH_QUERY_HEADER="1",
        DJANGO_EXTRA_MIDDLEWARE=MIDDLEWARE_PATH,
    )
    return env


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        db_version = cursor.fetchone()[0].split(" on ")[0]
    try:
        load = os.getloadavg()
    except OSError:
        load = (0, 0, 0)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": db_version,
        "load_before": [round(x, 2) for x in load],
    }


# --- data ---------------------------------------------------------------------------------------


def ensure_data(args) -> dict:
    from clients.models import Client
    from config import scale

    existing = Client.objects.filter(office__in=scale.scale_offices()).count()
    info = {"reused": False, "seconds": None, "output": ""}
    if args.skip_seed or (existing == args.clients and not args.reseed):
        log(f"Reusing the scale data already in the database ({existing:,} clients).")
        info["reused"] = True
    else:
        command = ["seed_scale", "--clients", str(args.clients), "--seed", str(args.seed), "--reset"]
        if args.offices:
            command += ["--offices", str(args.offices)]
        if args.regions:
            command += ["--regions", str(args.regions)]
        log("Seeding: manage.py " + " ".join(command))
        started = time.perf_counter()
        result = manage(*command, capture=True)
        info["seconds"] = time.perf_counter() - started
        info["output"] = result.stdout
        log(result.stdout)
    return info


def data_counts() -> dict:
    from bapas.models import User
    from clients.models import Client, ReportingVisit
    from config import scale
    from pokmaslipas.models import Agreement, Partner
    from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession

    offices = scale.scale_offices()
    return {
        "offices": offices.count(),
        "staff": User.objects.filter(office__in=offices).count(),
        "clients": Client.objects.filter(office__in=offices).count(),
        "wajib lapor": ReportingVisit.objects.filter(office__in=offices).count(),
        "partners": Partner.objects.filter(office__in=offices).count(),
        "agreements": Agreement.objects.filter(office__in=offices).count(),
        "sessions": TrainingSession.objects.filter(office__in=offices).count(),
        "enrolments": Enrolment.objects.filter(session__office__in=offices).count(),
        "attendance": Attendance.objects.filter(enrolment__session__office__in=offices).count(),
        "follow-ups": FollowUp.objects.filter(enrolment__session__office__in=offices).count(),
    }


def ensure_superuser(office_id: int) -> None:
    from django.contrib.auth.hashers import make_password

    from bapas.models import Role, User

    user, _ = User.objects.get_or_create(username=BENCH_ADMIN, defaults={"office_id": office_id})
    user.office_id, user.role, user.is_staff, user.is_superuser, user.is_active = (
        office_id,
        Role.ADMIN,
        True,
        True,
        True,
    )
    user.password = make_password(PASSWORD)
    user.save()


def free_port(preferred: int) -> int:
    """``preferred`` when nothing listens there, otherwise a free port the kernel picks."""
    import socket

    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise SystemExit("No free TCP port on 127.0.0.1")


# --- server ---------------------------------------------------------------------------------------


class Server:
    def __init__(self, port: int, workers: int, env: dict, threads: int = 1):
        self.port = port
        self.process = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "config.wsgi:application", "--workers", str(workers),
             "--threads", str(threads),
             "--bind", f"127.0.0.1:{port}", "--timeout", "300", "--graceful-timeout", "5"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        self.rss_max: dict[int, int] = {}
        self.loads: list[float] = []
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def wait_ready(self, timeout: float = 60) -> None:
        from bench.client import Browser

        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with code {self.process.returncode}")
            try:
                if Browser("127.0.0.1", self.port, timeout=5).get("/healthz").status == 200:
                    self._sampler.start()
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("gunicorn did not answer /healthz in time")

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    @staticmethod
    def rss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _sample(self) -> None:
        while not self._stop.is_set():
            for pid in self.workers():
                self.rss_max[pid] = max(self.rss_max.get(pid, 0), self.rss_kb(pid))
            self.loads.append(os.getloadavg()[0])
            self._stop.wait(0.5)

    def memory(self) -> dict:
        return {
            "now_mb": [round(self.rss_kb(pid) / 1024, 1) for pid in self.workers()],
            "max_mb": [round(kb / 1024, 1) for kb in self.rss_max.values()],
            "load_mean": round(sum(self.loads) / len(self.loads), 2) if self.loads else None,
            "load_max": round(max(self.loads), 2) if self.loads else None,
        }

    def stop(self) -> None:
        self._stop.set()
        stop_process_group(self.process)


class Worker:
    """The task worker of the "reports" queue, as production runs it beside gunicorn: it recomputes
    the dashboard summary rows that changes outdate (attendance taken during the load test)."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [PY, "manage.py", "db_worker", "--queue-name", "reports", "--interval", "1"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self) -> None:
        stop_process_group(self.process)


def fill_summaries() -> dict:
    """``refresh_dashboards``: every office's summary row for its today, computed cold and timed."""
    log("Filling the dashboard summary rows (manage.py refresh_dashboards) ...")
    started = time.perf_counter()
    output = manage("refresh_dashboards", capture=True).stdout.strip()
    seconds = time.perf_counter() - started
    log(f"  {output}")
    return {"seconds": round(seconds, 1), "output": output}


# --- pages ----------------------------------------------------------------------------------------


def url(name: str, *args) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def search_param(html: str) -> str:
    from bench.client import parse

    for form in parse(html).forms:
        if form.method == "get":
            for name, _value in form.fields:
                if name in ("q", "search", "cari", "query"):
                    return name
    return "q"


def deep_page(browser, first_url: str, html: str, hops: int) -> tuple[str | None, str]:
    """The deepest page the pagination offers: the highest ?page=N link, else follow 'next' links."""
    from bench.client import parse

    def page_links(body: str, base: str) -> list[str]:
        found = []
        for href in parse(body).links:
            full = urllib.parse.urljoin(base, href)
            query = urllib.parse.urlparse(full).query
            if urllib.parse.urlparse(full).path == urllib.parse.urlparse(first_url).path and re.search(
                r"(^|&)(page|after|cursor|before|start)=", query
            ):
                found.append(full)
        return found

    links = page_links(html, first_url)
    numbered = []
    for link in links:
        match = re.search(r"(?:^|[?&])page=(\d+)", link)
        if match:
            numbered.append((int(match.group(1)), link))
    if numbered and max(numbered)[0] > 2:
        return max(numbered)[1], f"page {max(numbered)[0]}"
    current, body, depth = first_url, html, 0
    for _ in range(hops):
        candidates = [link for link in page_links(body, current) if link != current and "before=" not in link]
        if not candidates:
            break
        current = candidates[-1]
        response = browser.get(current)
        if response.status != 200:
            break
        body, depth = response.body, depth + 1
    return (current, f"{depth} 'next' hops") if depth else (None, "no pagination links")


def measure(browser, path: str, n: int, warmup: int = 3, budget_s: float = 60) -> dict:
    """``n`` timed GETs after warm-up; a slow page (over 5 s) gets one warm-up and at least 3 samples
    within ``budget_s`` seconds, so one broken page cannot stall the whole run."""
    server, client, queries = [], [], []
    started = time.perf_counter()
    response = None
    try:
        for i in range(warmup + n):
            response = browser.get(path)
            if response.status != 200:
                return {"status": response.status, "url": path}
            if i < warmup and response.elapsed_ms < 5000:
                continue
            client.append(response.elapsed_ms)
            if response.server_ms is not None:
                server.append(response.server_ms)
            if response.queries is not None:
                queries.append(response.queries)
            if len(client) >= n or (len(client) >= 3 and time.perf_counter() - started > budget_s):
                break
    except OSError as exc:
        browser.close()
        return {"status": f"no answer ({type(exc).__name__})", "url": path}
    return {
        "status": 200,
        "url": path,
        "n": len(client),
        "server_p50": percentile(server, 50),
        "server_p95": percentile(server, 95),
        "client_p50": percentile(client, 50),
        "client_p95": percentile(client, 95),
        "queries": (min(queries), max(queries)) if queries else None,
        "bytes": len(response.body) if response else 0,
    }


def pick_targets(office) -> dict:
    from django.db.models import Count, Q

    from bapas.models import Role, User
    from clients.models import Client
    from trainings.models import TrainingSession

    pk = (
        User.objects.filter(office=office, role=Role.PK)
        .annotate(n=Count("caseload", filter=Q(caseload__status="AKTIF")))
        .order_by("-n", "username")
        .first()
    )
    client = Client.objects.filter(officer=pk, status="AKTIF").order_by("name", "id").first()
    session = (
        TrainingSession.objects.filter(office=office, status="HELD")
        .annotate(n=Count("enrolments"))
        .order_by("-n", "-start_date")
        .first()
    )
    surname = Client.objects.filter(office=office).order_by("id").values_list("name", flat=True).first().split()[-1]
    return {
        "pk": pk.username,
        "kasi": User.objects.get(office=office, role=Role.KASI).username,
        "kasubsi": User.objects.get(office=office, role=Role.KASUBSI).username,
        "client": client,
        "session": session,
        "surname": surname,
    }


def page_benchmarks(args, browsers: dict, office, targets: dict) -> list[dict]:
    rows = []

    def add(name: str, who: str, path: str | None, note: str = "") -> None:
        row = {"page": name, "user": who, "note": note, "target_ms": TARGETS.get(name), "load": os.getloadavg()[0]}
        if path is None:
            row.update(status="missing", url="")
            log(f"  {name:<28} missing ({note or 'URL not defined yet'})")
        else:
            row.update(measure(browsers[who], path, args.requests))
            if row["status"] != 200:
                if isinstance(row["status"], int):
                    row["status"] = f"HTTP {row['status']}"
                log(f"  {name:<28} {row['status']} at {path}")
            else:
                log(
                    f"  {name:<28} p50 {fmt_ms(row['server_p50'])} ms  p95 {fmt_ms(row['server_p95'])} ms  "
                    f"queries {row['queries']}  ({path})"
                )
        rows.append(row)

    pk, kasi, kasubsi = targets["pk"], targets["kasi"], targets["kasubsi"]
    add("baseline: /healthz (1 query, no template)", pk, "/healthz")
    add("worklist", pk, "/")
    list_url = url("clients:list")
    first = browsers[kasi].get(list_url) if list_url else None
    add("client list (first page)", kasi, list_url if first and first.status == 200 else None)
    deep, how = (None, "list missing")
    if first is not None and first.status == 200:
        deep, how = deep_page(browsers[kasi], list_url, first.body, args.deep_hops)
    add("client list (deep page)", kasi, deep, how)
    search = None
    if first is not None and first.status == 200:
        search = f"{list_url}?{search_param(first.body)}={urllib.parse.quote(targets['surname'])}"
    add("search", kasi, search, f"surname {targets['surname']!r}")
    client = targets["client"]
    add("client page", pk, url("clients:detail", client.pk) if client else None)
    session = targets["session"]
    add("session page", kasubsi, url("trainings:session_detail", session.pk) if session else None)
    attendance = None
    if session:
        attendance = url("trainings:attendance", session.pk, session.start_date.isoformat())
    add("attendance screen", kasubsi, attendance)
    add("office dashboard", kasi, "/")
    for page, who, name, arg in VIEWER_PAGES:
        path = url(name, arg) if arg else url(name)
        add(page, who, path, "this year" if arg and arg != "agreements" else "")
    return rows


def viewer_after_outdating(browsers: dict, timeout: float = 900) -> dict:
    """A change in every office at once (a bulk import everywhere, a new day before cron): the national
    participation report right after, then how long the task worker needs to make every row current."""
    from django.db import connection

    from bapas.data_version import bump_offices
    from config import scale
    from reports.models import OfficeRollup, OfficeSummary
    from reports.periods import office_today
    from reports.rollups import is_current

    offices = list(scale.scale_offices())
    bump_offices([o.pk for o in offices])
    connection.close()
    path = url("reports:report", "participation")
    started = time.perf_counter()
    response = browsers["national"].get(path)
    first = {"status": response.status, "server_ms": response.server_ms, "client_ms": response.elapsed_ms,
             "queries": response.queries, "stale_note": 'data-stale="' in response.body}  # fmt: skip
    log(f"  right after every office changed: HTTP {response.status} in {fmt_ms(response.server_ms)} ms "
        f"(stale note shown: {first['stale_note']})")  # fmt: skip
    from bapas.models import OfficeDataVersion

    while time.perf_counter() - started < timeout:
        versions = dict(OfficeDataVersion.objects.filter(office__in=offices).values_list("office_id", "version"))
        rows = OfficeRollup.objects.filter(office__in=offices).values_list("office_id", "year", "day", "version")
        today = {o.pk: office_today(o) for o in offices}
        rollups_current = all(is_current(day, v, versions[o], y, today[o]) for o, y, day, v in rows)
        summaries_current = OfficeSummary.objects.filter(office__in=offices).filter(
            version__in=list(set(versions.values()))
        ).count() >= len(offices)
        connection.close()
        if rollups_current and summaries_current:
            break
        time.sleep(2)
    caught_up = time.perf_counter() - started
    log(f"  the worker brought every office's rows up to date in {caught_up:.0f} s")
    after = measure(browsers["national"], path, 5, warmup=0)
    return {"first": first, "worker_seconds": round(caught_up, 1), "after": after}


def admin_side_by_side(args, browsers: dict, office) -> dict:
    """The client list against Django admin's change list: same office, active clients only."""
    list_url = url("clients:list")
    result = {"status": "missing"}
    if not list_url:
        return result
    kasi_list = browsers["kasi"].get(list_url)
    status_param = None
    if kasi_list.status == 200:
        from bench.client import parse

        for form in parse(kasi_list.body).forms:
            if form.method == "get" and "status" in form.selects and "AKTIF" in form.selects["status"]:
                status_param = "status"
    ours = f"{list_url}?status=AKTIF" if status_param else list_url
    admin_base = url("admin:clients_client_changelist")
    if not admin_base:
        result.update(status="missing", note="Client is not registered in Django admin")
        return result
    admin_url = None
    for query in (f"office__id__exact={office.pk}&status__exact=AKTIF", f"office={office.pk}&status=AKTIF"):
        response = browsers["superuser"].get(f"{admin_base}?{query}")
        if response.status == 200 and "e=1" not in response.location:
            admin_url = f"{admin_base}?{query}"
            break
    if not admin_url:
        result.update(status="admin filter refused", note="neither office__id__exact nor office= accepted")
        return result
    ours_m = measure(browsers["kasi"], ours, args.requests)
    admin_m = measure(browsers["superuser"], admin_url, args.requests)
    ratio = None
    if ours_m.get("server_p50") and admin_m.get("server_p50"):
        ratio = admin_m["server_p50"] / ours_m["server_p50"]
    result = {"status": "ok", "ours": ours_m, "admin": admin_m, "ratio_p50": ratio}
    if not status_param:
        result["note"] = "the client list has no status filter; compared with its default view"
    log(f"  client list {fmt_ms(ours_m.get('server_p50'))} ms vs admin {fmt_ms(admin_m.get('server_p50'))} ms (p50)")
    return result


# --- load test --------------------------------------------------------------------------------------


def load_specs(users: int) -> list[dict]:
    """One spec (role, username and the paths it visits) per load-test user of the first scale offices;
    shared with bench/cluster.py, which runs the same users through a load balancer."""
    from django.db.models import Q

    from bapas.models import Role, User
    from clients.models import Client
    from config import scale
    from trainings.models import TrainingSession

    offices = list(scale.scale_offices().order_by("code")[: max(1, users // 10)])
    pks = list(User.objects.filter(office__in=offices, role=Role.PK).order_by("office__code", "username"))
    leads = list(
        User.objects.filter(office__in=offices, role__in=[Role.KASI, Role.KABAPAS]).order_by("office__code", "role")
    )
    kasubsis = list(User.objects.filter(office__in=offices, role=Role.KASUBSI).order_by("office__code"))
    # About 20% office leads (dashboard), 10% Kasubsi (attendance), the rest PKs (worklist, clients, reports).
    people = [("lead", u) for u in leads[: max(1, users // 5)]]
    people += [("kasubsi", u) for u in kasubsis[: max(1, users // 10)]]
    people += [("pk", u) for u in pks[: users - len(people)]]
    sessions: dict = {}
    for session in TrainingSession.objects.filter(office__in=offices, status="HELD").order_by("-start_date"):
        sessions.setdefault(session.office_id, session)
    specs = []
    for role, user in people:
        session = sessions.get(user.office_id)
        client_ids = Client.objects.filter(Q(officer=user), status="AKTIF").order_by("id").values_list("id", flat=True)
        specs.append({
            "role": role,
            "username": user.username,
            "dashboard": "/",
            "worklist": "/",
            "client_list": url("clients:list") or "/",
            "clients": [
                {"detail": url("clients:detail", pk), "visit": url("clients:visit_create", pk)}
                for pk in client_ids[:200]
            ],
            "session": url("trainings:session_detail", session.pk) if session else None,
            "attendance": (
                url("trainings:attendance", session.pk, session.start_date.isoformat()) if session else None
            ),
        })  # fmt: skip
    return specs


def load_test(args, login_path: str, server, worker) -> dict:
    """Build one spec (role and paths) per load-test user, then run them in forked processes."""
    from django.db import connection

    from bench.load import run_load

    if args.users <= 0:
        return {"status": "skipped"}
    specs = load_specs(args.users)
    connection.close()  # the load processes are forked and must not share this connection
    result = run_load(
        specs, port=args.port, timeout=args.timeout, think=args.think, duration=args.duration, seed=args.seed,
        processes=args.load_processes, login_path=login_path, password=PASSWORD,
        server_pgid=server.process.pid, worker_pgid=worker.process.pid,
    )  # fmt: skip
    result["memory"] = server.memory()
    return result


# --- report command -----------------------------------------------------------------------------------


def report_commands(args) -> list[dict]:
    from django.core.management import get_commands

    if "report" not in get_commands():
        return [{"name": "report", "status": "missing"}]
    year = dt.date.today().year - 1
    rows = []
    for name, fmt in [("participation", "json"), ("implementation", "json"), ("compliance", "json"),
                      ("agreements", "json"), ("participation", "pdf")]:  # fmt: skip
        started = time.perf_counter()
        try:
            proc = subprocess.run(
            [PY, "bench/maxrss.py", "report", name, "--year", str(year), "--format", fmt,
             "--output", f"/tmp/bench_report.{fmt}"],
            cwd=ROOT, capture_output=True, text=True, env=os.environ.copy(), timeout=args.report_timeout,
        )  # fmt: skip
        except subprocess.TimeoutExpired:
            log(f"  report {name} {fmt} {year}: no result after {args.report_timeout} s")
            rows.append({"name": name, "format": fmt, "year": year, "seconds": args.report_timeout,
                         "max_rss_mb": None, "status": f"stopped after {args.report_timeout} s"})  # fmt: skip
            continue
        seconds = time.perf_counter() - started
        rss = None
        lines = proc.stderr.strip().splitlines()
        if lines and lines[-1].isdigit():
            rss = int(lines[-1]) / 1024
        row = {"name": name, "format": fmt, "year": year, "seconds": round(seconds, 2), "max_rss_mb": rss}
        row["status"] = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: " + " ".join(lines[-3:-1])[:200]
        log(f"  report {name} {fmt} {year}: {row['status']} in {seconds:.1f} s, max RSS {rss or 0:.0f} MB")
        rows.append(row)
    return rows


# --- output ---------------------------------------------------------------------------------------------


def verdict(row: dict) -> str:
    if row.get("status") != 200:
        return "not measured"
    fails = []
    if row.get("target_ms") and (row.get("server_p95") or 0) > row["target_ms"]:
        fails.append("time")
    if row.get("queries") and row["queries"][1] > QUERY_BUDGET:
        fails.append("queries")
    return "met" if not fails else "NOT met (" + ", ".join(fails) + ")"


def met(ok) -> str:
    return "met" if ok else "NOT met"


def load_met(load: dict) -> bool:
    return load["errors"] == 0 and (load["p95"] or 0) < LOAD_P95_MS


def render_markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# Performance at national scale",
        "",
        "Produced by `make bench` (`bench/run.py`); rerun it to refresh this page. Raw numbers: "
        "`bench/results/latest.json` (not committed).",
        "",
        f"Run {results['started']} with `{results['command']}`.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory_gb']} GB; {m['os']}",
        f"- Python {m['python']}, Django {m['django']}, {m['database']}; gunicorn {results['workers']} workers "
        + (f"with {results.get('threads')} threads each (gthread) " if (results.get("threads") or 1) > 1 else "(sync) ")
        + "on 127.0.0.1, DEBUG off",
        f"- Load average before the run: {m['load_before']} (the machine is shared with other work; "
        "numbers under load are pessimistic)",
        "",
        "## Data",
        "",
        "| table | rows |",
        "|---|---:|",
        *[f"| {k} | {v:,} |" for k, v in results["counts"].items()],
        "",
    ]
    seed_info = results["seed"]
    if seed_info.get("seconds"):
        lines.append(
            f"Seeding (`seed_scale --clients {results['args']['clients']}`) took {seed_info['seconds']:.0f} s."
        )
    else:
        lines.append("Seeding: reused the data already in the database (see the seeding section below for timings).")
    summaries_info = results.get("summaries") or {}
    if summaries_info.get("seconds") is not None:
        lines.append("")
        lines.append(
            f"Dashboard summary rows (`refresh_dashboards`, every office computed cold) took "
            f"{summaries_info['seconds']:.0f} s; a task worker (`db_worker --queue-name reports`) ran beside "
            "gunicorn, as in production, recomputing the rows that changes outdated during the run."
        )
    lines += [
        "",
        "## Pages",
        "",
        f"{results['args']['requests']} timed requests per page after 3 warm-up requests, one at a time. Server time "
        "is measured inside Django by `bench/querycount.py` (whole middleware chain); client time includes the "
        "loopback HTTP round trip. Queries: min–max SQL queries per request.",
        "",
        "| page | as | server p50 ms | server p95 ms | client p95 ms | queries | target p95 | load | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in results["pages"]:
        q = row.get("queries")
        qtext = "—" if not q else (str(q[0]) if q[0] == q[1] else f"{q[0]}–{q[1]}")
        status = row.get("status")
        note = f" ({row['note']})" if row.get("note") else ""
        if status != 200:
            lines.append(f"| {row['page']}{note} | {row['user']} | — | — | — | — | {row['target_ms'] or '—'} | "
                         f"{row['load']:.1f} | {status}: not measured |")  # fmt: skip
            continue
        lines.append(
            f"| {row['page']}{note} | {row['user']} | {fmt_ms(row['server_p50'])} | {fmt_ms(row['server_p95'])} | "
            f"{fmt_ms(row['client_p95'])} | {qtext} | {row['target_ms'] or '—'} | {row['load']:.1f} | {verdict(row)} |"
        )
    adm = results["admin"]
    lines += ["", "## Client list vs Django admin (same office, active clients)", ""]
    if adm.get("status") == "ok":
        o, a = adm["ours"], adm["admin"]
        ratio = adm.get("ratio_p50")
        ok = met(ratio and ratio >= ADMIN_RATIO)
        lines += [
            "| page | server p50 ms | server p95 ms | queries |",
            "|---|---:|---:|---:|",
            f"| client list `{o['url']}` | {fmt_ms(o.get('server_p50'))} | {fmt_ms(o.get('server_p95'))} | {o.get('queries')} |",
            f"| Django admin `{a['url']}` | {fmt_ms(a.get('server_p50'))} | {fmt_ms(a.get('server_p95'))} | {a.get('queries')} |",
            "",
            f"Admin / client list (p50): **{ratio:.1f}×** — target ≥ {ADMIN_RATIO}×: {ok}." if ratio else "Ratio: not measured.",
        ]  # fmt: skip
        if adm.get("note"):
            lines.append(f"Note: {adm['note']}.")
    else:
        lines.append(f"Not measured: {adm.get('status')}{' — ' + adm['note'] if adm.get('note') else ''}.")
    out = results.get("outdating") or {}
    if out:
        first, after = out["first"], out.get("after") or {}
        lines += [
            "",
            "## Every office changed at once",
            "",
            "The data version of all offices raised together (a bulk change everywhere, or a new day before "
            "`refresh_dashboards` ran), then the national participation report: "
            f"HTTP {first['status']} in {fmt_ms(first['server_ms'])} ms server time, {first['queries']} queries, "
            f"{'with' if first['stale_note'] else 'without'} the note that some offices' figures are a moment old. "
            f"The task worker (one `db_worker`) brought every office's dashboard row and report rollups up to date "
            f"in {out['worker_seconds']:.0f} s; then the page took p95 {fmt_ms(after.get('server_p95'))} ms.",
        ]
    load = results["load"]
    lines += ["", "## Load test", ""]
    if load.get("status") == "ok":
        ok = met(load_met(load))
        lines += [
            f"{load['users']} signed-in staff ({load['signed_in']} signed in through the form) for "
            f"{load['duration_s']} s, spread over {load.get('processes', 1)} load processes, think time {0.5 * load['think_s']:.1f}–{1.5 * load['think_s']:.1f} s between "
            f"actions; {load['requests']:,} requests ({load['throughput_rps']} per second), {load['errors']} errors, "
            f"p50 {fmt_ms(load['p50'])} ms, **p95 {fmt_ms(load['p95'])} ms** (client side) — target no error and "
            f"p95 < {LOAD_P95_MS} ms: {ok}. Server time p95 over all requests: {fmt_ms(load.get('server_p95'))} ms.",
            "",
            "| action | requests | errors | p50 ms | p95 ms | server p95 ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, a in load["actions"].items():
            lines.append(
                f"| {name} | {a['requests']} | {a['errors']} | {fmt_ms(a['p50'])} | {fmt_ms(a['p95'])} | "
                f"{fmt_ms(a['server_p95'])} |"
            )
        if load["error_samples"]:
            lines += ["", "First errors: " + "; ".join(f"`{e}`" for e in load["error_samples"])]
        lines += load_cpu_lines(load)
    else:
        lines.append(f"Not run ({load.get('status')}).")
    mem = results["memory"]
    peak = max(mem.get("max_mb") or [0])
    lines += [
        "",
        "## Memory",
        "",
        f"gunicorn workers, RSS sampled every 0.5 s over the whole run: peak {mem.get('max_mb')} MB, at the end "
        f"{mem.get('now_mb')} MB — target < {WORKER_MB} MB per web worker: {met(0 < peak < WORKER_MB)}. "
        f"1-minute load average while the server ran: mean {mem.get('load_mean')}, max {mem.get('load_max')} "
        f"on {m['cores']} cores (the `load` column above is the value when each page was measured).",
        "",
        "## `report` command (whole year, all offices)",
        "",
    ]
    reports = results["reports"]
    if reports and reports[0].get("status") == "missing":
        lines.append("Not measured: the `report` command does not exist yet.")
    else:
        lines += ["| report | format | seconds | max RSS MB | status |", "|---|---|---:|---:|---|"]
        for r in reports:
            lines.append(
                f"| {r['name']} | {r['format']} | {r['seconds']} | {fmt_ms(r['max_rss_mb'])} | {r['status']} |"
            )
        lines.append("")
        lines.append("Target: JSON under 10 s. The PDF-vs-WeasyPrint ratio is measured by `bench/pdf_bench.py`.")
    return "\n".join(lines) + "\n"


def load_cpu_lines(load: dict) -> list[str]:
    """Who used the machine's cores during the load test (bench/load.py cpu_breakdown)."""
    cpu = load.get("cpu")
    if not cpu:
        return []
    lines = [
        "",
        f"CPU during the load test: the machine was {cpu['busy_share']:.0%} busy over {cpu['wall_s']} s on "
        f"{cpu['cores']} cores. Core-seconds and share of the machine per component:",
        "",
        "| component | core-seconds | share |",
        "|---|---:|---:|",
    ]
    for name, seconds in cpu["core_seconds"].items():
        share = cpu["share"].get(name)
        lines.append(f"| {name} | {seconds} | {share:.0%} |" if share is not None else f"| {name} | {seconds} | — |")
    return lines


def render_summary(results: dict, detail_link: str) -> str:
    """The short form for docs/PERFORMANCE.md: the machine, one row per target, a link to the rest."""
    m = results["machine"]
    lines = [
        f"Latest `make bench`: {results['started']}, `{results['command'].strip()}`, "
        f"{results['counts'].get('clients', 0):,} clients and {results['counts'].get('wajib lapor', 0):,} wajib lapor "
        f"on {m['database'].split(' (')[0]}; {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; gunicorn "
        f"{results['workers']} workers; load average before the run {m['load_before'][0]}. "
        f"Page times are server times (whole middleware chain). Full table: [{detail_link}]({detail_link}).",
        "",
        "| measured | p50 | p95 | queries | target | verdict |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in results["pages"]:
        if row.get("target_ms") is None:
            continue
        q = row.get("queries")
        qtext = "—" if not q else (str(q[0]) if q[0] == q[1] else f"{q[0]}–{q[1]}")
        if row.get("status") != 200:
            lines.append(f"| {row['page']} | — | — | — | p95 < {row['target_ms']} ms | not measured |")
            continue
        lines.append(
            f"| {row['page']} | {fmt_ms(row['server_p50'])} ms | {fmt_ms(row['server_p95'])} ms | {qtext} | "
            f"p95 < {row['target_ms']} ms, ≤ {QUERY_BUDGET} queries | {verdict(row)} |"
        )
    adm = results["admin"]
    if adm.get("status") == "ok" and adm.get("ratio_p50"):
        ratio = adm["ratio_p50"]
        lines.append(
            f"| client list vs Django admin | {fmt_ms(adm['ours'].get('server_p50'))} vs "
            f"{fmt_ms(adm['admin'].get('server_p50'))} ms | | | ≥ {ADMIN_RATIO}× | {ratio:.1f}×: {met(ratio >= ADMIN_RATIO)} |"
        )
    load = results["load"]
    if load.get("status") == "ok":
        ok = met(load_met(load))
        lines.append(
            f"| load: {load['users']} users, {load['duration_s']} s, {load['requests']:,} requests, "
            f"{load['errors']} errors (client side) | {fmt_ms(load['p50'])} ms | {fmt_ms(load['p95'])} ms | | no error, p95 < {LOAD_P95_MS} ms | {ok} |"
        )
    out = results.get("outdating") or {}
    if out and out["first"].get("server_ms") is not None:
        first = out["first"]
        ok = met(first["status"] == 200 and first["server_ms"] < VIEWER_TARGET_MS)
        lines.append(
            f"| national participation report right after every office changed (rows of a moment ago shown; "
            f"the worker caught up in {out['worker_seconds']:.0f} s) | {fmt_ms(first['server_ms'])} ms | | "
            f"{first['queries']} | < {VIEWER_TARGET_MS} ms | {ok} |"
        )
    peak = max(results["memory"].get("max_mb") or [0])
    lines.append(f"| web worker peak RSS | | | | < {WORKER_MB} MB | {peak:.0f} MB: {met(0 < peak < WORKER_MB)} |")
    for r in results["reports"]:
        target = f"< {REPORT_JSON_S} s" if r.get("format") == "json" else f"< {PDF_WORKER_MB} MB"
        if r.get("status") != "ok":
            what = f"`report {r['name']}` {r['format'].upper()}, a year" if r.get("format") else "`report` command"
            lines.append(f"| {what} | — | | | {target} | {r['status']}: NOT met |")
            continue
        if r["format"] == "json":
            ok = met(r["seconds"] < REPORT_JSON_S)
            lines.append(f"| `report {r['name']}` JSON, a year | {r['seconds']} s | | | {target} | {ok} |")
        else:
            rss = r.get("max_rss_mb") or 0
            ok = met(0 < rss < PDF_WORKER_MB)
            lines.append(
                f"| `report {r['name']}` {r['format'].upper()}, a year | {r['seconds']} s | | | {target} | "
                f"{rss:.0f} MB: {ok} |"
            )
    return "\n".join(lines) + "\n"


def merge_into_doc(path: Path, generated: str, marker: str = "bench") -> None:
    """Replace the generated block (between the ``marker`` comments) of a doc, keep the hand-written notes."""
    begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
    block = f"{begin}\n{generated}{end}\n"
    if path.exists():
        text = path.read_text()
        if begin in text and end in text:
            text = text[: text.index(begin)] + block + text[text.index(end) + len(end) + 1 :]
        else:
            text = block + "\n" + text
    else:
        text = block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# --- main -----------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=int(os.environ.get("BENCH_CLIENTS", 250000)))
    parser.add_argument("--offices", type=int, default=100)
    parser.add_argument("--regions", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reseed", action="store_true", help="seed again even when the data is there")
    parser.add_argument("--skip-seed", action="store_true", help="use whatever scale data exists")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--deep-hops", type=int, default=20, help="'next' links to follow for the deep page")
    parser.add_argument("--users", type=int, default=50, help="load-test users (0: no load test)")
    parser.add_argument("--duration", type=int, default=60, help="load-test seconds")
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean think time between one person's actions, seconds (default 5: staff talk to the client "
        "between clicks; 1 makes it a stress test)",
    )
    parser.add_argument(
        "--load-processes",
        type=int,
        default=5,
        help="processes the load-test users are spread over (threads within each)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (>1: gthread)")
    parser.add_argument("--timeout", type=float, default=240, help="client timeout per request, seconds")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8871)))
    parser.add_argument("--no-reports", action="store_true", help="skip timing the report command")
    parser.add_argument("--report-timeout", type=int, default=600, help="seconds allowed per report command")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument(
        "--summary",
        default=None,
        help="doc whose bench-summary block gets the short table (default: docs/PERFORMANCE.md when --output "
        "is the default; '' to leave it alone)",
    )
    args = parser.parse_args(argv)

    db_url = os.environ.get("DATABASE_URL", "")
    if not db_url.startswith("postgres"):
        log("warning: DATABASE_URL is not PostgreSQL; the targets are defined for PostgreSQL.")
    if re.search(r"/(test|test_[a-z_]+)$", db_url):
        raise SystemExit("Refusing to run against a test database; use e.g. .../bench_scale.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    started = dt.datetime.now().isoformat(timespec="seconds")
    log("Migrating and collecting static files ...")
    manage("migrate", "--noinput", "-v0")
    manage(
        "collectstatic",
        "--noinput",
        "-v0",
        env={**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "collectstatic"},
    )

    import django

    django.setup()
    from django.db import connection

    from bapas.models import Office
    from bench.client import Browser
    from config import scale

    info = machine()
    seed_info = ensure_data(args)
    summaries_info = fill_summaries()
    counts = data_counts()
    office = Office.objects.get(code="S001")
    ensure_superuser(office.pk)
    targets = pick_targets(office)
    connection.close()

    port = free_port(args.port)
    if port != args.port:
        log(f"Port {args.port} is in use; gunicorn listens on {port} instead.")
        args.port = port
    settings_module = "config.settings"
    server = Server(args.port, args.workers, server_env(args.port, settings_module), args.threads)
    worker = Worker(server_env(args.port, settings_module))
    results: dict = {}
    try:
        server.wait_ready()
        login_path = url("login") or "/masuk/"
        people = {"pk": targets["pk"], "kasi": targets["kasi"], "kasubsi": targets["kasubsi"],
                  "regional": scale.REGIONAL_USERNAME, "national": scale.NATIONAL_USERNAME,
                  "superuser": BENCH_ADMIN}  # fmt: skip
        browsers = {}
        for key, username in people.items():
            b = Browser("127.0.0.1", args.port, timeout=args.timeout)
            if not b.sign_in(login_path, username, PASSWORD):
                answer = b.last_sign_in
                raise SystemExit(f"Could not sign in as {username}: HTTP {answer.status} {answer.body[:300]!r}")
            browsers[key] = browsers[username] = b
        log("Pages:")
        pages = page_benchmarks(args, browsers, office, targets)
        log("Client list vs Django admin:")
        admin = admin_side_by_side(args, browsers, office)
        log("Every office changed at once:")
        outdating = viewer_after_outdating(browsers)
        # Fresh workers for the load test: a page abandoned above (client timeout) may still be running.
        memory_pages = server.memory()
        server.stop()
        server = Server(args.port, args.workers, server_env(args.port, settings_module), args.threads)
        server.wait_ready()
        log(f"Load test: {args.users} users for {args.duration} s ...")
        load = load_test(args, login_path, server, worker)
        if load.get("status") == "ok":
            log(f"  {load['requests']} requests, {load['errors']} errors, p95 {fmt_ms(load['p95'])} ms")
        memory = server.memory()
        memory["max_mb"] = memory_pages["max_mb"] + memory["max_mb"]
    finally:
        server.stop()
        worker.stop()
    reports = [] if args.no_reports else report_commands(args)
    results = {
        "started": started,
        "command": "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "args": vars(args),
        "workers": args.workers,
        "threads": args.threads,
        "machine": info,
        "seed": seed_info,
        "summaries": summaries_info,
        "counts": counts,
        "pages": pages,
        "admin": admin,
        "outdating": outdating,
        "load": load,
        "memory": memory,
        "reports": reports,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    markdown = render_markdown(results)
    merge_into_doc(Path(args.output), markdown)
    summary = args.summary
    if summary is None:
        summary = str(DEFAULT_SUMMARY) if Path(args.output).resolve() == DEFAULT_OUTPUT.resolve() else ""
    if summary:
        summary_path = Path(summary)
        link = os.path.relpath(Path(args.output).resolve(), summary_path.resolve().parent)
        merge_into_doc(summary_path, render_summary(results, link), marker="bench-summary")
    print()
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
