import datetime as dt

import pytest
from django.utils import timezone

from config.demo import offices as bapas_demo
from config.demo import partners as demo
from pokmaslipas.models import Agreement, Partner
from pokmaslipas.selectors import PartnerStatus, partner_list, valid_agreement_for
from pokmaslipas.validators import validate_pdf
from trainings.selectors import expiry_alerts

pytestmark = pytest.mark.django_db

PAPER_TRAININGS = [  # (partner code, start, end) from the paper's second table
    ("GBI", dt.date(2022, 3, 30), dt.date(2022, 3, 30)),
    ("DISNAKER", dt.date(2022, 9, 19), dt.date(2022, 9, 23)),
    ("LPKKOPI", dt.date(2022, 10, 20), dt.date(2022, 10, 20)),
    ("DINSOS", dt.date(2022, 11, 15), dt.date(2022, 11, 23)),
    ("GBI", dt.date(2023, 3, 21), dt.date(2023, 3, 21)),
    ("DISNAKER", dt.date(2023, 4, 14), dt.date(2023, 4, 14)),
    ("DINSOS", dt.date(2023, 5, 23), dt.date(2023, 5, 23)),
    ("LPKKOPI", dt.date(2023, 6, 20), dt.date(2023, 6, 20)),
    ("PARARI", dt.date(2023, 7, 12), dt.date(2023, 7, 12)),
    ("LBH", dt.date(2023, 9, 13), dt.date(2023, 9, 13)),
]


def snapshot():
    return sorted(
        (
            a.office.code,
            a.number,
            a.partner.code,
            a.start_date,
            a.end_date,
            a.terminated_on,
            a.renews_id,
            a.document.name,
        )
        for a in Agreement.objects.select_related("office", "partner")
    )


def test_demo_partners_agreements_and_idempotency():
    context = demo.load(bapas_demo.load("demo-pass-2026!"))
    tng_codes = {code for office, code in context["partners"] if office == "TNG"}
    assert tng_codes == {"GBI", "HKTI", "EWS", "DISNAKER", "LPKKOPI", "PARARI", "LBH", "DINSOS"}
    assert Partner.objects.filter(office__code="BPN").count() == 10
    bpn_names = " ".join(Partner.objects.filter(office__code="BPN").values_list("name", flat=True)).lower()
    for skill in ("ac", "jok mobil", "wallpaper", "interior"):
        assert skill in bpn_names
    assert set(context["agreements"]) == {(a.office.code, a.number) for a in Agreement.objects.select_related("office")}

    # every paper training is covered by an agreement of its partner
    for code, start, end in PAPER_TRAININGS:
        assert valid_agreement_for(context["partners"][("TNG", code)], start, end) is not None, code

    # a mix of current statuses in both offices, renewals linked
    today = timezone.localdate()
    for office in context["offices"].values():
        statuses = {p.agreement_status for p in partner_list(office.partners.all(), today=today)}
        assert {PartnerStatus.ACTIVE, PartnerStatus.EXPIRING, PartnerStatus.NO_VALID} <= statuses
        alerts = expiry_alerts(office, today)
        assert alerts["expiring_30"], office.code
        assert len(alerts["expiring_90"]) > len(alerts["expiring_30"]), office.code
    assert Agreement.objects.filter(renews__isnull=False).count() >= 10
    assert Agreement.objects.filter(terminated_on__isnull=False).exists()
    assert Agreement.objects.filter(kind=Agreement.Kind.ADDENDUM).exists()

    # demo scans are valid PDFs for the upload rules
    scan = Agreement.objects.exclude(document="").first()
    with scan.document.open("rb") as handle:
        validate_pdf(handle)

    before = snapshot()
    history_rows = Agreement.history.count()
    demo.load(bapas_demo.load("demo-pass-2026!"))
    assert snapshot() == before
    assert Agreement.history.count() == history_rows  # nothing rewritten on the second run
