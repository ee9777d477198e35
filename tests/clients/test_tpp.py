"""After SP3: the Kasi holds a TPP session and prints its minutes, the Kepala Bapas suspends the
programme and prints the proposal to the Kanwil, the Admin records the decision; every step is
audited and on the client's timeline, and each refuses bad input with nothing saved."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clients import services, supervision
from clients.compliance import client_compliance
from clients.models import Client, RevocationProposal, StatusChange, TPPCase, TPPSession

pytestmark = pytest.mark.django_db


def month_start(today: dt.date, back: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def today(alice):
    return timezone.localdate(timezone=alice.office.tzinfo)


@pytest.fixture
def warned(make_client, make_visit, alice, today):
    """Missed the last three months and warned SP1, SP2, SP3 for them."""
    client = make_client(
        alice,
        name="Joko Susilo",
        register_number="PAS-TNG.077/2026",
        programme_start=month_start(today, 4),
        programme_end=today + dt.timedelta(days=300),
    )
    make_visit(client, month_start(today, 4) + dt.timedelta(days=2))
    codes = [p.label for p in client_compliance(client, today=today).missed_periods]
    for level, code in zip(("SP1", "SP2", "SP3"), codes, strict=True):
        services.warning_issue(
            client=client, level=level, issued_on=today, reason="Tidak melapor", missed_periods=[code], user=alice
        )
    return client


def schedule(browser, warned, members, today):
    return browser.post(
        reverse("clients:tpp_create"),
        {"date": today.isoformat(), "place": "Aula Bapas", "members": [m.pk for m in members], "clients": [warned.pk]},
    )


def test_the_whole_chain(warned, login, alice, kasi_a, kabapas_a, admin_a, today):
    # the Kasi sees the client ready for the TPP and schedules a session
    kasi = login(kasi_a)
    overview = kasi.get(reverse("clients:tpp_list"))
    assert any(r.client == warned for r in overview.context["tpp_ready"])
    response = schedule(kasi, warned, [kasi_a, alice, kabapas_a], today)
    session = TPPSession.objects.get()
    assert response.status_code == 302 and session.state == TPPSession.State.PLANNED
    case = session.cases.get()
    # the minutes
    response = kasi.post(
        reverse("clients:tpp_minutes", args=[session.pk]),
        {
            "attendees": [kasi_a.pk, alice.pk],
            f"findings_{case.pk}": "Klien tidak melapor tiga bulan dan pindah alamat tanpa izin.",
            f"recommendation_{case.pk}": TPPCase.Recommendation.REVOKE,
            f"note_{case.pk}": "",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == TPPSession.State.HELD and set(session.attendees.all()) == {kasi_a, alice}
    minutes = pdf_text(kasi.get(reverse("reports:tpp_minutes_pdf", args=[session.pk])))
    assert session.number in minutes and "Joko Susilo" in minutes and "Usulkan pencabutan" in minutes
    assert "Karin Kasi" in minutes and "tidak hadir" in minutes  # the Kepala Bapas was absent
    assert str(today.year) in minutes and today.isoformat() not in minutes
    # the Kepala Bapas suspends and prints the proposal
    head = login(kabapas_a)
    response = head.post(reverse("clients:suspend", args=[warned.pk]), {"date": today.isoformat(), "grounds": ""})
    proposal = RevocationProposal.objects.get()
    assert response["Location"] == reverse("reports:revocation_proposal", args=[proposal.pk])
    warned.refresh_from_db()
    assert (warned.status, warned.status_date) == (Client.Status.SUSPENDED, today)
    letter = pdf_text(head.get(response["Location"]))
    for warning in warned.warnings.all():
        assert warning.letter_number in letter
    assert session.number in letter and proposal.number in letter
    # the Admin records the decision
    admin = login(admin_a)
    page = admin.get(reverse("clients:detail", args=[warned.pk])).content.decode()
    decide = reverse("clients:revocation_decide", args=[proposal.pk])
    assert decide in page
    response = admin.post(decide, {"decision": "DICABUT", "decree_number": "", "decree_date": today.isoformat()})
    assert "nomor surat keputusan" in response.content.decode()
    warned.refresh_from_db()
    assert warned.status == Client.Status.SUSPENDED  # nothing saved
    response = admin.post(
        decide, {"decision": "DICABUT", "decree_number": "W29.PAS-123.PK.05.09/2026", "decree_date": today.isoformat()}
    )
    assert response.status_code == 302
    warned.refresh_from_db()
    proposal.refresh_from_db()
    assert warned.status == Client.Status.REVOKED and proposal.decided_by == admin_a
    assert proposal.history.count() == 2  # audited: proposed, decided
    # the client's timeline shows the whole chain
    timeline = login(alice).get(reverse("clients:detail", args=[warned.pk])).context["timeline"]
    kinds = [e.kind for e in timeline]
    assert kinds.count("warning") == 3 and "tpp" in kinds and "proposal" in kinds
    statuses = [e.obj.status for e in timeline if e.kind == "status"]
    assert statuses[:2] == [Client.Status.REVOKED, Client.Status.SUSPENDED]


def test_a_session_without_members_or_cases_is_refused(warned, login, kasi_a, today):
    response = schedule(login(kasi_a), warned, [], today)
    assert "memerlukan paling sedikit satu anggota" in response.content.decode()
    assert not TPPSession.objects.exists()


def test_suspension_needs_a_tpp_recommendation(warned, login, kasi_a, kabapas_a, alice, today):
    with pytest.raises(Exception) as exc:
        supervision.client_suspend(client=warned, date=today, user=kabapas_a)
    assert "rekomendasi" in str(exc.value)
    session = supervision.tpp_session_schedule(
        office=warned.office, date=today, members=[kasi_a], clients=[warned], user=kasi_a
    )
    case = session.cases.get()
    supervision.tpp_minutes_record(
        session=session,
        attendees=[kasi_a],
        cases={case.pk: {"findings": "Masih bekerja", "recommendation": TPPCase.Recommendation.CONTINUE}},
        user=kasi_a,
    )
    response = login(kabapas_a).post(reverse("clients:suspend", args=[warned.pk]), {"date": today.isoformat()})
    assert response.status_code == 200 and "Penangguhan memerlukan sidang TPP" in response.content.decode()
    warned.refresh_from_db()
    assert warned.status == Client.Status.ACTIVE and not RevocationProposal.objects.exists()
    assert not StatusChange.objects.filter(client=warned).exists()


def test_minutes_need_attendance_and_a_recommendation_per_case(warned, login, kasi_a, alice, today):
    session = supervision.tpp_session_schedule(
        office=warned.office, date=today, members=[kasi_a, alice], clients=[warned], user=kasi_a
    )
    case = session.cases.get()
    response = login(kasi_a).post(
        reverse("clients:tpp_minutes", args=[session.pk]), {"attendees": [], f"findings_{case.pk}": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "paling sedikit satu anggota yang hadir" in html
    session.refresh_from_db()
    assert session.state == TPPSession.State.PLANNED


def test_the_kanwil_may_continue_the_programme(warned, kasi_a, kabapas_a, admin_a, today):
    session = supervision.tpp_session_schedule(
        office=warned.office, date=today, members=[kasi_a], clients=[warned], user=kasi_a
    )
    case = session.cases.get()
    supervision.tpp_minutes_record(
        session=session,
        attendees=[kasi_a],
        cases={case.pk: {"findings": "Pindah", "recommendation": TPPCase.Recommendation.REVOKE}},
        user=kasi_a,
    )
    proposal = supervision.client_suspend(client=warned, date=today, user=kabapas_a)
    supervision.revocation_decide(proposal=proposal, decision="DILANJUTKAN", user=admin_a)
    warned.refresh_from_db()
    assert warned.status == Client.Status.ACTIVE


def test_who_may_do_what(warned, login, alice, kasi_a, kasi_b, kabapas_a, admin_a, today):
    assert login(alice).get(reverse("clients:tpp_create")).status_code == 403
    assert login(kabapas_a).get(reverse("clients:tpp_create")).status_code == 403
    assert login(kabapas_a).get(reverse("clients:tpp_list")).status_code == 200
    session = supervision.tpp_session_schedule(
        office=warned.office, date=today, members=[kasi_a], clients=[warned], user=kasi_a
    )
    assert login(kasi_b).get(reverse("clients:tpp_detail", args=[session.pk])).status_code == 404
    assert login(alice).get(reverse("clients:tpp_detail", args=[session.pk])).status_code == 403
    assert login(alice).get(reverse("clients:suspend", args=[warned.pk])).status_code == 403
    assert login(admin_a).get(reverse("clients:suspend", args=[warned.pk])).status_code == 403


def test_the_kasi_sees_the_office_ladder(make_client, make_visit, login, alice, kasi_a, today):
    """Clients at each step, the steps due for more than seven days, the sessions planned."""
    two = make_client(alice, name="Dua Terlewat", programme_start=month_start(today, 3))
    make_visit(two, month_start(today, 3) + dt.timedelta(days=1))  # missed -2 and -1: SP2 due
    one = make_client(alice, name="Satu Terlewat", programme_start=month_start(today, 2))
    make_visit(one, month_start(today, 2) + dt.timedelta(days=1))  # missed -1: SP1 due
    response = login(kasi_a).get(reverse("clients:tpp_list"))
    steps = response.context["steps"]
    assert [r.client for r in steps[1]] == [one] and [r.client for r in steps[2]] == [two]
    assert "SP2 perlu diterbitkan" in response.content.decode()
    overdue = {r.client for r in response.context["overdue_steps"]}
    # SP2 of "two" has been due since the first of this month: overdue after seven days
    assert (two in overdue) == ((today - month_start(today, 0)).days > 7)
    supervision.tpp_session_schedule(office=two.office, date=today, members=[kasi_a], clients=[two], user=kasi_a)
    assert len(login(kasi_a).get(reverse("clients:tpp_list")).context["planned"]) == 1
