"""Views: works; anonymous -> sign-in; other office -> 404; read-only role -> 403; wrong method -> 405."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.models import AccessLog
from clients.models import Client, PKAssignment, ReportingVisit, ReportingWarning, StatusChange
from tests.factories import ClientFactory, today

pytestmark = pytest.mark.django_db

DETAIL_VIEWS = ["detail", "edit", "visit_create", "status_change", "reassign", "warning_create"]


def url(name, client=None):
    """A client page's URL; the worklist (at /klien/tugas/, a page of reports) has a name of its own."""
    return reverse(name if name == "worklist" else f"clients:{name}", args=[client.pk] if client else [])


# --- the permission grid ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list", "worklist", "compliance", "create"])
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(url(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name", DETAIL_VIEWS)
def test_anonymous_is_sent_to_sign_in_for_a_client(client, carol, name):
    response = client.get(url(name, carol))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name", DETAIL_VIEWS)
def test_other_office_gets_404(login, carol, kasi_b, name):
    assert login(kasi_b).get(url(name, carol)).status_code == 404


@pytest.mark.parametrize("name", DETAIL_VIEWS)
def test_other_pk_of_same_office_gets_404(login, carol, paula, name):
    assert login(paula).get(url(name, carol)).status_code == 404


def test_regional_viewer_sees_no_client(login, carol, rita):
    c = login(rita)
    assert c.get(url("detail", carol)).status_code == 404
    assert c.get(url("compliance")).status_code == 403
    assert carol.name not in c.get(url("list")).content.decode()


@pytest.mark.parametrize(
    ("user_fixture", "name", "expected"),
    [
        ("kasubsi_a", "edit", 403),
        ("kasi_a", "edit", 403),
        ("kabapas_a", "edit", 403),
        ("admin_a", "edit", 200),
        ("alice", "edit", 200),
        ("kasi_a", "visit_create", 403),
        ("admin_a", "visit_create", 403),
        ("kasubsi_a", "visit_create", 403),
        ("alice", "visit_create", 200),
        ("kasi_a", "warning_create", 403),
        ("alice", "warning_create", 200),
        ("kabapas_a", "status_change", 403),
        ("alice", "status_change", 200),
        ("alice", "reassign", 403),
        ("kabapas_a", "reassign", 403),
        ("kasi_a", "reassign", 200),
        ("admin_a", "reassign", 200),
        ("kasubsi_a", "detail", 200),
    ],
)
def test_role_matrix(request, login, carol, user_fixture, name, expected):
    user = request.getfixturevalue(user_fixture)
    assert login(user).get(url(name, carol)).status_code == expected


@pytest.mark.parametrize(("user_fixture", "expected"), [("kasi_a", 403), ("kasubsi_a", 403), ("alice", 200)])
def test_create_roles(request, login, user_fixture, expected):
    assert login(request.getfixturevalue(user_fixture)).get(url("create")).status_code == expected


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [("alice", 403), ("kasubsi_a", 403), ("admin_a", 403), ("kasi_a", 200), ("kabapas_a", 200)],
)
def test_compliance_roles(request, login, user_fixture, expected):
    assert login(request.getfixturevalue(user_fixture)).get(url("compliance")).status_code == expected


@pytest.mark.parametrize("name", ["list", "worklist", "compliance"])
def test_wrong_method_405(login, kasi_a, name):
    assert login(kasi_a).post(url(name)).status_code == 405


@pytest.mark.parametrize("name", ["detail", "edit", "visit_create", "archive"])
def test_wrong_method_405_for_a_client(login, alice, carol, name):
    method = "get" if name == "archive" else "put"
    assert getattr(login(alice), method)(url(name, carol)).status_code == 405


# --- worklist --------------------------------------------------------------------------------


def test_pk_home_is_the_worklist(login, alice):
    response = login(alice).get(reverse("home"))
    assert response.status_code == 200
    assert "clients/worklist.html" in [t.name for t in response.templates]


def test_worklist_sections(login, alice, make_client, make_visit):
    t = timezone.localdate()
    start = t - dt.timedelta(days=200)
    month_start = t.replace(day=1)
    prev_month = month_start - dt.timedelta(days=1)

    def monthly(name, **kw):
        return make_client(alice, name=name, programme_start=start, programme_end=t + dt.timedelta(days=200), **kw)

    due_today = monthly("Ani Due")
    make_visit(due_today, prev_month, next_due_date=t)
    overdue = monthly("Budi Overdue")  # never reported since its start: several months missed
    done = monthly("Cici Done")
    make_visit(done, prev_month)
    if t > month_start:
        make_visit(done, month_start)
    ending = make_client(alice, name="Dodo Ending", programme_start=start, programme_end=t + dt.timedelta(days=10))
    make_client(
        alice,
        name="Eko Later",
        programme_start=t - dt.timedelta(days=3),
        programme_end=t + dt.timedelta(days=400),
        reporting_frequency="MINGGUAN",
    )
    body = login(alice).get(url("worklist"))
    work = body.context["work"]
    assert [r.client for r in work.due_today] == [due_today]
    missed = {r.client: r.missed for r in work.overdue}
    assert missed[overdue] >= 6  # never reported since its start, seven months ago
    assert due_today not in missed and done not in missed
    assert done not in [r.client for r in work.due_today + work.overdue + work.due_this_week]
    assert [r.client for r in work.ending_soon] == [ending]
    html = body.content.decode()
    assert url("visit_create", due_today) + "?next=/" in html  # back to the worklist (a safe path)
    assert "periode terlewat" in html


def test_worklist_follow_ups_section_is_guarded(login, alice):
    response = login(alice).get(url("worklist"))
    assert response.status_code == 200
    assert "follow_ups" in response.context


def test_worklist_query_count_does_not_grow(login, alice, make_client, make_visit):
    """The worklist and the PK's panel (reports.panels): the same queries for 3 clients and for 28.

    Session, user and office (middleware) + worklist clients + follow-ups due = 5; the panel adds
    its own fixed number: 2 when the office's summary row is current, 8 when it is not.
    """
    from tests.factories import AttendanceFactory, EnrolmentFactory, FollowUpFactory, TrainingSessionFactory

    c = login(alice)
    for i in range(3):
        make_client(alice, name=f"Klien {i}")
    c.get(url("worklist"))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url("worklist"))
        assert response.status_code == 200 and response.context["pk_panel"] is not None
        return len(ctx.captured_queries), response

    def cold_and_warm():
        """Without a current office summary row the panel counts the PK's caseload (8 queries);
        with one (the usual case: the worker keeps it current) it reads the row (2 queries)."""
        from bapas.data_version import bump_offices
        from reports import summaries

        bump_offices([alice.office_id])
        cold, response = count()
        summaries.office_summary(alice.office, response.context["today"])
        warm, response = count()
        return (cold, warm), response

    small_queries, small = cold_and_warm()
    session = TrainingSessionFactory(office=alice.office, start_date=today() - dt.timedelta(days=100))
    for i in range(25):
        big_client = make_client(alice, name=f"Klien besar {i}", reporting_frequency="MINGGUAN" if i % 2 else "BULANAN")
        make_visit(big_client, today() - dt.timedelta(days=40 + i))
        enrolment = EnrolmentFactory(session=session, client=big_client)
        AttendanceFactory(enrolment=enrolment)
        if i % 3:
            FollowUpFactory(enrolment=enrolment, date=today() - dt.timedelta(days=20))
    big_queries, big = cold_and_warm()
    assert big.context["pk_panel"]["participants"] == 25 and small.context["pk_panel"]["participants"] == 0
    assert small_queries == big_queries
    # the excuses and the warnings of the caseload are two more queries (prefetched), cold and warm;
    # cold, the panel's compliance also asks once for transfers between offices (clients.holding)
    assert big_queries[0] <= 17 and big_queries[1] <= 9
    assert len(big.context["work"].overdue) + len(big.context["work"].due_this_week) + len(
        big.context["work"].due_today
    ) > len(small.context["work"].overdue) + len(small.context["work"].due_this_week) + len(
        small.context["work"].due_today
    )


# --- list ------------------------------------------------------------------------------------


def test_pk_lists_only_own_caseload(login, alice, paula, carol, make_client):
    other = make_client(paula, name="Paula Client")
    html = login(alice).get(url("list")).content.decode()
    assert carol.name in html and other.name not in html


def test_children_shown_by_initials_except_to_own_pk(login, alice, kasi_a, child_of_alice):
    assert child_of_alice.is_child
    assert "Bima Arya Saputra" in login(alice).get(url("list")).content.decode()
    html = login(kasi_a).get(url("list")).content.decode()
    assert "Bima Arya Saputra" not in html and "B.A.S." in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "carol"}, {"Carol Susanti"}),
        ({"q": "PAS-TNG.001"}, {"Carol Susanti"}),
        ({"q": "9901000000000001"}, {"Carol Susanti"}),
        ({"programme": "CB"}, {"Fajar CB"}),
        ({"status": "SELESAI"}, {"Gita Selesai"}),
        ({"ending": "on"}, {"Hadi Ending"}),
    ],
)
def test_list_search_and_filters(login, kasi_a, alice, carol, make_client, params, expected):
    make_client(alice, name="Fajar CB", programme="CB")
    make_client(alice, name="Gita Selesai", status="SELESAI")
    make_client(alice, name="Hadi Ending", programme_end=today() + dt.timedelta(days=5))
    response = login(kasi_a).get(url("list"), params)
    assert {c.name for c in response.context["page"].rows} == expected


def test_list_filter_by_pk(login, kasi_a, alice, paula, carol, make_client):
    make_client(paula, name="Paula Client")
    response = login(kasi_a).get(url("list"), {"officer": paula.pk})
    assert [c.name for c in response.context["page"].rows] == ["Paula Client"]


def test_list_keyset_pagination(login, kasi_a, alice, office_a):
    ClientFactory.create_batch(30, office=office_a, officer=alice)
    c = login(kasi_a)
    first = c.get(url("list")).context["page"]
    assert len(first.rows) == 25 and first.next_cursor and first.prev_cursor is None
    second = c.get(url("list"), {"after": first.next_cursor}).context["page"]
    assert len(second.rows) == 5 and second.next_cursor is None and second.prev_cursor
    assert not {r.pk for r in first.rows} & {r.pk for r in second.rows}
    back = c.get(url("list"), {"before": second.prev_cursor}).context["page"]
    assert [r.pk for r in back.rows] == [r.pk for r in first.rows]
    assert first.count == 30 and not first.count_capped


def test_list_empty_state(login, alice):
    assert "Belum ada klien." in login(alice).get(url("list")).content.decode()


def test_list_query_count_two_sizes(login, kasi_a, alice, paula, office_a, django_assert_max_num_queries):
    c = login(kasi_a)
    ClientFactory.create_batch(3, office=office_a, officer=alice)
    with django_assert_max_num_queries(10):
        c.get(url("list"))
    ClientFactory.create_batch(40, office=office_a, officer=paula)
    with django_assert_max_num_queries(10):
        response = c.get(url("list"))
    assert len(response.context["page"].rows) == 25


# --- client page -----------------------------------------------------------------------------


def test_detail_shows_timeline_compliance_and_logs_access(login, alice, carol, make_visit):
    make_visit(carol, today() - dt.timedelta(days=40), notes="Catatan rahasia bimbingan")
    ReportingWarning.objects.create(client=carol, level="SP1", issued_on=today(), reason="Tidak lapor")
    response = login(alice).get(url("detail", carol))
    html = response.content.decode()
    assert "Catatan rahasia bimbingan" in html and "SP1" in html
    assert response.context["compliance"].due >= 1
    assert AccessLog.objects.filter(user=alice, action="client_view", object_id=str(carol.pk)).count() == 1


@pytest.mark.parametrize(
    ("user_fixture", "sees"), [("kasi_a", True), ("kabapas_a", True), ("admin_a", False), ("kasubsi_a", False)]
)
def test_notes_visibility(request, login, carol, make_visit, user_fixture, sees):
    make_visit(carol, today() - dt.timedelta(days=3), notes="Catatan rahasia bimbingan")
    html = login(request.getfixturevalue(user_fixture)).get(url("detail", carol)).content.decode()
    assert ("Catatan rahasia bimbingan" in html) is sees


def test_kasubsi_sees_basic_data_only(login, kasubsi_a, carol):
    html = login(kasubsi_a).get(url("detail", carol)).content.decode()
    assert carol.name in html and carol.nik not in html


def test_detail_query_count_two_sizes(login, alice, carol, make_visit, django_assert_max_num_queries):
    c = login(alice)
    make_visit(carol, today() - dt.timedelta(days=3))
    # the timeline reads excuses, TPP cases and revocation proposals too (one query each)
    with django_assert_max_num_queries(17):
        c.get(url("detail", carol))
    for i in range(20):
        make_visit(carol, today() - dt.timedelta(days=5 + i))
    with django_assert_max_num_queries(17):
        response = c.get(url("detail", carol))
    assert response.context["visit_count"] == 21


# --- forms -----------------------------------------------------------------------------------


def client_post_data(**overrides):
    data = {
        "register_number": "PAS-TNG.050/2025",
        "name": "Rudi Hartono",
        "nik": "9901000000000050",
        "sex": "L",
        "programme": "PB",
        "programme_start": (today() - dt.timedelta(days=10)).isoformat(),
        "programme_end": (today() + dt.timedelta(days=300)).isoformat(),
        "reporting_frequency": "BULANAN",
        "dependants": "0",
        "sensitive_category": "",
    }
    data.update(overrides)
    return data


def test_admin_registers_client_with_pk(login, admin_a, alice):
    response = login(admin_a).post(url("create"), client_post_data(officer=alice.pk))
    client = Client.objects.get(register_number="PAS-TNG.050/2025")
    assert response.status_code == 302 and client.officer == alice and client.office == admin_a.office
    assert PKAssignment.objects.filter(client=client, officer=alice).exists()


@pytest.mark.parametrize(("field", "value"), [("programme_start", "0001-01-01"), ("programme_end", "9999-12-31")])
def test_programme_dates_out_of_any_real_range_are_refused(login, admin_a, alice, field, value):
    """A year-1 start made every month since then a due period (pages took seconds): refused."""
    response = login(admin_a).post(url("create"), client_post_data(officer=alice.pk, **{field: value}))
    assert response.status_code == 200
    assert "Masukkan tanggal antara 1 Januari 1970 dan 31 Desember 2100" in response.content.decode()
    assert not Client.objects.filter(register_number="PAS-TNG.050/2025").exists()


def test_create_errors_keep_input(login, admin_a, bob, carol):
    response = login(admin_a).post(
        url("create"),
        client_post_data(
            nik="123",
            name="Nama Tetap Ada",
            programme_end=(today() - dt.timedelta(days=30)).isoformat(),
            officer=bob.pk,
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "NIK harus tepat 16 digit" in html
    assert "Tanggal akhir program tidak boleh sebelum tanggal mulai" in html
    assert "Nama Tetap Ada" in html
    assert Client.objects.count() == 1


def test_create_duplicate_nik(login, admin_a, carol):
    html = login(admin_a).post(url("create"), client_post_data(nik=carol.nik)).content.decode()
    assert "NIK ini sudah terdaftar" in html


def test_edit_conflict_shows_message_and_keeps_other_edit(login, alice, carol):
    c = login(alice)
    data = client_post_data(
        register_number=carol.register_number, nik=carol.nik, name="Nama Baru", version=carol.version
    )
    Client.objects.filter(pk=carol.pk).update(version=carol.version + 1, name="Diubah Orang Lain")
    response = c.post(url("edit", carol), data)
    assert response.status_code == 200
    assert "Orang lain telah menyimpan" in response.content.decode()
    carol.refresh_from_db()
    assert carol.name == "Diubah Orang Lain"


def test_edit_saves(login, admin_a, carol):
    data = client_post_data(
        register_number=carol.register_number, nik=carol.nik, name="Carol Baru", version=carol.version
    )
    assert login(admin_a).post(url("edit", carol), data).status_code == 302
    carol.refresh_from_db()
    assert carol.name == "Carol Baru"


def visit_data(client, **overrides):
    now = timezone.localtime(timezone.now(), client.office.tzinfo) - dt.timedelta(minutes=2)
    data = {"reported_at": now.strftime("%Y-%m-%dT%H:%M"), "mode": "DATANG", "notes": "Baik", "token": "tok-1"}
    data.update(overrides)
    return data


def test_visit_form_needs_only_a_note(login, alice, carol):
    c = login(alice)
    form = c.get(url("visit_create", carol)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["reported_at"] = timezone.localtime(data["reported_at"]).strftime("%Y-%m-%dT%H:%M")
    data["next_due_date"] = data["next_due_date"].isoformat()
    data["notes"] = "Datang tepat waktu"
    data["mode"] = "DATANG"
    response = c.post(url("visit_create", carol), data)
    assert response.status_code == 302
    visit = ReportingVisit.objects.get()
    assert (visit.notes, visit.received_by, visit.created_by) == ("Datang tepat waktu", alice, alice)


def test_double_submission_creates_one_visit(login, alice, carol):
    c = login(alice)
    data = visit_data(carol)
    first = c.post(url("visit_create", carol), data)
    second = c.post(url("visit_create", carol), data)
    assert ReportingVisit.objects.count() == 1
    visit = ReportingVisit.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"].endswith(f"#visit-{visit.pk}")


def test_double_submission_without_session_token_shows_existing(login, alice, carol):
    c = login(alice)
    data = visit_data(carol, token="")
    c.post(url("visit_create", carol), data)
    second = c.post(url("visit_create", carol), data)
    assert ReportingVisit.objects.count() == 1
    assert second.status_code == 302


def test_second_visit_same_minute_different_content_is_an_error(login, alice, carol):
    c = login(alice)
    c.post(url("visit_create", carol), visit_data(carol, token="a"))
    response = c.post(url("visit_create", carol), visit_data(carol, token="b", notes="Lain", mode="VIDEO_CALL"))
    assert response.status_code == 200
    assert "sudah memiliki laporan pada menit tersebut" in response.content.decode()
    assert ReportingVisit.objects.count() == 1


def test_visit_in_future_shows_error_and_keeps_note(login, alice, carol):
    future = timezone.localtime(timezone.now(), carol.office.tzinfo) + dt.timedelta(days=1)
    response = login(alice).post(
        url("visit_create", carol),
        visit_data(carol, reported_at=future.strftime("%Y-%m-%dT%H:%M"), notes="Catatan saya"),
    )
    html = response.content.decode()
    assert "tidak boleh bertanggal di masa depan" in html and "Catatan saya" in html
    assert not ReportingVisit.objects.exists()


def test_visit_from_worklist_returns_home(login, alice, carol):
    response = login(alice).post(url("visit_create", carol), {**visit_data(carol), "next": "worklist"})
    assert response["Location"] == reverse("home")


def test_status_change_view(login, alice, carol):
    response = login(alice).post(
        url("status_change", carol), {"status": "SELESAI", "date": today().isoformat(), "reason": ""}
    )
    assert response.status_code == 302
    assert StatusChange.objects.get().status == "SELESAI"


def test_reassign_view(login, kasi_a, carol, paula):
    response = login(kasi_a).post(url("reassign", carol), {"officer": paula.pk, "start_date": today().isoformat()})
    assert response.status_code == 302
    carol.refresh_from_db()
    assert carol.officer == paula


def test_warning_view_records_missed_periods(login, alice, make_client):
    client = make_client(alice, programme_start=today() - dt.timedelta(days=100))
    c = login(alice)
    missed = c.get(url("warning_create", client)).context["missed"]
    assert missed
    response = c.post(
        url("warning_create", client),
        {"level": "SP1", "issued_on": today().isoformat(), "reason": "Tidak lapor", "missed": [missed[0].label]},
    )
    warning = ReportingWarning.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:warning_letter", args=[warning.pk])
    assert warning.missed_periods == missed[0].label


def test_warning_view_out_of_order(login, alice, carol):
    response = login(alice).post(
        url("warning_create", carol), {"level": "SP3", "issued_on": today().isoformat(), "reason": "x"}
    )
    assert "SP3 terbit tanpa SP2" in response.content.decode()
    assert not ReportingWarning.objects.exists()


def test_archive_view(login, alice, carol):
    c = login(alice)
    c.post(url("archive", carol))
    carol.refresh_from_db()
    assert not carol.is_archived  # active clients stay
    Client.objects.filter(pk=carol.pk).update(status="SELESAI")
    c.post(url("archive", carol))
    carol.refresh_from_db()
    assert carol.is_archived
    assert carol.name not in c.get(url("list")).content.decode()
    assert carol.name in c.get(url("list"), {"archived": "on"}).content.decode()


# --- compliance page -------------------------------------------------------------------------


def test_compliance_page_moves_with_a_visit(login, kasi_a, alice, make_client, make_visit):
    first = today().replace(day=1)
    prev_first = (first - dt.timedelta(days=1)).replace(day=1)
    client = make_client(
        alice, programme_start=prev_first - dt.timedelta(days=40), programme_end=today() + dt.timedelta(days=100)
    )
    c = login(kasi_a)
    month = prev_first.strftime("%Y-%m")
    before = c.get(url("compliance"), {"month": month}).context["data"]
    assert before["totals"] == {"due": 1, "reported": 0, "missed": 1, "rate": 0.0}
    make_visit(client, prev_first + dt.timedelta(days=3))
    response = c.get(url("compliance"), {"month": month})
    assert response.context["data"]["totals"] == {"due": 1, "reported": 1, "missed": 0, "rate": 1.0}
    assert response.context["rows"][0]["officer"] == "alice"
    assert "Alice Wulandari" in response.content.decode()


def test_compliance_bad_month_falls_back(login, kasi_a):
    response = login(kasi_a).get(url("compliance"), {"month": "kemarin"})
    assert response.status_code == 200
    assert "Pilih bulan" in response.content.decode()
