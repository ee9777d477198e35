import pytest
from django.apps import apps
from django.core.management import call_command

from bapas.access import offices_visible_to
from bapas.models import Office, Role, User

pytestmark = pytest.mark.django_db


def snapshot():
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {"bapas", "clients", "pokmaslipas", "trainings"} and not model.__name__.startswith(
            "Historical"
        ):
            counts[model._meta.label] = model.objects.count()
    return counts


def test_load_demo_creates_contract_offices_and_logins():
    call_command("load_demo", verbosity=0)
    assert Office.objects.get(code="TNG").time_zone == "Asia/Jakarta"
    assert Office.objects.get(code="BPN").time_zone == "Asia/Makassar"
    expected = {
        "admin": (Role.ADMIN, "TNG"),
        "kabapas.tng": (Role.KABAPAS, "TNG"),
        "kasi.tng": (Role.KASI, "TNG"),
        "kasubsi.tng": (Role.KASUBSI, "TNG"),
        "pk1.tng": (Role.PK, "TNG"),
        "pk2.tng": (Role.PK, "TNG"),
        "kasi.bpn": (Role.KASI, "BPN"),
        "pk1.bpn": (Role.PK, "BPN"),
        "kanwil": (Role.REGIONAL, None),
        "kanwil.kaltim": (Role.REGIONAL, None),
        "ditjenpas": (Role.NATIONAL, None),
        "admin.kanwil": (Role.REGIONAL_ADMIN, None),
        "admin.ditjenpas": (Role.NATIONAL_ADMIN, None),
    }
    for username, (role, office) in expected.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert (user.office.code if user.office else None) == office
        assert user.check_password("demo-bapas-2026")
        user.full_clean()


def test_load_demo_regions_hold_their_offices_and_viewers():
    call_command("load_demo", verbosity=0)
    assert Office.objects.get(code="TNG").region.code == "BANTEN"
    assert Office.objects.get(code="BPN").region.code == "KALTIM"
    assert User.objects.get(username="kanwil").region.code == "BANTEN"
    assert User.objects.get(username="kanwil.kaltim").region.code == "KALTIM"
    assert User.objects.get(username="ditjenpas").region is None
    assert User.objects.get(username="admin.kanwil").region.code == "BANTEN"
    assert User.objects.get(username="admin.ditjenpas").region is None
    assert list(offices_visible_to(User.objects.get(username="kanwil")).values_list("code", flat=True)) == ["TNG"]
    assert list(offices_visible_to(User.objects.get(username="kanwil.kaltim")).values_list("code", flat=True)) == [
        "BPN"
    ]
    assert set(offices_visible_to(User.objects.get(username="ditjenpas")).values_list("code", flat=True)) >= {
        "TNG",
        "BPN",
    }


def test_load_demo_is_idempotent():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_load_demo_custom_password():
    call_command("load_demo", "--password", "Lain-sandi-2026", verbosity=0)
    assert User.objects.get(username="kasi.tng").check_password("Lain-sandi-2026")


def test_load_demo_prints_the_address_it_will_be_served_on(monkeypatch):
    import io

    from config import demo

    monkeypatch.setattr(demo, "load", lambda password: None)  # the data itself is tested above
    out = io.StringIO()
    call_command("load_demo", "--address", "127.0.0.1:8201", stdout=out)
    assert "Sign in at http://127.0.0.1:8201/ with:" in out.getvalue()
    monkeypatch.setenv("BAPAS_DEMO_ADDRESS", "0.0.0.0:9000")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Sign in at http://0.0.0.0:9000/ with:" in out.getvalue()


def test_load_demo_holds_the_national_pks_and_a_tangerang_session_under_it():
    from pokmaslipas.models import Agreement, Level
    from trainings.models import TrainingSession
    from trainings.selectors import participants

    call_command("load_demo", verbosity=0)
    pks = Agreement.objects.get(level=Level.NATION, partner__code="KEMENAKER")
    assert pks.office_id is None and "BNN" in pks.notes and pks.document
    assert set(pks.scope_list) >= {"KEMANDIRIAN", "PENEMPATAN_KERJA", "PENDAMPINGAN_USAHA"}
    session = TrainingSession.objects.get(agreement=pks)
    assert session.office.code == "TNG" and "Lembang" in session.location
    assert session.start_date.year == 2025  # outside the paper's 2022-2023
    assert participants(session.enrolments.all()).count() == 5
    assert Agreement.objects.filter(level=Level.REGION, region__code="BANTEN").exists()
