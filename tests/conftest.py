"""Named people per role and office, as the style guide asks.

Office A is Tangerang (WIB), office B is Balikpapan (WITA). Alice is a PK of A, Bob a PK of B,
Paula a second PK of A; Kasi, Kasubsi, Kepala and Admin exist for both offices. Rita is the
national viewer (every office; before regions existed she was "the regional viewer"); Kartika is
the regional viewer of region A (Kanwil Banten, office A), Karim of region B (Kanwil Kalimantan
Timur, office B).
"""

import pytest

from bapas.models import Office, Region, Role
from tests.factories import PASSWORD, OfficeFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_axes_state_between_tests(settings):
    settings.AXES_ENABLED = True
    # Test-only: a cheap password hash. Production's PBKDF2 costs half a second per hash on a busy
    # 2-core machine, and every test makes a dozen people (tests/bapas/test_settings.py checks that
    # the project itself keeps a strong hasher).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No worker runs beside the tests: a viewer's report computes every missing office rollup in the
    # request (tests/reports/test_rollups.py sets 0 to see the queue-and-wait path).
    settings.REPORT_ROLLUP_INLINE_SECONDS = 600
    from reports import rollups

    rollups._recently_queued.clear()  # database ids repeat between tests


@pytest.fixture
def office_a(db):
    return OfficeFactory(code="TNG", name="Bapas Kelas I Tangerang", city="Tangerang", time_zone=Office.Zone.WIB)


@pytest.fixture
def office_b(db):
    return OfficeFactory(code="BPN", name="Bapas Kelas II Balikpapan", city="Balikpapan", time_zone=Office.Zone.WITA)


@pytest.fixture
def alice(office_a):
    """PK of office A."""
    return UserFactory(username="alice", role=Role.PK, office=office_a, first_name="Alice", last_name="Wulandari")


@pytest.fixture
def paula(office_a):
    """Another PK of office A (not Alice's caseload)."""
    return UserFactory(username="paula", role=Role.PK, office=office_a, first_name="Paula", last_name="Siregar")


@pytest.fixture
def bob(office_b):
    """PK of office B."""
    return UserFactory(username="bob", role=Role.PK, office=office_b, first_name="Bob", last_name="Hutapea")


@pytest.fixture
def kasi_a(office_a):
    return UserFactory(username="kasi_a", role=Role.KASI, office=office_a, first_name="Karin", last_name="Kasi")


@pytest.fixture
def kasi_b(office_b):
    return UserFactory(username="kasi_b", role=Role.KASI, office=office_b, first_name="Kevin", last_name="Kasi")


@pytest.fixture
def kasubsi_a(office_a):
    return UserFactory(username="kasubsi_a", role=Role.KASUBSI, office=office_a, first_name="Sari", last_name="Bimker")


@pytest.fixture
def kasubsi_b(office_b):
    return UserFactory(username="kasubsi_b", role=Role.KASUBSI, office=office_b, first_name="Sony", last_name="Bimker")


@pytest.fixture
def kabapas_a(office_a):
    return UserFactory(username="kabapas_a", role=Role.KABAPAS, office=office_a, first_name="Hadi", last_name="Kepala")


@pytest.fixture
def admin_a(office_a):
    return UserFactory(username="admin_a", role=Role.ADMIN, office=office_a, first_name="Ani", last_name="TataUsaha")


@pytest.fixture
def admin_b(office_b):
    return UserFactory(username="admin_b", role=Role.ADMIN, office=office_b, first_name="Ade", last_name="TataUsaha")


@pytest.fixture
def rita(db):
    """National viewer (Ditjenpas): no office, aggregates of every office only."""
    return UserFactory(username="rita", role=Role.NATIONAL, office=None, first_name="Rita", last_name="Kanwil")


@pytest.fixture
def region_a(office_a):
    region, _ = Region.objects.get_or_create(
        code="BANTEN", defaults={"name": "Kantor Wilayah Banten", "province": "Banten"}
    )
    office_a.region = region
    office_a.save(update_fields=["region"])
    return region


@pytest.fixture
def region_b(office_b):
    region, _ = Region.objects.get_or_create(
        code="KALTIM", defaults={"name": "Kantor Wilayah Kalimantan Timur", "province": "Kalimantan Timur"}
    )
    office_b.region = region
    office_b.save(update_fields=["region"])
    return region


@pytest.fixture
def kartika(region_a):
    """Regional viewer of region A (office A only)."""
    return UserFactory(
        username="kartika", role=Role.REGIONAL, office=None, region=region_a, first_name="Kartika", last_name="Kanwil"
    )


@pytest.fixture
def karim(region_b):
    """Regional viewer of region B (office B only)."""
    return UserFactory(
        username="karim", role=Role.REGIONAL, office=None, region=region_b, first_name="Karim", last_name="Kanwil"
    )


@pytest.fixture
def login(client):
    """Sign a user in on the Django test client: ``login(alice)``; returns the client."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD
