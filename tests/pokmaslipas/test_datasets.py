import datetime as dt
import json

import pytest

from pokmaslipas.datasets import agreements_dataset
from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_agreements_dataset_contract_shape(office_a, office_b, django_assert_num_queries):
    gbi = PartnerFactory(office=office_a, code="GBI", name="GBI WTC Regency")
    first = AgreementFactory(
        partner=gbi, number="PKS-1", start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 12, 31), scope="KEMANDIRIAN"
    )
    AgreementFactory(
        partner=gbi,
        number="PKS-2",
        renews=first,
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2024, 2, 15),
        scope="KEMANDIRIAN,PENDAMPINGAN_USAHA",
    )
    AgreementFactory(
        partner=gbi,
        number="PKS-3",
        kind="MOU",
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2025, 1, 1),
        terminated_on=dt.date(2023, 6, 1),
    )
    AgreementFactory(
        partner__office=office_b, number="BPN-1", start_date=dt.date(2023, 1, 1), end_date=dt.date(2026, 1, 1)
    )

    with django_assert_num_queries(1):
        data = agreements_dataset(office=office_a, date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31))
    json.dumps(data)  # serialisable as it is
    assert {k: data[k] for k in ("report", "office", "from", "to")} == {
        "report": "agreements",
        "office": "TNG",
        "from": "2023-01-01",
        "to": "2023-12-31",
    }
    rows = {row["number"]: row for row in data["agreements"]}
    assert set(rows) == {"PKS-1", "PKS-2", "PKS-3"}
    assert rows["PKS-1"] == rows["PKS-1"] | {
        "partner": "GBI WTC Regency",
        "start": "2022-01-01",
        "end": "2022-12-31",
        "status": "EXPIRED",
        "kind": "PKS",
        "scope": ["KEMANDIRIAN"],
    }
    assert rows["PKS-2"]["status"] == "EXPIRING"  # 46 days after `to`
    assert rows["PKS-2"]["renews"] == "PKS-1"
    assert rows["PKS-2"]["scope"] == ["KEMANDIRIAN", "PENDAMPINGAN_USAHA"]
    assert rows["PKS-3"]["status"] == "TERMINATED"
    assert data["totals"] == {"agreements": 3, "ACTIVE": 0, "EXPIRING": 1, "EXPIRED": 1, "TERMINATED": 1}


def test_agreements_dataset_all_offices_and_codes(office_a, office_b):
    AgreementFactory(partner__office=office_a, number="A-1", end_date=dt.date(2030, 1, 1))
    AgreementFactory(partner__office=office_b, number="B-1", end_date=dt.date(2030, 1, 1))
    data = agreements_dataset(date_from="2024-01-01", date_to="2024-12-31")
    assert data["office"] is None
    assert sorted((r["office"], r["number"], r["status"]) for r in data["agreements"]) == [
        ("BPN", "B-1", "ACTIVE"),
        ("TNG", "A-1", "ACTIVE"),
    ]
    by_code = agreements_dataset(office="bpn", date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    assert [r["number"] for r in by_code["agreements"]] == ["B-1"]
    assert by_code["office"] == "BPN"
