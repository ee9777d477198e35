"""Regions: a regional viewer reads only its region's offices, the national viewer every region.

Kartika is Kanwil Banten's viewer (office A, TNG), Karim Kanwil Kalimantan Timur's (office B, BPN),
Rita the national viewer. The world fixture has participants in both offices (4 in A, 1 in B).
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bapas.access import offices_visible_to, regions_visible_to
from bapas.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RANGE = {"period": "range", "date_from": "2022-01-01", "date_to": "2023-12-31"}
REPORTS = ("participation", "implementation", "compliance", "agreements")


def download(client, name, fmt, **params):
    return client.get(reverse("reports:download", args=[name, fmt]), {**RANGE, **params})


@pytest.fixture
def regions(region_a, region_b):
    return region_a, region_b


def test_offices_and_regions_visible_to_each_role(regions, office_a, office_b, kartika, karim, rita, kasi_a):
    assert list(offices_visible_to(kartika)) == [office_a]
    assert list(offices_visible_to(karim)) == [office_b]
    assert set(offices_visible_to(rita)) == {office_a, office_b}
    assert list(offices_visible_to(kasi_a)) == [office_a]
    assert list(regions_visible_to(kartika)) == [regions[0]]
    assert set(regions_visible_to(rita)) == set(regions)
    assert not regions_visible_to(kasi_a).exists()


def test_a_regional_viewer_without_a_region_sees_nothing(regions, login):
    stray = UserFactory(username="stray", role=Role.REGIONAL, office=None, region=None)
    assert not offices_visible_to(stray).exists()
    client = login(stray)
    assert client.get(reverse("reports:dashboard_regional")).status_code == 404
    assert client.get(reverse("reports:report", args=["participation"]), RANGE).status_code == 404
    with pytest.raises(ValidationError):
        stray.full_clean()


def test_only_a_regional_viewer_belongs_to_a_region(regions, alice, rita):
    alice.region = regions[0]
    with pytest.raises(ValidationError):
        alice.full_clean()
    rita.region = regions[0]
    with pytest.raises(ValidationError):
        rita.full_clean()


@pytest.mark.parametrize("name", REPORTS)
def test_regional_viewer_gets_404_for_another_regions_office(world, regions, login, kartika, karim, name):
    for viewer, other in ((kartika, "BPN"), (karim, "TNG")):
        client = login(viewer)
        assert client.get(reverse("reports:report", args=[name]), {**RANGE, "office": other}).status_code == 404
        assert client.get(reverse("reports:report", args=[name]), {**RANGE, "office": other.lower()}).status_code == 404
        for fmt in ("json", "csv", "xlsx", "pdf"):
            assert download(client, name, fmt, office=other).status_code == 404, (viewer, name, fmt)
        # a region filter naming another region is 404 too
        other_region = "KALTIM" if viewer == kartika else "BANTEN"
        assert download(client, name, "json", region=other_region).status_code == 404


def test_regional_viewer_reads_its_own_office_and_region(world, regions, login, kartika, karim):
    client = login(kartika)
    own = json.loads(download(client, "participation", "json", office="TNG").content)
    assert own["office"] == "TNG" and own["totals"]["participants"] == 4
    region = json.loads(download(client, "participation", "json").content)
    assert region["office"] is None and region["region"] == "BANTEN"
    assert region["totals"]["participants"] == 4  # office B's participant is not counted
    assert [row["office"] for row in region["by_office"]] == ["TNG"]
    other = json.loads(download(login(karim), "participation", "json").content)
    assert other["region"] == "KALTIM" and other["totals"]["participants"] == 1
    agreements = json.loads(download(login(kartika), "agreements", "json").content)
    assert {row["office"] for row in agreements["agreements"]} <= {"TNG"}
    compliance = json.loads(download(login(kartika), "compliance", "json").content)
    assert compliance["region"] == "BANTEN" and "by_officer" not in compliance


def test_regional_filter_offers_only_its_offices(world, regions, login, kartika, rita):
    body = login(kartika).get(reverse("reports:report", args=["participation"]), RANGE).content.decode()
    assert 'value="TNG"' in body and 'value="BPN"' not in body
    assert 'name="region"' not in body
    body = login(rita).get(reverse("reports:report", args=["participation"]), RANGE).content.decode()
    assert 'value="TNG"' in body and 'value="BPN"' in body and 'value="KALTIM"' in body


def test_national_viewer_reads_a_region_and_refuses_an_office_outside_it(world, regions, login, rita):
    client = login(rita)
    everything = json.loads(download(client, "participation", "json").content)
    assert everything["region"] is None and everything["totals"]["participants"] == 5
    kaltim = json.loads(download(client, "participation", "json", region="KALTIM").content)
    assert kaltim["region"] == "KALTIM" and kaltim["totals"]["participants"] == 1
    assert download(client, "participation", "json", region="KALTIM", office="TNG").status_code == 404
    assert download(client, "participation", "json", region="NOPE").status_code == 404


def test_regional_dashboard_shows_the_regions_offices_only(world, regions, login, kartika, rita):
    response = login(kartika).get(reverse("home"))
    assert response.status_code == 200
    assert [row["office"].code for row in response.context["rows"]] == ["TNG"]
    body = response.content.decode()
    assert 'data-office="TNG"' in body and 'data-office="BPN"' not in body and regions[0].name in body
    client = login(kartika)
    assert client.get(reverse("reports:dashboard_regional"), {"region": "KALTIM"}).status_code == 404
    assert client.get(reverse("reports:dashboard_regional"), {"region": "BANTEN"}).status_code == 200
    assert client.get(reverse("reports:dashboard_national")).status_code == 403


def test_national_dashboard_puts_the_regions_side_by_side(world, regions, login, rita, kasi_a):
    response = login(rita).get(reverse("home"))
    assert response.status_code == 200
    rows = {row["region"].code: row for row in response.context["region_rows"]}
    assert set(rows) == {"BANTEN", "KALTIM"}
    assert rows["BANTEN"]["offices"] == 1 and rows["KALTIM"]["offices"] == 1
    total = response.context["total"]
    for field in ("clients", "participants_all", "followed_up", "implemented", "compliance_due"):
        assert rows["BANTEN"][field] + rows["KALTIM"][field] == total[field], field
    body = response.content.decode()
    assert 'data-region="BANTEN"' in body and "?region=KALTIM" in body
    drill = login(rita).get(reverse("reports:dashboard_regional"), {"region": "KALTIM"})
    assert [row["office"].code for row in drill.context["rows"]] == ["BPN"]
    assert drill.context["total"]["clients"] == rows["KALTIM"]["clients"]
    assert login(kasi_a).get(reverse("reports:dashboard_national")).status_code == 403


def test_region_pdf_carries_the_regions_letterhead(world, regions, login, kartika):
    from tests.reports.test_exports import pdf_text
    from tests.reports.test_views import fetch

    # two years: made in the background, so the region travels with the stored request
    response = fetch(login(kartika), reverse("reports:download", args=["participation", "pdf"]), RANGE)
    assert response.status_code == 200
    assert regions[0].name.upper() in pdf_text(response.content)


def test_report_command_takes_a_region(world, regions, capsysbinary):
    from django.core.management import CommandError, call_command

    call_command("report", "participation", "--region", "kaltim", "--year", "2023", "--format", "json")
    data = json.loads(capsysbinary.readouterr().out)
    assert data["region"] == "KALTIM" and data["totals"]["participants"] == 1
    with pytest.raises(CommandError, match="not in region"):
        call_command("report", "participation", "--region", "KALTIM", "--office", "TNG", "--year", "2023",
                     "--format", "json")  # fmt: skip
    with pytest.raises(CommandError, match="Unknown region"):
        call_command("report", "participation", "--region", "NOPE", "--year", "2023", "--format", "json")


def test_a_regional_viewer_reads_its_regions_pooled_findings(regions, login, kartika, rita):
    """Temuan pools the offices of the viewer's scope: a regional viewer its region's (the page and the
    download answer, its dashboard links it), the national viewer every office."""
    assert login(kartika).get(reverse("reports:evidence")).status_code == 200
    data = login(kartika).get(reverse("reports:evidence_download", args=["json"])).json()
    assert data["region"] == kartika.region.code and data["office"] is None
    assert 'id="evidence-link"' in login(kartika).get(reverse("reports:dashboard_regional")).content.decode()
    national = login(rita).get(reverse("reports:evidence_download", args=["json"])).json()
    assert national["region"] is None and national["office"] is None
