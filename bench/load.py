"""The load test of ``bench/run.py``: signed-in staff as closed-loop users, spread over processes.

Each load process is forked from the bench before the run and talks HTTP only (no database, no
Django); it runs a share of the users as threads. Spreading them keeps one process's HTML parsing
from holding the interpreter lock while another user's response is being timed, which otherwise
adds the load generator's own waits to the measured times.

The CPU the run used is split by who used it: gunicorn (master and workers), the task worker,
PostgreSQL, the load generator (its processes' own rusage) and everything else on the machine
(from /proc/stat), so a slow client-side time can be traced to the component that took the cores.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import queue
import random
import resource
import threading
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
READY_TIMEOUT_S = 600  # signing every user in; a load process waits no longer for the start
REPORT_NOTE = "Klien hadir, bimbingan diberikan (uji beban)."


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


# --- CPU accounting -----------------------------------------------------------------------------------


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return total - idle, total


def process_ticks(pid: int) -> tuple[str, int] | None:
    """(command name, user+system jiffies) of one process, children it waited for included."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2 :].split()
    # after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return name, int(rest[11]) + int(rest[12]) + int(rest[13]) + int(rest[14])


def group_of(pid: int) -> int | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(raw[raw.rindex(")") + 2 :].split()[2])  # pgrp


def cpu_snapshot(server_pgid: int, worker_pgid: int) -> dict:
    """Jiffies per component now: gunicorn, task worker, PostgreSQL, and the machine's total."""
    groups = {"gunicorn": 0, "task worker": 0, "postgres": 0}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        ticks = process_ticks(pid)
        if ticks is None:
            continue
        name, used = ticks
        pgrp = group_of(pid)
        if pgrp == server_pgid:
            groups["gunicorn"] += used
        elif pgrp == worker_pgid:
            groups["task worker"] += used
        elif name == "postgres" or name.startswith("postgres:"):
            groups["postgres"] += used
    busy, total = machine_ticks()
    return {"groups": groups, "busy": busy, "total": total, "at": time.time()}


def cpu_breakdown(before: dict, after: dict, load_seconds: float) -> dict:
    """Core-seconds per component between two snapshots, and each as a share of the machine."""
    cores = os.cpu_count() or 1
    wall = after["at"] - before["at"]
    busy = (after["busy"] - before["busy"]) / TICKS
    capacity = (after["total"] - before["total"]) / TICKS or wall * cores
    used = {name: max(0.0, (after["groups"][name] - before["groups"][name]) / TICKS) for name in before["groups"]}
    used["load generator"] = load_seconds
    used["everything else"] = max(0.0, busy - sum(used.values()))
    return {
        "wall_s": round(wall, 1),
        "cores": cores,
        "busy_share": round(busy / capacity, 3) if capacity else None,
        "core_seconds": {k: round(v, 1) for k, v in used.items()},
        "share": {k: round(v / capacity, 3) if capacity else None for k, v in used.items()},
    }


# --- users --------------------------------------------------------------------------------------------


class LoadUser(threading.Thread):
    """A closed-loop user: action, think, action ... until the deadline. ``spec`` holds the paths."""

    def __init__(self, browser, spec: dict, deadline: float, think: float, rng: random.Random, stats: dict):
        super().__init__(daemon=True)
        self.browser, self.spec, self.deadline, self.think, self.rng, self.stats = (
            browser, spec, deadline, think, rng, stats,
        )  # fmt: skip

    def record(self, action: str, response, ok: bool) -> None:
        with self.stats["lock"]:
            entry = self.stats["actions"].setdefault(action, {"times": [], "server": [], "errors": 0})
            entry["times"].append(response.elapsed_ms)
            if response.server_ms is not None:
                entry["server"].append(response.server_ms)
            if not ok:
                entry["errors"] += 1
                self.stats["error_samples"].append(f"{action}: HTTP {response.status} {response.location}")

    def run(self) -> None:
        # Start at a random point of the first think time, so the users do not all click at once.
        time.sleep(self.rng.uniform(0, self.think))
        while time.time() < self.deadline:
            try:
                self.step()
            except Exception as exc:  # a benchmark records failures instead of stopping
                with self.stats["lock"]:
                    self.stats["exceptions"].append(repr(exc))
                self.browser.close()
            time.sleep(self.rng.uniform(0.5 * self.think, 1.5 * self.think))

    def step(self) -> None:
        from bench.client import parse

        spec, rng = self.spec, self.rng
        if spec["role"] == "lead":
            action = rng.choices(["dashboard", "client list"], weights=[70, 30])[0]
            response = self.browser.get(spec["dashboard"] if action == "dashboard" else spec["client_list"])
            self.record(action, response, response.status == 200)
            return
        if spec["role"] == "kasubsi":
            action = rng.choices(["attendance", "session page"], weights=[60, 40])[0]
        else:
            action = rng.choices(["worklist", "open client", "record report"], weights=[40, 35, 25])[0]
        clients = spec["clients"]
        if spec["role"] == "pk" and (action == "worklist" or not clients):
            response = self.browser.get(spec["worklist"])
            self.record("worklist", response, response.status == 200)
        elif action == "open client":
            response = self.browser.get(rng.choice(clients)["detail"])
            self.record(action, response, response.status == 200)
        elif action == "record report":
            path = rng.choice(clients)["visit"]
            form_page = self.browser.get(path)
            self.record("record report (form)", form_page, form_page.status == 200)
            forms = [f for f in parse(form_page.body).forms if f.method == "post" and f.textareas]
            forms = forms if form_page.status == 200 else []
            if not forms:
                return
            form = max(forms, key=lambda f: len(f.fields))
            notes = dict.fromkeys(form.textareas, REPORT_NOTE)
            response = self.browser.post(form.action or path, form.data(**notes), referer=path)
            self.record("record report (save)", response, response.status in (302, 303))
        elif action == "session page" and spec["session"]:
            response = self.browser.get(spec["session"])
            self.record(action, response, response.status == 200)
        elif action == "attendance" and spec["attendance"]:
            path = spec["attendance"]
            page = self.browser.get(path)
            self.record("attendance (screen)", page, page.status == 200)
            forms = [f for f in parse(page.body).forms if f.method == "post" and "language" not in dict(f.fields)]
            if forms and page.status == 200:
                form = max(forms, key=lambda f: len(f.fields))
                response = self.browser.post(form.action or path, form.data(), referer=path)
                self.record("attendance (save)", response, response.status in (302, 303))


def _load_process(specs, port, timeout, think, seed, login_path, password, ready, go, deadline, results):
    """One load process: sign its users in, report ready, run them from ``go`` until ``deadline``.
    It always answers both queues, so a failure here is counted instead of stalling the bench."""
    from bench.client import Browser

    stats = {"lock": threading.Lock(), "actions": {}, "error_samples": [], "exceptions": []}
    browsers = []
    for spec in specs:
        browser = Browser("127.0.0.1", port, timeout=timeout)
        try:
            ok = browser.sign_in(login_path, spec["username"], password)
        except Exception as exc:  # counted below as a user who could not sign in
            stats["exceptions"].append(f"sign-in {spec['username']}: {exc!r}")
            ok = False
        browsers.append(browser if ok else None)
    ready.put(sum(1 for b in browsers if b))
    if not go.wait(READY_TIMEOUT_S):  # the bench gave up before the start: end quietly
        return
    rng = random.Random(seed)
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    users = [
        LoadUser(b, spec, deadline.value, think, random.Random(rng.random()), stats)
        for spec, b in zip(specs, browsers, strict=True)
        if b is not None
    ]
    for user in users:
        user.start()
    for user in users:
        user.join(deadline.value - time.time() + timeout + 5)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    stats.pop("lock")
    results.put({"stats": stats, "cpu_s": cpu, "users": len(users)})


def run_load(specs: list[dict], *, port, timeout, think, duration, seed, processes, login_path, password,
             server_pgid, worker_pgid) -> dict:  # fmt: skip
    """Run ``specs`` (one per user) in ``processes`` forked processes; merged timings and the CPU split."""
    context = multiprocessing.get_context("fork")
    processes = max(1, min(processes, len(specs)))
    shares = [specs[i::processes] for i in range(processes)]
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    deadline = context.Value("d", 0.0)
    rng = random.Random(seed)
    children = [
        context.Process(
            target=_load_process,
            args=(share, port, timeout, think, rng.random(), login_path, password, ready, go, deadline, results),
            daemon=True,
        )
        for share in shares
    ]
    for child in children:
        child.start()
    try:
        signed_in = sum(ready.get(timeout=READY_TIMEOUT_S) for _ in children)
    except queue.Empty:
        raise SystemExit(f"load test: the users did not sign in within {READY_TIMEOUT_S} s") from None
    before = cpu_snapshot(server_pgid, worker_pgid)
    started = time.time()
    deadline.value = started + duration
    go.set()
    try:
        parts = [results.get(timeout=duration + timeout + 120) for _ in children]
    except queue.Empty:
        raise SystemExit("load test: a load process did not report back (a request hung)") from None
    elapsed = time.time() - started
    after = cpu_snapshot(server_pgid, worker_pgid)
    for child in children:
        child.join(10)
    merged: dict = {}
    error_samples, exceptions = [], []
    for part in parts:
        error_samples += part["stats"]["error_samples"]
        exceptions += part["stats"]["exceptions"]
        for name, entry in part["stats"]["actions"].items():
            into = merged.setdefault(name, {"times": [], "server": [], "errors": 0})
            into["times"] += entry["times"]
            into["server"] += entry["server"]
            into["errors"] += entry["errors"]
    actions, all_times, all_server, total, errors = {}, [], [], 0, 0
    for name, entry in sorted(merged.items()):
        total += len(entry["times"])
        errors += entry["errors"]
        all_times += entry["times"]
        all_server += entry["server"]
        actions[name] = {
            "requests": len(entry["times"]),
            "errors": entry["errors"],
            "p50": percentile(entry["times"], 50),
            "p95": percentile(entry["times"], 95),
            "server_p95": percentile(entry["server"], 95),
        }
    return {
        "status": "ok",
        "users": sum(part["users"] for part in parts),
        "signed_in": signed_in,
        "processes": len(children),
        "duration_s": round(elapsed, 1),
        "think_s": think,
        "requests": total,
        "throughput_rps": round(total / elapsed, 1) if elapsed else None,
        "errors": errors + len(exceptions),
        "p50": percentile(all_times, 50),
        "p95": percentile(all_times, 95),
        "server_p95": percentile(all_server, 95),
        "actions": actions,
        "error_samples": (error_samples + exceptions)[:10],
        "cpu": cpu_breakdown(before, after, sum(part["cpu_s"] for part in parts)),
    }
