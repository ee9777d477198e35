import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.reports.test_exports import pdf_text

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.BytesIO()

    class Stdout:
        buffer = out

        def write(self, text):
            out.write(text.encode())

        def flush(self):
            pass

    import sys

    saved = sys.stdout
    sys.stdout = Stdout()
    try:
        call_command("report", *args)
    finally:
        sys.stdout = saved
    return out.getvalue()


def test_json_to_stdout_by_year_and_office(world):
    data = json.loads(run("participation", "--office", "TNG", "--year", "2022", "--format", "json"))
    assert (data["report"], data["office"], data["from"], data["to"]) == (
        "participation",
        "TNG",
        "2022-01-01",
        "2022-12-31",
    )
    assert data["totals"] == {**data["totals"], "sessions": 1, "enrolled": 3, "participants": 2, "unique_clients": 2}
    assert data["by_year"] == [{"year": 2022, "sessions": 1, "enrolled": 3, "participants": 2}]
    assert data["sessions"][0]["code"] == "PLT-S1"


def test_all_offices_with_dates(world):
    data = json.loads(run("implementation", "--from", "2022-01-01", "--to", "2023-12-31", "--format", "json"))
    assert data["office"] is None
    assert data["totals"]["participants"] == 5 and data["totals"]["rate"] == 0.3333
    assert {"training_type", "participants", "followed_up", "implemented", "rate"} <= set(data["by_training_type"][0])
    assert {"partner", "participants", "followed_up", "implemented", "rate"} <= set(data["by_partner"][0])


@pytest.mark.parametrize("name", ["participation", "implementation", "compliance", "agreements"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf", "json"])
def test_every_report_in_every_format_to_a_file(world, tmp_path, name, fmt):
    target = tmp_path / f"out.{fmt}"
    assert run(name, "--office", "tng", "--year", "2023", "--format", fmt, "--output", str(target)) == b""
    content = target.read_bytes()
    if fmt == "json":
        assert json.loads(content)["report"] == name
    elif fmt == "csv":
        assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        main = {"participation": "sessions", "implementation": "by_training_type", "compliance": "by_officer",
                "agreements": "agreements"}[name]  # fmt: skip
        as_json = json.loads(run(name, "--office", "tng", "--year", "2023", "--format", "json"))
        assert len(rows) == len(as_json[main])
        if rows:
            assert list(rows[0]) == [k for k, v in as_json[main][0].items() if not isinstance(v, dict)]
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(content)).worksheets[0]["B2"].value == "TNG"
    else:
        assert "Halaman 1 dari" in pdf_text(content)


def test_csv_matches_json(world):
    data = json.loads(run("participation", "--office", "TNG", "--year", "2023", "--format", "json"))
    text = run("participation", "--office", "TNG", "--year", "2023", "--format", "csv").decode("utf-8-sig")
    sessions = list(csv.DictReader(io.StringIO(text)))
    assert [row["code"] for row in sessions] == [s["code"] for s in data["sessions"]]
    assert [int(row["participants"]) for row in sessions] == [s["participants"] for s in data["sessions"]]
    assert sum(int(row["participants"]) for row in sessions) == data["totals"]["participants"]
    by_year = run("participation", "--office", "TNG", "--year", "2023", "--format", "csv", "--table", "by_year")
    rows = list(csv.DictReader(io.StringIO(by_year.decode("utf-8-sig"))))
    assert [(int(r["year"]), int(r["participants"])) for r in rows] == [
        (y["year"], y["participants"]) for y in data["by_year"]
    ]


def test_csv_table_must_be_a_table_of_the_report(world):
    with pytest.raises(CommandError, match=r"Unknown table 'nope'.*by_year"):
        call_command(
            "report", "participation", "--year", "2023", "--format", "csv", "--table", "nope", stdout=io.StringIO()
        )
    with pytest.raises(CommandError, match="--table goes with --format csv"):
        call_command(
            "report", "participation", "--year", "2023", "--format", "json", "--table", "by_year", stdout=io.StringIO()
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["participation", "--from", "2023-05-01", "--to", "2023-01-01", "--format", "json"],
            "end of the period cannot be before",
        ),
        (["participation", "--from", "2010-01-01", "--to", "2023-01-01", "--format", "json"], "longer than 10 years"),
        (["participation", "--year", "2023", "--format", "docx"], "Unknown format"),
        (["salaries", "--year", "2023", "--format", "json"], "Unknown report"),
        (["participation", "--office", "XXX", "--year", "2023", "--format", "json"], "Unknown office"),
        (["participation", "--format", "json"], "Give the period"),
        (
            ["participation", "--year", "2023", "--from", "2023-01-01", "--to", "2023-02-01", "--format", "json"],
            "not both",
        ),
        (["participation", "--from", "2023-13-01", "--to", "2023-12-31", "--format", "json"], "is not a date"),
    ],
)
def test_bad_input_fails_clearly(office_a, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_empty_period(office_a):
    data = json.loads(run("participation", "--office", "TNG", "--year", "2015", "--format", "json"))
    assert data["empty"] is True and data["totals"]["sessions"] == 0 and data["sessions"] == []
