import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(office_a):
    today = timezone.localdate()
    kopi = PartnerFactory(office=office_a, code="LPKKOPI", name="LPK Masyarakat Kopi", kind="LPK", offers="KEMANDIRIAN")
    AgreementFactory(
        partner=kopi, number="KOPI-1", start_date=today - dt.timedelta(days=10), end_date=today + dt.timedelta(days=20)
    )
    lbh = PartnerFactory(
        office=office_a,
        code="LBH",
        name="LBH Benteng Cakrawala",
        kind="MASYARAKAT",
        offers="ADVOKASI_HUKUM, KEMANDIRIAN",
    )
    AgreementFactory(
        partner=lbh, number="LBH-1", start_date=today - dt.timedelta(days=400), end_date=today - dt.timedelta(days=1)
    )
    dinsos = PartnerFactory(
        office=office_a,
        code="DINSOS",
        name="Dinas Sosial",
        kind="PEMERINTAH",
        offers="BANTUAN_MODAL",
        contact_person="Ibu Lestari",
    )
    AgreementFactory(
        partner=dinsos,
        number="DINSOS-1",
        start_date=today - dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=500),
    )
    PartnerFactory(office=office_a, code="BARU", name="Mitra Baru", kind="SWASTA", offers="")
    return {"kopi": kopi, "lbh": lbh, "dinsos": dinsos}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Dinas Sosial", "LBH Benteng Cakrawala", "LPK Masyarakat Kopi", "Mitra Baru"]),
        ({"q": "kopi"}, ["LPK Masyarakat Kopi"]),
        ({"q": "lestari"}, ["Dinas Sosial"]),
        ({"kind": "LPK"}, ["LPK Masyarakat Kopi"]),
        ({"offer": "KEMANDIRIAN"}, ["LBH Benteng Cakrawala", "LPK Masyarakat Kopi"]),
        ({"offer": "ADVOKASI_HUKUM"}, ["LBH Benteng Cakrawala"]),
        ({"status": "ACTIVE"}, ["Dinas Sosial"]),
        ({"status": "EXPIRING"}, ["LPK Masyarakat Kopi"]),
        ({"status": "NO_VALID"}, ["LBH Benteng Cakrawala"]),
        ({"status": "NONE"}, ["Mitra Baru"]),
        ({"status": "NOT-A-STATUS"}, ["Dinas Sosial", "LBH Benteng Cakrawala", "LPK Masyarakat Kopi", "Mitra Baru"]),
    ],
)
def test_partner_list_filters(login, alice, partners, params, expected):
    response = login(alice).get(reverse("pokmaslipas:partner_list"), params)
    assert response.status_code == 200
    assert [p.name for p in response.context["page"].object_list] == expected


def test_partner_list_empty_states(login, admin_a, kasi_a, partners):
    filtered = login(admin_a).get(reverse("pokmaslipas:partner_list"), {"q": "tidak ada"}).content.decode()
    assert "Tidak ada mitra yang sesuai dengan saringan ini." in filtered


def test_partner_list_empty_office(login, admin_b):
    body = login(admin_b).get(reverse("pokmaslipas:partner_list")).content.decode()
    assert "Belum ada mitra yang terdaftar untuk kantor ini." in body
    assert reverse("pokmaslipas:partner_create") in body
    body = login(admin_b).get(reverse("pokmaslipas:agreement_list")).content.decode()
    assert "Belum ada perjanjian yang terdaftar untuk kantor ini." in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["LBH-1", "KOPI-1", "DINSOS-1"]),
        ({"status": "EXPIRING"}, ["KOPI-1"]),
        ({"status": "EXPIRED"}, ["LBH-1"]),
        ({"status": "ACTIVE"}, ["DINSOS-1"]),
        ({"q": "benteng"}, ["LBH-1"]),
    ],
)
def test_agreement_list_filters(login, kasubsi_a, partners, params, expected):
    response = login(kasubsi_a).get(reverse("pokmaslipas:agreement_list"), params)
    assert [a.number for a in response.context["page"].object_list] == expected


def test_agreement_list_badges(login, kasi_a, partners):
    body = login(kasi_a).get(reverse("pokmaslipas:agreement_list")).content.decode()
    assert 'badge text-bg-warning">Segera berakhir' in body
    assert 'badge text-bg-secondary">Kedaluwarsa' in body
    assert 'badge text-bg-success">Aktif' in body
