"""Every view: works; anonymous -> sign-in; other office -> 404; read-only role -> 403; wrong method -> 405."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import FollowUpFactory
from trainings.models import Enrolment, FollowUp, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(participant):
    return FollowUpFactory(enrolment=participant, date=dt.date(2023, 4, 21), status=FollowUp.Status.SIDE_INCOME)


def urls(session, enrolment, follow_up):
    """(name, url, GET-able?) for every view that hangs off a session, enrolment or follow-up."""
    return {
        "session_detail": reverse("trainings:session_detail", args=[session.pk]),
        "session_edit": reverse("trainings:session_edit", args=[session.pk]),
        "session_repeat": reverse("trainings:session_repeat", args=[session.pk]),
        "session_cancel": reverse("trainings:session_cancel", args=[session.pk]),
        "enrol": reverse("trainings:enrol", args=[session.pk]),
        "suggestions": reverse("trainings:suggestions", args=[session.pk]),
        "attendance": reverse("trainings:attendance", args=[session.pk, session.start_date.isoformat()]),
        "certificates_pdf": reverse("certificates_pdf", args=[session.pk]),
        "enrolment_withdraw": reverse("trainings:enrolment_withdraw", args=[enrolment.pk]),
        "followup_create": reverse("trainings:followup_create", args=[enrolment.pk]),
        "followup_photo": reverse("trainings:followup_photo", args=[follow_up.pk]),
    }


def test_anonymous_is_sent_to_sign_in(client, session_a, participant, follow_up):
    for name, url in [
        *urls(session_a, participant, follow_up).items(),
        ("session_list", reverse("trainings:session_list")),
        ("session_create", reverse("trainings:session_create")),
        ("type_list", reverse("trainings:type_list")),
        ("type_create", reverse("trainings:type_create")),
    ]:
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_other_office_gets_404(login, kasubsi_b, bob, session_a, participant, follow_up):
    for user in (kasubsi_b, bob):
        client = login(user)
        for name, url in urls(session_a, participant, follow_up).items():
            assert client.get(url).status_code == 404, (user, name)


def test_regional_viewer_gets_404_everywhere(login, rita, session_a, participant, follow_up):
    client = login(rita)
    for name, url in [
        *urls(session_a, participant, follow_up).items(),
        ("session_list", reverse("trainings:session_list")),
        ("type_list", reverse("trainings:type_list")),
        ("session_create", reverse("trainings:session_create")),
    ]:
        assert client.get(url).status_code == 404, name


@pytest.mark.parametrize("name", ["session_edit", "session_repeat", "session_cancel"])
def test_read_only_roles_get_403_on_session_writes(
    login, alice, kabapas_a, admin_a, session_a, participant, follow_up, name
):
    url = urls(session_a, participant, follow_up)[name]
    for user in (alice, kabapas_a, admin_a):
        assert login(user).get(url).status_code == 403, user


def test_read_only_roles_get_403_on_create_pages(login, alice, kabapas_a, admin_a, office_a):
    for user in (alice, kabapas_a, admin_a):
        client = login(user)
        assert client.get(reverse("trainings:session_create")).status_code == 403
        assert client.get(reverse("trainings:type_create")).status_code == 403


def test_kabapas_and_admin_cannot_enrol_or_take_attendance(
    login, kabapas_a, admin_a, session_a, participant, follow_up
):
    u = urls(session_a, participant, follow_up)
    for user in (kabapas_a, admin_a):
        client = login(user)
        assert client.get(u["enrol"]).status_code == 403
        assert client.get(u["suggestions"]).status_code == 403
        # They may read the attendance screen but not save it.
        assert client.get(u["attendance"]).status_code == 200
        assert client.post(u["attendance"], {}).status_code == 403


def test_follow_up_access(login, alice, paula, kasi_a, kabapas_a, admin_a, participant, follow_up):
    u = urls(participant.session, participant, follow_up)
    assert login(alice).get(u["followup_create"]).status_code == 200
    assert login(paula).get(u["followup_create"]).status_code == 404  # not her caseload
    assert login(paula).get(u["followup_photo"]).status_code == 404
    for user in (kasi_a, kabapas_a):
        assert login(user).get(u["followup_create"]).status_code == 403  # read only
    assert login(admin_a).get(u["followup_create"]).status_code == 403
    assert login(admin_a).get(u["followup_photo"]).status_code == 404


def test_wrong_method_is_405(login, kasubsi_a, session_a, participant, follow_up):
    client = login(kasubsi_a)
    u = urls(session_a, participant, follow_up)
    for name in ("session_detail", "suggestions", "certificates_pdf", "followup_photo"):
        assert client.post(u[name]).status_code == 405, name
    for name in ("session_edit", "session_repeat", "session_cancel", "enrol", "attendance", "enrolment_withdraw"):
        assert client.delete(u[name]).status_code == 405, name
    assert client.get(reverse("trainings:session_mark_held", args=[session_a.pk])).status_code == 405
    assert client.get(reverse("trainings:certificates_issue", args=[session_a.pk])).status_code == 405
    assert client.post(reverse("trainings:session_list")).status_code == 405
    assert client.post(reverse("trainings:type_list")).status_code == 405
    assert login(kasubsi_a).put(reverse("trainings:type_create")).status_code == 405


def test_pages_work_for_the_kasubsi(login, kasubsi_a, session_a, participant, follow_up):
    client = login(kasubsi_a)
    for name, url in urls(session_a, participant, follow_up).items():
        if name in ("followup_create", "followup_photo", "certificates_pdf"):
            continue
        assert client.get(url).status_code == 200, name
    for name in ("session_list", "session_create", "type_list", "type_create"):
        assert client.get(reverse(f"trainings:{name}")).status_code == 200, name


def test_pk_reads_sessions_and_enrols_from_suggestions(login, alice, session_a, alice_client, paula_client):
    client = login(alice)
    page = client.get(reverse("trainings:session_detail", args=[session_a.pk]))
    assert page.status_code == 200
    assert page.context["can_enrol"] and not page.context["can_write"]
    suggestions = client.get(reverse("trainings:suggestions", args=[session_a.pk]))
    names = [c.name for c in suggestions.context["rows"]]
    assert names == ["Agus Salim"]  # only her own caseload
    response = client.post(
        reverse("trainings:enrol", args=[session_a.pk]), {"clients": [alice_client.pk], "status": "REGISTERED"}
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(session=session_a, client=alice_client).exists()
    # Paula's client is refused with a clear message and nothing is written.
    response = client.post(
        reverse("trainings:enrol", args=[session_a.pk]),
        {"clients": [paula_client.pk], "status": "REGISTERED"},
        follow=True,
    )
    assert not Enrolment.objects.filter(client=paula_client).exists()
    assert "bukan klien Anda" in response.content.decode() or "not in your caseload" in response.content.decode()


def test_session_create_form_plans_a_session(login, kasubsi_a, culinary, partner_a, agreement_a):
    client = login(kasubsi_a)
    response = client.post(
        reverse("trainings:session_create"),
        {
            "title": "Pelatihan Seblak",
            "training_type": culinary.pk,
            "partner": partner_a.pk,
            "agreement": agreement_a.pk,
            "location_kind": "AULA",
            "start_date": "2024-09-13",
            "end_date": "2024-09-13",
            "certificate_min_attendance": 80,
            "issues_certificate": "on",
        },
    )
    session = TrainingSession.objects.get(title="Pelatihan Seblak")
    assert response.status_code == 302
    assert session.code == "PLT-0001" and session.created_by == kasubsi_a and session.office == kasubsi_a.office


def test_session_form_end_before_start_keeps_input(login, kasubsi_a, culinary, partner_a, agreement_a):
    client = login(kasubsi_a)
    response = client.post(
        reverse("trainings:session_create"),
        {
            "title": "Salah tanggal",
            "training_type": culinary.pk,
            "partner": partner_a.pk,
            "agreement": agreement_a.pk,
            "location_kind": "AULA",
            "start_date": "2024-09-13",
            "end_date": "2024-09-10",
            "certificate_min_attendance": 80,
        },
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 200
    assert not TrainingSession.objects.filter(title="Salah tanggal").exists()
    assert response.context["form"].errors["end_date"]
    assert 'value="Salah tanggal"' in response.content.decode()


def test_repeat_prefills_the_earlier_session(login, kasubsi_a, session_a):
    response = login(kasubsi_a).get(reverse("trainings:session_repeat", args=[session_a.pk]))
    form = response.context["form"]
    assert form.initial["title"] == session_a.title
    assert form.initial["partner"] == session_a.partner_id
    assert "start_date" not in form.initial


def test_type_create(login, kasubsi_a):
    client = login(kasubsi_a)
    response = client.post(reverse("trainings:type_create"), {"name": "Barista", "category": "KULINER"})
    assert response.status_code == 302
    response = client.post(reverse("trainings:type_create"), {"name": "barista", "category": "KULINER"})
    assert response.status_code == 200 and response.context["form"].errors["name"]


def test_followup_form_saves_and_refuses_unsafe_next(login, alice, participant):
    client = login(alice)
    url = reverse("trainings:followup_create", args=[participant.pk])
    data = {"date": "2023-04-21", "status": "USAHA_SAMPINGAN", "income": "750000", "next": "https://evil.example/"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "trainings:session_detail", args=[participant.session_id]
    )
    assert FollowUp.objects.get(enrolment=participant).income == 750000
    data.update(date="2023-03-20", next="/klien/")
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200 and response.context["form"].errors["date"]
    assert FollowUp.objects.count() == 1
