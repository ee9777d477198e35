"""The compliance report names PKs by name and NIP on the page, the PDF and the XLSX; the JSON keeps
the username in ``officer`` and adds ``officer_name``."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clients.models import ReportingVisit
from tests.factories import ClientFactory, aware
from tests.reports.test_exports import pdf_text
from tests.reports.test_views import fetch

pytestmark = pytest.mark.django_db

PERIOD = {"period": "range", "date_from": "2023-01-01", "date_to": "2023-06-30"}


@pytest.fixture
def caseload(office_a, alice):
    alice.nip = "198807152010121001"
    alice.save()
    client = ClientFactory(
        office=office_a, officer=alice, programme_start=dt.date(2023, 1, 1), programme_end=dt.date(2023, 12, 31)
    )
    ReportingVisit.objects.create(client=client, reported_at=aware(2023, 2, 10))
    return client


def test_json_keeps_the_username_and_adds_the_name(caseload, login, kasi_a):
    data = login(kasi_a).get(reverse("reports:download", args=["compliance", "json"]), PERIOD).json()
    (row,) = data["by_officer"]
    assert row["officer"] == "alice"
    assert row["officer_name"] == "Alice Wulandari"
    assert row["officer_nip"] == "198807152010121001"
    assert (row["due"], row["reported"]) == (6, 1)


def test_page_pdf_and_xlsx_name_the_officer_not_the_account(caseload, login, kasi_a):
    client = login(kasi_a)
    page = client.get(reverse("reports:report", args=["compliance"]), PERIOD).content.decode()
    pdf = pdf_text(fetch(client, reverse("reports:download", args=["compliance", "pdf"]), PERIOD).content)
    workbook = load_workbook(
        io.BytesIO(fetch(client, reverse("reports:download", args=["compliance", "xlsx"]), PERIOD).content)
    )
    cells = [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    for text in (page, pdf, "\n".join(cells)):
        assert "Alice Wulandari" in text and "198807152010121001" in text
    assert "alice" not in page.replace("Alice", "")  # no username anywhere on the page
    assert "alice" not in cells and "alice" not in pdf.replace("Alice", "")
