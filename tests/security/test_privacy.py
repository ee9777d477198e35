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


# --- no-store on every page with personal data ----------------------------------------------------


def test_personal_pages_and_files_are_not_stored(login, client, alice, kasi_a, child_enrolment, settings):
    enrolment = child_enrolment
    enrolment.certificate_number, enrolment.certificate_token = "TNG/X/2023/001", "t" * 43
    enrolment.save(update_fields=["certificate_number", "certificate_token"])
    person = enrolment.client
    pages = [
        reverse("clients:list"),
        reverse("worklist"),
        reverse("clients:detail", args=[person.pk]),
        reverse("reports:client_card", args=[person.pk]),
        reverse("reports:client_card", args=[person.pk]) + "?format=pdf",
        reverse("workbook:export_list", args=["clients"]),
        reverse("workbook:export_list", args=["participants"]),
        reverse("certificates_pdf", args=[enrolment.session_id]),
        *_roster_pages(enrolment).values(),
    ]
    signed_in = login(alice)
    for url in pages:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    signed_in.logout()
    for url in (
        reverse("trainings:certificate_verify", args=[enrolment.certificate_token]),
        reverse("trainings:certificate_check_number", args=[enrolment.certificate_number]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], url


# --- anonymous pages reveal no client, no staff member, no count ---------------------------------
import re  # noqa: E402

_VOLATILE = re.compile(r'(csrfmiddlewaretoken" value="|nonce="|csrf[^"]*" content=")[^"]*')


def _normal(response, username="") -> str:
    body = response.content.decode()
    body = _VOLATILE.sub(r"\1", body)
    return body.replace(username, "USERNAME") if username else body


def _sign_in(client, username, times=1):
    response = None
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong-password-1"})
    return response


def test_anonymous_pages_reveal_nobody(client, alice, andi, kasi_a):
    secrets = ("Andi Rahasia", NIK, "alice", "Alice", "Wulandari", "kasi_a", "Karin")
    pages = {
        "login": client.get(reverse("login")),
        "healthz": client.get(reverse("healthz")),
        "missing": client.get("/tidak-ada/"),
        "password": client.get(reverse("password_change")),
        "certificate check": client.get(reverse("trainings:certificate_check")),
        "client page": client.get(reverse("clients:detail", args=[andi.pk])),
    }
    for name, response in pages.items():
        assert response.status_code in (200, 302, 404), name
        text = response.content.decode()
        assert not any(secret in text for secret in secrets), name
        assert not re.search(r"\b[1-9]\d*\s+(klien|client|staf|staff|pengguna|user)", text, re.I), name
    assert pages["healthz"].json() == {"status": "ok"}
    assert pages["client page"]["Location"].startswith(reverse("login"))


def test_sign_in_answers_the_same_for_staff_and_strangers(client, alice):
    """A wrong password for an existing account and any password for a name nobody has: same page."""
    known, unknown = _sign_in(client, "alice"), _sign_in(client, "nobody-here")
    assert known.status_code == unknown.status_code == 200
    assert _normal(known, "alice") == _normal(unknown, "nobody-here")
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert _normal(_sign_in(client, "alice"), "alice") == _normal(unknown, "nobody-here")


def test_lockout_page_is_the_same_for_staff_and_strangers(client, alice):
    known, unknown = _sign_in(client, "alice", times=6), _sign_in(client, "nobody-here", times=6)
    assert known.status_code == unknown.status_code == 429
    assert _normal(known, "alice") == _normal(unknown, "nobody-here")
    assert "alice" not in known.content.decode()
