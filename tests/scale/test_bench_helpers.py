"""The benchmark harness's own logic: percentiles, form parsing, the query-count middleware, verdicts."""

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory

from bapas.models import Office
from bench import run
from bench.client import parse
from bench.querycount import QUERY_HEADER, TIME_HEADER, QueryCountMiddleware


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert run.percentile(values, 50) == 50
    assert run.percentile(values, 95) == 95
    assert run.percentile([7.0], 95) == 7
    assert run.percentile([], 95) is None


def test_form_parser_submits_what_a_browser_would():
    html = """
    <form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="title" value="A"><input type="checkbox" name="off"><input type="checkbox" name="on" checked>
      <select name="mode"><option value="DATANG">D</option><option value="VIDEO_CALL" selected>V</option></select>
      <select name="first"><option value="a">a</option><option value="b">b</option></select>
      <textarea name="notes">old</textarea><input type="submit" name="go" value="Simpan">
    </form><a href="/klien/?page=9">9</a>
    """
    parsed = parse(html)
    form = parsed.forms[0]
    assert (form.method, form.action) == ("post", "/x/")
    assert form.fields == [
        ("csrfmiddlewaretoken", "t"), ("title", "A"), ("on", "on"), ("mode", "VIDEO_CALL"), ("first", "a"),
        ("notes", "old"),
    ]  # fmt: skip
    assert form.textareas == ["notes"]
    assert dict(form.data(notes="new"))["notes"] == "new"
    assert parsed.links == ["/klien/?page=9"]


def test_deep_page_takes_the_highest_numbered_link():
    html = '<a href="?page=2">2</a><a href="?page=41">41</a><a href="/other/?page=99">x</a>'
    assert run.deep_page(None, "/klien/", html, hops=0) == ("/klien/?page=41", "page 41")


def test_query_count_middleware_adds_headers_only_when_enabled(db, monkeypatch):
    monkeypatch.delenv("BAPAS_BENCH_QUERY_HEADER", raising=False)
    with pytest.raises(MiddlewareNotUsed):
        QueryCountMiddleware(lambda request: HttpResponse())
    monkeypatch.setenv("BAPAS_BENCH_QUERY_HEADER", "1")

    def view(request):
        list(Office.objects.all())
        list(Office.objects.all())
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response[QUERY_HEADER] == "2"
    assert float(response[TIME_HEADER]) >= 0


def page(**kw):
    row = {"page": "worklist", "user": "pk1.s001", "note": "", "target_ms": 150, "status": 200, "load": 1.0,
           "server_p50": 40.0, "server_p95": 90.0, "client_p95": 95.0, "queries": (6, 6)}  # fmt: skip
    row.update(kw)
    return row


def test_verdicts_name_what_is_missed():
    assert run.verdict(page()) == "met"
    assert run.verdict(page(server_p95=151.0)) == "NOT met (time)"
    assert run.verdict(page(queries=(12, 16))) == "NOT met (queries)"
    assert run.verdict(page(status="missing")) == "not measured"


def test_markdown_report_and_merge_keep_hand_written_notes(tmp_path):
    results = {
        "started": "2026-01-01T00:00:00", "command": "bench/run.py", "args": {"clients": 1000, "requests": 5},
        "workers": 2, "seed": {"seconds": 12.0},
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gb": 4, "os": "Linux", "python": "3.11",
                    "django": "5.2", "database": "PostgreSQL 15", "load_before": [0.1, 0.1, 0.1]},
        "counts": {"clients": 1000}, "pages": [page(), page(page="search", server_p95=400.0), page(page="x", status="missing")],
        "admin": {"status": "ok", "ours": {"url": "/klien/", "server_p50": 10.0, "server_p95": 12.0, "queries": (6, 6)},
                  "admin": {"url": "/django-admin/", "server_p50": 30.0, "server_p95": 40.0, "queries": (5, 5)},
                  "ratio_p50": 3.0},
        "load": {"status": "skipped"}, "memory": {"max_mb": [120.0], "now_mb": [110.0]}, "reports": [],
        "outdating": {"first": {"status": 200, "server_ms": 210.0, "client_ms": 215.0, "queries": (9, 9),
                                "stale_note": True}, "worker_seconds": 95.4, "after": {"server_p95": 180.0}},
    }  # fmt: skip
    text = run.render_markdown(results)
    assert "## Every office changed at once" in text and "up to date in 95 s; then the page took p95 180 ms" in text
    assert "| worklist | pk1.s001 | 40.0 | 90.0 |" in text
    assert "NOT met (time)" in text
    assert "missing: not measured" in text
    assert "**3.0×**" in text and "met." in text
    doc = tmp_path / "scale.md"
    doc.write_text("# Title\n\n<!-- bench:begin -->\nstale text\n<!-- bench:end -->\n\n## Notes\nkept\n")
    run.merge_into_doc(doc, text)
    merged = doc.read_text()
    assert "stale text" not in merged and "Test CPU" in merged and merged.endswith("## Notes\nkept\n")


def test_summary_for_performance_md_names_each_target_and_its_verdict(tmp_path):
    results = {
        "started": "2026-01-01T00:00:00", "command": "bench/run.py ", "workers": 2,
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gb": 4, "database": "PostgreSQL 15.2 (Debian)",
                    "load_before": [0.3, 0.2, 0.1]},
        "counts": {"clients": 100000, "wajib lapor": 2300000},
        "pages": [page(), page(page="search", server_p95=400.0), page(page="baseline", target_ms=None),
                  page(page="x", status="missing")],
        "admin": {"status": "ok", "ours": {"server_p50": 10.0}, "admin": {"server_p50": 15.0}, "ratio_p50": 1.5},
        "load": {"status": "ok", "users": 50, "duration_s": 61.0, "requests": 700, "errors": 0, "p50": 40.0,
                 "p95": 120.0},
        "memory": {"max_mb": [120.0, 260.0]},
        "outdating": {"first": {"status": 200, "server_ms": 210.0, "client_ms": 215.0, "queries": (9, 9),
                                "stale_note": True}, "worker_seconds": 95.4, "after": {"server_p95": 180.0}},
        "reports": [{"name": "participation", "format": "json", "seconds": 2.5, "status": "ok"},
                    {"name": "participation", "format": "pdf", "seconds": 60.0, "max_rss_mb": 243.0, "status": "ok"},
                    {"name": "agreements", "format": "json", "seconds": 0, "status": "timeout"}],
    }  # fmt: skip
    text = run.render_summary(results, "performance/scale.md")
    assert "100,000 clients and 2,300,000 wajib lapor on PostgreSQL 15.2;" in text
    assert "| worklist | 40.0 ms | 90.0 ms | 6 | p95 < 150 ms, ≤ 15 queries | met |" in text
    assert "| search | 40.0 ms | 400 ms | 6 | p95 < 150 ms, ≤ 15 queries | NOT met (time) |" in text
    assert "baseline" not in text  # no target of its own
    assert "| x | — | — | — | p95 < 150 ms | not measured |" in text
    assert "1.5×: NOT met" in text
    assert "| load: 50 users, 61.0 s, 700 requests, 0 errors (client side) | 40.0 ms | 120 ms |" in text
    assert "260 MB: NOT met" in text
    assert "| `report participation` JSON, a year | 2.5 s | | | < 10 s | met |" in text
    assert "243 MB: met" in text
    assert (
        "right after every office changed (rows of a moment ago shown; the worker caught up in 95 s) | 210 ms" in text
    )
    assert "| < 500 ms | met |" in text
    assert "| `report agreements` JSON, a year | — | | | < 10 s | timeout: NOT met |" in text
    doc = tmp_path / "PERFORMANCE.md"
    doc.write_text("# P\n<!-- bench-summary:begin -->\nold\n<!-- bench-summary:end -->\n## Notes\n")
    run.merge_into_doc(doc, text, marker="bench-summary")
    assert "old" not in doc.read_text() and doc.read_text().endswith("## Notes\n")
