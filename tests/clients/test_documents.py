"""Documents one click away: the kartu bimbingan and the surat peringatan from the client page, the
warning letter right after recording it; forms started from a list return to it; the list opens on
active clients; the client page speaks in months and names the origin once."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bapas.models import AccessLog
from clients.models import ReportingWarning
from tests.factories import today

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def warned(carol, alice, office_a):
    office_a.head_name = "Dr. Hendra Wijaya, S.H."
    office_a.head_nip = "197503122000031001"
    office_a.save()
    carol.programme_start = dt.date(2022, 6, 1)
    carol.save()
    return ReportingWarning.objects.create(
        client=carol,
        level=ReportingWarning.Level.SP1,
        issued_on=dt.date(2022, 11, 30),
        reason="Tidak datang tiga bulan berturut-turut.",
        missed_periods="2022-08, 2022-09, 2022-10",
        issued_by=alice,
    )


def test_warning_letter_is_an_official_pdf(login, alice, warned, carol):
    response = login(alice).get(reverse("reports:warning_letter", args=[warned.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "surat-peringatan-sp1" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN" in text and "BAPAS KELAS I TANGERANG" in text
    assert f"TNG/SP1/2022/{warned.pk:05d}" in text  # the letter number
    assert carol.name in text and carol.register_number in text and carol.nik in text
    assert "Agustus 2022, September 2022, Oktober 2022" in text  # the missed periods in words
    assert "2022-08" not in text
    assert "SP2" in text  # the consequence: the next warning
    assert "30 November 2022" in text and "Dr. Hendra Wijaya, S.H." in text and "197503122000031001" in text
    assert AccessLog.objects.filter(user=alice, action="warning_letter").exists()


def test_warning_letter_is_for_those_who_may_print_the_card(login, warned, paula, kasi_a, kasi_b, kasubsi_a):
    path = reverse("reports:warning_letter", args=[warned.pk])
    assert login(kasi_a).get(path).status_code == 200
    assert login(paula).get(path).status_code == 404  # not her client
    assert login(kasi_b).get(path).status_code == 404  # another office
    assert login(kasubsi_a).get(path).status_code == 404


def test_recording_a_warning_offers_its_letter(login, alice, carol):
    carol.programme_start = today() - dt.timedelta(days=200)
    carol.save()
    c = login(alice)
    missed = c.get(reverse("clients:warning_create", args=[carol.pk])).context["missed"]
    response = c.post(
        reverse("clients:warning_create", args=[carol.pk]),
        {"level": "SP1", "issued_on": today().isoformat(), "reason": "Tidak lapor.", "missed": [missed[0].label]},
    )
    warning = ReportingWarning.objects.get(client=carol)
    letter = reverse("reports:warning_letter", args=[warning.pk])
    assert response["Location"] == letter  # one action: recorded, and the letter opens to print
    html = c.get(reverse("clients:detail", args=[carol.pk])).content.decode()
    assert f'href="{letter}"' in html  # in the message and in the timeline
    assert html.count(f'href="{letter}"') == 2


def test_client_page_links_the_documents_for_those_who_may_see_them(login, alice, kasi_a, kasubsi_a, warned, carol):
    card = reverse("reports:client_card", args=[carol.pk])
    letter = reverse("reports:warning_letter", args=[warned.pk])
    for user in (alice, kasi_a):
        html = login(user).get(reverse("clients:detail", args=[carol.pk])).content.decode()
        assert f'href="{card}"' in html and f'href="{letter}"' in html
        assert login(user).get(card).status_code == 200
    html = login(kasubsi_a).get(reverse("clients:detail", args=[carol.pk])).content.decode()
    assert f'href="{card}"' not in html  # the card is not for the Kasubsi (404 there)


def test_client_page_months_and_origin(login, alice, warned, carol):
    carol.origin_institution_type = "LAPAS"
    carol.origin_institution = "Lapas Kelas I Tangerang"
    carol.save()
    html = login(alice).get(reverse("clients:detail", args=[carol.pk])).content.decode()
    assert "Agustus 2022, September 2022, Oktober 2022" in html
    assert "2022-08" not in html
    assert "Lapas Kelas I Tangerang" in html and "Lapas Lapas" not in html


def test_forms_started_from_a_list_return_to_it(login, alice, carol):
    c = login(alice)
    back = reverse("clients:list") + "?status=AKTIF&q=carol"
    response = c.post(
        reverse("clients:status_change", args=[carol.pk]),
        {"status": "SELESAI", "date": today().isoformat(), "reason": "", "next": back},
    )
    assert response["Location"] == back


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_next_must_stay_on_the_site(login, alice, carol, target):
    response = login(alice).post(
        reverse("clients:status_change", args=[carol.pk]),
        {"status": "SELESAI", "date": today().isoformat(), "reason": "", "next": target},
    )
    assert response["Location"] == reverse("clients:detail", args=[carol.pk])


def test_worklist_buttons_carry_the_way_back(login, alice, carol):
    html = login(alice).get(reverse("home")).content.decode()
    assert "?next=/" in html or "?next=%2F" in html


def test_client_list_opens_on_active_clients(login, alice, carol, make_client):
    make_client(alice, name="Gita Selesai", status="SELESAI")
    c = login(alice)
    assert {x.name for x in c.get(reverse("clients:list")).context["page"].rows} == {carol.name}
    everyone = c.get(reverse("clients:list"), {"status": ""}).context["page"].rows
    assert {x.name for x in everyone} == {carol.name, "Gita Selesai"}


def test_a_name_typed_into_the_default_form_searches_every_client(login, alice, carol, make_client):
    make_client(alice, name="Andi Maulana", status="SELESAI")
    c = login(alice)
    assert 'name="status_default"' in c.get(reverse("clients:list")).content.decode()
    found = c.get(reverse("clients:list"), {"q": "maul", "status": "AKTIF", "status_default": "1"})
    assert [x.name for x in found.context["page"].rows] == ["Andi Maulana"]
    chosen = c.get(reverse("clients:list"), {"q": "maul", "status": "AKTIF"})  # a status chosen on purpose
    assert list(chosen.context["page"].rows) == []


def test_messages_write_dates_in_words(login, alice, carol):
    from django.utils import formats, timezone

    now = timezone.localtime(timezone.now(), carol.office.tzinfo) - dt.timedelta(minutes=2)
    data = {"reported_at": now.strftime("%Y-%m-%dT%H:%M"), "mode": "DATANG", "notes": "Baik", "token": "t-9"}
    response = login(alice).post(reverse("clients:visit_create", args=[carol.pk]), data, follow=True)
    html = response.content.decode()
    assert formats.date_format(now.date(), "j F Y") in html  # "30 November 2026", not "30-11-2026"
    assert now.strftime("%d-%m-%Y") not in html
