"""Every list page links to its XLSX export with the current filters, and the link downloads a workbook."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, ClientFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("list_url", "kind"),
    [
        ("clients:list", "clients"),
        ("pokmaslipas:partner_list", "partners"),
        ("pokmaslipas:agreement_list", "agreements"),
        ("trainings:session_list", "sessions"),
    ],
)
def test_list_page_links_its_export(login, kasi_a, office_a, list_url, kind):
    ClientFactory(office=office_a, name="Klien Ekspor")
    AgreementFactory(partner__office=office_a)
    TrainingSessionFactory(office=office_a)
    client = login(kasi_a)
    page = client.get(reverse(list_url), {"q": "a"})
    assert page.status_code == 200
    export_url = reverse("workbook:export_list", args=[kind]) + "?q=a"
    assert export_url in page.content.decode()
    response = client.get(export_url)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames
