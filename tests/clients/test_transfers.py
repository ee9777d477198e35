"""Transfers between offices (pelimpahan): the proposal's rules, the acceptance, the sending office's
read-only page, the split of compliance at the transfer date, the NIK message and the audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from bapas.models import OfficeDataVersion, Role
from clients import transfers
from clients.compliance import compliance_dataset
from clients.models import Client, ExcusedAbsence, PKAssignment, ReportingWarning, Transfer
from reports.monthly import monthly_dataset
from tests.factories import ClientFactory, UserFactory

D = dt.date
pytestmark = pytest.mark.django_db
TRANSFER_DATE = D(2024, 4, 15)


@pytest.fixture(autouse=True)
def english():
    """The services' messages are read in English here; the pages speak Indonesian (their default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def traveller(make_client, alice):
    """Alice's client of office A (TNG), monthly, January to December 2024."""
    return make_client(
        alice,
        name="Tono Perantau",
        register_number="PAS-TNG.077/2024",
        nik="3671000000000077",
        programme_start=D(2024, 1, 1),
        programme_end=D(2024, 12, 31),
    )


def propose(client, to_office, user, **fields):
    values = {"transfer_date": TRANSFER_DATE, "reason": "Pindah domisili", "letter_number": "W11.PAS.1-77"}
    values.update(fields)
    return transfers.transfer_propose(client=client, to_office=to_office, user=user, **values)


@pytest.fixture
def moved(traveller, alice, office_b, bob, kasi_b, make_visit):
    """Tono reported in January and March at TNG (February missed), moved to BPN on 15 April and
    reported there in May and July (June missed); a warning of TNG in March, one of BPN in July."""
    for day in (D(2024, 1, 10), D(2024, 3, 12)):
        make_visit(traveller, day)
    ReportingWarning.objects.create(
        client=traveller, level="SP1", issued_on=D(2024, 3, 5), reason="Tidak lapor Februari", issued_by=alice
    )
    transfer = propose(traveller, office_b, alice)
    transfers.transfer_accept(transfer=transfer, officer=bob, register_number="PAS-BPN.500/2024", user=kasi_b)
    traveller.refresh_from_db()
    for day in (D(2024, 5, 8), D(2024, 7, 9)):
        make_visit(traveller, day)
    ReportingWarning.objects.create(
        client=traveller, level="SP1", issued_on=D(2024, 7, 2), reason="Tidak lapor Juni", issued_by=bob
    )
    return traveller


def figures(office, **kwargs):
    kwargs.setdefault("date_from", D(2024, 1, 1))
    kwargs.setdefault("date_to", D(2024, 12, 31))
    return compliance_dataset(office=office, today=D(2024, 9, 1), **kwargs)


# --- the split --------------------------------------------------------------------------------


def test_periods_before_the_transfer_date_count_for_the_sending_office(moved, office_a, office_b, alice, bob):
    sending, receiving = figures(office_a), figures(office_b)
    # TNG: January to March (ended before 15 April): 2 reported, February missed.
    assert sending["totals"] == {"due": 3, "reported": 2, "missed": 1, "rate": 0.6667}
    assert [m["month"] for m in sending["by_month"]] == ["2024-01", "2024-02", "2024-03"]
    assert [row["officer"] for row in sending["by_officer"]] == [alice.username]
    # BPN: April (ends after the date) to August: April and June missed, May and July reported.
    assert receiving["totals"] == {"due": 5, "reported": 2, "missed": 3, "rate": 0.4}
    assert [m["month"] for m in receiving["by_month"]] == ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08"]
    assert [row["officer"] for row in receiving["by_officer"]] == [bob.username]
    # Each warning where the client was on its day.
    assert sending["warnings"]["SP1"] == 1 and receiving["warnings"]["SP1"] == 1
    # The whole country sees every period once.
    everyone = compliance_dataset(date_from=D(2024, 1, 1), date_to=D(2024, 12, 31), today=D(2024, 9, 1))
    assert everyone["totals"]["due"] == 8 and everyone["totals"]["reported"] == 4
    assert everyone["warnings"]["SP1"] == 2


def test_split_by_officer_and_by_region(moved, office_a, office_b, alice, bob, region_a, region_b):
    assert figures(office_a, officer=alice)["totals"]["due"] == 3
    assert figures(office_a, officer=bob)["totals"]["due"] == 0
    assert figures(office_b, officer=bob)["totals"]["due"] == 5
    assert (
        compliance_dataset(region=region_a, date_from=D(2024, 1, 1), date_to=D(2024, 12, 31), today=D(2024, 9, 1))[
            "totals"
        ]["due"]
        == 3
    )


def test_an_excused_period_of_a_moved_client_counts_nowhere(moved, office_a, office_b):
    ExcusedAbsence.objects.create(
        client=moved, date_from=D(2024, 2, 3), date_to=D(2024, 2, 9), kind="SAKIT", reason="Sakit"
    )
    assert figures(office_a)["totals"] == {"due": 2, "reported": 2, "missed": 0, "rate": 1.0}
    assert figures(office_b)["totals"]["due"] == 5


def test_a_client_who_did_not_move_is_counted_as_before(make_client, make_visit, alice, office_a, moved):
    other = make_client(alice, programme_start=D(2024, 1, 1), programme_end=D(2024, 12, 31))
    make_visit(other, D(2024, 2, 2))
    data = figures(office_a)
    assert data["totals"]["due"] == 3 + 8 and data["totals"]["reported"] == 2 + 1


def test_the_monthly_return_follows_the_split(moved, office_a, office_b):
    march_a, march_b = monthly_dataset(office_a, D(2024, 3, 1)), monthly_dataset(office_b, D(2024, 3, 1))
    assert march_a["compliance"]["due"] == 1 and march_b["compliance"]["due"] == 0
    assert march_a["clients"]["active_end"] == 1 and march_b["clients"]["active_end"] == 0
    april_a, april_b = monthly_dataset(office_a, D(2024, 4, 1)), monthly_dataset(office_b, D(2024, 4, 1))
    assert april_a["clients"]["ended"]["PINDAH"] == 1 and april_a["clients"]["active_end"] == 0
    assert april_b["clients"]["active_end"] == 1 and april_b["compliance"]["due"] == 1
    assert monthly_dataset(office_a, D(2024, 1, 1))["clients"]["new"] == 1
    assert monthly_dataset(office_b, D(2024, 1, 1))["clients"]["new"] == 0


def test_the_split_adds_one_query_and_does_not_grow_with_moved_clients(
    make_client, make_visit, alice, bob, kasi_b, office_a, office_b, django_assert_max_num_queries
):
    def move(n):
        for i in range(n):
            c = make_client(alice, programme_start=D(2024, 1, 1), programme_end=D(2024, 12, 31))
            make_visit(c, D(2024, 2, 10))
            t = propose(c, office_b, alice)
            transfers.transfer_accept(transfer=t, officer=bob, register_number=f"BPN-{c.pk}", user=kasi_b)

    move(1)
    with django_assert_max_num_queries(12) as small:
        figures(office_a)
    move(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        figures(office_a)


# --- propose, accept, reject, cancel ----------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"transfer_date": D(2023, 12, 31)}, "transfer_date", "before the programme start"),
        ({"transfer_date": D(2025, 1, 1)}, "transfer_date", "after the programme end"),
        ({"letter_number": "  "}, "letter_number", "number of the transfer letter"),
        ({"reason": ""}, "reason", "reason"),
    ],
)
def test_proposal_validation(traveller, alice, office_b, fields, field, words):
    with pytest.raises(ValidationError) as exc:
        propose(traveller, office_b, alice, **fields)
    assert words in " ".join(exc.value.message_dict[field])
    assert not Transfer.objects.exists()


def test_not_to_its_own_office_only_active_and_one_open_proposal(traveller, alice, office_a, office_b):
    with pytest.raises(ValidationError) as exc:
        propose(traveller, office_a, alice)
    assert "own office" in exc.value.message_dict["to_office"][0]
    propose(traveller, office_b, alice)
    with pytest.raises(ValidationError) as exc:
        propose(traveller, office_b, alice)
    assert "already has an open transfer proposal" in exc.value.messages[0]
    Transfer.objects.update(state=Transfer.State.CANCELLED)
    Client.objects.filter(pk=traveller.pk).update(status=Client.Status.COMPLETED)
    with pytest.raises(ValidationError) as exc:
        propose(traveller, office_b, alice)
    assert "Only an active client" in exc.value.messages[0]


def test_acceptance_moves_the_client_and_raises_both_versions(traveller, alice, office_a, office_b, bob, kasi_b):
    transfer = propose(traveller, office_b, alice)
    before = dict(OfficeDataVersion.objects.values_list("office_id", "version"))
    transfers.transfer_accept(transfer=transfer, officer=bob, register_number="PAS-BPN.500/2024", user=kasi_b)
    traveller.refresh_from_db()
    transfer.refresh_from_db()
    assert (traveller.office, traveller.officer, traveller.register_number) == (office_b, bob, "PAS-BPN.500/2024")
    assert transfer.state == Transfer.State.ACCEPTED
    assert (transfer.from_register_number, transfer.from_officer, transfer.decided_by) == (
        "PAS-TNG.077/2024",
        alice,
        kasi_b,
    )
    assignment = PKAssignment.objects.filter(client=traveller).order_by("-start_date", "-id").first()
    assert (assignment.officer, assignment.start_date) == (bob, TRANSFER_DATE)
    after = dict(OfficeDataVersion.objects.values_list("office_id", "version"))
    assert after[office_a.pk] > before.get(office_a.pk, 0) and after[office_b.pk] > before.get(office_b.pk, 0)


def test_acceptance_rules(traveller, alice, paula, office_b, bob, kasi_b, make_client):
    transfer = propose(traveller, office_b, alice)
    make_client(bob, register_number="PAS-BPN.TAKEN")
    for officer, register, field, words in [
        (paula, "PAS-BPN.1", "officer", "must belong to this office"),
        (bob, "PAS-BPN.TAKEN", "register_number", "already used in this office"),
        (bob, " ", "register_number", "register number"),
    ]:
        with pytest.raises(ValidationError) as exc:
            transfers.transfer_accept(transfer=transfer, officer=officer, register_number=register, user=kasi_b)
        assert words in " ".join(exc.value.message_dict[field])
    traveller.refresh_from_db()
    assert traveller.office_id == alice.office_id
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.PROPOSED


def test_reject_needs_a_reason_and_closes_the_proposal(traveller, alice, office_b, kasi_b, bob):
    transfer = propose(traveller, office_b, alice)
    with pytest.raises(ValidationError):
        transfers.transfer_reject(transfer=transfer, reason=" ", user=kasi_b)
    transfers.transfer_reject(transfer=transfer, reason="Alamat di luar wilayah kami", user=kasi_b)
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.REJECTED and transfer.decision_reason == "Alamat di luar wilayah kami"
    with pytest.raises(ValidationError):
        transfers.transfer_accept(transfer=transfer, officer=bob, register_number="X", user=kasi_b)


def test_every_step_is_audited(traveller, alice, office_b, bob, kasi_b):
    transfer = propose(traveller, office_b, alice)
    transfers.transfer_accept(transfer=transfer, officer=bob, register_number="PAS-BPN.500/2024", user=kasi_b)
    rows = list(transfer.history.order_by("history_id").values_list("state", "history_user_id"))
    assert rows == [(Transfer.State.PROPOSED, alice.pk), (Transfer.State.ACCEPTED, kasi_b.pk)]
    last = traveller.history.order_by("-history_id").first()
    assert (last.office_id, last.history_user_id) == (office_b.pk, kasi_b.pk)


# --- the views --------------------------------------------------------------------------------


def test_propose_accept_through_the_pages(login, traveller, alice, office_b, bob, kasi_b):
    client = login(alice)
    page = client.get(reverse("clients:detail", args=[traveller.pk]))
    assert reverse("clients:transfer_create", args=[traveller.pk]) in page.content.decode()
    response = client.post(
        reverse("clients:transfer_create", args=[traveller.pk]),
        {"to_office": office_b.pk, "transfer_date": "2024-04-15", "letter_number": "", "reason": "Pindah"},
    )
    assert response.status_code == 200 and not Transfer.objects.exists()
    assert 'id="error_1_id_letter_number"' in response.content.decode()
    response = client.post(
        reverse("clients:transfer_create", args=[traveller.pk]),
        {"to_office": office_b.pk, "transfer_date": "2024-04-15", "letter_number": "W11-77", "reason": "Pindah"},
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and transfer.state == Transfer.State.PROPOSED
    client = login(kasi_b)
    listing = client.get(reverse("clients:transfer_list")).content.decode()
    assert 'data-open-incoming="1"' in listing and "Tono Perantau" in listing
    response = client.post(
        reverse("clients:transfer_decide", args=[transfer.pk]),
        {"officer": bob.pk, "register_number": "PAS-BPN.9/2024", "accept": "1"},
    )
    assert response.status_code == 302
    traveller.refresh_from_db()
    assert traveller.office_id == office_b.pk
    page = client.get(reverse("clients:detail", args=[traveller.pk])).content.decode()
    assert 'data-kind="transfer"' in page and "PAS-BPN.9/2024" in page


def test_the_sending_office_keeps_a_read_only_page(login, moved, alice, paula, kasi_a, kasubsi_a):
    client = login(kasi_a)
    response = client.get(reverse("clients:detail", args=[moved.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-transferred-out="' in html and "Bapas Kelas II Balikpapan" in html
    assert "PAS-TNG.077/2024" in html and "PAS-BPN.500/2024" not in html  # its own register number
    assert html.count('data-kind="visit"') == 2  # January and March, not May and July
    assert 'data-rate="67"' in html  # 2 of its 3 periods
    for name in ("edit", "visit_create", "reassign", "transfer_create", "warning_create", "status_change"):
        assert reverse(f"clients:{name}", args=[moved.pk]) not in html
    # Every other view of the client is closed to the sending office.
    for name in ("edit", "reassign", "visit_create", "excuse_create", "warning_create", "suspend"):
        assert client.get(reverse(f"clients:{name}", args=[moved.pk])).status_code == 404
    assert client.get(reverse("reports:client_card", args=[moved.pk])).status_code == 404
    # The PK who had the client sees it; another PK of the office does not.
    client = login(alice)
    assert client.get(reverse("clients:detail", args=[moved.pk])).status_code == 200
    assert client.post(reverse("clients:edit", args=[moved.pk])).status_code == 404
    client = login(paula)
    assert client.get(reverse("clients:detail", args=[moved.pk])).status_code == 404


def test_the_sending_office_does_not_see_what_changed_after_the_handover(login, moved, kasi_a):
    moved.address = "Jl. Baru Balikpapan No. 9"
    moved.save()  # recorded in the audit trail, as every edit through the services
    html = login(kasi_a).get(reverse("clients:detail", args=[moved.pk])).content.decode()
    assert "Jl. Baru Balikpapan" not in html and "Tono Perantau" in html


def test_the_receiving_office_sees_the_whole_history(login, moved, bob):
    client = login(bob)
    html = client.get(reverse("clients:detail", args=[moved.pk])).content.decode()
    assert html.count('data-kind="visit"') == 4
    assert reverse("clients:edit", args=[moved.pk]) in html


def test_only_the_receiving_office_decides(login, traveller, alice, office_b, kasi_a, kabapas_a, admin_b):
    transfer = propose(traveller, office_b, alice)
    url = reverse("clients:transfer_decide", args=[transfer.pk])
    assert login(kasi_a).get(url).status_code == 404
    assert login(admin_b).get(url).status_code == 200
    kabapas_b = UserFactory(username="kabapas_b2", role=Role.KABAPAS, office=office_b)
    assert login(kabapas_b).get(url).status_code == 403


def test_the_sending_office_withdraws_its_proposal(login, traveller, alice, office_b):
    transfer = propose(traveller, office_b, alice)
    client = login(alice)
    response = client.post(reverse("clients:transfer_cancel", args=[transfer.pk]))
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.CANCELLED


# --- NIK ------------------------------------------------------------------------------------------


def test_a_nik_of_an_active_client_elsewhere_asks_for_a_transfer(login, traveller, admin_b, office_b):
    client = login(admin_b)
    response = client.post(
        reverse("clients:create"),
        {
            "register_number": "PAS-BPN.1/2024",
            "name": "Tono Lagi",
            "nik": traveller.nik,
            "sex": "L",
            "programme": "PB",
            "programme_start": "2024-05-01",
            "programme_end": "2024-12-31",
            "reporting_frequency": "BULANAN",
            "dependants": "0",
            "work_status_start": "TIDAK_DIKETAHUI",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "pelimpahan" in html
    assert "Tangerang" not in html and "Tono Perantau" not in html and "PAS-TNG.077/2024" not in html
    assert Client.objects.filter(office=office_b).count() == 0


def test_a_nik_of_a_finished_client_elsewhere_is_only_taken(traveller, office_b):
    Client.objects.filter(pk=traveller.pk).update(status=Client.Status.COMPLETED)
    other = ClientFactory.build(office=office_b, nik=traveller.nik, register_number="X")
    with pytest.raises(ValidationError) as exc:
        other.full_clean()
    assert exc.value.message_dict["nik"] == ["This NIK is already registered."]


def test_each_offices_workbook_exports_after_a_transfer(moved, office_a, office_b):
    """The sending office's workbook leaves the moved client out (its register number is the other
    office's now) instead of failing; the receiving office's carries the client."""
    from workbook.exporter import office_rows

    sending, receiving = office_rows(office_a), office_rows(office_b)
    moved.refresh_from_db()
    assert moved.register_number not in {row["no_register"] for row in sending["Klien"]}
    assert not [row for row in sending["WajibLapor"] if row["no_register"] == moved.register_number]
    assert moved.register_number in {row["no_register"] for row in receiving["Klien"]}
    assert [row for row in receiving["WajibLapor"] if row["no_register"] == moved.register_number]
