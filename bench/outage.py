"""Database outage under a load of writes: clear error page, recovery by itself, no acknowledged write lost.

    .venv/bin/python bench/outage.py [--mode private|cluster] [--writers 4] [--outage 10] [--record]

What it does:
1. PostgreSQL: ``--mode private`` (default) starts a throw-away PostgreSQL server of the machine's
   version in a temporary directory (initdb as the ``postgres`` user, its own port), so that other
   work on the machine's main cluster is not disturbed; ``--mode cluster`` uses the machine's
   ``main`` cluster (``pg_ctlcluster --skip-systemctl-redirect VERSION main stop/start``), as CI
   machines do. A fresh database ``bapas_outage`` is migrated and gets one office and its admin.
2. gunicorn (2 sync workers, DEBUG off as in production, behind an HTTPS proxy) on 127.0.0.1.
3. ``--writers`` admins create staff accounts through the real form (GET the form, POST it with
   its CSRF and one-time token), each at most every ``--pause`` seconds, for ``--before`` seconds.
4. PostgreSQL is stopped (fast shutdown: open connections are cut) for ``--outage`` seconds while
   the writers go on, then started again; the writers go on for ``--after`` seconds.
5. Checks: during the outage every answer is the Indonesian error page (503, Retry-After) and
   nothing hangs; after the restart the app answers successful writes again without being
   restarted; every write that got a success answer (302 to the staff list) is in the database,
   with its audit row. Exit status 0 only when all checks pass.
PostgreSQL is running again at the end whatever happens (try/finally). ``--record`` writes the
result into docs/RELIABILITY.md.

The script prepares everything it needs on a fresh clone (the database, ``collectstatic`` for the
production static storage, the admin) and checks the sign-in page answers before any writer
starts. Every wait is bounded (``--timeout``): a failure ends the run promptly with a message
saying what failed, and the writer threads never outlive the main thread.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.procs import stop_process_group  # noqa: E402

PY = sys.executable
DB_NAME = "bapas_outage"
ADMIN = "outage.admin"
PASSWORD = "Outage-bench-2026!"
ERROR_TEXT = "Terjadi gangguan"


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        raise SystemExit("PostgreSQL is not installed (no /etc/postgresql)")
    return versions[-1]


def pg_bin(name: str) -> str:
    candidate = Path(f"/usr/lib/postgresql/{pg_version()}/bin/{name}")
    return str(candidate) if candidate.exists() else name


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_ready(port: int) -> bool:
    result = subprocess.run([pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-q"], check=False)
    return result.returncode == 0


class BenchFailure(SystemExit):
    """A step failed: the run stops with this message (exit status 2)."""

    def __init__(self, message: str):
        super().__init__(f"outage: {message}")


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise BenchFailure(f"timed out after {timeout:g}s waiting for {what}")


def run_step(command: list[str], what: str, timeout: float, **kwargs) -> None:
    """Run one preparation command; on failure or timeout stop with its output."""
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired as exc:
        raise BenchFailure(f"{what} did not finish within {timeout:g}s") from exc
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()[-5:]
        raise BenchFailure(f"{what} failed (exit {exc.returncode}): " + " | ".join(detail)) from exc


# --- PostgreSQL --------------------------------------------------------------------------------


class PrivatePostgres:
    """A throw-away server in a temporary directory, owned by the postgres user."""

    mode = "private"

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="bapas-outage-"))
        self.data = self.dir / "data"
        self.port = free_port()
        shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres(pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    @staticmethod
    def _as_postgres(*args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        run_step([*prefix, *args], Path(args[0]).name, 120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._as_postgres(
            pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )
        wait_for(lambda: pg_ready(self.port), 30, "PostgreSQL to accept connections")

    def stop(self) -> None:
        self._as_postgres(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return pg_ready(self.port)

    def cleanup(self) -> None:
        if self.running():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class ClusterPostgres:
    """The machine's main cluster (port 5432), stopped and started with pg_ctlcluster."""

    mode = "cluster"
    port = 5432

    def _ctl(self, action: str) -> None:
        mode = ["--mode", "fast"] if action == "stop" else []
        run_step(
            ["pg_ctlcluster", "--skip-systemctl-redirect", *mode, pg_version(), "main", action], "pg_ctlcluster", 120
        )

    def start(self) -> None:
        if not self.running():
            self._ctl("start")
        wait_for(lambda: pg_ready(self.port), 60, "PostgreSQL to accept connections")

    def stop(self) -> None:
        self._ctl("stop")

    def running(self) -> bool:
        return pg_ready(self.port)

    def cleanup(self) -> None:
        self.start()


# --- the app ------------------------------------------------------------------------------------


def database_url(port: int) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{DB_NAME}"


def app_env(port: int, db_port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url(db_port),
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_OTP_REQUIRED="0",
        DJANGO_LOG_LEVEL="CRITICAL",
    )
    return env


def prepare_database(db_port: int, env: dict, timeout: float = 300) -> None:
    """A fresh database, migrated, with the office and its admin; the static files the app serves."""
    base = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(db_port), "PGUSER": "postgres"}
    run_step([pg_bin("dropdb"), "--if-exists", DB_NAME], "dropdb", timeout, env=base)
    run_step([pg_bin("createdb"), DB_NAME], "createdb", timeout, env=base)
    run_step([PY, "manage.py", "migrate", "--noinput", "-v", "0"], "migrate", timeout, cwd=ROOT, env=env)
    # DEBUG off serves static files from the manifest that collectstatic writes: without it every
    # page is a server error.
    run_step([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], "collectstatic", timeout, cwd=ROOT, env=env)
    script = (
        "from bapas.models import Office, Role, User\n"
        "office, _ = Office.objects.get_or_create(code='OUT', defaults={'name': 'Bapas Kelas I Uji', 'city': 'Uji'})\n"
        f"user = User(username='{ADMIN}', first_name='Admin', last_name='Uji', role=Role.ADMIN, office=office)\n"
        f"user.set_password('{PASSWORD}')\n"
        "user.save()\n"
    )
    run_step([PY, "manage.py", "shell", "-c", script], "creating the admin", timeout, cwd=ROOT, env=env)


class Gunicorn:
    def __init__(self, port: int, env: dict, log_path: Path, workers: int = 2):
        self.port = port
        self.log_path = log_path
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "config.wsgi:application", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5",
             "--log-level", "critical"],
            cwd=ROOT, env=env, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60) -> None:
        """/healthz answers, then the sign-in page renders (templates and static files work)."""
        from bench.client import Browser

        def ready():
            if self.process.poll() is not None:
                raise BenchFailure(f"gunicorn exited with code {self.process.returncode} (log: {self.log_path})")
            try:
                return Browser("127.0.0.1", self.port, timeout=5).get("/healthz").status == 200
            except OSError:
                return False

        wait_for(ready, timeout, "gunicorn to answer /healthz")
        try:
            page = Browser("127.0.0.1", self.port, timeout=timeout).get("/masuk/")
        except OSError as exc:
            raise BenchFailure(f"the sign-in page did not answer: {exc}") from exc
        if page.status != 200:
            raise BenchFailure(f"the sign-in page answered {page.status} (log: {self.log_path})")

    def stop(self) -> None:
        stop_process_group(self.process)
        self.log.close()


# --- load -----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    at: float
    kind: str  # "created", "error_page", "other"
    status: int
    seconds: float
    username: str = ""
    detail: str = ""


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    outcomes: list[Outcome] = field(default_factory=list)
    sign_ins: list[bool] = field(default_factory=list)

    def signed_in(self, ok: bool) -> None:
        with self.lock:
            self.sign_ins.append(ok)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def answered_since(self, moment: float) -> int:
        with self.lock:
            return sum(1 for o in self.outcomes if o.at >= moment)


def classify(response, username: str, started: float) -> Outcome:
    seconds = time.time() - started
    location = response.location.rstrip("/")
    if response.status in (302, 303) and location.endswith("/staf"):
        return Outcome(started, "created", response.status, seconds, username)
    if response.status in (302, 303) and location.endswith("/ubah"):
        # A resent POST (the client retries once when a connection drops) that the submit-once
        # guard recognised: the first one was saved, and this answer says so.
        return Outcome(started, "created", response.status, seconds, username, detail="resent, saved once")
    if response.status in (500, 502, 503) and ERROR_TEXT in response.body:
        return Outcome(started, "error_page", response.status, seconds, detail=response.headers.get("retry-after", ""))
    return Outcome(started, "other", response.status, seconds, detail=f"{location} {response.body[:200]}")


def writer(
    index: int, port: int, go: threading.Event, deadline: list, pause: float, stats: Stats, max_writes: int,
    timeout: float = 30,
):  # fmt: skip
    """One signed-in admin writing until the deadline. Never waits unbounded: when ``go`` is not set
    within ``timeout`` (the main thread gave up) it returns."""
    from bench.client import Browser, parse

    browser = Browser("127.0.0.1", port, timeout=timeout)
    try:
        signed_in = browser.sign_in("/masuk/", ADMIN, PASSWORD)
    except OSError:
        signed_in = False
    stats.signed_in(signed_in)
    if not go.wait(timeout) or not signed_in or deadline[0] == 0:
        browser.close()
        return
    number = 0
    while time.time() < deadline[0] and number < max_writes:
        number += 1
        username = f"outage-w{index}-{number:05d}"
        started = time.time()
        try:
            page = browser.get("/staf/baru/")
            forms = [f for f in parse(page.body).forms if f.method == "post" and "_submit_once" in dict(f.fields)]
            if page.status != 200 or not forms:
                stats.add(classify(page, "", started))
            else:
                data = forms[0].data(
                    username=username,
                    first_name="Uji",
                    last_name=f"Gangguan {index}-{number}",
                    role="PK",
                    password1=PASSWORD,
                    password2=PASSWORD,
                )
                posted = time.time()
                stats.add(classify(browser.post("/staf/baru/", data, referer="/staf/baru/"), username, posted))
        except OSError as exc:  # the connection itself failed: counted, never a success
            stats.add(Outcome(started, "other", 0, time.time() - started, detail=f"{type(exc).__name__}: {exc}"))
            browser.close()
        time.sleep(pause)
    browser.close()


def database_usernames(db_port: int) -> tuple[set[str], set[str]]:
    import psycopg2

    connection = psycopg2.connect(dbname=DB_NAME, host="127.0.0.1", port=db_port, user="postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT username FROM bapas_user WHERE username LIKE 'outage-w%%'")
            users = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT username FROM bapas_historicaluser WHERE username LIKE 'outage-w%%' AND history_type = '+'"
            )
            audited = {row[0] for row in cursor.fetchall()}
    finally:
        connection.close()
    return users, audited


# --- main -----------------------------------------------------------------------------------------


def summarise(
    stats: Stats,
    t_stop: float,
    t_down_confirmed: float,
    t_start: float,
    db_users,
    audited,
    t_restart: float | None = None,
) -> dict:
    outcomes = sorted(stats.outcomes, key=lambda o: o.at)
    created = [o for o in outcomes if o.kind == "created"]
    acknowledged = {o.username for o in created}
    # Requests that began while the server was being stopped may still have been served, and one
    # still running when the restart began may be served by the restarted server: judge the outage
    # only by requests that began after PostgreSQL was confirmed down and ended before its restart began.
    restart = t_start if t_restart is None else t_restart
    during = [o for o in outcomes if t_down_confirmed <= o.at and o.at + o.seconds <= restart]
    after = [o for o in outcomes if o.at >= t_start]
    first_success_after = next((o for o in after if o.kind == "created"), None)
    missing = sorted(acknowledged - db_users)
    return {
        "requests": len(outcomes),
        "writes_acknowledged": len(acknowledged),
        "writes_acknowledged_before_outage": sum(1 for o in created if o.at < t_stop),
        "writes_acknowledged_after_restart": sum(1 for o in created if o.at >= t_start),
        "acknowledged_found_in_database": len(acknowledged & db_users),
        "acknowledged_missing_from_database": missing,
        "acknowledged_without_audit_row": sorted(acknowledged - audited),
        "in_database_without_acknowledgement": len(db_users - acknowledged),
        "during_outage_requests": len(during),
        "during_outage_error_pages": sum(1 for o in during if o.kind == "error_page"),
        "during_outage_statuses": sorted({o.status for o in during}),
        "during_outage_other": [f"{o.status} {o.detail[:80]}" for o in during if o.kind != "error_page"][:5],
        "during_outage_max_seconds": round(max((o.seconds for o in during), default=0), 2),
        "during_outage_retry_after": sorted({o.detail for o in during if o.kind == "error_page"}),
        "successes_during_outage": sum(1 for o in during if o.kind == "created"),
        "recovery_seconds": round(first_success_after.at + first_success_after.seconds - t_start, 2)
        if first_success_after
        else None,
        "other_outcomes": [f"{o.status} {o.detail[:80]}" for o in outcomes if o.kind == "other"][:5],
        "machine_load_1min": round(os.getloadavg()[0], 1),
    }


def verdict(summary: dict) -> list[str]:
    failures = []
    if summary["writes_acknowledged_before_outage"] == 0:
        failures.append("no write succeeded before the outage")
    if summary["acknowledged_missing_from_database"]:
        failures.append(f"{len(summary['acknowledged_missing_from_database'])} acknowledged writes are missing")
    if summary["acknowledged_without_audit_row"]:
        failures.append("acknowledged writes without an audit row")
    if summary["during_outage_requests"] == 0:
        failures.append("no request was made during the outage")
    elif summary["during_outage_error_pages"] != summary["during_outage_requests"]:
        failures.append("some answers during the outage were not the error page")
    if summary["during_outage_retry_after"] != ["30"]:
        failures.append("the outage answers did not say Retry-After: 30")
    if summary["successes_during_outage"]:
        failures.append("a write was acknowledged while the database was down")
    if summary["recovery_seconds"] is None:
        failures.append("the app did not recover after the restart")
    return failures


def record(summary: dict, failures: list[str], args, pg_mode: str) -> None:
    doc = ROOT / "docs" / "RELIABILITY.md"
    text = doc.read_text() if doc.exists() else ""
    start, end = "<!-- outage:start -->", "<!-- outage:end -->"
    block = "\n".join(
        [
            start,
            f"Last run: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, `bench/outage.py --mode {pg_mode} "
            f"--writers {args.writers} --before {args.before:g} --outage {args.outage:g} --after {args.after:g}` — **{'PASS' if not failures else 'FAIL'}**"
            + (f" ({'; '.join(failures)})" if failures else ""),
            "",
            "| measure | value |",
            "|---|---|",
            *[
                f"| {key.replace('_', ' ')} | {json.dumps(value, ensure_ascii=False)} |"
                for key, value in summary.items()
            ],
            end,
        ]
    )
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text)
    log(f"recorded in {doc.relative_to(ROOT)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["private", "cluster"], default="private")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--pause", type=float, default=0.2, help="seconds each writer waits between writes")
    parser.add_argument("--before", type=float, default=8)
    parser.add_argument("--outage", type=float, default=10)
    parser.add_argument("--after", type=float, default=15)
    parser.add_argument("--max-writes", type=int, default=2000, help="per writer: bounds the load")
    parser.add_argument("--record", action="store_true", help="write the result into docs/RELIABILITY.md")
    parser.add_argument("--timeout", type=float, default=120, help="seconds allowed for any one wait or step")
    args = parser.parse_args(argv)

    postgres = PrivatePostgres() if args.mode == "private" else ClusterPostgres()
    server = None
    try:
        postgres.start()
        port = free_port()
        env = app_env(port, postgres.port)
        log(f"PostgreSQL ({postgres.mode}) on port {postgres.port}; preparing database {DB_NAME}")
        prepare_database(postgres.port, env, timeout=max(args.timeout, 300))
        server = Gunicorn(port, env, log_path=Path(tempfile.gettempdir()) / "bapas-outage-gunicorn.log")
        server.wait_ready(args.timeout)
        log(f"gunicorn on 127.0.0.1:{port}; {args.writers} writers for {args.before}s before the outage")

        stats, go, deadline = Stats(), threading.Event(), [float("inf")]
        threads = [
            threading.Thread(
                target=writer,
                args=(i, port, go, deadline, args.pause, stats, args.max_writes, args.timeout),
                daemon=True,  # a failed run never waits for them
            )
            for i in range(args.writers)
        ]
        for thread in threads:
            thread.start()
        try:
            wait_for(lambda: len(stats.sign_ins) == args.writers, args.timeout, "the writers to sign in")
            if not all(stats.sign_ins):
                raise BenchFailure(f"{stats.sign_ins.count(False)} of {args.writers} writers could not sign in")
        except SystemExit:
            deadline[0] = 0  # release the writers: they see the event and stop
            go.set()
            raise
        deadline[0] = time.time() + args.before + args.outage + args.after + 3
        go.set()
        time.sleep(args.before)
        t_stop = time.time()
        log("stopping PostgreSQL")
        postgres.stop()
        t_down_confirmed = time.time()
        log(f"PostgreSQL is down ({t_down_confirmed - t_stop:.1f}s to stop); waiting {args.outage}s")
        time.sleep(max(0.0, args.outage - (t_down_confirmed - t_stop)))
        # On a busy machine stopping can use up the whole window: PostgreSQL stays down until a
        # request begun after it went down has been answered (bounded), so the outage is really met.
        wait_for(lambda: stats.answered_since(t_down_confirmed) > 0, args.timeout, "an answer during the outage")
        log("starting PostgreSQL")
        t_restart = time.time()
        postgres.start()
        t_start = time.time()
        deadline[0] = max(deadline[0], t_start + args.after)
        log(f"PostgreSQL is up; writers go on for {args.after}s")
        for thread in threads:
            thread.join(timeout=max(0.0, deadline[0] - time.time()) + args.timeout)
        if any(thread.is_alive() for thread in threads):
            raise BenchFailure("a writer did not finish in time (a request hung)")
        db_users, audited = database_usernames(postgres.port)
        summary = summarise(stats, t_stop, t_down_confirmed, t_start, db_users, audited, t_restart)
        failures = verdict(summary)
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        log("PASS" if not failures else "FAIL: " + "; ".join(failures))
        if args.record:
            record(summary, failures, args, postgres.mode)
        return 0 if not failures else 1
    finally:
        if server is not None:
            server.stop()
        try:
            if not postgres.running():
                log("making sure PostgreSQL runs again")
                postgres.start()
        finally:
            if args.mode == "private":
                postgres.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
