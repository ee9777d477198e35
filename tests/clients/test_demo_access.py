import datetime as dt

import pytest
from django.utils import timezone

from clients.access import can_see_notes, clients_visible_to, display_name
from clients.models import Client, ReportingVisit, ReportingWarning
from clients.selectors import worklist_for
from config.demo import clients as demo
from config.demo import offices as bapas_demo

pytestmark = pytest.mark.django_db


def test_visible_scope_per_role(carol, dani, alice, paula, kasi_a, kasubsi_a, admin_a, rita, bob):
    assert list(clients_visible_to(alice)) == [carol]
    assert list(clients_visible_to(paula)) == []
    assert list(clients_visible_to(bob)) == [dani]
    for user in (kasi_a, kasubsi_a, admin_a):
        assert list(clients_visible_to(user)) == [carol]
    assert list(clients_visible_to(rita)) == []


def test_notes_helper(carol, alice, paula, kasi_a, kabapas_a, kasubsi_a, admin_a, kasi_b):
    assert can_see_notes(alice, carol) and can_see_notes(kasi_a, carol) and can_see_notes(kabapas_a, carol)
    assert not any(can_see_notes(u, carol) for u in (paula, kasubsi_a, admin_a, kasi_b))


def test_initials_for_children(child_of_alice, alice, kasi_a):
    assert display_name(alice, child_of_alice) == "Bima Arya Saputra"
    assert display_name(kasi_a, child_of_alice) == "B.A.S."


def test_demo_is_idempotent_and_fills_every_worklist_section():
    context = bapas_demo.load("demo-pass-2026!")
    demo.load(context)
    counts = (Client.objects.count(), ReportingVisit.objects.count(), ReportingWarning.objects.count())
    demo.load(bapas_demo.load("demo-pass-2026!"))
    assert (Client.objects.count(), ReportingVisit.objects.count(), ReportingWarning.objects.count()) == counts
    assert len(context["clients"]) == counts[0]
    assert Client.objects.filter(is_child=True).exists()
    assert set(Client.objects.exclude(sensitive_category="").values_list("sensitive_category", flat=True)) == {
        "TERORISME",
        "NARKOTIKA",
    }
    assert Client.objects.filter(reporting_frequency="MINGGUAN").exists()
    assert all(c.nik.startswith("99") and len(c.nik) == 16 for c in Client.objects.all())
    for username in ("pk1.tng", "pk2.tng", "pk1.bpn"):
        user = context["users"][username]
        work = worklist_for(clients_visible_to(user), timezone.localdate(timezone=user.office.tzinfo))
        assert work.due_today and work.overdue and work.ending_soon, username
        month_end_near = (work.today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - work.today
        assert work.due_this_week or (work.today.weekday() == 6 and month_end_near.days <= 2), username
