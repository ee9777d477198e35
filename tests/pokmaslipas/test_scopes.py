"""Partners and agreements of a region (Kanwil) or of the nation (Ditjenpas).

Nina is the Admin Ditjenpas, Rudi the Admin Kanwil of region A (office A's); office A's staff read
the national and region A's records and plan trainings under them; office B (region B) finds region
A's records nowhere (404). The access matrix covers every view; these tests the rules behind it.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bapas.models import OfficeDataVersion, Role
from pokmaslipas.datasets import agreements_dataset
from pokmaslipas.models import Agreement, Level, Partner
from tests.factories import AgreementFactory, PartnerFactory, TrainingSessionFactory, TrainingTypeFactory, UserFactory
from trainings import services as training_services
from trainings.forms import SessionForm
from trainings.selectors import expiry_alerts
from workbook.exporter import office_workbook

pytestmark = pytest.mark.django_db
NATION = {"level": Level.NATION, "office": None}


@pytest.fixture
def nina(db):
    return UserFactory(username="nina", role=Role.NATIONAL_ADMIN, office=None, first_name="Nina")


@pytest.fixture
def rudi(region_a):
    return UserFactory(username="rudi", role=Role.REGIONAL_ADMIN, office=None, region=region_a, first_name="Rudi")


@pytest.fixture
def national(region_a, region_b):
    partner = PartnerFactory(code="KEMENAKER", name="Kementerian Ketenagakerjaan", kind="PEMERINTAH", **NATION)
    return AgreementFactory(partner=partner, number="PAS-HM.05.02-1487 TAHUN 2025")


@pytest.fixture
def regional_a(region_a):
    partner = PartnerFactory(
        code="DISNAKERTRANS", name="Disnakertrans Banten", level=Level.REGION, region=region_a, office=None
    )
    return AgreementFactory(partner=partner, number="W.11-HM.05.01-0312")


@pytest.fixture
def regional_b(region_b):
    partner = PartnerFactory(
        code="DISNAKER-KALTIM", name="Disnaker Kaltim", level=Level.REGION, region=region_b, office=None
    )
    return AgreementFactory(partner=partner, number="W.17-HM.05.01-0001")


def versions():
    return dict(OfficeDataVersion.objects.values_list("office_id", "version"))


# --- the model: exactly one owner, numbers unique per owner -------------------------------------


def test_the_owner_must_match_the_level(office_a, region_a):
    for fields in (
        {"level": Level.NATION, "office": office_a},
        {"level": Level.REGION, "office": None, "region": None},
        {"level": Level.OFFICE, "office": None},
        {"level": Level.REGION, "office": office_a, "region": region_a},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Partner.objects.create(code="X", name="X", kind="PEMERINTAH", **fields)


def test_numbers_are_unique_within_their_owner(national, regional_a, region_b, office_a):
    twin = Agreement(
        partner=national.partner,
        number=national.number,
        start_date=national.start_date,
        end_date=national.end_date,
        **NATION,
    )
    with pytest.raises(ValidationError):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    # the same number in another region is another agreement; a partner code likewise
    other = PartnerFactory(code=regional_a.partner.code, level=Level.REGION, region=region_b, office=None)
    AgreementFactory(partner=other, number=regional_a.number).full_clean()


def test_an_agreement_belongs_where_its_partner_does(national, office_a):
    stray = AgreementFactory.build(partner=national.partner, office=office_a, level=Level.OFFICE, region=None)
    with pytest.raises(ValidationError) as error:
        stray.full_clean()
    assert "partner" in error.value.message_dict


# --- the Admin Ditjenpas and the Admin Kanwil write their own; offices read ----------------------


def test_national_admin_registers_a_national_partner_and_agreement(login, nina, office_a, office_b, pdf_upload):
    client = login(nina)
    before = versions()
    response = client.post(
        reverse("pokmaslipas:partner_create"), {"code": "kemenaker", "name": "Kemenaker", "kind": "PEMERINTAH"}
    )
    assert response.status_code == 302
    partner = Partner.objects.get(code="KEMENAKER")
    assert (partner.level, partner.office_id, partner.region_id) == (Level.NATION, None, None)
    assert partner.history.get().history_user == nina  # audited
    response = client.post(
        reverse("pokmaslipas:agreement_create"),
        {
            "partner": partner.pk,
            "kind": "PKS",
            "number": "PAS-HM.05.02-1487 TAHUN 2025",
            "start_date": "2025-10-11",
            "end_date": "2030-10-10",
            "scope": ["KEMANDIRIAN", "PENEMPATAN_KERJA"],
            "document": pdf_upload(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get(number="PAS-HM.05.02-1487 TAHUN 2025")
    assert agreement.level == Level.NATION and agreement.office_id is None and agreement.document
    assert agreement.history.get().history_user == nina
    after = versions()
    assert all(after[office.pk] >= before[office.pk] + 2 for office in (office_a, office_b))  # both offices' figures


def test_office_staff_read_a_national_agreement_and_its_scan_but_cannot_change_it(
    login, national, admin_a, alice, pdf_bytes
):
    from django.core.files.base import ContentFile

    national.document.save("pks.pdf", ContentFile(pdf_bytes), save=True)
    for user in (admin_a, alice):
        client = login(user)
        page = client.get(reverse("pokmaslipas:agreement_detail", args=[national.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Nasional" in html and reverse("pokmaslipas:agreement_edit", args=[national.pk]) not in html
        assert client.get(reverse("pokmaslipas:agreement_document", args=[national.pk])).status_code == 200
        assert national.number in client.get(reverse("pokmaslipas:agreement_list")).content.decode()
    client = login(admin_a)
    assert client.get(reverse("pokmaslipas:agreement_edit", args=[national.pk])).status_code == 403
    response = client.post(
        reverse("pokmaslipas:agreement_terminate", args=[national.pk]),
        {"terminated_on": timezone.localdate().isoformat(), "reason": "Tidak berlaku"},
    )
    assert response.status_code == 403
    national.refresh_from_db()
    assert national.terminated_on is None


def test_regional_records_are_labelled_and_404_outside_the_region(login, regional_a, admin_a, admin_b, rudi):
    page = login(admin_a).get(reverse("pokmaslipas:partner_list")).content.decode()
    assert "Disnakertrans Banten" in page and "Kanwil Banten" in page
    client = login(admin_b)
    assert client.get(reverse("pokmaslipas:agreement_detail", args=[regional_a.pk])).status_code == 404
    assert client.get(reverse("pokmaslipas:partner_detail", args=[regional_a.partner_id])).status_code == 404
    assert "Disnakertrans" not in client.get(reverse("pokmaslipas:partner_list")).content.decode()
    # the Admin Kanwil keeps it: edits and terminates it with the office Admin's forms and rules
    client = login(rudi)
    response = client.post(
        reverse("pokmaslipas:agreement_terminate", args=[regional_a.pk]), {"terminated_on": "1990-01-01", "reason": "x"}
    )
    assert response.status_code == 400  # outside the validity: the same rule as for an office
    response = client.post(
        reverse("pokmaslipas:agreement_terminate", args=[regional_a.pk]),
        {"terminated_on": timezone.localdate().isoformat(), "reason": "Program provinsi berakhir"},
    )
    assert response.status_code == 302
    regional_a.refresh_from_db()
    assert regional_a.terminated_by == rudi
    assert regional_a.history.latest().history_user == rudi


def test_a_renewal_stays_at_its_level(login, nina, national):
    response = login(nina).post(
        reverse("pokmaslipas:agreement_renew", args=[national.pk]),
        {
            "kind": "ADDENDUM",
            "number": "PAS-HM.05.02-1487/ADD-1",
            "start_date": national.start_date.isoformat(),
            "end_date": (national.end_date + dt.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    renewal = Agreement.objects.get(number="PAS-HM.05.02-1487/ADD-1")
    assert renewal.level == Level.NATION and renewal.renews == national and renewal.office_id is None


# --- trainings under a national or regional agreement -------------------------------------------


def test_the_session_form_offers_the_regions_and_the_nations_partners_and_agreements(
    office_a, national, regional_a, regional_b
):
    form = SessionForm(office=office_a)
    assert {national.partner, regional_a.partner} <= set(form.fields["partner"].queryset)
    assert regional_b.partner not in form.fields["partner"].queryset
    assert set(form.fields["agreement"].queryset) == {national, regional_a}


def test_a_session_runs_under_the_national_agreement(office_a, kasubsi_a, national, regional_a, regional_b):
    training_type = TrainingTypeFactory(office=office_a)
    fields = {
        "title": "Pembekalan Tenaga Kerja Mandiri",
        "training_type": training_type,
        "partner": national.partner,
        "agreement": national,
        "start_date": timezone.localdate() + dt.timedelta(days=7),
        "end_date": timezone.localdate() + dt.timedelta(days=8),
    }
    session, warnings = training_services.session_create(user=kasubsi_a, **fields)
    assert session.agreement == national and not warnings
    # the rule "agreement of that partner" still holds; another region's partner is not the office's
    with pytest.raises(ValidationError) as error:
        training_services.session_create(user=kasubsi_a, **{**fields, "agreement": regional_a})
    assert "agreement" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        training_services.session_create(
            user=kasubsi_a, **{**fields, "partner": regional_b.partner, "agreement": regional_b}
        )
    assert "partner" in error.value.message_dict


def test_the_workbook_keeps_office_agreements_and_imports_a_session_under_the_national_one(
    office_a, kasubsi_a, admin_a, national
):
    from tests.workbook.conftest import run_import
    from tests.workbook.test_roundtrip import sheet_values
    from trainings.models import TrainingSession

    own = AgreementFactory(partner=PartnerFactory(office=office_a, code="LPK"), number="W29-OWN-1")
    training_type = TrainingTypeFactory(office=office_a)
    training_services.session_create(
        user=kasubsi_a, code="TKM-1", title="TKM", training_type=training_type, partner=national.partner,
        agreement=national, start_date=dt.date(2025, 10, 8), end_date=dt.date(2025, 10, 11),
    )  # fmt: skip
    first = office_workbook(office_a)
    values = sheet_values(first)
    numbers = {row[0] for row in values["PKS"][1:]}
    assert own.number in numbers and national.number not in numbers
    TrainingSession.objects.filter(office=office_a).delete()
    result = run_import(first, office_a, user=admin_a)
    assert result.ok, result.issues
    assert TrainingSession.objects.get(office=office_a, code="TKM-1").agreement == national
    assert sheet_values(office_workbook(office_a)) == values
    again = run_import(office_workbook(office_a), office_a, user=admin_a)  # idempotent
    assert again.ok and again.totals()["created"] == 0 and again.totals()["updated"] == 0


# --- expiry alerts and the agreements report -------------------------------------------------------


def test_expiry_alerts_go_to_the_agreements_admin_and_offices_get_a_note(login, nina, admin_a, national, office_a):
    national.end_date = timezone.localdate() + dt.timedelta(days=20)
    national.save()
    assert national not in expiry_alerts(office_a)["expiring_90"]  # the office cannot renew it
    page = login(nina).get(reverse("home")).content.decode()
    assert national.number in page and 'data-alert-count="30">1' in page.replace("\n", "")
    page = login(admin_a).get(reverse("home")).content.decode()
    assert national.number in page and 'id="covering-title"' in page


def test_an_offices_agreements_report_lists_the_agreements_over_it(office_a, national, regional_a, regional_b):
    own = AgreementFactory(partner=PartnerFactory(office=office_a))
    data = agreements_dataset(office=office_a, date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))
    rows = {row["number"]: row for row in data["agreements"]}
    assert set(rows) == {own.number, regional_a.number, national.number}
    assert [row["level"] for row in data["agreements"]] == ["OFFICE", "REGION", "NATION"]
    assert rows[national.number]["office"] is None and rows[regional_a.number]["region"] == "BANTEN"
    assert data["totals"]["agreements"] == 3
    everything = agreements_dataset(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))
    assert len(everything["agreements"]) == 4


def test_the_report_filter_offers_the_partners_over_the_office(login, kasi_a, national, regional_a, regional_b):
    page = login(kasi_a).get(
        reverse("reports:report", args=["agreements"]),
        {"period": "year", "year": timezone.localdate().year, "partner": national.partner_id},
    )
    assert page.status_code == 200
    options = {str(partner) for partner in page.context["form"].fields["partner"].queryset}
    assert {national.partner.name, regional_a.partner.name} <= options and regional_b.partner.name not in options
    html = page.content.decode()
    assert national.number in html and regional_a.number not in html  # the filter applies


def test_sessions_under_a_national_agreement_link_only_where_the_reader_may_open_them(
    login, nina, kasi_a, national, office_a
):
    """The Admin Ditjenpas sees which offices run trainings under the national PKS, by name (a
    session's page is its office's: a link would be a 404); the office's Kasi gets the link. A
    national partner has no training types of its own (they are an office's): that page is a 404."""
    session = TrainingSessionFactory(office=office_a, partner=national.partner, agreement=national,
                                     title="Pembekalan Tenaga Kerja Mandiri")  # fmt: skip
    link = reverse("trainings:session_detail", args=[session.pk])
    for page in ("pokmaslipas:agreement_detail", "pokmaslipas:partner_detail"):
        pk = national.pk if "agreement" in page else national.partner.pk
        as_nina = login(nina).get(reverse(page, args=[pk])).content.decode()
        assert "Pembekalan Tenaga Kerja Mandiri" in as_nina and link not in as_nina
        assert link in login(kasi_a).get(reverse(page, args=[pk])).content.decode()
    assert login(nina).get(reverse("trainings:partner_training_types", args=[national.partner.pk])).status_code == 404
