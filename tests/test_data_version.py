"""Every write of office data raises the office's data version (bapas.data_version), through the real stack.

The dashboards serve a summary row while the version it was computed at is current, so a write path
that forgets the bump leaves a dashboard wrong. Each path below writes as people do: a form posting what
the browser sends (the valid submissions of tests/security/test_fuzz_forms.py), a button, the Django
admin, the workbook import. The version of the writer's office moves, the other office's does not.

A new POST view fails ``test_every_post_view_is_listed`` until it is added to ``FORM_WRITES``,
``ACTION_WRITES`` or ``NO_OFFICE_DATA``; a new form is one line in ``FORM_WRITES``.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as DjangoClient
from django.urls import reverse
from django.utils import timezone

from bapas.models import OfficeDataVersion, Role
from clients import services
from clients.models import Client, ReportingVisit, ReportingWarning
from tests.factories import ClientFactory, EnrolmentFactory, OfficeFactory, TrainingSessionFactory, UserFactory
from tests.security import fuzz_support as fz
from tests.security.test_fuzz_forms import CASES_BY_ID, files_of, starting_payload
from tests.workbook.conftest import full_workbook, make_xlsx
from trainings import services as trainings_services
from trainings.models import Attendance, TrainingSession
from workbook.models import ImportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    """The fuzz tests' world (office A's records, a mirror in office B) and a superuser of office A."""
    settings.OTP_REQUIRED_FOR_PRIVILEGED = False
    people, objects = fz.fuzz_world(settings, tmp_path)
    a = objects["client"].office
    objects["free_client"] = ClientFactory(office=a, officer=people["pk_owner_a"], name="Klien Bebas A")
    objects["plain_enrolment"] = EnrolmentFactory(
        session=objects["session"], client=ClientFactory(office=a, officer=people["pk_owner_a"])
    )
    people["superuser"] = UserFactory(username="root", role=Role.KABAPAS, office=a, is_superuser=True, is_staff=True)
    clients = {}
    for key, user in people.items():
        clients[key] = DjangoClient()
        clients[key].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return {"people": people, "objects": objects, "clients": clients, "office": a, "other": people["pk_b"].office}


def version(office) -> int:
    return OfficeDataVersion.objects.get(office=office).version


def _local(days_ago: int) -> str:
    return (timezone.localtime() - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M")


# --- forms ------------------------------------------------------------------------------------------

# Cases of tests.security.test_fuzz_forms that write office data, with what they need on top of the
# valid submission to change something (None: nothing).
FORM_WRITES = {
    "client_create": None,
    "client_edit": lambda w: {"address": "Jl. Pindah No. 2"},
    # Dated today, a wajib lapor changes no closed period (test_a_visit_dated_today_changes_no_closed_period).
    "visit_create": lambda w: {"reported_at": _local(days_ago=3)},
    "warning_create": None,
    "excuse_create": None,
    "excuse_withdraw": None,
    "tpp_create": None,
    "tpp_minutes": None,
    "suspend": None,
    "revocation_decide": None,
    "status_change": None,
    "reassign": None,
    "partner_create": None,
    "partner_edit": None,
    "agreement_create": None,
    "agreement_edit": None,
    "agreement_terminate": None,
    "agreement_renew_addendum": None,
    "type_create": None,
    "partner_training_types": None,
    "session_create": None,
    "session_edit": None,
    "session_repeat": None,
    "session_cancel": None,
    "enrol": None,
    "enrolment_withdraw": None,
    "attendance": None,
    "followup_create": None,
}


@pytest.mark.parametrize("case_id", list(FORM_WRITES))
def test_every_form_that_writes_office_data_raises_the_version(world, case_id):
    case = CASES_BY_ID[case_id]
    target, payload, _kinds = starting_payload(world, case)
    if FORM_WRITES[case_id]:
        payload.update(FORM_WRITES[case_id](world))
    before, other = version(world["office"]), version(world["other"])
    response = world["clients"][case.user].post(target, {**payload, **files_of(world, case)})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert version(world["office"]) > before
    assert version(world["other"]) == other  # another office's summaries stay valid


# --- buttons, the admin, the workbook import ------------------------------------------------------


def _archive(w):
    client = w["objects"]["client"]
    Client.objects.filter(pk=client.pk).update(status=Client.Status.COMPLETED)  # only an ended programme
    return w["clients"]["pk_owner_a"].post(reverse("clients:archive", args=[client.pk]))


def _mark_held(w):
    session = TrainingSessionFactory(office=w["office"], start_date=timezone.localdate() - dt.timedelta(days=2))
    assert session.status == TrainingSession.Status.PLANNED
    return w["clients"]["kasi_a"].post(reverse("trainings:session_mark_held", args=[session.pk]))


def _import(w):
    client = w["clients"]["admin_a"]
    upload = SimpleUploadedFile("impor.xlsx", make_xlsx(full_workbook()))
    client.post(reverse("workbook:import_upload"), {"file": upload})
    job = ImportJob.objects.filter(office=w["office"]).latest("id")
    assert job.status == ImportJob.Status.PREVIEWED, job.result
    return client.post(reverse("workbook:import_confirm", args=[job.pk]))


ACTION_WRITES = {
    "clients:archive": _archive,
    "trainings:session_mark_held": _mark_held,
    "workbook:import_confirm": _import,
}


@pytest.mark.parametrize("name", list(ACTION_WRITES))
def test_every_button_and_the_import_raise_the_version(world, name):
    before, other = version(world["office"]), version(world["other"])
    response = ACTION_WRITES[name](world)
    assert response.status_code == 302
    assert version(world["office"]) > before
    assert version(world["other"]) == other


def _admin_edit_client(w):
    client = w["objects"]["client"]
    page = reverse("admin:clients_client_change", args=[client.pk])
    payload, _kinds = fz.browser_payload(w["clients"]["superuser"].get(page).content.decode(), page)
    payload["address"] = "Jl. Admin No. 1"
    return w["clients"]["superuser"].post(page, payload)


def _admin_delete(model_name, key):
    def delete(w):
        obj = key(w)
        return w["clients"]["superuser"].post(reverse(f"admin:{model_name}_delete", args=[obj.pk]), {"post": "yes"})

    return delete


def _admin_delete_selected(model_name, queryset):
    def delete(w):
        pks = [str(pk) for pk in queryset(w).values_list("pk", flat=True)]
        assert pks
        data = {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
        return w["clients"]["superuser"].post(reverse(f"admin:{model_name}_changelist"), data)

    return delete


ADMIN_WRITES = {
    "edit a client": _admin_edit_client,
    "delete a wajib lapor": _admin_delete(
        "clients_reportingvisit",
        lambda w: ReportingVisit.objects.create(
            client=w["objects"]["client"], reported_at=timezone.now() - dt.timedelta(days=3)
        ),
    ),
    "delete a warning": _admin_delete(
        "clients_reportingwarning", lambda w: ReportingWarning.objects.filter(client=w["objects"]["client"]).first()
    ),
    "delete attendance (list action)": _admin_delete_selected(
        "trainings_attendance", lambda w: Attendance.objects.filter(enrolment=w["objects"]["enrolment"])
    ),
}


@pytest.mark.parametrize("path", list(ADMIN_WRITES))
def test_admin_writes_raise_the_version(world, path):
    before, other = version(world["office"]), version(world["other"])
    response = ADMIN_WRITES[path](world)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert version(world["office"]) > before
    assert version(world["other"]) == other


# --- a transfer between offices ----------------------------------------------------------------------


def _accept_transfer(w):
    case = CASES_BY_ID["transfer_decide"]  # the transfer from office B into office A, accepted by A's Kasi
    target, payload, _kinds = starting_payload(w, case)
    return w["clients"][case.user].post(target, payload)


# An accepted transfer moves a client (and the periods from its date) from one office to the other:
# both offices' versions rise.
TWO_OFFICE_WRITES = {"clients:transfer_decide": _accept_transfer}


@pytest.mark.parametrize("name", list(TWO_OFFICE_WRITES))
def test_an_accepted_transfer_raises_both_offices_versions(world, name):
    before, other = version(world["office"]), version(world["other"])
    response = TWO_OFFICE_WRITES[name](world)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert version(world["office"]) > before
    assert version(world["other"]) > other


# --- services no view calls yet ----------------------------------------------------------------------


def _motivation(w):
    session = TrainingSessionFactory(office=w["office"], start_date=timezone.localdate() + dt.timedelta(days=20))
    enrolment = EnrolmentFactory(session=session, client=w["objects"]["free_client"])
    trainings_services.enrolment_set_motivation(enrolment=enrolment, motivation=4, user=w["people"]["pk_owner_a"])


SERVICE_WRITES = {"trainings.services.enrolment_set_motivation": _motivation}


@pytest.mark.parametrize("name", list(SERVICE_WRITES))
def test_services_without_a_view_raise_the_version(world, name):
    before, other = version(world["office"]), version(world["other"])
    SERVICE_WRITES[name](world)
    assert version(world["office"]) > before
    assert version(world["other"]) == other


# --- what is not listed ------------------------------------------------------------------------------

# POST views that write no data any office figure counts: staff accounts, sign-in and two-factor,
# report files, the workbook upload (a preview), certificate numbers, the public certificate check,
# the monthly return's review, sign-off and correction (they store the return, not what it counts).
NO_OFFICE_DATA = {
    "login",
    "logout",
    "password_change",
    "bapas:staff_create",
    "bapas:staff_edit",
    "bapas:staff_password_reset",
    "bapas:staff_deactivate",
    "bapas:otp_setup",
    "bapas:otp_verify",
    "bapas:otp_disable",
    "reports:generated_retry",
    "reports:monthly_review",
    "reports:monthly_sign",
    "reports:monthly_correct",
    "workbook:import_upload",
    "trainings:certificates_issue",
    "trainings:certificate_issue",
    "trainings:certificate_check",
    "trainings:certificate_check_number",
    # a transfer proposed or withdrawn moves no figure until the receiving office accepts it
    "clients:transfer_create",
    "clients:transfer_cancel",
}


def test_every_post_view_is_listed():
    """A new view that accepts POST fails here until it is a write path above (with its test) or not one."""
    from tests.security.test_permission_matrix import accepted_methods, discover

    posting = {name for name, (_r, _c, callback) in discover().items() if "POST" in (accepted_methods(callback) or [])}
    listed = (
        {CASES_BY_ID[case_id].name for case_id in FORM_WRITES}
        | set(ACTION_WRITES)
        | set(TWO_OFFICE_WRITES)
        | NO_OFFICE_DATA
    )
    assert not posting - listed, f"POST views not listed as writing office data or not: {sorted(posting - listed)}"
    assert not listed - posting, f"listed views that accept no POST: {sorted(listed - posting)}"


# --- wajib lapor dated today -------------------------------------------------------------------------


def test_a_visit_dated_today_changes_no_closed_period(login):
    """The counter's everyday work outdates no summary; one dated earlier does, added or removed."""
    # In the easternmost zone the office's today is the latest today of every office, whatever the hour.
    office = OfficeFactory(code="JPR", time_zone="Asia/Jayapura")
    pk = UserFactory(username="pk_jpr", role=Role.PK, office=office)
    root = UserFactory(username="root", role=Role.KABAPAS, office=office, is_superuser=True, is_staff=True)
    client = ClientFactory(office=office, officer=pk)
    before = version(office)
    visit = services.visit_record(client=client, reported_at=timezone.now(), user=pk)
    assert version(office) == before
    admin = login(root)
    assert (
        admin.post(reverse("admin:clients_reportingvisit_delete", args=[visit.pk]), {"post": "yes"}).status_code == 302
    )
    assert version(office) == before
    past = services.visit_record(client=client, reported_at=timezone.now() - dt.timedelta(days=3), user=pk)
    assert version(office) == before + 1
    assert (
        admin.post(reverse("admin:clients_reportingvisit_delete", args=[past.pk]), {"post": "yes"}).status_code == 302
    )
    assert version(office) == before + 2
