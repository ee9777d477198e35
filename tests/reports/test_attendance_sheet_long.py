"""A long training's attendance sheet continues on further pages: every day has its signature column."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import dateformat, translation
from pypdf import PdfReader

from reports.views import SHEET_DAYS
from tests.factories import ClientFactory, EnrolmentFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_session(office_a, alice):
    start = dt.date(2025, 7, 21)
    session = TrainingSessionFactory(
        office=office_a, code="PLT-LONG", title="Magang Bengkel", start_date=start, end_date=start + dt.timedelta(19)
    )
    for name in ("Agus Salim", "Bayu Pratama"):
        EnrolmentFactory(session=session, client=ClientFactory(office=office_a, officer=alice, name=name))
    return session


def test_every_day_of_a_20_day_training_is_on_the_printed_sheet(long_session, login, kasubsi_a):
    assert long_session.days == 20
    response = login(kasubsi_a).get(reverse("reports:attendance_sheet", args=[long_session.pk]), {"format": "pdf"})
    assert response.status_code == 200
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    text = "\n".join(pages)
    with translation.override("id"):
        labels = [dateformat.format(day, "j M") for day in long_session.dates()]
    missing = [label for label in labels if label not in text]
    assert not missing, f"days without a signature column: {missing}"
    assert len(pages) >= 3  # 7 + 7 + 6 days
    for page in pages[:3]:  # every block repeats the names beside its days
        assert "Agus Salim" in page and "Bayu Pratama" in page


def test_the_web_page_shows_every_day_in_blocks(long_session, login, kasubsi_a):
    body = login(kasubsi_a).get(reverse("reports:attendance_sheet", args=[long_session.pk])).content.decode()
    assert body.count('class="sign-cell"') == 2 * 20
    assert body.count('class="sheet-block') == -(-20 // SHEET_DAYS)
