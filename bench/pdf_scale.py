"""The annual report at national scale: time and peak memory of `manage.py report ... --format
pdf` against WeasyPrint alone on the same HTML, each in its own process.

Run on a seeded database (it only reads), e.g. after `manage.py seed_scale --clients 100000 --offices 100`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale .venv/bin/python bench/pdf_scale.py \\
        [--report participation] [--year 2025] [--office CODE] [--runs 2] [--keep DIR]

Four processes per run, one after the other:
- "WeasyPrint alone, single-document HTML": `HTML(filename=...).write_pdf()` of the HTML that
  templates/reports/pdf/report.html gives for the whole report in one document (what the report
  command printed before long reports were split into parts);
- "WeasyPrint alone, same layout in one document": the HTML of the parts joined into one document
  (fixed column widths, page footers in the document): the same pages as the report command prints;
- the `report` command itself (dataset, parts, footers, pypdf join);
- the `report` command with --format json: start-up and dataset, to tell the PDF's own share.
Wall time, CPU time (user + system) and peak resident memory come from os.wait4 of each process.
Prints a Markdown table with the load average before and after each process.
"""

import argparse
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

WEASYPRINT_ONLY = "import sys; from weasyprint import HTML; HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def run(command: list[str]) -> dict:
    """Run a process to its end: wall seconds, CPU seconds, peak RSS (MiB), load before and after."""
    before = load()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{error}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "load": f"{before} → {load()}",
    }


def pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(path.read_bytes())).pages)


def write_html(args, folder: Path) -> tuple[Path, Path, dict]:
    import django

    django.setup()
    from django.template.loader import render_to_string
    from django.utils import translation

    from bapas.models import Office
    from reports.access import ReportScope
    from reports.pdf import _LongReport, chunk_rows_setting, report_context
    from reports.scoped import build_dataset

    office = Office.objects.get(code=args.office) if args.office else None
    with translation.override("id"):
        started = time.perf_counter()
        data = build_dataset(
            args.report,
            scope=ReportScope(office=office),
            date_from=dt.date(args.year, 1, 1),
            date_to=dt.date(args.year, 12, 31),
        )
        dataset_seconds = time.perf_counter() - started
        context = report_context(data, office=office)
        single = folder / "single.html"
        single.write_text(render_to_string("reports/pdf/report.html", context))
        joined = folder / "parts-in-one.html"
        joined.write_text(_LongReport(context, chunk_rows_setting()).single_html())
    rows = sum(len(table.rows) for table in context["tables"])
    return single, joined, {"rows": rows, "dataset": dataset_seconds, "chunk_rows": chunk_rows_setting()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", default="participation")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--office")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", help="keep the HTML and PDF files in this folder")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="pdf-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    single, joined, facts = write_html(args, folder)
    python = sys.executable
    report = [python, "manage.py", "report", args.report, "--year", str(args.year)]
    if args.office:
        report += ["--office", args.office]
    rows = []
    for n in range(1, args.runs + 1):
        measured = [
            ("WeasyPrint alone, single-document HTML", [python, "-c", WEASYPRINT_ONLY, str(single)], "single"),
            (
                "WeasyPrint alone, the parts' layout in one document",
                [python, "-c", WEASYPRINT_ONLY, str(joined)],
                "joined",
            ),
            ("`report` command (parts + pypdf)", [*report, "--format", "pdf", "--output"], "report"),
            ("`report` command, JSON (start-up and dataset only)", [*report, "--format", "json", "--output"], "json"),
        ]
        for label, command, name in measured:
            out = folder / f"{name}-{n}.{'json' if name == 'json' else 'pdf'}"
            result = run([*command, str(out)])
            rows.append((n, label, result, "" if name == "json" else pages(out)))
    print(
        f"{args.report} {args.year}, {'office ' + args.office if args.office else 'all offices'}: "
        f"{facts['rows']} table rows, dataset {facts['dataset']:.1f} s, parts of {facts['chunk_rows']} rows; "
        f"{os.cpu_count()} CPUs\n"
    )
    print("| run | process | wall (s) | CPU (s) | peak RSS (MiB) | pages | load average before → after |")
    print("|---:|---|---:|---:|---:|---:|---|")
    for n, label, r, count in rows:
        print(f"| {n} | {label} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['rss']:.0f} | {count} | {r['load']} |")
    by_run = {}
    for n, _label, r, _count in rows:
        by_run.setdefault(n, []).append(r)
    print()
    for n, (single_run, joined_run, report_run, json_run) in by_run.items():
        ratios = []
        for name, baseline in (("single-document HTML", single_run), ("same layout", joined_run)):
            for what, minus in (("report", 0), ("report - JSON", 1)):
                wall = (report_run["wall"] - minus * json_run["wall"]) / baseline["wall"]
                cpu = (report_run["cpu"] - minus * json_run["cpu"]) / baseline["cpu"]
                ratios.append(f"{what} / WeasyPrint alone ({name}): wall {wall:.2f}, CPU {cpu:.2f}")
        print(f"run {n}: " + "; ".join(ratios))
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
