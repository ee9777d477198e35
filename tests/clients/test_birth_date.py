"""One rule for a date of birth (form, services, workbook import): not in the future, and a client is
at least 12 at the programme start (children in conflict with the law are 12 to 18, UU 11/2012)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from clients import services
from clients.models import Client, birth_date_error
from tests.factories import ClientFactory, today
from tests.workbook.conftest import CLIENT_HEADER, client_row, make_xlsx, run_import

pytestmark = pytest.mark.django_db
FUTURE = "Tanggal lahir berada di masa depan."
TOO_YOUNG = "Klien berusia kurang dari 12 tahun pada awal bimbingan"


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def test_the_rule():
    start = dt.date(2024, 7, 1)
    assert birth_date_error(None, start, dt.date(2025, 1, 1)) is None
    assert birth_date_error(dt.date(2012, 7, 1), start, dt.date(2025, 1, 1)) is None  # 12 on the first day
    assert TOO_YOUNG in birth_date_error(dt.date(2012, 7, 2), start, dt.date(2025, 1, 1))
    assert birth_date_error(dt.date(2025, 1, 2), start, dt.date(2025, 1, 1)) == FUTURE


def form_data(**overrides):
    data = {
        "register_number": "PAS-TNG.200/2025",
        "name": "Fajar Nugroho",
        "sex": "L",
        "programme": "DIVERSI",
        "programme_start": (today() - dt.timedelta(days=30)).isoformat(),
        "programme_end": (today() + dt.timedelta(days=300)).isoformat(),
        "reporting_frequency": "BULANAN",
        "dependants": "0",
    }
    return data | overrides


@pytest.mark.parametrize(
    ("birth", "message"),
    [(today() + dt.timedelta(days=1), FUTURE), (today() - dt.timedelta(days=365 * 8), TOO_YOUNG)],
)
def test_the_form_refuses_and_keeps_what_was_typed(login, admin_a, birth, message):
    response = login(admin_a).post(reverse("clients:create"), form_data(birth_date=birth.isoformat()))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "Fajar Nugroho" in body
    assert not Client.objects.exists()


def test_the_form_accepts_a_child_of_fifteen(login, admin_a):
    birth = today() - dt.timedelta(days=365 * 15 + 30)
    response = login(admin_a).post(reverse("clients:create"), form_data(birth_date=birth.isoformat()))
    assert response.status_code == 302
    assert Client.objects.get().is_child


def test_the_services_refuse(admin_a, office_a):
    data = {k: v for k, v in form_data().items() if k != "dependants"}
    data["programme_start"] = dt.date.fromisoformat(data["programme_start"])
    data["programme_end"] = dt.date.fromisoformat(data["programme_end"])
    with pytest.raises(ValidationError) as caught:
        services.client_register(
            office=office_a, data={**data, "birth_date": today() + dt.timedelta(days=3)}, user=admin_a
        )
    assert caught.value.message_dict == {"birth_date": [FUTURE]}
    client = ClientFactory(office=office_a, birth_date=dt.date(1990, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.client_update(
            client=client, data={"birth_date": client.programme_start}, version=client.version, user=admin_a
        )
    assert TOO_YOUNG in caught.value.message_dict["birth_date"][0]
    client.refresh_from_db()
    assert client.birth_date == dt.date(1990, 1, 1)


@pytest.mark.parametrize(
    ("birth", "message"),
    [((today() + dt.timedelta(days=10)).isoformat(), FUTURE), ("2016-05-01", TOO_YOUNG)],
)
def test_the_import_refuses(office_a, birth, message):
    book = {"Klien": [[*CLIENT_HEADER, "tanggal_lahir"], [*client_row(start="2024-01-01"), birth]]}
    result = run_import(make_xlsx(book), office_a)
    assert len(result.issues) == 1 and result.issues[0].startswith("Klien!2 tanggal_lahir: ")
    assert message in result.issues[0]
    assert not Client.objects.exists()
