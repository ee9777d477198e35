"""Work status: at programme start on the register, at every wajib lapor, pre-filled with the last one known."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.models import ReportingVisit, WorkStatus


def test_the_form_prefills_the_programme_start_status_first(login, alice, carol):
    carol.work_status_start = WorkStatus.INFORMAL
    carol.save()
    form = login(alice).get(reverse("clients:visit_create", args=[carol.pk])).context["form"]
    assert form.initial["work_status"] == WorkStatus.INFORMAL


def test_the_form_prefills_the_last_known_status(login, alice, carol, make_visit):
    day = timezone.localdate() - dt.timedelta(days=40)
    make_visit(carol, day - dt.timedelta(days=30), work_status=WorkStatus.NOT_WORKING)
    make_visit(carol, day, work_status=WorkStatus.OWN_BUSINESS)
    make_visit(carol, day + dt.timedelta(days=1), work_status=WorkStatus.UNKNOWN)  # not known: skipped
    assert services.last_known_work_status(carol) == WorkStatus.OWN_BUSINESS
    form = login(alice).get(reverse("clients:visit_create", args=[carol.pk])).context["form"]
    assert form.initial["work_status"] == WorkStatus.OWN_BUSINESS


def test_recording_a_visit_keeps_the_status_and_income_band(login, alice, carol):
    web = login(alice)
    page = web.get(reverse("clients:visit_create", args=[carol.pk]))
    form = page.context["form"]
    now = timezone.localtime(timezone.now(), carol.office.tzinfo) - dt.timedelta(minutes=5)
    data = {
        "token": form.initial["token"],
        "reported_at": now.strftime("%Y-%m-%dT%H:%M"),
        "mode": "DATANG",
        "received_by": alice.pk,
        "notes": "Bekerja sebagai pengemudi ojek daring.",
        "work_status": WorkStatus.INFORMAL,
        "income_band": "1-3JT",
        "next_due_date": (now.date() + dt.timedelta(days=30)).isoformat(),
    }
    response = web.post(reverse("clients:visit_create", args=[carol.pk]), data)
    assert response.status_code == 302
    visit = ReportingVisit.objects.get(client=carol)
    assert (visit.work_status, visit.income_band) == (WorkStatus.INFORMAL, "1-3JT")
    assert visit.history.first().work_status == WorkStatus.INFORMAL  # audited with the rest of the visit


def test_an_unknown_work_status_is_refused(login, alice, carol):
    web = login(alice)
    form = web.get(reverse("clients:visit_create", args=[carol.pk])).context["form"]
    now = timezone.localtime(timezone.now(), carol.office.tzinfo) - dt.timedelta(minutes=5)
    response = web.post(
        reverse("clients:visit_create", args=[carol.pk]),
        {"token": form.initial["token"], "reported_at": now.strftime("%Y-%m-%dT%H:%M"), "mode": "DATANG",
         "received_by": alice.pk, "work_status": "PILOT"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "work_status" in response.context["form"].errors
    assert not ReportingVisit.objects.filter(client=carol).exists()


def test_the_register_form_has_the_start_status(login, admin_a):
    form = login(admin_a).get(reverse("clients:create")).context["form"]
    assert "work_status_start" in form.fields
    assert {value for value, _label in form.fields["work_status_start"].choices} >= set(WorkStatus.values)
