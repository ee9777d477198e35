"""factory_boy factories for every model. Tests build what they need from these."""

import datetime as dt

import factory
from django.utils import timezone

from bapas.models import Office, Role, User

PASSWORD = "test-pass-2026!"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"O{n:02d}")
    name = factory.LazyAttribute(lambda o: f"Bapas Kelas I {o.city}")
    city = factory.Sequence(lambda n: f"Kota {n}")
    address = "Jl. Contoh No. 1"
    time_zone = Office.Zone.WIB
    regional_office_name = "KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN BANTEN"
    head_name = "Kepala Contoh"
    head_nip = "197001012000011001"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    role = Role.PK
    office = factory.SubFactory(OfficeFactory)
    nip = factory.Sequence(lambda n: f"19900101201501{n:04d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def aware(year, month, day, hour=9, minute=0, zone="Asia/Jakarta"):
    import zoneinfo

    return dt.datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone))


def today():
    return timezone.localdate()
