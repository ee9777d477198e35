import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_render_for_kasubsi(login, kasubsi_a, session_a, participant, session_3days):
    client = login(kasubsi_a)
    for url in [
        reverse("trainings:session_list"),
        reverse("trainings:session_detail", args=[session_a.pk]),
        reverse("trainings:session_create"),
        reverse("trainings:session_edit", args=[session_a.pk]),
        reverse("trainings:session_repeat", args=[session_a.pk]),
        reverse("trainings:session_cancel", args=[session_3days.pk]),
        reverse("trainings:enrol", args=[session_a.pk]),
        reverse("trainings:suggestions", args=[session_a.pk]),
        reverse("trainings:attendance", args=[session_a.pk, "2023-03-21"]),
        reverse("trainings:enrolment_withdraw", args=[participant.pk]),
        reverse("trainings:type_list"),
        reverse("trainings:type_create"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
