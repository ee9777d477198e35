"""Property-based fuzz tests (hypothesis) over every create and edit form of the project.

Each case starts from what a browser submits for the rendered form, completed into a VALID
submission (``test_the_starting_payload_is_accepted`` proves it is), then replaces one to three
fields with hostile values (tests/security/fuzz_support.py: 10k strings, control characters with
NUL, markup, SQL, far or impossible dates, huge and negative numbers, RTL marks, emoji, combining
characters). For every submission:

- the answer is never a server error (5xx, or an exception out of the view);
- no markup probe comes back unescaped, on the form page or the page after saving;
- a refused submission (form errors, 200/400) leaves every table as it was (no partial write);
- an accepted one (302) stored the value as entered and its page shows it escaped.

Each example runs in a savepoint that is rolled back, so every example starts from the same data.
Uploads get random bytes, non-PDF content and hostile file names; oversized files are checked in
tests/security/test_fuzz_uploads.py. Runs on SQLite and PostgreSQL (NUL is refused there by the
database, so it must be refused by the forms first).
"""

import copy
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client as DjangoClient
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bapas.idempotency import FIELD_NAME, issue_token
from bapas.models import User
from clients.models import (
    Client,
    ExcusedAbsence,
    ReportingVisit,
    ReportingWarning,
    RevocationProposal,
    TPPSession,
    Transfer,
)
from pokmaslipas.models import Agreement, Partner
from tests.factories import ClientFactory, EnrolmentFactory
from tests.security import fuzz_support as fz
from tests.security.test_permission_matrix import PDF
from trainings.models import Enrolment, FollowUp, PartnerTrainingType, TrainingSession, TrainingType

pytestmark = pytest.mark.django_db

EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- the world ---------------------------------------------------------------------------------


@pytest.fixture
def world(settings, tmp_path):
    people, objects = fz.fuzz_world(settings, tmp_path)
    a = objects["client"].office
    # a second active client of Alice's caseload, not enrolled yet (the enrolment form)
    objects["free_client"] = ClientFactory(office=a, officer=people["pk_owner_a"], name="Klien Bebas A")
    # an enrolment without a certificate (the withdrawal form)
    objects["plain_enrolment"] = EnrolmentFactory(
        session=objects["session"],
        client=ClientFactory(office=a, officer=people["pk_owner_a"], name="Klien Peserta A"),
    )
    clients = {}
    for key, user in people.items():
        clients[key] = DjangoClient()
        clients[key].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    clients["anonymous"] = DjangoClient()
    return {"people": people, "objects": objects, "clients": clients, "office": a}


def _today():
    return timezone.localdate()


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


# --- the forms ---------------------------------------------------------------------------------


@dataclass
class Case:
    """One form: who submits it where, how the valid payload is completed and what it writes."""

    id: str
    name: str  # URL name the form posts to
    user: str
    key: str | None = None  # the object (of build_world) in the URL, if any
    args: object = None  # (world) -> URL arguments, when not just the object's pk
    page: object = None  # (world) -> URL of the page showing the form (default: ``url``)
    overrides: object = None  # (world) -> fields to set on top of the rendered form
    files: object = None  # (world) -> {field: (name, bytes)}
    fields: tuple = ()  # fields to fuzz; default: every field of the rendered form
    skip: tuple = ()  # fields never fuzzed (e.g. a hidden version that only causes a conflict)
    model: object = None  # model of a created record: the newest row is read back
    edited: object = None  # (world) -> the record an edit changes
    shown: tuple = ()  # text fields stored as entered (stripped) and shown on the record's page
    record_page: object = None  # (world, obj) -> page showing the record
    extra: dict = field(default_factory=dict)

    def url(self, w) -> str:
        if self.args:
            return reverse(self.name, args=self.args(w))
        return reverse(self.name, args=[w["objects"][self.key].pk] if self.key else [])


def o(key):
    return lambda w: w["objects"][key]


def client_page(w, obj):
    return reverse("clients:detail", args=[obj.client_id if hasattr(obj, "client_id") else obj.pk])


def _client_new(w):
    return {
        "register_number": "PAS.FUZZ/2026",
        "name": "Klien Fuzz",
        "sex": "L",
        "programme": "PB",
        "programme_start": (_today() - dt.timedelta(days=30)).isoformat(),
        "programme_end": (_today() + dt.timedelta(days=300)).isoformat(),
        "reporting_frequency": "BULANAN",
        "officer": str(w["people"]["pk_owner_a"].pk),
        "dependants": "0",
    }


def _agreement_new(w):
    return {
        "partner": str(w["objects"]["partner"].pk),
        "kind": "PKS",
        "number": "W29.FUZZ-0001",
        "start_date": (_today() - dt.timedelta(days=10)).isoformat(),
        "end_date": (_today() + dt.timedelta(days=355)).isoformat(),
        "title": "Kerja sama fuzz",
    }


def _session_new(w):
    objects = w["objects"]
    return {
        "title": "Pelatihan fuzz",
        "training_type": str(objects["session"].training_type_id),
        "partner": str(objects["partner"].pk),
        "agreement": str(objects["agreement"].pk),
        "start_date": (_today() + dt.timedelta(days=10)).isoformat(),
        "end_date": (_today() + dt.timedelta(days=11)).isoformat(),
        "hours_per_day": "6",
        "location": "Aula Bapas",
    }


def _staff_new(w):
    return {
        FIELD_NAME: issue_token(w["people"]["admin_a"]),
        "username": "pk.fuzz",
        "first_name": "Fuzz",
        "last_name": "Tester",
        "role": "PK",
        "password1": "Sementara-Fuzz-2026",
        "password2": "Sementara-Fuzz-2026",
    }


def _tpp_minutes(w):
    case = w["objects"]["tpp_session"].cases.get()
    return {
        "attendees": [str(w["people"]["pk_owner_a"].pk)],
        f"findings_{case.pk}": "Klien tidak melapor",
        f"recommendation_{case.pk}": "USUL_CABUT",
    }


def _first_missed(w):
    from clients.compliance import client_compliance

    return client_compliance(w["objects"]["client"]).missed_periods[0].label


def _attendance(w):
    enrolment = w["objects"]["enrolment"]
    return {f"status_{enrolment.pk}": "HADIR", f"transport_{enrolment.pk}": "50000"}


CASES = [
    # --- clients -------------------------------------------------------------------------------
    Case(
        "client_create",
        "clients:create",
        "admin_a",
        overrides=_client_new,
        model=Client,
        shown=("name", "register_number", "address", "offence"),
        record_page=client_page,
    ),
    Case(
        "client_edit",
        "clients:edit",
        "pk_owner_a",
        key="client",
        skip=("version",),
        edited=o("client"),
        shown=("name", "register_number", "address", "offence"),
        record_page=client_page,
    ),
    Case(
        "visit_create",
        "clients:visit_create",
        "pk_owner_a",
        key="client",
        overrides=lambda w: {
            "notes": "Lapor rutin",
            "reported_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        skip=("token",),
        model=ReportingVisit,
        shown=("notes",),
        record_page=client_page,
    ),
    Case(
        "warning_create",
        "clients:warning_create",
        "pk_owner_a",
        key="client",
        overrides=lambda w: {"level": "SP2", "reason": "Tidak lapor dua kali", "missed": _first_missed(w)},
        model=ReportingWarning,
        shown=("reason",),
        record_page=client_page,
    ),
    Case(
        "excuse_create",
        "clients:excuse_create",
        "pk_owner_a",
        key="client",
        overrides=lambda w: {
            "date_from": (_today() - dt.timedelta(days=40)).isoformat(),
            "date_to": (_today() - dt.timedelta(days=35)).isoformat(),
            "kind": "SAKIT",
            "reason": "Sakit dengan surat dokter",
        },
        model=ExcusedAbsence,
        shown=("reason",),
        record_page=client_page,
    ),
    Case(
        "tpp_create",
        "clients:tpp_create",
        "kasi_a",
        overrides=lambda w: {
            "date": _today().isoformat(),
            "place": "Aula Bapas",
            "members": [str(w["people"]["pk_owner_a"].pk)],
            "clients": [str(w["objects"]["client"].pk)],
        },
        model=TPPSession,
    ),
    Case(
        "tpp_minutes",
        "clients:tpp_minutes",
        "kasi_a",
        key="tpp_session",
        overrides=_tpp_minutes,
        edited=o("tpp_session"),
    ),
    Case(
        "suspend",
        "clients:suspend",
        "kabapas_a",
        key="client",
        overrides=lambda w: {"date": _today().isoformat(), "grounds": "Tidak dapat dihubungi"},
        model=RevocationProposal,
    ),
    Case(
        "revocation_decide",
        "clients:revocation_decide",
        "admin_a",
        key="proposal",
        overrides=lambda w: {
            "decision": "DICABUT",
            "decree_number": "W29-PAS-1/2026",
            "decree_date": _today().isoformat(),
        },
        edited=o("proposal"),
    ),
    Case(
        "status_change",
        "clients:status_change",
        "pk_owner_a",
        key="client",
        overrides=lambda w: {"status": "SELESAI", "reason": "Program selesai", "date": _today().isoformat()},
        edited=o("client"),
        record_page=client_page,
    ),
    Case(
        "reassign",
        "clients:reassign",
        "kasi_a",
        key="client",
        overrides=lambda w: {"officer": str(w["people"]["pk_other_a"].pk)},
        edited=o("client"),
        record_page=client_page,
    ),
    Case(
        "transfer_create",
        "clients:transfer_create",
        "pk_owner_a",
        args=lambda w: [w["objects"]["free_client"].pk],  # the world's client has an open transfer already
        overrides=lambda w: {
            "to_office": str(w["objects"]["transfer_in"].from_office_id),
            "transfer_date": _today().isoformat(),
            "letter_number": "W.PAS-2",
            "reason": "Pindah domisili",
        },
        model=Transfer,
        shown=("reason", "letter_number"),
        record_page=client_page,
    ),
    Case(
        "transfer_decide",
        "clients:transfer_decide",
        "kasi_a",
        key="transfer_in",
        overrides=lambda w: {"officer": str(w["people"]["pk_owner_a"].pk), "register_number": "PAS-FUZZ/2026"},
        edited=o("transfer_in"),
    ),
    # --- partners and agreements ---------------------------------------------------------------
    Case(
        "partner_create",
        "pokmaslipas:partner_create",
        "admin_a",
        overrides=lambda w: {"code": "FUZZ1", "name": "Mitra Fuzz", "kind": "MASYARAKAT"},
        model=Partner,
        shown=("name", "address", "contact_person", "notes"),
        record_page=lambda w, obj: reverse("pokmaslipas:partner_detail", args=[obj.pk]),
    ),
    Case(
        "partner_edit",
        "pokmaslipas:partner_edit",
        "admin_a",
        key="partner",
        edited=o("partner"),
        shown=("name", "address", "contact_person", "notes"),
        record_page=lambda w, obj: reverse("pokmaslipas:partner_detail", args=[obj.pk]),
    ),
    Case(
        "agreement_create",
        "pokmaslipas:agreement_create",
        "admin_a",
        overrides=_agreement_new,
        files=lambda w: {"document": ("pks.pdf", PDF)},
        model=Agreement,
        shown=("number", "title", "notes", "partner_signatory"),
        record_page=lambda w, obj: reverse("pokmaslipas:agreement_detail", args=[obj.pk]),
    ),
    Case(
        "agreement_edit",
        "pokmaslipas:agreement_edit",
        "admin_a",
        key="agreement",
        files=lambda w: {"document": ("pks-baru.pdf", PDF)},
        edited=o("agreement"),
        shown=("number", "title", "notes", "partner_signatory"),
        record_page=lambda w, obj: reverse("pokmaslipas:agreement_detail", args=[obj.pk]),
    ),
    Case(
        "agreement_terminate",
        "pokmaslipas:agreement_terminate",
        "admin_a",
        key="agreement",
        page=lambda w: reverse("pokmaslipas:agreement_detail", args=[w["objects"]["agreement"].pk]),
        overrides=lambda w: {"terminated_on": _today().isoformat(), "reason": "Mitra bubar"},
        edited=o("agreement"),
        record_page=lambda w, obj: reverse("pokmaslipas:agreement_detail", args=[obj.pk]),
    ),
    Case(
        "agreement_renew_addendum",
        "pokmaslipas:agreement_renew",
        "admin_a",
        key="agreement",
        overrides=lambda w: {"kind": "ADDENDUM", "number": "W29.FUZZ-ADD-1"},
        files=lambda w: {"document": ("adendum.pdf", PDF)},
        model=Agreement,
        shown=("number", "title", "notes"),
        record_page=lambda w, obj: reverse("pokmaslipas:agreement_detail", args=[obj.pk]),
    ),
    # --- trainings -----------------------------------------------------------------------------
    Case(
        "type_create",
        "trainings:type_create",
        "kasubsi_a",
        overrides=lambda w: {"name": "Jenis Fuzz", "category": "KULINER"},
        model=TrainingType,
        shown=("name",),
        record_page=lambda w, obj: reverse("trainings:type_list"),
    ),
    Case(
        "partner_training_types",
        "trainings:partner_training_types",
        "admin_a",
        key="partner",
        overrides=lambda w: {"training_types": [str(w["objects"]["session"].training_type_id)]},
        model=PartnerTrainingType,
        record_page=lambda w, obj: reverse("pokmaslipas:partner_detail", args=[w["objects"]["partner"].pk]),
    ),
    Case(
        "session_create",
        "trainings:session_create",
        "kasubsi_a",
        overrides=_session_new,
        model=TrainingSession,
        shown=("title", "location", "facilitators", "notes"),
        record_page=lambda w, obj: reverse("trainings:session_detail", args=[obj.pk]),
    ),
    Case(
        "session_edit",
        "trainings:session_edit",
        "kasi_a",
        key="session",
        edited=o("session"),
        shown=("title", "location", "facilitators", "notes"),
        record_page=lambda w, obj: reverse("trainings:session_detail", args=[obj.pk]),
    ),
    Case(
        "session_repeat",
        "trainings:session_repeat",
        "kasi_a",
        key="session",
        overrides=lambda w: {
            "start_date": (_today() + dt.timedelta(days=20)).isoformat(),
            "end_date": (_today() + dt.timedelta(days=21)).isoformat(),
        },
        model=TrainingSession,
        shown=("title", "location"),
        record_page=lambda w, obj: reverse("trainings:session_detail", args=[obj.pk]),
    ),
    Case(
        "session_cancel",
        "trainings:session_cancel",
        "kasi_a",
        key="session",
        overrides=lambda w: {"reason": "Hujan deras"},
        edited=o("session"),
        record_page=lambda w, obj: reverse("trainings:session_detail", args=[obj.pk]),
    ),
    Case(
        "enrol",
        "trainings:enrol",
        "pk_owner_a",
        key="session",
        overrides=lambda w: {"clients": str(w["objects"]["free_client"].pk), "status": "REGISTERED"},
        model=Enrolment,
        record_page=lambda w, obj: reverse("trainings:session_detail", args=[obj.pk]),
    ),
    Case(
        "excuse_withdraw",
        "clients:excuse_withdraw",
        "pk_owner_a",
        key="excuse",
        overrides=lambda w: {"reason": "Dicatat untuk klien yang salah"},
        edited=o("excuse"),
        record_page=lambda w, obj: reverse("clients:detail", args=[obj.client_id]),
    ),
    Case(
        "enrolment_withdraw",
        "trainings:enrolment_withdraw",
        "pk_owner_a",
        key="plain_enrolment",
        overrides=lambda w: {"status": "WITHDRAWN", "reason": "Pindah kota"},
        edited=o("plain_enrolment"),
        record_page=lambda w, obj: reverse("trainings:session_detail", args=[obj.session_id]),
    ),
    Case(
        "attendance",
        "trainings:attendance",
        "pk_owner_a",
        args=lambda w: [w["objects"]["session"].pk, w["objects"]["session"].end_date.isoformat()],
        overrides=_attendance,
        edited=o("session"),
        record_page=lambda w, obj: reverse("trainings:session_detail", args=[obj.pk]),
    ),
    Case(
        "followup_create",
        "trainings:followup_create",
        "pk_owner_a",
        key="enrolment",
        overrides=lambda w: {"date": _today().isoformat(), "status": "USAHA_SENDIRI", "notes": "Usaha jalan"},
        files=lambda w: {"photo": ("bukti.png", PNG)},
        model=FollowUp,
        shown=("notes",),
        record_page=lambda w, obj: reverse("trainings:followup_create", args=[obj.enrolment_id]),
    ),
    # --- staff and own account -----------------------------------------------------------------
    Case(
        "staff_create",
        "bapas:staff_create",
        "admin_a",
        overrides=_staff_new,
        skip=(FIELD_NAME,),
        model=User,
        shown=("first_name", "last_name", "position_title"),
        record_page=lambda w, obj: reverse("bapas:staff_edit", args=[obj.pk]),
    ),
    Case(
        "staff_edit",
        "bapas:staff_edit",
        "admin_a",
        key="staff",
        edited=o("staff"),
        shown=("first_name", "last_name", "position_title"),
        record_page=lambda w, obj: reverse("bapas:staff_edit", args=[obj.pk]),
    ),
    Case(
        "staff_password_reset",
        "bapas:staff_password_reset",
        "admin_a",
        key="staff",
        overrides=lambda w: {"password1": "Sementara-Fuzz-2026", "password2": "Sementara-Fuzz-2026"},
        edited=o("staff"),
        record_page=lambda w, obj: reverse("bapas:staff_edit", args=[obj.pk]),
    ),
    Case(
        "password_change",
        "password_change",
        "pk_owner_a",
        overrides=lambda w: {
            "old_password": "test-pass-2026!",
            "new_password1": "Pilihan-Fuzz-2026!",
            "new_password2": "Pilihan-Fuzz-2026!",
        },
        edited=lambda w: w["people"]["pk_owner_a"],
        record_page=lambda w, obj: reverse("password_change_done"),
    ),
    Case(
        "login",
        "login",
        "anonymous",
        overrides=lambda w: {"username": "alice", "password": "test-pass-2026!"},
        record_page=lambda w, obj: reverse("home"),
    ),
]
CASES_BY_ID = {case.id: case for case in CASES}


# --- submitting --------------------------------------------------------------------------------


def starting_payload(w, case) -> tuple[str, dict, dict]:
    """(URL, payload, kinds): the rendered form as a browser sends it, completed by the case."""
    client = w["clients"][case.user]
    target = case.url(w)
    page = case.page(w) if case.page else target
    response = client.get(page)
    assert response.status_code == 200, f"{case.id}: GET {page} answered {response.status_code}"
    payload, kinds = fz.browser_payload(response.content.decode(), page, action=target)
    if case.overrides:
        payload.update(case.overrides(w))
    return target, payload, kinds


def files_of(w, case) -> dict:
    if not case.files:
        return {}
    return {name: SimpleUploadedFile(filename, content) for name, (filename, content) in case.files(w).items()}


def fuzzable(case, payload, kinds) -> list[str]:
    names = case.fields or sorted(set(kinds) | set(payload))
    return [n for n in names if n not in case.skip and n != "csrfmiddlewaretoken" and kinds.get(n) != "file"]


def row_state(obj) -> dict:
    if obj is None:
        return {}
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields if f.name != "last_login"}


def submit(w, case, target, payload, uploads):
    """POST in a savepoint; returns the checks' findings (rolled back afterwards)."""
    client = w["clients"][case.user]
    edited = case.edited(w) if case.edited else None
    before, before_row = fz.snapshot(), row_state(edited)
    newest = case.model._base_manager.order_by("-pk").values_list("pk", flat=True).first() if case.model else None
    cookies = copy.deepcopy(client.cookies)  # a password change cycles the session key: keep the old one
    with transaction.atomic():
        response = client.post(target, {**payload, **uploads})
        result = {"status": response.status_code, "response": response}
        body = response.content.decode("utf-8", "replace") if not response.streaming else ""
        result["raw"] = fz.raw_probes_in(body, payload.values())
        if response.status_code in (200, 400):
            result["changed"] = {k: (before[k], v) for k, v in fz.snapshot().items() if before.get(k) != v}
            result["row_changed"] = row_state(edited) != before_row
            result["errors"] = _form_errors(response)
        elif response.status_code == 302:
            obj = None
            if case.model is not None:
                obj = case.model._base_manager.order_by("-pk").first()
                if obj is not None and obj.pk == newest:
                    obj = None  # nothing new: the redirect was not a save
            elif edited is not None:
                obj = type(edited)._base_manager.get(pk=edited.pk)
            result["obj"] = obj
            result["location"] = response["Location"]
            if obj is not None or case.record_page is not None:
                page_url = case.record_page(w, obj) if case.record_page else urlsplit(response["Location"]).path
                page = client.get(page_url)
                result["page_status"] = page.status_code
                result["page"] = page.content.decode("utf-8", "replace")
                result["page_raw"] = fz.raw_probes_in(result["page"], payload.values())
        transaction.set_rollback(True)
    client.cookies = cookies
    return result


def _form_errors(response) -> dict:
    """Errors of the bound form(s) on the page, for the failure messages."""
    errors = {}
    for ctx in getattr(response, "context", None) or []:
        for value in ctx.flatten().values() if hasattr(ctx, "flatten") else []:
            if getattr(value, "is_bound", False) and hasattr(value, "errors"):
                errors.update({k: list(v) for k, v in value.errors.items()})
    return errors


def normalised(case, name, value):
    return value.strip() if isinstance(value, str) else value


def check(case, payload, mutated, result):
    status = result["status"]
    assert status < 500, f"{case.id}: server error {status} for {mutated!r}"
    assert not result["raw"], f"{case.id}: unescaped {result['raw']} echoed for {mutated!r}"
    if status in (200, 400):
        assert not result["changed"], f"{case.id}: refused submission wrote rows {result['changed']} for {mutated!r}"
        assert not result["row_changed"], f"{case.id}: refused submission changed the record for {mutated!r}"
        return "refused"
    assert status == 302, f"{case.id}: unexpected {status} for {mutated!r}"
    if "page_status" in result:
        assert result["page_status"] < 500, f"{case.id}: the record's page fails after saving {mutated!r}"
        assert not result["page_raw"], f"{case.id}: unescaped {result['page_raw']} on the record's page"
    obj = result.get("obj")
    if obj is not None:
        for name in case.shown:
            if name not in mutated or not isinstance(mutated[name], str):
                continue
            stored = getattr(obj, name)
            assert stored == normalised(case, name, mutated[name]), f"{case.id}: {name} stored as {stored!r}"
            for probe in fz.PROBES:
                if probe in stored:
                    assert fz.escaped(probe) in result["page"], f"{case.id}: {name} not shown escaped"
    return "accepted"


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_starting_payload_is_accepted(world, case):
    """The fuzz starts from a submission the form accepts: otherwise it would only test refusals."""
    target, payload, _kinds = starting_payload(world, case)
    result = submit(world, case, target, payload, files_of(world, case))
    assert result["status"] == 302, f"{case.id}: refused with {result.get('errors')}"
    assert check(case, payload, {}, result) == "accepted"
    if case.model is not None:
        assert result["obj"] is not None, f"{case.id}: redirected without creating a {case.model.__name__}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_values_never_break_a_form(world, case):
    target, payload, kinds = starting_payload(world, case)
    names = fuzzable(case, payload, kinds)
    assert names, f"{case.id}: nothing to fuzz"
    outcomes = []

    @FUZZ
    @given(mutation=st.dictionaries(st.sampled_from(names), fz.HOSTILE, min_size=1, max_size=3))
    def run(mutation):
        data = {**payload, **mutation}
        if FIELD_NAME in payload:
            data[FIELD_NAME] = issue_token(world["people"][case.user])
        result = submit(world, case, target, data, files_of(world, case))
        outcomes.append(check(case, data, mutation, result))

    run()
    assert outcomes


# POST views without a form of their own (a button) or with a one-field code form: the sweep in
# tests/security/test_fuzz_actions.py sends them hostile fields. Uploads: test_fuzz_uploads.py.
ACTIONS = {
    "logout",
    "bapas:staff_deactivate",
    "bapas:otp_setup",
    "bapas:otp_verify",
    "bapas:otp_disable",
    "clients:archive",
    "clients:transfer_cancel",
    "trainings:session_mark_held",
    "trainings:certificates_issue",
    "trainings:certificate_issue",
    "trainings:certificate_check",  # also tests/security/test_fuzz_filters.py: hostile numbers and names
    "trainings:certificate_check_number",
    "reports:generated_retry",
    "reports:monthly_review",  # buttons of the monthly return; tests/reports/test_monthly.py
    "reports:monthly_sign",
    "reports:monthly_correct",  # one free-text reason, refused when empty (tests/reports/test_monthly.py)
    "workbook:import_confirm",
}
UPLOAD_ONLY = {"workbook:import_upload"}


def test_every_view_that_accepts_post_is_fuzzed():
    """A new form view fails here until it gets a case (or is listed as an action or upload)."""
    from tests.security.test_permission_matrix import accepted_methods, discover

    posting = {name for name, (_r, _c, callback) in discover().items() if "POST" in (accepted_methods(callback) or [])}
    covered = {case.name for case in CASES} | ACTIONS | UPLOAD_ONLY
    assert not posting - covered, f"views accepting POST without a fuzz case: {sorted(posting - covered)}"
    assert not covered - posting, f"fuzz cases for views that no longer accept POST: {sorted(covered - posting)}"
