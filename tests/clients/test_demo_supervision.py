"""The demo's path of a violation: Joko Susilo is due an SP3 on pk1.tng's worklist; Sri Wahyuni's
excused month is neither due nor missed; loading twice changes nothing."""

import pytest
from django.urls import reverse

from clients.compliance import client_compliance
from clients.models import Client, ExcusedAbsence, ReportingVisit, ReportingWarning
from config.demo import clients as demo_clients
from config.demo import offices as demo_offices
from config.demo import supervision as demo

pytestmark = pytest.mark.django_db


def test_demo_walk_starts_with_sp3_due_and_an_excused_month(login):
    context = demo_offices.load("demo-pass-2026!")
    demo_clients.load(context)
    demo.load(context)
    counts = (Client.objects.count(), ReportingVisit.objects.count(), ReportingWarning.objects.count())
    demo.load(demo_offices.load("demo-pass-2026!"))
    assert (Client.objects.count(), ReportingVisit.objects.count(), ReportingWarning.objects.count()) == counts
    assert ExcusedAbsence.objects.count() == 1

    joko = Client.objects.get(register_number="PAS-TNG.SP3/2025")
    html = login(context["users"]["pk1.tng"]).get(reverse("worklist")).content.decode()
    assert "Joko Susilo" in html and "SP3 perlu diterbitkan" in html
    assert client_compliance(joko).missed_in_a_row == 3

    sri = Client.objects.get(register_number="PAS-TNG.IZIN/2025")
    state = client_compliance(sri)
    assert len(state.excused_periods) == 1 and state.missed == 0
