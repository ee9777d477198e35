"""Forms started from a list return to that list with its filters; a foreign ``next`` is ignored."""

from urllib.parse import quote

from django.urls import reverse

from pokmaslipas.models import Partner
from trainings.models import TrainingSession


def _session_data(culinary, partner_a, agreement_a, title):
    return {
        "title": title,
        "training_type": culinary.pk,
        "partner": partner_a.pk,
        "agreement": agreement_a.pk,
        "location_kind": "AULA",
        "start_date": "2024-09-13",
        "end_date": "2024-09-13",
        "certificate_min_attendance": 80,
        "issues_certificate": "on",
    }


def test_session_planned_from_a_filtered_list_returns_to_it(login, kasubsi_a, culinary, partner_a, agreement_a):
    client = login(kasubsi_a)
    listed = reverse("trainings:session_list") + "?year=2024&status=PLANNED"
    page = client.get(listed).content.decode()
    create = reverse("trainings:session_create") + "?next=" + quote(listed, safe="/")
    assert create.replace("&", "&amp;") in page or create in page
    form_page = client.get(create).content.decode()
    assert f'href="{listed.replace("&", "&amp;")}"' in form_page  # the breadcrumb leads back to the same list
    response = client.post(create, _session_data(culinary, partner_a, agreement_a, "Pelatihan Kopi"))
    assert response.status_code == 302 and response["Location"] == listed
    assert TrainingSession.objects.filter(title="Pelatihan Kopi").exists()


def test_session_planned_without_a_list_opens_the_new_session(login, kasubsi_a, culinary, partner_a, agreement_a):
    client = login(kasubsi_a)
    url = reverse("trainings:session_create") + "?next=" + quote("https://example.com/klien/", safe="")
    response = client.post(url, _session_data(culinary, partner_a, agreement_a, "Pelatihan Teh"))
    session = TrainingSession.objects.get(title="Pelatihan Teh")
    assert response["Location"] == reverse("trainings:session_detail", args=[session.pk])


def test_partner_registered_from_a_filtered_list_returns_to_it(login, admin_a):
    client = login(admin_a)
    listed = reverse("pokmaslipas:partner_list") + "?q=Karya"
    assert (reverse("pokmaslipas:partner_create") + "?next=" + quote(listed, safe="/")) in client.get(
        listed
    ).content.decode()
    create = reverse("pokmaslipas:partner_create") + "?next=" + quote(listed, safe="/")
    response = client.post(create, {"code": "KRY", "name": "Yayasan Karya", "kind": "LPK"})
    assert Partner.objects.filter(code="KRY", office=admin_a.office).exists(), response.content.decode()[:2000]
    assert response.status_code == 302 and response["Location"] == listed


def test_agreement_registered_from_the_list_returns_to_it(login, admin_a, partner_a):
    client = login(admin_a)
    listed = reverse("pokmaslipas:agreement_list") + "?status=ACTIVE"
    create = reverse("pokmaslipas:agreement_create") + "?next=" + quote(listed, safe="/")
    assert create.replace("&", "&amp;") in client.get(listed).content.decode()
    form_page = client.get(create).content.decode()
    assert f'href="{listed}"' in form_page


def test_client_list_export_carries_the_default_active_filter(login, kasi_a):
    """The client list opens on active clients; its XLSX button exports what the page shows."""
    page = login(kasi_a).get(reverse("clients:list")).content.decode()
    assert reverse("workbook:export_list", args=["clients"]) + "?status=AKTIF" in page
