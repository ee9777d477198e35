"""The parts of ``bench/cluster.py`` that run inside the client network namespace.

``bench/cluster.py`` (root, outside) builds the namespaces and starts and kills the hosts; everything
that talks to a host's address runs here, started with ``ip netns exec PREFIX-client``:

    prepare  OUT.json         (Django, primary) the batch session, the probes' users and paths, the load specs
    client   PLAN.json ...    the 50-user load test and the probes (a writer of wajib lapor, a report reader)
                              through the balancer, from a "go" file until a "stop" file (or --max-seconds)
    batch    PLAN.json ...    ask for the certificate batch, or read its status (cookies kept in a file)
    verify   PLAN.json ...    (Django, primary) which acknowledged writes are in the primary, the batch's end

Every loop is bounded by a deadline or a count; every wait by a timeout.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load import LoadUser  # noqa: E402

PASSWORD = "demo-bapas-2026"  # the scale data's staff (config/scale)
LOGIN = "/masuk/"
NOTE_PREFIX = "cluster-ack"
ERROR_TEXT = "Terjadi gangguan"
STATUS_PATH = "/laporan/berkas/{id}/status.json"  # reports:generated_status


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def wait_file(path: Path, timeout: float) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists():
            return True
        time.sleep(0.2)
    return False


# --- prepare (Django) -------------------------------------------------------------------------------


def prepare(users: int, batch: int) -> dict:
    """What the run needs from the data: load specs, the probes' users and paths, a large batch."""
    django_setup()
    from django.urls import reverse
    from django.utils import timezone

    from bapas.models import Office, Role, User
    from bench.run import load_specs
    from clients.models import Client

    office = Office.objects.get(code="S001")
    kasi = User.objects.get(office=office, role=Role.KASI)
    specs = load_specs(users)
    taken = {spec["username"] for spec in specs}
    writers = User.objects.filter(office__in=Office.objects.filter(code__startswith="S"), role=Role.PK)
    writer = next(u for u in writers.order_by("office__code", "-username") if u.username not in taken)
    yesterday = timezone.localdate() - timedelta(days=1)
    clients = (
        Client.objects.filter(
            officer=writer, status="AKTIF", programme_start__lte=yesterday, programme_end__gt=yesterday
        )
        .order_by("id")
        .values_list("id", flat=True)[:50]
    )
    session = batch_session(office, batch)
    kasubsi = User.objects.get(office=office, role=Role.KASUBSI)
    year = session.start_date.year
    return {
        "specs": specs,
        "writer": {"username": writer.username, "visits": [reverse("clients:visit_create", args=[c]) for c in clients]},
        "reader": {
            "username": kasi.username,
            "paths": [reverse("reports:dashboard_office"), reverse("reports:report", args=["participation"]) + f"?period=range&date_from={year}-01-01&date_to={year}-12-31"],
        },
        "batch": {"username": kasubsi.username, "path": reverse("certificates_pdf", args=[session.pk]), "session": session.pk},
    }  # fmt: skip


def batch_session(office, size: int):
    """A held session of the office whose certificate PDF is large enough to be made in the background:
    the scale data's sessions hold about twenty, so more of the office's clients join it with a
    certificate (rows written directly, as the scale seeder writes them)."""
    from django.db.models import Count, Q

    from clients.models import Client
    from trainings.models import Enrolment, TrainingSession

    session = (
        TrainingSession.objects.filter(office=office, status="HELD")
        .annotate(n=Count("enrolments", filter=Q(enrolments__certificate_number__isnull=False)))
        .order_by("-n", "pk")
        .first()
    )
    have = session.n
    enrolled = Enrolment.objects.filter(session=session).values_list("client_id", flat=True)
    extra = Client.objects.filter(office=office).exclude(pk__in=enrolled).order_by("pk")[: max(0, size - have)]
    Enrolment.objects.bulk_create(
        Enrolment(
            session=session,
            client=client,
            status=Enrolment.Status.REGISTERED,
            certificate_number=f"CLUSTER/{session.pk}/{number:04d}",
        )
        for number, client in enumerate(extra, start=1)
    )
    return session


# --- the load test and the probes ---------------------------------------------------------------------


class TimedUser(LoadUser):
    """A load-test user (bench/load.py) that keeps the start time and outcome of every request, and stops
    when the shared deadline (which the runner can bring forward) has passed."""

    def __init__(self, browser, spec, deadline, think, rng, stats):
        super().__init__(browser, spec, 0.0, think, rng, stats)
        self.shared_deadline = deadline

    def record(self, action, response, ok):
        super().record(action, response, ok)
        ended = time.time()
        with self.stats["lock"]:
            self.stats["events"].append(
                [round(ended - response.elapsed_ms / 1000, 3), round(ended, 3), action, ok, response.status]
            )

    def run(self):
        time.sleep(self.rng.uniform(0, self.think))
        while time.time() < self.shared_deadline.value:
            started = time.time()
            try:
                self.step()
            except Exception as exc:  # the connection failed: a failed request, never a stop
                with self.stats["lock"]:
                    self.stats["events"].append([round(started, 3), round(time.time(), 3), "connection", False, 0])
                    self.stats["exceptions"].append(repr(exc)[:200])
                self.browser.close()
            time.sleep(self.rng.uniform(0.5 * self.think, 1.5 * self.think))


def _load_process(specs, host, port, timeout, think, seed, ready, go, deadline, results):
    from bench.client import Browser

    stats = {"lock": threading.Lock(), "actions": {}, "error_samples": [], "exceptions": [], "events": []}
    browsers = []
    for spec in specs:
        browser = Browser(host, port, timeout=timeout)
        try:
            browsers.append(browser if browser.sign_in(LOGIN, spec["username"], PASSWORD) else None)
        except OSError as exc:
            stats["exceptions"].append(f"sign-in {spec['username']}: {exc!r}")
            browsers.append(None)
    ready.put(sum(1 for b in browsers if b))
    if not go.wait(900):
        return
    rng = random.Random(seed)
    users = [
        TimedUser(b, spec, deadline, think, random.Random(rng.random()), stats)
        for spec, b in zip(specs, browsers, strict=True)
        if b is not None
    ]
    for user in users:
        user.start()
    for user in users:
        user.join(max(0.0, deadline.value - time.time()) + timeout + 5)
    stats.pop("lock")
    results.put({"events": stats["events"], "exceptions": stats["exceptions"][:20], "users": len(users)})


def error_text(body: str) -> str:
    """The form's or the page's error, for the record of a write that was not acknowledged."""
    import re

    found = re.findall(r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</', body, re.S)
    text = " ".join(" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found)
    return (text or ("error page" if ERROR_TEXT in body else "no error shown"))[:200]


class Probe:
    """The writer (wajib lapor through the real form, a unique note each) and the report reader."""

    def __init__(self, plan: dict, host: str, port: int, timeout: float, stop: Path, max_seconds: float):
        from bench.client import Browser

        self.plan, self.stop, self.until = plan, stop, time.time() + max_seconds
        self.writer = Browser(host, port, timeout=timeout)
        self.reader = Browser(host, port, timeout=timeout)
        self.writes: list[list] = []
        self.reads: list[list] = []
        self.run_id = f"{int(time.time())}"
        self.first_minute: datetime | None = None

    def sign_in(self) -> bool:
        return self.writer.sign_in(LOGIN, self.plan["writer"]["username"], PASSWORD) and self.reader.sign_in(
            LOGIN, self.plan["reader"]["username"], PASSWORD
        )

    def going(self) -> bool:
        return time.time() < self.until and not self.stop.exists()

    def reported_at(self, form, round_: int) -> str:
        """A client reports once a minute at most: round N of the writer (over its clients) records the
        report N minutes before the first form's time, so no two of one client's reports share a minute."""
        if self.first_minute is None:
            self.first_minute = datetime.strptime(dict(form.fields)["reported_at"][:16], "%Y-%m-%dT%H:%M")
        return (self.first_minute - timedelta(minutes=round_)).strftime("%Y-%m-%dT%H:%M")

    def write_loop(self, pause: float = 0.5, max_writes: int = 5000) -> None:
        from bench.client import parse

        visits = self.plan["writer"]["visits"]
        for number in range(max_writes):
            if not self.going():
                return
            path = visits[number % len(visits)]
            note = f"{NOTE_PREFIX}-{self.run_id}-{number:05d}"
            started = time.time()
            status, ack, detail = 0, False, ""
            try:
                page = self.writer.get(path)
                forms = [f for f in parse(page.body).forms if f.method == "post" and f.textareas]
                if page.status == 200 and forms:
                    form = max(forms, key=lambda f: len(f.fields))
                    started = time.time()
                    data = form.data(notes=note, reported_at=self.reported_at(form, number // len(visits)))
                    response = self.writer.post(form.action or path, data, referer=path)
                    status, ack = response.status, response.status in (302, 303)
                    detail = response.location if ack else error_text(response.body)
                else:
                    status, detail = page.status, "form page"
            except OSError as exc:
                detail = type(exc).__name__
                self.writer.close()
            self.writes.append([round(started, 3), round(time.time(), 3), status, note if ack else "", detail])
            time.sleep(pause)

    def read_loop(self, pause: float = 1.0, max_reads: int = 5000) -> None:
        paths = self.plan["reader"]["paths"]
        for number in range(max_reads):
            if not self.going():
                return
            started, status, ok = time.time(), 0, False
            try:
                response = self.reader.get(paths[number % len(paths)])
                status = response.status
                ok = status == 200 and ERROR_TEXT not in response.body
            except OSError:
                self.reader.close()
            self.reads.append([round(started, 3), round(time.time(), 3), status, ok])
            time.sleep(pause)


def run_client(args) -> dict:
    """Sign everyone in, say ready, start at the go file, end at the stop file (or --max-seconds)."""
    plan = json.loads(Path(args.plan).read_text())
    host, port = args.base.split(":")
    specs = plan["specs"][: args.users]
    context = multiprocessing.get_context("fork")
    processes = max(1, min(args.processes, len(specs)))
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    deadline = context.Value("d", 0.0)
    rng = random.Random(args.seed)
    children = [
        context.Process(target=_load_process, daemon=True,
                        args=(specs[i::processes], host, int(port), args.timeout, args.think, rng.random(), ready, go,
                              deadline, results))
        for i in range(processes)
    ]  # fmt: skip
    for child in children:
        child.start()
    signed_in = sum(ready.get(timeout=args.ready_timeout) for _ in children)
    probe = Probe(plan, host, int(port), args.timeout, Path(args.stop), args.max_seconds)
    if not probe.sign_in():
        raise SystemExit("the probes could not sign in through the balancer")
    Path(args.ready).write_text(json.dumps({"signed_in": signed_in, "users": len(specs)}))
    if not wait_file(Path(args.go), args.ready_timeout):
        deadline.value = 0
        go.set()
        raise SystemExit("no go file in time")
    started = time.time()
    deadline.value = started + args.max_seconds
    go.set()
    threads = [
        threading.Thread(target=probe.write_loop, daemon=True),
        threading.Thread(target=probe.read_loop, daemon=True),
    ]
    for thread in threads:
        thread.start()
    while probe.going():
        time.sleep(0.5)
    deadline.value = time.time()  # the stop file: the users end after their current action
    for thread in threads:
        thread.join(args.timeout + 5)
    parts = [results.get(timeout=args.timeout + 60) for _ in children]
    for child in children:
        child.join(10)
    return {
        "started": started,
        "ended": time.time(),
        "signed_in": signed_in,
        "users": sum(p["users"] for p in parts),
        "events": sorted(e for p in parts for e in p["events"]),
        "exceptions": [x for p in parts for x in p["exceptions"]][:20],
        "writes": probe.writes,
        "reads": probe.reads,
    }


# --- the certificate batch ------------------------------------------------------------------------------


def batch(args) -> dict:
    from bench.client import Browser

    plan = json.loads(Path(args.plan).read_text())
    host, port = args.base.split(":")
    browser = Browser(host, int(port), timeout=args.timeout)
    cookies = Path(args.cookies)
    if cookies.exists():
        browser.cookies = json.loads(cookies.read_text())
    elif not browser.sign_in(LOGIN, plan["batch"]["username"], PASSWORD):
        raise SystemExit("the batch's user could not sign in")
    cookies.write_text(json.dumps(browser.cookies))
    if args.action == "request":
        response = browser.get(plan["batch"]["path"])
        location = response.location.rstrip("/")
        if response.status not in (302, 303) or "/berkas/" not in location:
            raise SystemExit(f"the certificate PDF was not made in the background: HTTP {response.status} {location}")
        return {"id": int(location.rsplit("/", 1)[1])}
    response = browser.get(STATUS_PATH.format(id=args.id))
    if response.status != 200:
        return {"status": f"HTTP {response.status}"}
    return json.loads(response.body)


# --- verify (Django) ----------------------------------------------------------------------------------


def verify(args) -> dict:
    django_setup()
    from clients.models import ReportingVisit
    from reports.models import GeneratedFile

    client = json.loads(Path(args.client).read_text())
    acknowledged = {w[3] for w in client["writes"] if w[3]}
    run_prefix = f"{NOTE_PREFIX}-"
    stored = set(ReportingVisit.objects.filter(notes__startswith=run_prefix).values_list("notes", flat=True))
    audited = set(
        ReportingVisit.history.filter(notes__startswith=run_prefix, history_type="+").values_list("notes", flat=True)
    )
    result = {
        "acknowledged": len(acknowledged),
        "found": len(acknowledged & stored),
        "lost": sorted(acknowledged - stored),
        "without_audit_row": sorted(acknowledged - audited),
        "stored_without_acknowledgement": len(stored - acknowledged),
    }
    if args.batch_id:
        generated = GeneratedFile.objects.get(pk=args.batch_id)
        result["batch"] = {
            "status": generated.status,
            "attempts": generated.attempts,
            "file_bytes": generated.file.size if generated.file else 0,
            "error": generated.error,
        }
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--batch", type=int, default=100)
    p = sub.add_parser("client")
    for name, default in (("--users", 50), ("--processes", 3), ("--seed", 1)):
        p.add_argument(name, type=int, default=default)
    for name, default in (("--think", 5.0), ("--timeout", 60.0), ("--ready-timeout", 600.0), ("--max-seconds", 900.0)):
        p.add_argument(name, type=float, default=default)
    for name in ("--plan", "--base", "--ready", "--go", "--stop"):
        p.add_argument(name, required=True)
    p = sub.add_parser("batch")
    p.add_argument("action", choices=["request", "status"])
    p.add_argument("--id", type=int)
    p.add_argument("--timeout", type=float, default=60)
    for name in ("--plan", "--base", "--cookies"):
        p.add_argument(name, required=True)
    p = sub.add_parser("verify")
    p.add_argument("--client", required=True)
    p.add_argument("--batch-id", type=int)
    for p in sub.choices.values():
        p.add_argument("--out", default="-")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        result = prepare(args.users, args.batch)
    elif args.command == "client":
        result = run_client(args)
    elif args.command == "batch":
        result = batch(args)
    else:
        result = verify(args)
    text = json.dumps(result, default=str)
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
