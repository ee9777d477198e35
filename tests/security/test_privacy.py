"""Privacy defects of the external scan: NIK search by role, children's names on rosters and sheets,
no-store on personal pages, and anonymous pages that reveal nobody."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

NIK = "3671010101900001"


@pytest.fixture
def andi(office_a, alice):
    return ClientFactory(office=office_a, officer=alice, name="Andi Rahasia", register_number="A-1", nik=NIK)


def _listed(response, name) -> bool:
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        return name in response.content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return any(name in str(value) for row in sheet.iter_rows(values_only=True) for value in row if value)


SEARCHES = [reverse("clients:list"), reverse("workbook:export_list", args=["clients"])]


@pytest.mark.parametrize("url", SEARCHES)
def test_kasubsi_cannot_search_by_nik_at_all(login, kasubsi_a, andi, url):
    """The Kasubsi's pages hide the NIK: a search by it, whole or in part, must not find the client."""
    client = login(kasubsi_a)
    assert _listed(client.get(url, {"q": "Andi"}), "Andi Rahasia")  # the client is visible by name
    for query in (NIK[:1], NIK[:6], NIK[:15], NIK, "3671 0101 0190 0001"):
        assert not _listed(client.get(url, {"q": query}), "Andi Rahasia"), query


@pytest.mark.parametrize("url", SEARCHES)
def test_nik_search_matches_only_the_whole_number(login, kasi_a, alice, andi, url):
    for user in (kasi_a, alice):
        client = login(user)
        assert _listed(client.get(url, {"q": NIK}), "Andi Rahasia")
        for prefix in (NIK[:1], NIK[:8], NIK[:15]):
            assert not _listed(client.get(url, {"q": prefix}), "Andi Rahasia"), prefix
