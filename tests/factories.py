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


# --- clients ---------------------------------------------------------------------------------
from clients.models import Client, ReportingVisit  # noqa: E402


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    office = factory.SubFactory(OfficeFactory)
    register_number = factory.Sequence(lambda n: f"PAS.{n:05d}/2026")
    name = factory.Faker("name", locale="id_ID")
    sex = Client.Sex.MALE
    birth_date = dt.date(1990, 5, 17)
    programme = Client.Programme.PB
    programme_start = factory.LazyFunction(lambda: today() - dt.timedelta(days=120))
    programme_end = factory.LazyFunction(lambda: today() + dt.timedelta(days=240))
    reporting_frequency = Client.Frequency.MONTHLY
    officer = None
    domicile = Client.Domicile.URBAN


class ReportingVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingVisit

    client = factory.SubFactory(ClientFactory)
    reported_at = factory.LazyFunction(timezone.now)
    mode = ReportingVisit.Mode.IN_PERSON


# --- pokmaslipas -----------------------------------------------------------------------------
from pokmaslipas.models import Agreement, Partner  # noqa: E402


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    office = factory.SubFactory(OfficeFactory)
    code = factory.Sequence(lambda n: f"MTR{n:03d}")
    name = factory.Sequence(lambda n: f"Pokmaslipas Contoh {n}")
    kind = Partner.Kind.COMMUNITY
    offers = "KEMANDIRIAN"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partner = factory.SubFactory(PartnerFactory)
    office = factory.SelfAttribute("partner.office")
    level = factory.SelfAttribute("partner.level")  # an agreement belongs where its partner does
    region = factory.SelfAttribute("partner.region")
    number = factory.Sequence(lambda n: f"W29.PAS.PAS4-PK.01.05-{n:04d}")
    start_date = factory.LazyFunction(lambda: today() - dt.timedelta(days=365))
    end_date = factory.LazyFunction(lambda: today() + dt.timedelta(days=365))
    scope = "KEMANDIRIAN"


# --- trainings -------------------------------------------------------------------------------
from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType  # noqa: E402


class TrainingTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingType
        django_get_or_create = ("office", "name")

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"Pelatihan {n}")
    category = TrainingType.Category.CULINARY


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    office = factory.SubFactory(OfficeFactory)
    code = factory.Sequence(lambda n: f"PLT-{n:04d}")
    title = factory.LazyAttribute(lambda o: o.training_type.name)
    training_type = factory.SubFactory(TrainingTypeFactory, office=factory.SelfAttribute("..office"))
    partner = factory.SubFactory(PartnerFactory, office=factory.SelfAttribute("..office"))
    agreement = None
    start_date = dt.date(2023, 3, 21)
    end_date = factory.SelfAttribute("start_date")
    method = TrainingSession.Method.INTRODUCTION
    hours_per_day = 6


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    session = factory.SubFactory(TrainingSessionFactory)
    client = factory.SubFactory(ClientFactory, office=factory.SelfAttribute("..session.office"))
    status = Enrolment.Status.REGISTERED


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    enrolment = factory.SubFactory(EnrolmentFactory)
    date = factory.LazyAttribute(lambda o: o.enrolment.session.start_date)
    status = Attendance.Status.PRESENT


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    enrolment = factory.SubFactory(EnrolmentFactory)
    date = factory.LazyAttribute(lambda o: o.enrolment.session.end_date + dt.timedelta(days=30))
    status = FollowUp.Status.NOT_APPLIED
