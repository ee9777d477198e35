"""The multi-host proof: a primary and a standby database, two application hosts, a worker host, a cache
and a load balancer, each in its own network namespace on this machine, under the 50-user load test
while hosts fail.

    sudo .venv/bin/python bench/cluster.py [--clients 5000] [--users 50] [--no-record]   # make bench-cluster
    .venv/bin/python bench/cluster.py --smoke      # seconds, no root: builds and checks the plan only

Needs root (ip netns, veth), PostgreSQL's server binaries, haproxy, and redis-server when there is one
(without it the hosts share no cache: sessions, lock-outs and form tokens are in the database anyway).

1. Network: namespaces ``bpc-lb``, ``bpc-app1``, ``bpc-app2``, ``bpc-worker``, ``bpc-db1``,
   ``bpc-db2``, ``bpc-cache`` and ``bpc-client``, each with one veth into a bridge in ``bpc-net``,
   addresses in 10.77.0.0/24. Nothing listens outside them; nothing else on the machine is touched.
2. ``db1``: a PostgreSQL primary (``initdb`` as the postgres user in a temporary folder); the data:
   ``seed_scale --clients N``, the dashboards' summary rows, a training with a large certificate batch.
   ``db2``: a hot standby made with ``pg_basebackup -R`` and kept by streaming replication.
3. ``app1``, ``app2``: gunicorn with DATABASE_URL, DATABASE_REPLICA_URL and REDIS_URL as in
   deploy/bapas.env.example; ``worker``: ``db_worker``; ``lb``: HAProxy with the backend of
   deploy/haproxy/haproxy.cfg (health checks on /healthz, one retry on another host).
4. From ``client``: the 50-user load test of ``make bench`` through the balancer, a writer recording
   wajib lapor (a unique note each; every answer of success is an acknowledged write) and a reader of
   report pages. Meanwhile, one after the other: app1 is killed (every process, SIGKILL, and its link
   cut) and later started again; the standby is stopped and started; the worker host's worker is
   killed while the certificate batch runs (a worker on app2 must finish it); the primary is restarted.
5. Checks: no acknowledged write missing from the primary, no request failing that began after app1
   died (only those in flight may fail), report pages served while the standby is down, the batch
   finished by the other worker, the app answering writes again after the primary's restart.
   The table goes to docs/RELIABILITY.md (a marked block) and docs/performance/cluster.json.

Every wait has a timeout, every loop a bound; whatever happens (failure, Ctrl+C, SIGTERM), every
process started in the namespaces is killed and every namespace deleted. Leftovers of a crashed
earlier run (namespaces named ``bpc-*``) are removed at the start.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load import percentile  # noqa: E402

PY = sys.executable
PREFIX = "bpc"
SUBNET = ipaddress.ip_network("10.77.0.0/24")
HOSTS = {"lb": 10, "app1": 21, "app2": 22, "worker": 31, "db1": 41, "db2": 42, "cache": 51, "client": 100}
APP_PORT, LB_PORT, PG_PORT, REDIS_PORT = 8000, 80, 5432, 6379
DB_NAME = "bapas_cluster"
HAPROXY_DEPLOY = ROOT / "deploy" / "haproxy" / "haproxy.cfg"
DOC = ROOT / "docs" / "RELIABILITY.md"
JSON_OUT = ROOT / "docs" / "performance" / "cluster.json"
MARK_START, MARK_END = "<!-- cluster:start -->", "<!-- cluster:end -->"
SETTLE_S = 5  # after a fault has recovered, its window goes on this long (late failures still count)


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


class ClusterFailure(SystemExit):
    def __init__(self, message: str):
        super().__init__(f"cluster: {message}")


def ns(host: str) -> str:
    return f"{PREFIX}-{host}"


def ip(host: str) -> str:
    return str(SUBNET.network_address + HOSTS[host])


def wait_for(predicate, timeout: float, what: str, pause: float = 0.5):
    """Poll ``predicate`` until it returns something true; a ClusterFailure after ``timeout`` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(pause)
    raise ClusterFailure(f"timed out after {timeout:g}s waiting for {what}")


def sh(
    command: list[str], what: str, timeout: float = 120, check: bool = True, **kwargs
) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired as exc:
        raise ClusterFailure(f"{what} did not finish within {timeout:g}s") from exc
    if check and result.returncode != 0:
        detail = " | ".join((result.stderr or result.stdout or "").strip().splitlines()[-6:])
        raise ClusterFailure(f"{what} failed (exit {result.returncode}): {detail}")
    return result


# --- the plan -----------------------------------------------------------------------------------------


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return str(versions[-1] / name) if versions else name


def app_env(args, tmp: Path, secret: str) -> dict:
    """The environment of every application and worker host: deploy/bapas.env.example with this run's
    addresses (the same file everywhere)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "BAPAS_", "REDIS_"))}
    lb = ip("lb")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS=",".join([lb, ip("app1"), ip("app2")]),
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://{lb}:{LB_PORT},https://{lb}",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_OTP_REQUIRED="0",
        DJANGO_LOG_LEVEL="ERROR",
        BAPAS_PUBLIC_URL=f"https://{lb}",
        DATABASE_URL=f"postgres://postgres@{ip('db1')}:{PG_PORT}/{DB_NAME}",
        DATABASE_REPLICA_URL=f"postgres://postgres@{ip('db2')}:{PG_PORT}/{DB_NAME}",
        BAPAS_TRUSTED_PROXIES="1",  # HAProxy only: gunicorn listens on the host's address itself
        BAPAS_PRIVATE_ROOT=str(tmp / "private"),  # one folder for every host, as the NFS export would be
        BAPAS_GENERATED_FILE_STALLED_SECONDS=str(args.stalled_seconds),
    )
    if args.redis:
        env["REDIS_URL"] = f"redis://{ip('cache')}:{REDIS_PORT}/0"
    return env


def build_plan(args, tmp: Path) -> dict:
    """Hosts, their processes and the faults in order, each wait with its bound: what the run does."""
    lb = f"{ip('lb')}:{LB_PORT}"
    gunicorn = [
        str(Path(PY).parent / "gunicorn"),
        "config.wsgi:application",
        "--workers",
        str(args.app_workers),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--no-control-socket",
    ]  # fmt: skip  (the hosts share one file system here, and ~/.gunicorn)
    worker = [PY, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"]
    services = {
        "app1": [*gunicorn, "--bind", f"{ip('app1')}:{APP_PORT}"],
        "app2": [*gunicorn, "--bind", f"{ip('app2')}:{APP_PORT}"],
        "worker": worker,
        "app2-worker": worker,  # the other worker, on app2, that must finish the batch
        "lb": ["haproxy", "-db", "-f", str(tmp / "haproxy.cfg")],
    }
    if args.redis:
        services["cache"] = [args.redis, "--bind", ip("cache"), "--port", str(REDIS_PORT), "--save", "",
                             "--appendonly", "no", "--protected-mode", "no"]  # fmt: skip
    t = args.timeout
    faults = [
        {"name": "app host killed", "host": "app1", "hold_s": args.hold,
         "waits": {"a request in flight": 15, "marked down": t, "back in": t}},
        {"name": "standby stopped", "host": "db2", "hold_s": args.hold, "waits": {"stop": t, "start": t}},
        {"name": "worker killed mid-batch", "host": "worker", "hold_s": 0,
         "waits": {"batch running": t, "batch done": args.stalled_seconds + args.batch_timeout}},
        {"name": "primary restarted", "host": "db1", "hold_s": 0, "waits": {"restart": t, "hosts back": t}},
    ]  # fmt: skip
    return {
        "prefix": PREFIX,
        "subnet": str(SUBNET),
        "hosts": {host: {"namespace": ns(host), "address": ip(host)} for host in HOSTS},
        "balancer": lb,
        "database": f"{ip('db1')}:{PG_PORT}",
        "standby": f"{ip('db2')}:{PG_PORT}",
        "services": services,
        "faults": faults,
        "warmup_s": args.warmup,
        "tail_s": args.tail,
        "client": {"users": args.users, "max_seconds": args.max_seconds, "ready_timeout": t * 5},
    }


IPV4 = re.compile(r"(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\d.])")


def check_plan(plan: dict, env: dict, haproxy_cfg: str) -> list[str]:
    """Every address the run uses is one of the namespaces' hosts; every wait and loop has a finite bound."""
    problems = []
    ours = {h["address"] for h in plan["hosts"].values()}
    text = json.dumps(plan) + "\n" + json.dumps(env) + "\n" + haproxy_cfg
    for address in sorted(set(IPV4.findall(text))):
        if ipaddress.ip_address(address) in SUBNET and address in ours:
            continue
        if address == str(SUBNET.network_address):
            continue
        problems.append(f"address {address} is not a host of {SUBNET}")
    for url in re.findall(r"(?:postgres|redis|https?)://[^\s\",]+", text):
        host = re.sub(r"^.*?://(?:[^@/]*@)?", "", url).split("/")[0].split(":")[0]
        if host not in ours:
            problems.append(f"{url} points outside the namespaces")
    for fault in plan["faults"]:
        for what, bound in fault["waits"].items():
            if not (0 < bound < 3600):
                problems.append(f"{fault['name']}: wait for {what} is not bounded ({bound})")
    if not 0 < plan["client"]["max_seconds"] < 3600:
        problems.append("the load and the probes have no finite end")
    if len({h["namespace"] for h in plan["hosts"].values()}) != len(plan["hosts"]):
        problems.append("two hosts share a namespace")
    if not all(h["namespace"].startswith(PREFIX + "-") for h in plan["hosts"].values()):
        problems.append("a namespace without the run's prefix would survive the cleanup")
    return problems


def haproxy_config(tmp: Path) -> str:
    """deploy/haproxy/haproxy.cfg with this run's addresses: its defaults and backend as they are (checks,
    retry, redispatch), plain HTTP on the balancer's address, and an admin socket to read server states."""
    sections: dict[str, list[str]] = {}
    name = ""
    for line in HAPROXY_DEPLOY.read_text().splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            name = line.split()[0] + " " + " ".join(line.split()[1:2])
            sections[name.strip()] = []
        elif name and line.strip() and not line.strip().startswith("#"):
            sections[name.strip()].append(line.strip())
    defaults = [line for line in sections["defaults"] if not line.startswith(("log ", "option httplog"))]
    backend = [line for line in sections["backend app_hosts"] if not line.startswith("server ")]
    for needed in ("option httpchk GET /healthz", "retries 1", "option redispatch"):
        if needed not in defaults + backend:
            raise ClusterFailure(f"deploy/haproxy/haproxy.cfg no longer has '{needed}'")
    backend = [re.sub(r"hdr Host \S+", f"hdr Host {ip('lb')}", line) for line in backend]
    lines = ["global", "    maxconn 4096", f"    stats socket {tmp / 'haproxy.sock'} mode 600 level admin", "",
             "defaults", *[f"    {x}" for x in defaults], "",
             "frontend bapas", f"    bind {ip('lb')}:{LB_PORT}", "    default_backend app_hosts", "",
             "backend app_hosts", *[f"    {x}" for x in backend],
             *[f"    server {h} {ip(h)}:{APP_PORT} check" for h in ("app1", "app2")]]  # fmt: skip
    return "\n".join(lines) + "\n"


# --- the machine's side: namespaces, processes, PostgreSQL ----------------------------------------------


def our_namespaces() -> list[str]:
    out = sh(["ip", "netns", "list"], "ip netns list").stdout
    return [line.split()[0] for line in out.splitlines() if line.startswith(PREFIX + "-")]


def pids_in(namespace: str) -> list[int]:
    result = sh(["ip", "netns", "pids", namespace], "ip netns pids", check=False)
    return [int(p) for p in result.stdout.split()] if result.returncode == 0 else []


def kill_namespace_processes(namespace: str, sig=signal.SIGKILL, timeout: float = 10) -> None:
    for pid in pids_in(namespace):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    deadline = time.time() + timeout
    while pids_in(namespace) and time.time() < deadline:
        time.sleep(0.2)


def remove_namespaces() -> list[str]:
    """Kill what runs in the run's namespaces and delete them (veths and the bridge go with them)."""
    removed = []
    for namespace in our_namespaces():
        kill_namespace_processes(namespace, signal.SIGTERM, timeout=5)
        kill_namespace_processes(namespace, signal.SIGKILL)
        sh(["ip", "netns", "delete", namespace], f"deleting {namespace}", check=False)
        removed.append(namespace)
    return removed


def build_network() -> None:
    net = ns("net")
    sh(["ip", "netns", "add", net], "ip netns add")
    sh(["ip", "-n", net, "link", "add", "br0", "type", "bridge"], "bridge")
    sh(["ip", "-n", net, "link", "set", "br0", "up"], "bridge up")
    for host in HOSTS:
        name = ns(host)
        sh(["ip", "netns", "add", name], f"ip netns add {name}")
        sh(["ip", "link", "add", f"{PREFIX}-{host}-h", "netns", name, "type", "veth",
            "peer", "name", f"{PREFIX}-{host}-s", "netns", net], f"veth of {host}")  # fmt: skip
        sh(["ip", "-n", name, "link", "set", f"{PREFIX}-{host}-h", "name", "eth0"], "rename")
        sh(["ip", "-n", name, "addr", "add", f"{ip(host)}/{SUBNET.prefixlen}", "dev", "eth0"], "address")
        for link in ("lo", "eth0"):
            sh(["ip", "-n", name, "link", "set", link, "up"], "link up")
        sh(["ip", "-n", net, "link", "set", f"{PREFIX}-{host}-s", "master", "br0", "up"], "bridge port")


def set_link(host: str, state: str) -> None:
    sh(["ip", "-n", ns(host), "link", "set", "eth0", state], f"link of {host} {state}")


class Cluster:
    """What one run started: the temporary folder, the processes and the PostgreSQL servers."""

    def __init__(self, args, tmp: Path):
        self.args, self.tmp = args, tmp
        self.procs: dict[str, subprocess.Popen] = {}
        self.secret = secrets.token_urlsafe(50)
        self.env = app_env(args, tmp, self.secret)
        self.plan: dict = {}
        self.batch_args: list[str] = []
        self.batch_id: int | None = None
        self.standby_rows: int | None = None
        self.logs = tmp / "logs"
        self.logs.mkdir()
        (tmp / "private").mkdir()

    def spawn(self, name: str, host: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        with (self.logs / f"{name}.log").open("a") as out:
            process = subprocess.Popen(
                ["ip", "netns", "exec", ns(host), *command], cwd=ROOT, env=env or self.env,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.procs[name] = process
        return process

    def inside(self, *args: str, what: str, timeout: float, env: dict | None = None) -> dict:
        """Run bench/cluster_inside.py in the client namespace; its JSON answer."""
        out = self.tmp / f"inside-{secrets.token_hex(4)}.json"
        sh(["ip", "netns", "exec", ns("client"), PY, "bench/cluster_inside.py", *args, "--out", str(out)],
           what, timeout, cwd=ROOT, env=env or self.env)  # fmt: skip
        return json.loads(out.read_text())

    def manage(self, *args: str, what: str, timeout: float) -> str:
        env = {k: v for k, v in self.env.items() if k != "DATABASE_REPLICA_URL"}
        return sh(["ip", "netns", "exec", ns("client"), PY, "manage.py", *args], what, timeout, cwd=ROOT,
                  env=env).stdout  # fmt: skip

    # PostgreSQL, as the postgres user, inside the database host's namespace
    def pg(self, host: str, *args: str, what: str, timeout: float | None = None) -> None:
        sh(["ip", "netns", "exec", ns(host), "runuser", "-u", "postgres", "--", *args], what,
           timeout or self.args.timeout, cwd="/")  # fmt: skip

    def pg_ctl(self, host: str, action: str, *extra: str) -> None:
        data = self.tmp / host
        self.pg(host, pg_bin("pg_ctl"), "-D", str(data), "-l", str(self.logs / f"{host}-postgres.log"), "-w",
                "-t", str(int(self.args.timeout)), *extra, action, what=f"pg_ctl {action} on {host}")  # fmt: skip

    def pg_settings(self, host: str) -> str:
        sockets = self.tmp / f"sock-{host}"
        sockets.mkdir(exist_ok=True)
        shutil.chown(sockets, "postgres", "postgres")
        return (f"\n# bench/cluster.py\nlisten_addresses = '{ip(host)}'\nport = {PG_PORT}\n"
                f"unix_socket_directories = '{sockets}'\nfsync = on\nsynchronous_commit = on\n")  # fmt: skip

    def start_primary(self) -> None:
        data = self.tmp / "db1"
        self.pg("db1", pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                what="initdb")  # fmt: skip
        # deploy/postgresql/primary.conf's replication settings, this run's addresses
        conf = (
            self.pg_settings("db1")
            + "wal_level = replica\nmax_wal_senders = 10\nwal_keep_size = '512MB'\nhot_standby = on\n"
        )
        with (data / "postgresql.conf").open("a") as handle:
            handle.write(conf)
        with (data / "pg_hba.conf").open("a") as handle:
            handle.write(f"host all all {SUBNET} trust\nhost replication all {SUBNET} trust\n")
        self.pg_ctl("db1", "start")

    def start_standby(self) -> None:
        data = self.tmp / "db2"
        self.pg("db2", pg_bin("pg_basebackup"), "-h", ip("db1"), "-p", str(PG_PORT), "-U", "postgres", "-D",
                str(data), "-X", "stream", "--checkpoint=fast", "-R", what="pg_basebackup", timeout=self.args.timeout * 5)  # fmt: skip
        # deploy/postgresql/standby.conf
        with (data / "postgresql.conf").open("a") as handle:
            handle.write(self.pg_settings("db2") + "hot_standby = on\nhot_standby_feedback = on\n")
        self.pg_ctl("db2", "start")

    def stop_postgres(self) -> None:
        for host in ("db1", "db2"):
            if (self.tmp / host / "postmaster.pid").exists():
                sh([*(["runuser", "-u", "postgres", "--"]), pg_bin("pg_ctl"), "-D", str(self.tmp / host), "-m",
                    "immediate", "-w", "-t", "30", "stop"], f"stopping {host}", 60, check=False, cwd="/")  # fmt: skip

    def haproxy_state(self) -> dict[str, dict]:
        """The backend's servers as HAProxy sees them: status (UP, DOWN, ...) and current sessions."""
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(5)
                sock.connect(str(self.tmp / "haproxy.sock"))
                sock.sendall(b"show stat\n")
                raw = b""
                while chunk := sock.recv(65536):
                    raw += chunk
        except OSError:
            return {}
        rows = csv.DictReader(raw.decode().lstrip("# ").splitlines())
        return {r["svname"]: {"status": r["status"], "scur": int(r["scur"] or 0)} for r in rows
                if r["pxname"] == "app_hosts" and r["svname"].startswith("app")}  # fmt: skip

    def server_is(self, name: str, prefix: str) -> bool:
        return self.haproxy_state().get(name, {}).get("status", "").startswith(prefix)


# --- the run ------------------------------------------------------------------------------------------


def prepare(cluster: Cluster, plan: dict) -> dict:
    """The primary with the scale data, the standby copied from it, the cache; the plan of the client."""
    args = cluster.args
    if "cache" in plan["services"]:
        cluster.spawn("cache", "cache", plan["services"]["cache"])
    cluster.start_primary()
    sh(["ip", "netns", "exec", ns("client"), pg_bin("createdb"), "-h", ip("db1"), "-U", "postgres", DB_NAME],
       "createdb")  # fmt: skip
    log("migrate, collectstatic")
    cluster.manage("migrate", "--noinput", "-v", "0", what="migrate", timeout=args.timeout * 5)
    cluster.manage("collectstatic", "--noinput", "-v", "0", what="collectstatic", timeout=args.timeout * 5)
    log(f"seed_scale --clients {args.clients}")
    started = time.time()
    cluster.manage("seed_scale", "--clients", str(args.clients), "--seed", "1", what="seed_scale",
                   timeout=args.timeout * 10)  # fmt: skip
    cluster.manage("refresh_dashboards", what="refresh_dashboards", timeout=args.timeout * 5)
    env = {k: v for k, v in cluster.env.items() if k != "DATABASE_REPLICA_URL"}
    client_plan = cluster.inside("prepare", "--users", str(args.users), "--batch", str(args.batch),
                                 what="preparing the probes", timeout=args.timeout * 2, env=env)  # fmt: skip
    seeded = round(time.time() - started, 1)
    log(f"data ready in {seeded}s; making the standby (pg_basebackup)")
    cluster.start_standby()
    (cluster.tmp / "plan.json").write_text(json.dumps(client_plan))
    return {"seed_seconds": seeded, "batch_session": client_plan["batch"]["session"]}


def start_hosts(cluster: Cluster, plan: dict) -> None:
    services = plan["services"]
    (cluster.tmp / "haproxy.cfg").write_text(haproxy_config(cluster.tmp))
    sh(["haproxy", "-c", "-q", "-f", str(cluster.tmp / "haproxy.cfg")], "haproxy -c")
    for host in ("app1", "app2"):
        cluster.spawn(host, host, services[host])
    cluster.spawn("worker", "worker", services["worker"])
    cluster.spawn("lb", "lb", services["lb"])
    wait_for(lambda: (cluster.tmp / "haproxy.sock").exists(), cluster.args.timeout, "HAProxy to start")
    wait_for(lambda: all(cluster.server_is(h, "UP") for h in ("app1", "app2")), cluster.args.timeout * 2,
             "both application hosts to pass HAProxy's health check")  # fmt: skip


def batch_status(cluster: Cluster, batch_id: int) -> dict:
    try:
        return cluster.inside("batch", "status", "--id", str(batch_id), *cluster.batch_args, what="batch status",
                              timeout=cluster.args.timeout)  # fmt: skip
    except ClusterFailure as exc:  # the balancer or the app is busy: counted as unknown, polled again
        return {"status": f"no answer ({exc})"}


def fault_app_host(cluster: Cluster, fault: dict) -> dict:
    # Kill it while it serves: wait (bounded) for a request HAProxy has sent to app1 and not yet answered.
    deadline, state = time.time() + fault["waits"]["a request in flight"], {}
    while time.time() < deadline:
        state = cluster.haproxy_state()
        if state.get("app1", {}).get("scur", 0) >= 1:
            break
        time.sleep(0.05)
    kill_namespace_processes(ns("app1"))  # gunicorn's master and workers: the host is gone
    set_link("app1", "down")
    # The fault starts once the host is gone: a request begun while the kill was under way could
    # still reach app1 and is one of those in flight at the kill, not one begun after it.
    started = time.time()
    log(f"app1 killed ({state.get('app1', {}).get('scur', '?')} requests in flight at HAProxy)")
    marked = wait_for(lambda: cluster.server_is("app1", "DOWN") and time.time(), fault["waits"]["marked down"],
                      "HAProxy to mark app1 down")  # fmt: skip
    time.sleep(fault["hold_s"])
    set_link("app1", "up")
    restarted = time.time()
    cluster.spawn("app1", "app1", cluster.plan["services"]["app1"])
    back = wait_for(lambda: cluster.server_is("app1", "UP") and time.time(), fault["waits"]["back in"],
                    "app1 to pass the health checks again")  # fmt: skip
    log(f"app1 marked down after {marked - started:.1f}s; back in {back - restarted:.1f}s after its restart")
    recovery = {"sessions on app1 at the kill": state.get("app1", {}).get("scur"),
                "marked down s": round(marked - started, 1), "back in after restart s": round(back - restarted, 1)}  # fmt: skip
    return {"start": started, "end": back, "recovery": recovery}


def standby_rows_read(cluster: Cluster) -> int | None:
    """Rows the standby has returned to queries since it started (pg_stat_database): report pages read there."""
    sql = f"SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = '{DB_NAME}'"
    result = sh(["ip", "netns", "exec", ns("client"), pg_bin("psql"), "-h", ip("db2"), "-U", "postgres", "-d", DB_NAME,
                 "-Atc", sql], "reading the standby's statistics", 30, check=False)  # fmt: skip
    return int(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip().isdigit() else None


def fault_standby(cluster: Cluster, fault: dict) -> dict:
    rows = standby_rows_read(cluster)
    before = None if rows is None or cluster.standby_rows is None else rows - cluster.standby_rows
    started = time.time()
    cluster.pg_ctl("db2", "stop", "-m", "fast")
    down = time.time()
    log("standby stopped")
    time.sleep(fault["hold_s"])
    cluster.pg_ctl("db2", "start")
    up = time.time()
    log(f"standby started again after {up - started:.1f}s")
    return {
        "start": started,
        "end": up,
        "down_from": down,
        "down_until": up,
        "recovery": {"standby down s": round(up - down, 1), "rows read on the standby before": before},
    }


def fault_worker(cluster: Cluster, fault: dict) -> dict:
    requested = cluster.inside("batch", "request", *cluster.batch_args, what="asking for the certificate batch",
                               timeout=cluster.args.timeout)  # fmt: skip
    batch_id = requested["id"]
    cluster.batch_id = batch_id

    def running():
        status = batch_status(cluster, batch_id)
        if status.get("status") == "DONE":
            raise ClusterFailure("the batch was done before its worker could be killed: use a larger --batch")
        return status if status.get("status") == "RUNNING" and status.get("progress", 0) >= 30 else None

    status = wait_for(running, fault["waits"]["batch running"], "the worker host to start the batch", pause=1)
    # the other worker is already waiting for work on app2 when the worker host dies
    cluster.spawn("app2-worker", "app2", cluster.plan["services"]["app2-worker"])
    time.sleep(2)
    started = time.time()
    kill_namespace_processes(ns("worker"))
    log(f"worker host's worker killed at {status.get('progress')}% of batch {batch_id}")

    def done():
        status = batch_status(cluster, batch_id)
        if status.get("status") == "FAILED":
            raise ClusterFailure(f"the batch failed: {status.get('error')}")
        return status.get("status") == "DONE" and time.time()

    finished = wait_for(done, fault["waits"]["batch done"], "another worker to finish the batch", pause=2)
    log(f"batch {batch_id} finished {finished - started:.1f}s after the kill")
    return {"start": started, "end": finished, "batch": batch_id, "progress_at_kill": status.get("progress"),
            "recovery": {"batch done after kill s": round(finished - started, 1)}}  # fmt: skip


def fault_primary(cluster: Cluster, fault: dict) -> dict:
    started = time.time()
    cluster.pg_ctl("db1", "restart", "-m", "fast")
    up = time.time()
    log(f"primary restarted in {up - started:.1f}s")
    back = wait_for(lambda: all(cluster.server_is(h, "UP") for h in ("app1", "app2")) and time.time(),
                    fault["waits"]["hosts back"], "both application hosts to be healthy again")  # fmt: skip
    return {
        "start": started,
        "end": max(up, back),
        "down_until": up,
        "recovery": {"primary restart s": round(up - started, 1)},
    }


FAULTS = [fault_app_host, fault_standby, fault_worker, fault_primary]


def run_client(cluster: Cluster, plan: dict) -> tuple[subprocess.Popen, dict]:
    args, tmp = cluster.args, cluster.tmp
    files = {name: tmp / f"client-{name}" for name in ("ready", "go", "stop", "out")}
    command = [PY, "bench/cluster_inside.py", "client", "--plan", str(tmp / "plan.json"), "--base", plan["balancer"],
               "--users", str(args.users), "--think", str(args.think), "--max-seconds", str(args.max_seconds),
               "--ready-timeout", str(plan["client"]["ready_timeout"]),
               *[x for name in ("ready", "go", "stop", "out") for x in (f"--{name}", str(files[name]))]]  # fmt: skip
    process = cluster.spawn("client", "client", command)
    log(f"signing in {args.users} users and the probes through the balancer")

    def ready():
        if process.poll() is not None:
            raise ClusterFailure(f"the load client exited early (log: {cluster.logs / 'client.log'})")
        return files["ready"].exists()

    wait_for(ready, plan["client"]["ready_timeout"], "the users to sign in", pause=1)
    return process, files


def run_faults(cluster: Cluster, plan: dict) -> list[dict]:
    cluster.batch_args = ["--plan", str(cluster.tmp / "plan.json"), "--base", plan["balancer"],
                          "--cookies", str(cluster.tmp / "batch-cookies.json")]  # fmt: skip
    results = []
    cluster.standby_rows = standby_rows_read(cluster)
    time.sleep(plan["warmup_s"])
    for fault, act in zip(plan["faults"], FAULTS, strict=True):
        log(f"fault: {fault['name']}")
        result = act(cluster, fault)
        results.append({"name": fault["name"], **result})
        time.sleep(2 * SETTLE_S)  # the windows of two faults do not touch
    return results


# --- results ------------------------------------------------------------------------------------------


def _overlaps(event: list, start: float, end: float, following: float = float("inf")) -> bool:
    """The request ran during [start, end] and had ended before the following fault began (one still
    running then is that fault's: in flight at it)."""
    return event[1] >= start and event[0] <= end and event[1] < following


def fault_windows(faults: list[dict]) -> list[tuple[float, float, float]]:
    """Each fault's window: from its start until it had recovered plus SETTLE_S, and never into the next
    fault (a request in flight when the next one begins is that one's)."""
    starts = [f["start"] for f in faults[1:]] + [float("inf")]
    return [(f["start"], min(f["end"] + SETTLE_S, nxt), nxt) for f, nxt in zip(faults, starts, strict=True)]


def fault_figures(fault: dict, client: dict, window: tuple[float, float, float]) -> dict:
    """What the load and the probes saw in the fault's window."""
    start, end, following = window
    load = [e for e in client["events"] if _overlaps(e, start, end, following)]
    failed = [e for e in load if not e[3]]
    writes = [w for w in client["writes"] if _overlaps(w, start, end, following)]
    reads = [r for r in client["reads"] if _overlaps(r, start, end, following)]
    figures = {
        "name": fault["name"],
        "window_s": round(end - start, 1),
        "load_requests": len(load),
        "load_failed": len(failed),
        "failed_in_flight": sum(1 for e in failed if e[0] < start)
        + sum(1 for w in writes if not w[3] and w[0] < start)
        + sum(1 for r in reads if not r[3] and r[0] < start),
        "failed_begun_after": sum(1 for e in failed if e[0] >= start)
        + sum(1 for w in writes if not w[3] and w[0] >= start)
        + sum(1 for r in reads if not r[3] and r[0] >= start),
        "writes_acknowledged": sum(1 for w in writes if w[3]),
        "writes_failed": sum(1 for w in writes if not w[3]),
        "report_pages_ok": sum(1 for r in reads if r[3]),
        "report_pages_failed": sum(1 for r in reads if not r[3]),
        "recovery": dict(fault.get("recovery", {})),
    }
    if "down_from" in fault:  # the standby: the report pages read while it was down
        during = [r for r in client["reads"] if r[0] >= fault["down_from"] and r[1] <= fault["down_until"]]
        figures["report_pages_while_down"] = len(during)
        figures["report_pages_while_down_ok"] = sum(1 for r in during if r[3])
    if fault["name"] == "primary restarted":
        first = next((w for w in sorted(client["writes"]) if w[3] and w[0] >= fault["start"]), None)
        figures["recovery"]["first acknowledged write after s"] = round(first[1] - fault["start"], 1) if first else None
    return figures


def verdicts(figures: list[dict], verified: dict) -> dict[str, str]:
    by = {f["name"]: f for f in figures}
    found = {}
    app = by.get("app host killed")
    if app is not None:
        found[app["name"]] = (
            "met" if app["failed_begun_after"] == 0 else f"NOT met: {app['failed_begun_after']} failed after the kill"
        )
    standby = by.get("standby stopped")
    if standby is not None:
        n, ok = standby.get("report_pages_while_down", 0), standby.get("report_pages_while_down_ok", 0)
        found[standby["name"]] = "met" if n and n == ok else f"NOT met: {ok} of {n} report pages served"
    worker = by.get("worker killed mid-batch")
    if worker is not None:
        batch = verified.get("batch") or {}
        good = batch.get("status") == "DONE" and batch.get("attempts", 0) >= 2 and batch.get("file_bytes", 0) > 0
        found[worker["name"]] = "met" if good else f"NOT met: batch {batch}"
    primary = by.get("primary restarted")
    if primary is not None:
        recovered = primary["recovery"].get("first acknowledged write after s") is not None
        found[primary["name"]] = "met" if recovered else "NOT met: no write acknowledged after the restart"
    lost = len(verified.get("lost", [])) + len(verified.get("without_audit_row", []))
    found["acknowledged writes lost"] = "met" if lost == 0 and verified.get("acknowledged") else f"NOT met: {lost}"
    return found


def summarise(client: dict, faults: list[dict], verified: dict) -> dict:
    windows = fault_windows(faults)
    figures = [fault_figures(f, client, w) for f, w in zip(faults, windows, strict=True)]
    times = [(e[1] - e[0]) * 1000 for e in client["events"]]
    calm = [(e[1] - e[0]) * 1000 for e in client["events"] if not any(_overlaps(e, a, b) for a, b, _ in windows)]
    found = verdicts(figures, verified)
    return {
        "faults": figures,
        "load": {
            "users": client.get("users"),
            "seconds": round(client["ended"] - client["started"], 1),
            "requests": len(times),
            "failed": sum(1 for e in client["events"] if not e[3]),
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
            "p95_outside_faults_ms": percentile(calm, 95),
        },
        "writes": {k: verified.get(k) for k in ("acknowledged", "found", "stored_without_acknowledgement")}
        | {"lost": len(verified.get("lost", [])), "without_audit_row": len(verified.get("without_audit_row", []))},
        "batch": verified.get("batch"),
        "verdicts": found,
        "passed": all(v == "met" for v in found.values()),
    }


def fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):  # milliseconds and seconds: whole numbers from 100 on, one decimal below
        return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"
    return str(value)


def render(summary: dict, meta: dict) -> str:
    load, writes = summary["load"], summary["writes"]
    lines = [
        f"Last run: {meta['when']}, `{meta['command']}` ({meta['clients']:,} clients, cache: {meta['cache']}, "
        f"load average before {meta['load_before']}) — **{'PASS' if summary['passed'] else 'FAIL'}**",
        "",
        "| fault | load requests in window | failed: in flight / begun after | writes acknowledged / failed "
        "| report pages served / failed | recovery | verdict |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for f in summary["faults"]:
        parts = [f"{k} {fmt(v)}" for k, v in f["recovery"].items()]
        if "report_pages_while_down" in f:
            parts.append(
                f"report pages while down: {f['report_pages_while_down_ok']} of {f['report_pages_while_down']}"
            )
        recovery = "; ".join(parts) or "—"
        lines.append(
            f"| {f['name']} | {f['load_requests']} | {f['failed_in_flight']} / {f['failed_begun_after']} | "
            f"{f['writes_acknowledged']} / {f['writes_failed']} | {f['report_pages_ok']} / {f['report_pages_failed']} | "
            f"{recovery} | {summary['verdicts'].get(f['name'], '—')} |"
        )
    batch = summary.get("batch") or {}
    lines += [
        "",
        "| measure | value |",
        "|---|---|",
        f"| acknowledged writes (wajib lapor through the balancer) | {writes['acknowledged']} |",
        f"| acknowledged writes lost (must be 0) | **{writes['lost']}** ({summary['verdicts']['acknowledged writes lost']}) |",
        f"| acknowledged writes without their audit row | {writes['without_audit_row']} |",
        f"| writes stored without an acknowledgement (answer lost) | {writes['stored_without_acknowledgement']} |",
        f"| load: users, seconds, requests, failed | {load['users']}, {load['seconds']}, {load['requests']}, {load['failed']} |",
        f"| p50 / **p95** through the balancer, whole run (ms) | {fmt(load['p50_ms'])} / **{fmt(load['p95_ms'])}** |",
        f"| p95 outside the fault windows (ms) | {fmt(load['p95_outside_faults_ms'])} |",
        f"| certificate batch: status, attempts, bytes | {batch.get('status')}, {batch.get('attempts')}, "
        f"{batch.get('file_bytes')} |",
    ]  # fmt: skip
    return "\n".join(lines)


def record(table: str, doc: Path = DOC) -> None:
    text = doc.read_text() if doc.exists() else ""
    block = f"{MARK_START}\n{table}\n{MARK_END}"
    if MARK_START in text and MARK_END in text:
        text = text[: text.index(MARK_START)] + block + text[text.index(MARK_END) + len(MARK_END) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text)


def recorded_table(doc: Path = DOC) -> list[dict]:
    """The fault rows of the recorded block, read back (what the smoke run checks the writer by)."""
    text = doc.read_text()
    block = text[text.index(MARK_START) + len(MARK_START) : text.index(MARK_END)]
    rows = [line for line in block.splitlines() if line.startswith("| ") and not line.startswith("| fault")]
    header = [
        c.strip() for c in next(line for line in block.splitlines() if line.startswith("| fault")).strip("|").split("|")
    ]
    return [dict(zip(header, (c.strip() for c in row.strip("|").split("|")), strict=False)) for row in rows
            if len(row.strip("|").split("|")) == len(header)]  # fmt: skip


# --- the smoke run: the plan and the results writer, no root, seconds ------------------------------------------


def sample_run() -> tuple[dict, list[dict], dict]:
    """A made-up run shaped like a real one: a request in flight when app1 dies fails, nothing after."""
    t = 1_000_000.0
    events = [[t + i, t + i + 0.2, "worklist", True, 200] for i in range(0, 200, 2)]
    events.append([t + 49.8, t + 50.1, "open client", False, 502])  # in flight at the kill
    writes = [[t + i, t + i + 0.3, 302, f"cluster-ack-x-{i:05d}", ""] for i in range(0, 200, 3) if not 150 <= i < 153]
    writes.append([t + 150.5, t + 150.6, 503, "", "error page"])
    reads = [[t + i, t + i + 0.4, 200, True] for i in range(200) if i != 79]
    reads.append([t + 79.9, t + 80.1, 503, False])  # in flight when the standby stops: the standby's
    client = {"started": t, "ended": t + 200, "users": 50, "events": events, "writes": writes, "reads": reads}
    faults = [
        {"name": "app host killed", "start": t + 50, "end": t + 77, "recovery": {"marked down s": 4.1}},
        {"name": "standby stopped", "start": t + 80, "end": t + 100, "down_from": t + 81, "down_until": t + 100},
        {"name": "worker killed mid-batch", "start": t + 110, "end": t + 140, "batch": 1},
        {"name": "primary restarted", "start": t + 150, "end": t + 153, "down_until": t + 152},
    ]
    acknowledged = [w[3] for w in writes if w[3]]
    verified = {"acknowledged": len(acknowledged), "found": len(acknowledged), "lost": [], "without_audit_row": [],
                "stored_without_acknowledgement": 0,
                "batch": {"status": "DONE", "attempts": 2, "file_bytes": 1000, "error": ""}}  # fmt: skip
    return client, faults, verified


def smoke(args) -> int:
    problems = []
    with tempfile.TemporaryDirectory(prefix="bapas-cluster-smoke-") as name:
        tmp = Path(name)
        plan = build_plan(args, tmp)
        env = app_env(args, tmp, "smoke")
        cfg = haproxy_config(tmp)
        problems += check_plan(plan, env, cfg)
        outside = dict(plan, balancer="127.0.0.1:80")
        if not any("127.0.0.1" in p for p in check_plan(outside, env, cfg)):
            problems.append("the address check let 127.0.0.1 through")
        if shutil.which("haproxy"):
            (tmp / "haproxy.cfg").write_text(cfg)
            result = sh(["haproxy", "-c", "-q", "-f", str(tmp / "haproxy.cfg")], "haproxy -c", check=False)
            if result.returncode != 0:
                problems.append(f"haproxy rejects the generated configuration: {result.stderr.strip()[:300]}")
        client, faults, verified = sample_run()
        summary = summarise(client, faults, verified)
        if not summary["passed"]:
            problems.append(f"the sample run should pass: {summary['verdicts']}")
        client["events"].append([faults[0]["start"] + 2, faults[0]["start"] + 5, "worklist", False, 503])
        failing = summarise(client, faults, {**verified, "lost": ["cluster-ack-x-00003"]})
        if failing["passed"] or failing["verdicts"]["app host killed"] == "met":
            problems.append("a failure after the kill and a lost write did not fail the run")
        meta = {"when": "smoke", "command": "bench/cluster.py --smoke", "clients": args.clients, "cache": "redis",
                "load_before": 0.0}  # fmt: skip
        doc = tmp / "RELIABILITY.md"
        shutil.copy(DOC, doc)
        record(render(summary, meta), doc)
        record(render(failing, meta), doc)
        text = doc.read_text()
        if text.count(MARK_START) != 1 or "**FAIL**" not in text:
            problems.append("the results block was not replaced in place")
        rows = recorded_table(doc)
        if [r["fault"] for r in rows] != [f["name"] for f in faults]:
            problems.append(f"the recorded table does not read back: {rows}")
        print(json.dumps({"namespaces": [h["namespace"] for h in plan["hosts"].values()],
                          "addresses": {k: h["address"] for k, h in plan["hosts"].items()},
                          "faults": [f["name"] for f in plan["faults"]]}, indent=1))  # fmt: skip
        print(render(summary, meta))
    for problem in problems:
        print("PROBLEM:", problem)
    print("plan OK" if not problems else "plan NOT OK")
    return 0 if not problems else 1


# --- main -------------------------------------------------------------------------------------------------


def preflight(args) -> None:
    if os.geteuid() != 0:
        raise ClusterFailure("needs root (network namespaces); try: sudo make bench-cluster")
    for tool in ("ip", "runuser", "haproxy", pg_bin("initdb"), pg_bin("pg_basebackup"), pg_bin("pg_ctl")):
        if not shutil.which(tool):
            raise ClusterFailure(f"{tool} is missing (make bench-cluster installs haproxy)")


def on_signal(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def fresh_tmp() -> Path:
    for old in Path(tempfile.gettempdir()).glob("bapas-cluster-*"):
        if (old / ".bench-cluster").exists():
            shutil.rmtree(old, ignore_errors=True)  # a crashed earlier run's folder
    tmp = Path(tempfile.mkdtemp(prefix="bapas-cluster-"))
    tmp.chmod(0o755)
    (tmp / ".bench-cluster").touch()
    for host in ("db1", "db2"):
        (tmp / host).mkdir(mode=0o700)
        shutil.chown(tmp / host, "postgres", "postgres")
    return tmp


def the_run(cluster: Cluster, plan: dict) -> dict:
    args = cluster.args
    info = prepare(cluster, plan)
    start_hosts(cluster, plan)
    log("hosts up: app1, app2, worker, lb, db1, db2" + (", cache" if args.redis else ""))
    process, files = run_client(cluster, plan)
    files["go"].touch()
    log("load and probes running")
    faults = run_faults(cluster, plan)
    time.sleep(plan["tail_s"])
    files["stop"].touch()
    try:
        process.wait(args.timeout + 120)
    except subprocess.TimeoutExpired as exc:
        raise ClusterFailure("the load client did not end after the stop file") from exc
    if process.returncode != 0 or not files["out"].exists():
        raise ClusterFailure(f"the load client failed (log: {cluster.logs / 'client.log'})")
    client = json.loads(files["out"].read_text())
    env = {k: v for k, v in cluster.env.items() if k != "DATABASE_REPLICA_URL"}
    verified = cluster.inside("verify", "--client", str(files["out"]), "--batch-id", str(cluster.batch_id),
                              what="counting the acknowledged writes in the primary", timeout=args.timeout, env=env)  # fmt: skip
    summary = summarise(client, faults, verified)
    return {"info": info, "faults": faults, "summary": summary, "verified": verified,
            "client": {k: client[k] for k in ("signed_in", "users", "exceptions")}}  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="build and check the plan and the results writer only")
    parser.add_argument("--clients", type=int, default=5000, help="seed_scale --clients (default 5000)")
    parser.add_argument("--users", type=int, default=50, help="load-test users through the balancer")
    parser.add_argument("--think", type=float, default=5.0, help="mean think time of a load-test user, seconds")
    parser.add_argument("--batch", type=int, default=100, help="certificates in the batch the worker dies in")
    parser.add_argument("--app-workers", type=int, default=2, help="gunicorn workers per application host")
    parser.add_argument("--hold", type=float, default=15, help="seconds a stopped host stays down")
    parser.add_argument("--warmup", type=float, default=15, help="seconds of load before the first fault")
    parser.add_argument("--tail", type=float, default=15, help="seconds of load after the last fault")
    parser.add_argument("--stalled-seconds", type=int, default=20, help="BAPAS_GENERATED_FILE_STALLED_SECONDS")
    parser.add_argument("--batch-timeout", type=float, default=600, help="seconds allowed for the batch")
    parser.add_argument("--timeout", type=float, default=120, help="seconds allowed for any one wait or step")
    parser.add_argument("--max-seconds", type=float, default=1800, help="the load's and the probes' hard end")
    parser.add_argument("--no-record", action="store_true", help="leave docs/ alone")
    args = parser.parse_args(argv)
    args.redis = shutil.which("redis-server")
    if args.smoke:
        return smoke(args)
    preflight(args)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    left = remove_namespaces()
    if left:
        log(f"removed leftovers of an earlier run: {', '.join(left)}")
    tmp = fresh_tmp()
    cluster, ok = None, False
    load_before = round(os.getloadavg()[0], 1)
    try:
        build_network()
        cluster = Cluster(args, tmp)
        shutil.chown(cluster.logs, "postgres", "postgres")
        plan = cluster.plan = build_plan(args, tmp)
        problems = check_plan(plan, cluster.env, haproxy_config(tmp))
        if problems:
            raise ClusterFailure("; ".join(problems))
        result = the_run(cluster, plan)
        summary = result["summary"]
        command = "bench/cluster.py " + " ".join(argv if argv is not None else sys.argv[1:])
        meta = {"when": f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}", "command": command.strip(),
                "clients": args.clients, "cache": "Redis" if args.redis else "none (database sessions)",
                "load_before": load_before}  # fmt: skip
        table = render(summary, meta)
        print(table, flush=True)
        if not args.no_record:
            record(table)
            JSON_OUT.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"meta": meta, "plan": plan, **result}, indent=1, default=str)
            # the run's paths, not this machine's: the temporary folder and the checkout
            text = text.replace(str(tmp), "<run folder>").replace(str(ROOT) + "/", "")
            JSON_OUT.write_text(text + "\n")
            log(f"recorded in {DOC.relative_to(ROOT)} and {JSON_OUT.relative_to(ROOT)}")
        ok = summary["passed"]
        log("PASS" if ok else "FAIL: " + "; ".join(f"{k}: {v}" for k, v in summary["verdicts"].items() if v != "met"))
        return 0 if ok else 1
    except KeyboardInterrupt as exc:
        log(f"interrupted ({exc or 'Ctrl+C'})")
        return 130
    finally:
        log("stopping everything the run started")
        if cluster is not None:
            cluster.stop_postgres()
        remove_namespaces()
        if cluster is not None:
            for process in cluster.procs.values():
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    log(f"process {process.pid} still running after its namespace was emptied")
        for part in ("db1", "db2", "private"):
            shutil.rmtree(tmp / part, ignore_errors=True)
        if ok:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"logs kept in {tmp / 'logs'}")


if __name__ == "__main__":
    raise SystemExit(main())
