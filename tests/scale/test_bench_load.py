"""The load test harness (bench/load.py) against a small stand-in server: users spread over forked
processes sign in, run the action mix until the deadline, and their timings and CPU come back merged."""

import os
import resource
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from bench import load

LOGIN = "/masuk/"
FORM = (
    '<form method="post" action=""><input type="hidden" name="csrfmiddlewaretoken" value="t">'
    '<input name="username"><input type="password" name="password" value=""></form>'
)
VISIT_FORM = '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t"><textarea name="notes"></textarea></form>'
ATTENDANCE_FORM = '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t"><input type="checkbox" name="present" checked></form>'


class StandIn(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    posts: list = []

    def log_message(self, *args):
        pass

    def reply(self, status: int, body: str = "", headers: dict | None = None):
        data = body.encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("X-Server-Time-Ms", "1.50")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == LOGIN:
            self.reply(200, FORM)
        elif "sessionid=" not in (self.headers.get("Cookie") or ""):
            self.reply(302, headers={"Location": LOGIN})
        elif self.path.startswith("/visit/"):
            self.reply(200, VISIT_FORM)
        elif self.path.startswith("/attendance/"):
            self.reply(200, ATTENDANCE_FORM)
        else:
            self.reply(200, "<p>ok</p>")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        StandIn.posts.append((self.path, body))
        if self.path == LOGIN:
            if "password=secret" not in body:
                return self.reply(200, FORM)
            return self.reply(302, headers={"Location": "/", "Set-Cookie": "sessionid=abc; Path=/"})
        self.reply(302, headers={"Location": "/"})


@pytest.fixture
def stand_in():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    StandIn.posts = []
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def spec(role, username, n=3):
    return {
        "role": role, "username": username, "dashboard": "/", "worklist": "/", "client_list": "/klien/",
        "clients": [{"detail": f"/klien/{i}/", "visit": f"/visit/{i}/"} for i in range(n)],
        "session": "/sesi/1/", "attendance": "/attendance/1/",
    }  # fmt: skip


class ReadCountingClock:
    """bench.load's clock, counted in reads per thread rather than in seconds: every user checks the
    deadline a fixed number of times, so the mix runs the same rounds however busy the machine is."""

    TICK = 0.25  # exact in binary: no rounding decides the last round

    def __init__(self):
        self.reads = threading.local()

    def time(self):
        n = getattr(self.reads, "n", 0)
        self.reads.n = n + 1
        return n * self.TICK

    @staticmethod
    def sleep(seconds):
        time.sleep(seconds)


class FixedRusage:
    """Each process's CPU clock advances by USER + SYSTEM seconds per reading; a forked process starts
    from the parent's count, so each load process measures exactly one step."""

    RUSAGE_SELF = resource.RUSAGE_SELF
    USER, SYSTEM = 0.5, 0.25

    def __init__(self):
        self.readings = 0

    def getrusage(self, who):
        self.readings += 1
        return SimpleNamespace(ru_utime=self.USER * self.readings, ru_stime=self.SYSTEM * self.readings)


def test_users_in_several_processes_run_the_mix_and_come_back_merged(stand_in, monkeypatch):
    monkeypatch.setattr(load, "time", ReadCountingClock())
    monkeypatch.setattr(load, "resource", FixedRusage())
    specs = [spec("lead", "kasi"), spec("kasubsi", "kasubsi"), spec("pk", "pk1"), spec("pk", "pk2")]
    result = load.run_load(
        specs, port=stand_in, timeout=10, think=0.05, duration=1.5, seed=3, processes=2, login_path=LOGIN,
        password="secret", server_pgid=os.getpgrp(), worker_pgid=-1,
    )  # fmt: skip
    assert result["processes"] == 2
    assert result["signed_in"] == result["users"] == 4
    assert result["errors"] == 0, result["error_samples"]
    # The deadline (1.5 s after the start, read at 0.25) lets each user take exactly 7 steps.
    assert result["requests"] == sum(a["requests"] for a in result["actions"].values()) > 20
    assert set(result["actions"]) <= {
        "dashboard", "client list", "attendance (screen)", "attendance (save)", "session page", "worklist",
        "open client", "record report (form)", "record report (save)",
    }  # fmt: skip
    # Process 1 runs kasi and pk1, process 2 kasubsi and pk2: each one's actions are in the merge.
    assert set(result["actions"]) & {"dashboard", "client list"}
    assert set(result["actions"]) & {"attendance (screen)", "session page"}
    assert result["server_p95"] == 1.5
    # The report form was filled in and posted; the attendance form posted what it showed.
    visits = [body for path, body in StandIn.posts if path.startswith("/visit/")]
    assert visits and all("notes=Klien+hadir" in body for body in visits)
    cpu = result["cpu"]
    assert set(cpu["core_seconds"]) == {"gunicorn", "task worker", "postgres", "load generator", "everything else"}
    # Both processes' own CPU time is added up: one reading step each.
    assert cpu["core_seconds"]["load generator"] == 2 * (FixedRusage.USER + FixedRusage.SYSTEM)
    assert 0 <= cpu["busy_share"] <= 1


def test_a_user_whose_sign_in_fails_is_left_out_not_counted_as_an_error(stand_in):
    result = load.run_load(
        [spec("pk", "pk1")], port=stand_in, timeout=10, think=0.05, duration=0.5, seed=1, processes=3,
        login_path=LOGIN, password="wrong", server_pgid=os.getpgrp(), worker_pgid=-1,
    )  # fmt: skip
    assert result["processes"] == 1
    assert (result["signed_in"], result["users"], result["requests"], result["errors"]) == (0, 0, 0, 0)


def test_cpu_breakdown_splits_the_machine_between_components():
    before = {"groups": {"gunicorn": 0, "task worker": 0, "postgres": 0}, "busy": 0, "total": 0, "at": 0.0}
    ticks = load.TICKS
    after = {
        "groups": {"gunicorn": 50 * ticks, "task worker": 2 * ticks, "postgres": 10 * ticks},
        "busy": 70 * ticks, "total": 200 * ticks, "at": 100.0,
    }  # fmt: skip
    cpu = load.cpu_breakdown(before, after, load_seconds=5.0)
    assert cpu["busy_share"] == 0.35
    assert cpu["core_seconds"] == {"gunicorn": 50, "task worker": 2, "postgres": 10, "load generator": 5,
                                   "everything else": 3}  # fmt: skip
    assert cpu["share"]["gunicorn"] == 0.25


def test_process_ticks_reads_this_process():
    name, used = load.process_ticks(os.getpid())
    assert name and used >= 0
    assert load.process_ticks(2**22 + 12345) is None
