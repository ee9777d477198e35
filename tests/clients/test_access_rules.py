"""Each access rule has one home: the client card is the full record plus the wajib lapor notes.

The access matrix in the README: the Admin registers clients and edits their identity (so sees the
full record) but reads no wajib lapor notes and no follow-ups; the guidance card (kartu bimbingan)
prints all three, so it is for the client's own PK, the Kasi BKD and the Kepala Bapas only.
"""

import pytest
from django.http import Http404
from django.urls import reverse

from clients import access
from tests.factories import ReportingVisitFactory, aware

CARD_READERS = ("alice", "kasi_a", "kabapas_a")
NOT_CARD_READERS = ("paula", "kasubsi_a", "admin_a", "bob", "kasi_b", "rita")


@pytest.fixture
def noted(carol):
    ReportingVisitFactory(client=carol, reported_at=aware(2025, 1, 6, 10, 0), notes="Catatan rahasia bimbingan")
    return carol


@pytest.mark.parametrize("who", CARD_READERS)
def test_card_for_those_who_see_full_record_and_notes(request, login, noted, who):
    user = request.getfixturevalue(who)
    assert access.get_client_for_card(user, noted.pk) == noted
    assert access.can_see_full_record(user, noted) and access.can_see_notes(user, noted)
    body = login(user).get(reverse("reports:client_card", args=[noted.pk])).content.decode()
    assert noted.nik in body and "Catatan rahasia bimbingan" in body


@pytest.mark.parametrize("who", NOT_CARD_READERS)
def test_card_hidden_from_everybody_else(request, login, noted, who):
    user = request.getfixturevalue(who)
    with pytest.raises(Http404):
        access.get_client_for_card(user, noted.pk)
    assert login(user).get(reverse("reports:client_card", args=[noted.pk])).status_code == 404


def test_admin_sees_the_identity_on_the_client_page_but_not_the_card(login, admin_a, noted):
    """The two rules used to disagree for the Admin; the card is now built from the client rules."""
    assert access.can_see_full_record(admin_a, noted) and not access.can_see_notes(admin_a, noted)
    page = login(admin_a).get(reverse("clients:detail", args=[noted.pk])).content.decode()
    assert noted.nik in page and "Catatan rahasia bimbingan" not in page
    assert login(admin_a).get(reverse("reports:client_card", args=[noted.pk])).status_code == 404


def test_wajib_lapor_rows_follow_the_notes_rule(alice, paula, kasi_a, kasubsi_a, admin_a, noted):
    from django.core.exceptions import PermissionDenied

    assert list(access.reporting_visits_visible_to(alice)) == list(noted.visits.all())
    assert not access.reporting_visits_visible_to(paula).exists()  # not her caseload
    assert access.reporting_visits_visible_to(kasi_a).count() == 1
    for user in (kasubsi_a, admin_a):
        with pytest.raises(PermissionDenied):
            access.reporting_visits_visible_to(user)


def test_caseload_is_the_pks_alone(alice, kasi_a, admin_a):
    assert access.has_caseload(alice) and access.caseload_officer(alice) == alice
    assert not access.has_caseload(kasi_a) and access.caseload_officer(kasi_a) is None
    assert access.caseload_officer(admin_a) is None
