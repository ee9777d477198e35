"""Privacy defects of the external scan: NIK search by role, children's names on rosters and sheets,
no-store on personal pages, and anonymous pages that reveal nobody."""

import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import AttendanceFactory, ClientFactory, EnrolmentFactory, TrainingSessionFactory

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


# --- children by initials on rosters and attendance sheets ----------------------------------------
CHILD = "Bima Arya Saputra"


@pytest.fixture
def child_enrolment(office_a, alice):
    session = TrainingSessionFactory(office=office_a)
    child = ClientFactory(office=office_a, officer=alice, name=CHILD, programme="DIVERSI")
    assert child.is_child
    enrolment = EnrolmentFactory(session=session, client=child)
    AttendanceFactory(enrolment=enrolment)
    return enrolment


def _roster_pages(enrolment):
    session = enrolment.session
    sheet = reverse("reports:attendance_sheet", args=[session.pk])
    return {
        "roster": reverse("trainings:session_detail", args=[session.pk]),
        "attendance": reverse("trainings:attendance", args=[session.pk, session.start_date]),
        "sheet": sheet,
        "sheet_pdf": sheet + "?format=pdf",
        "withdraw": reverse("trainings:enrolment_withdraw", args=[enrolment.pk]),
    }


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    if response["Content-Type"] == "application/pdf":
        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode()


@pytest.mark.parametrize("which", ["roster", "attendance", "sheet", "sheet_pdf", "withdraw"])
def test_children_are_shown_by_initials_to_others_than_their_pk(login, kasubsi_a, kasi_a, child_enrolment, which):
    url = _roster_pages(child_enrolment)[which]
    for user in (kasubsi_a, kasi_a):
        text = _text(login(user).get(url))
        assert CHILD not in text and "B.A.S." in text, (which, user.username)


@pytest.mark.parametrize("which", ["roster", "attendance", "sheet", "sheet_pdf"])
def test_the_childs_own_pk_sees_the_full_name(login, alice, child_enrolment, which):
    assert CHILD in _text(login(alice).get(_roster_pages(child_enrolment)[which]))
