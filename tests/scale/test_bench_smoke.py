"""Every script under bench/ runs: a short smoke run with tiny sizes, so a change elsewhere cannot
silently break the proofs docs/PERFORMANCE.md and docs/RELIABILITY.md quote.

Each run is a subprocess from the repository folder with its own throw-away database; the
timeouts only bound a hung run (they are far above what a run takes), nothing is timed.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOUND = 900  # seconds: only to end a hung run


def run_script(*args, env=None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "BENCH_"))}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=BOUND
    )


def test_pdf_bench_tiny(tmp_path):
    result = run_script(
        "bench/pdf_bench.py",
        env={"DATABASE_URL": f"sqlite:///{tmp_path}/pdf.sqlite3", "BENCH_SESSIONS": "2", "BENCH_PER_SESSION": "2",
             "BENCH_CERTIFICATES": "2"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Annual participation report: PDF" in result.stdout and "certificates: PDF" in result.stdout


def test_import_bench_tiny(tmp_path):
    result = run_script(
        "bench/import_bench.py",
        env={"DATABASE_URL": f"sqlite:///{tmp_path}/wb.sqlite3", "BENCH_CLIENTS": "10", "BENCH_ROWS": "200"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| import (one transaction) |" in result.stdout


def test_maxrss_runs_a_command_and_prints_its_peak_memory(tmp_path):
    result = run_script("bench/maxrss.py", "check", env={"DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite3"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stderr.strip().splitlines()[-1]) > 0


@pytest.mark.parametrize(
    "script", ["bench/run.py", "bench/pdf_scale.py", "bench/outage.py", "bench/cluster.py", "bench/cluster_inside.py"]
)
def test_scripts_parse_their_arguments(script):
    result = run_script(script, "--help")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage" in result.stdout.lower()


def _private_postgres_possible() -> bool:
    return Path("/etc/postgresql").is_dir() and (os.geteuid() == 0 and shutil.which("runuser") is not None)


@pytest.mark.skipif(not _private_postgres_possible(), reason="needs PostgreSQL binaries and runuser (root)")
def test_outage_tiny_run_passes_and_ends():
    """The whole proof on a tiny scale: its own PostgreSQL, collectstatic, gunicorn, one writer."""
    result = run_script(
        "bench/outage.py", "--mode", "private", "--writers", "1", "--before", "3", "--outage", "3", "--after", "6",
        "--timeout", "120",
    )  # fmt: skip
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "PASS" in result.stdout


def test_evidence_bench_tiny(tmp_path):
    result = run_script(
        "bench/evidence_bench.py",
        "--runs", "1", "--horizons", "3",
        env={"DATABASE_URL": f"sqlite:///{tmp_path}/ev.sqlite3", "BENCH_CLIENTS": "300"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| all offices | 3 |" in result.stdout


def test_cluster_proof_smoke_checks_its_plan_and_results_writer():
    """bench/cluster.py needs root and network namespaces (make bench-cluster, not CI); --smoke builds its
    plan, checks every address is a namespace's host and every wait is bounded, and writes and reads back
    the results table on a copy of docs/RELIABILITY.md, including a run that must fail."""
    before = (ROOT / "docs" / "RELIABILITY.md").read_text()
    result = run_script("bench/cluster.py", "--smoke")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "plan OK" in result.stdout
    assert "| app host killed |" in result.stdout and "10.77.0.10" in result.stdout
    assert (ROOT / "docs" / "RELIABILITY.md").read_text() == before
