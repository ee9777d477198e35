"""Files cannot attack their reader: text typed by users is data in every XLSX and CSV the app writes.

A training title ``=1+1`` and a location ``=HYPERLINK(...)`` are stored as text cells in the report
XLSX, the office workbook, the list exports and never as formulas; in CSV, text starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading quote (OWASP), numbers do not.
"""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from clients.models import Client
from pokmaslipas.models import Partner
from reports.writers import csv_field
from tests.workbook.conftest import run_import
from trainings.models import TrainingSession, TrainingType
from workbook.exporter import office_workbook

pytestmark = pytest.mark.django_db
TITLE = "=1+1"
LOCATION = '=HYPERLINK("http://evil.example/","klik")'
PARTNER = "@SUM(1+1)*cmd|' /C calc'!A0"
TYPE = "-2+3"


@pytest.fixture
def hostile(world, office_a):
    session = TrainingSession.objects.get(code="PLT-S1")
    session.title, session.location = TITLE, LOCATION
    session.save(update_fields=["title", "location"])
    Partner.objects.filter(pk=session.partner_id).update(name=PARTNER)
    TrainingType.objects.filter(pk=session.training_type_id).update(name=TYPE)
    return office_a


def formulas_in(content: bytes) -> list[str]:
    """Every formula element in the sheets' XML (what a spreadsheet program would run)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and (b"<f>" in archive.read(name) or b"<f " in archive.read(name))
        ]


def text_cells(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {cell.value: cell.data_type for ws in book.worksheets for row in ws.iter_rows() for cell in row}


def report_file(tmp_path, fmt: str) -> bytes:
    target = tmp_path / f"participation.{fmt}"
    call_command(
        "report", "participation", "--office", "TNG", "--year", "2022", "--format", fmt, "--output", str(target)
    )
    return target.read_bytes()


def test_report_xlsx_keeps_hostile_text_as_text(hostile, tmp_path):
    content = report_file(tmp_path, "xlsx")
    assert formulas_in(content) == []
    cells = text_cells(content)
    for value in (TITLE, PARTNER, TYPE):
        assert cells.get(value) == "s", value


def test_report_csv_neutralises_hostile_text_but_not_numbers(hostile, tmp_path):
    rows = list(csv.reader(io.StringIO(report_file(tmp_path, "csv").decode("utf-8-sig"))))
    values = {value for row in rows for value in row}
    assert {"'" + TITLE, "'" + PARTNER, "'" + TYPE} <= values
    assert not {TITLE, PARTNER, TYPE} & values
    assert not any(value[:1] in ("=", "+", "-", "@", "\t", "\r") for value in values)
    session_row = next(row for row in rows if "'" + TITLE in row)
    assert any(value.isdigit() for value in session_row)  # counts stay plain numbers


def test_csv_field_rule():
    assert [csv_field(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "a=b", "", None, -1, 2.5)] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "a=b",
        "",
        None,
        -1,
        2.5,
    ]


def test_office_workbook_keeps_hostile_text_exactly_and_imports_it_back(hostile, admin_a):
    content = office_workbook(hostile)
    assert formulas_in(content) == []
    cells = text_cells(content)
    assert cells.get(TITLE) == cells.get(LOCATION) == cells.get(PARTNER) == cells.get(TYPE) == "s"
    result = run_import(content, hostile, user=admin_a)
    assert result.ok and result.totals()["updated"] == 0  # the exact text came back: nothing changed
    session = TrainingSession.objects.get(code="PLT-S1")
    assert (session.title, session.location) == (TITLE, LOCATION)


def test_list_export_keeps_hostile_text_as_text(hostile, login, kasi_a):
    Client.objects.filter(office=hostile).update(name="=cmd|' /C calc'!A0")
    for kind in ("sessions", "clients"):
        response = login(kasi_a).get(reverse("workbook:export_list", args=[kind]))
        assert response.status_code == 200
        assert formulas_in(response.content) == [], kind
    cells = text_cells(login(kasi_a).get(reverse("workbook:export_list", args=["sessions"])).content)
    assert cells.get(TITLE) == cells.get(LOCATION) == "s"
