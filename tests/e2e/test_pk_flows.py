"""A PK's day: the worklist, a wajib lapor (with the mouse and with the keyboard only), a client found by
part of the name, its timeline, and a training follow-up.

Each test works on its own client: it takes the first client still overdue when it starts, so the
tests do not depend on their order.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WAJIB_LAPOR_LIMIT = 3  # open, type the note, save
FIELDS = "input:not([type=submit]):not([type=hidden]):not([type=button]):visible, select:visible, textarea:visible"


def first_overdue(page):
    row = page.locator("#overdue tr[data-client]").first
    expect(row).to_be_visible()
    return row.get_attribute("data-client"), row.locator("td").first.locator("a").inner_text()


def test_pk_records_a_wajib_lapor_and_the_client_leaves_the_overdue_list(app):
    page = app.login("pk1.tng")
    expect(page.get_by_role("heading", name="Daftar tugas hari ini")).to_be_visible()
    client_id, name = first_overdue(page)
    overdue_before = int(page.locator("[data-count=overdue]").inner_text())

    row = page.locator(f"#overdue tr[data-client='{client_id}']")
    app.click(row.get_by_role("link", name="Catat wajib lapor"))
    expect(page.get_by_role("heading", name=f"Wajib lapor: {name}")).to_be_visible()
    note = page.get_by_label("Catatan bimbingan")
    expect(note).to_be_focused()  # autofocus: the PK types at once
    app.type(note, "Klien datang tepat waktu; dibahas rencana usaha warung kopi.")
    app.click(page.get_by_role("button", name="Simpan"))

    assert app.interactions <= WAJIB_LAPOR_LIMIT, f"wajib lapor cost {app.interactions} interactions"
    assert app.interactions == 3
    expect(page).to_have_url(app.url("/"))
    expect(page.locator(".messages")).to_contain_text(f"Wajib lapor {name} tercatat")
    expect(page.locator(f"#overdue tr[data-client='{client_id}']")).to_have_count(0)
    expect(page.locator("[data-count=overdue]")).to_have_text(str(overdue_before - 1))

    # The note is on the client's timeline.
    page.goto(app.url(f"/klien/{client_id}/"))
    expect(page.locator("main")).to_contain_text("dibahas rencana usaha warung kopi")


def test_keyboard_only_wajib_lapor_from_the_worklist(app):
    """Sign in, open the first overdue client's form, type the note and save, with Tab and Enter only."""
    page = app.page
    app.goto("/masuk/")
    page.locator("body").focus()
    app.tab_to(page.locator("#id_username"))
    page.keyboard.type("pk2.tng")
    app.press("Tab")
    page.keyboard.type("demo-bapas-2026")
    app.press("Enter")
    expect(page.get_by_role("heading", name="Daftar tugas hari ini")).to_be_visible()

    client_id, name = first_overdue(page)
    app.tab_to(page.locator(f"#overdue tr[data-client='{client_id}']").get_by_role("link", name="Catat wajib lapor"))
    app.press("Enter")
    note = page.get_by_label("Catatan bimbingan")
    expect(note).to_be_focused()
    page.keyboard.type("Lapor lewat keyboard saja; klien sehat.")
    app.tab_to(page.get_by_role("button", name="Simpan"))
    app.press("Enter")

    expect(page).to_have_url(app.url("/"))
    expect(page.locator(".messages")).to_contain_text(f"Wajib lapor {name} tercatat")
    expect(page.locator(f"#overdue tr[data-client='{client_id}']")).to_have_count(0)


def test_errors_are_shown_next_to_their_fields_and_nothing_typed_is_lost(app):
    page = app.login("pk1.tng")
    client_id, _name = first_overdue(page)
    page.goto(app.url(f"/klien/{client_id}/wajib-lapor/"))
    # Every visible field has a label.
    for field in page.locator("form.visit-form").locator(FIELDS).all():
        field_id = field.get_attribute("id")
        assert field_id and page.locator(f"label[for='{field_id}']").count() == 1, f"no label for {field_id}"

    page.get_by_label("Catatan bimbingan").fill("Catatan yang tidak boleh hilang.")
    page.get_by_label("Tanggal dan jam").fill("")
    page.get_by_role("button", name="Simpan").click()

    field = page.get_by_label("Tanggal dan jam")
    expect(field).to_have_class(re.compile(r"\bis-invalid\b"))
    error = page.locator("#id_reported_at ~ .invalid-feedback, #id_reported_at + .invalid-feedback").first
    expect(error).to_be_visible()
    expect(error).to_contain_text("Bidang ini tidak boleh kosong.")
    described_by = field.get_attribute("aria-describedby") or ""
    error_id = error.get_attribute("id")
    assert error_id and error_id in described_by.split(), "the error is not announced with the field"
    expect(page.get_by_label("Catatan bimbingan")).to_have_value("Catatan yang tidak boleh hilang.")
    expect(page.locator(f"#overdue tr[data-client='{client_id}']")).to_have_count(0)  # still on the form


def _bakery_client_of_pk1(django_db_blocker) -> str:
    """The name of a client of pk1.tng who took the bakery training and had a home visit.

    The demo's synthetic names depend on the day it is loaded, so the test looks the client up."""
    from clients.models import ReportingVisit
    from trainings.models import Enrolment

    with django_db_blocker.unblock():
        visited = ReportingVisit.objects.filter(mode="KUNJUNGAN_RUMAH").values("client_id")
        enrolment = (
            Enrolment.objects.filter(
                client__officer__username="pk1.tng",
                session__training_type__name__icontains="roti",
                client_id__in=visited,
            )
            .select_related("client")
            .order_by("client__name")
            .first()
        )
        assert enrolment is not None, "the demo has no such client"
        return enrolment.client.name


def test_pk_finds_a_client_by_part_of_the_name_sees_the_timeline_and_adds_a_follow_up(app, django_db_blocker):
    name = _bakery_client_of_pk1(django_db_blocker)
    part = name.split()[-1][:4].lower()
    page = app.login("pk1.tng")
    app.click(page.get_by_role("link", name="Semua klien saya"))
    app.type(page.get_by_label("Cari"), part)
    app.click(page.locator("form[role=search]").get_by_role("button", name="Cari"))
    expect(page.locator("main table")).to_contain_text(name)
    for found in page.locator("main table tbody tr td:first-child a").all_inner_texts():
        assert part in found.lower()
    app.click(page.get_by_role("link", name=name).first)

    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    timeline = page.locator("main")
    expect(timeline).to_contain_text("Riwayat")
    expect(timeline).to_contain_text("Wajib lapor · Kunjungan rumah")

    trainings = page.locator("section[aria-labelledby=client-trainings-title]")
    row = trainings.locator("tr", has_text="Pembuatan Roti dan Kue Kering")
    app.click(row.get_by_role("link", name="Catat tindak lanjut"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    page.locator("#id_status").select_option("USAHA_SAMPINGAN")
    page.locator("#id_income").fill("750000")
    page.locator("#id_notes").fill("Menerima pesanan kue untuk arisan tetangga.")
    app.click(page.locator("form input[type=submit]"))

    # Back on the client's page, the training shows the new outcome.
    expect(page).to_have_url(re.compile(r"/klien/\d+/$"))
    expect(page.locator(".messages")).to_be_visible()
    row = page.locator("section[aria-labelledby=client-trainings-title] tr", has_text="Pembuatan Roti dan Kue Kering")
    expect(row).to_contain_text("Rp 750.000")
