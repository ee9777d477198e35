"""The permission matrix: every URL of the project, every role of two offices, every method.

URL patterns are discovered from the resolver (not a hand-kept list); the expected outcome of
each (URL name, user, method) comes from tests/security/matrix.py. A URL name missing from
the table fails the test, so a new view must be added there. Each request runs in a savepoint
that is rolled back, so an allowed POST (archive, deactivate ...) cannot change what the next
request sees.
"""

import copy
import datetime as dt
import inspect
import time
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client as DjangoClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bapas.models import Region, Role
from clients.models import ExcusedAbsence, ReportingWarning, RevocationProposal, TPPCase, TPPSession, Transfer
from pokmaslipas.models import Level
from reports.models import GeneratedFile
from tests.factories import (
    AgreementFactory,
    AttendanceFactory,
    ClientFactory,
    EnrolmentFactory,
    FollowUpFactory,
    OfficeFactory,
    PartnerFactory,
    ReportingVisitFactory,
    TrainingSessionFactory,
    UserFactory,
)
from tests.pokmaslipas.conftest import make_pdf_bytes
from tests.security import matrix
from workbook.models import ImportJob

SKIPPED_NAMESPACES = {"admin"}
SKIPPED_PREFIXES = ("django-admin/", "i18n/", "static/")
PDF = make_pdf_bytes()  # a real one-page PDF: scans are parsed (pokmaslipas.validators)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\x8f\xb1\x00\x00\x00\x00IEND\xaeB`\x82"
)


# --- discovery ---------------------------------------------------------------------------------


def discover(patterns=None, prefix="", namespace=None):
    """Every named URL of the project: {name: (route, converters, callback)}; admin, i18n, static skipped."""
    found = {}
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            full_ns = ":".join(filter(None, [namespace, ns]))
            found.update(discover(entry.url_patterns, route, full_ns or None))
        elif isinstance(entry, URLPattern):
            if not entry.name:
                raise AssertionError(f"URL pattern {route!r} has no name: the matrix cannot key it")
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            found[name] = (route, dict(entry.pattern.converters), entry.callback)
    return found


def accepted_methods(callback):
    """The methods a view accepts, read from require_http_methods/require_GET/POST or a class view."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        allowed = [m.upper() for m in view_class.http_method_names if hasattr(view_class, m) and m != "options"]
        return sorted(set(allowed) & {"GET", "POST"})
    func = callback
    while func is not None:
        if func.__closure__:
            methods = inspect.getclosurevars(func).nonlocals.get("request_method_list")
            if methods is not None:
                return sorted(
                    set(methods) & {"GET", "POST"} | ({"GET"} if "HEAD" in methods and not methods else set())
                )
        func = getattr(func, "__wrapped__", None)
    return None  # no method decorator: the view accepts everything


# --- the two offices -----------------------------------------------------------------------------


def build_world():
    """Real objects of office A (and a mirror in office B) and the staff of both offices."""
    region_a = Region.objects.create(code="BANTEN", name="Kantor Wilayah Banten", province="Banten")
    region_b = Region.objects.create(code="KALTIM", name="Kantor Wilayah Kalimantan Timur", province="Kaltim")
    a = OfficeFactory(code="TNG", name="Bapas Kelas I Tangerang", city="Tangerang", region=region_a)
    b = OfficeFactory(code="BPN", name="Bapas Kelas II Balikpapan", city="Balikpapan", region=region_b)
    people = {
        "pk_owner_a": UserFactory(username="alice", role=Role.PK, office=a),
        "pk_other_a": UserFactory(username="paula", role=Role.PK, office=a),
        "kasubsi_a": UserFactory(username="kasubsi_a", role=Role.KASUBSI, office=a),
        "kasi_a": UserFactory(username="kasi_a", role=Role.KASI, office=a),
        "kabapas_a": UserFactory(username="kabapas_a", role=Role.KABAPAS, office=a),
        "admin_a": UserFactory(username="admin_a", role=Role.ADMIN, office=a),
        "pk_b": UserFactory(username="bob", role=Role.PK, office=b),
        "kasubsi_b": UserFactory(username="kasubsi_b", role=Role.KASUBSI, office=b),
        "kasi_b": UserFactory(username="kasi_b", role=Role.KASI, office=b),
        "kabapas_b": UserFactory(username="kabapas_b", role=Role.KABAPAS, office=b),
        "admin_b": UserFactory(username="admin_b", role=Role.ADMIN, office=b),
        "regional": UserFactory(username="rita", role=Role.REGIONAL, office=None, region=region_a),
        "regional_b": UserFactory(username="karim", role=Role.REGIONAL, office=None, region=region_b),
        "national": UserFactory(username="nadia", role=Role.NATIONAL, office=None),
        "regional_admin": UserFactory(username="rudi", role=Role.REGIONAL_ADMIN, office=None, region=region_a),
        "national_admin": UserFactory(username="nina", role=Role.NATIONAL_ADMIN, office=None),
    }
    objects = {"a": _office_objects(a, people["pk_owner_a"], people["admin_a"], "A")}
    objects["b"] = _office_objects(b, people["pk_b"], people["admin_b"], "B")
    # an open transfer out of office A (to withdraw) and one from office B into A (to decide)
    objects["a"]["transfer_out"] = _transfer(objects["a"]["client"], a, b, people["pk_owner_a"])
    objects["a"]["transfer_in"] = _transfer(objects["b"]["client"], b, a, people["pk_b"])
    objects["a"]["staff"] = UserFactory(username="staff_target_a", role=Role.PK, office=a)
    for tag, owner in (
        ("national", {"level": Level.NATION}),
        ("regional", {"level": Level.REGION, "region": region_a}),
        ("other_region", {"level": Level.REGION, "region": region_b}),
    ):
        partner = PartnerFactory(office=None, code=f"{tag.upper()}-1", **owner)
        agreement = AgreementFactory(partner=partner, number=f"PKS/{tag.upper()}/1")
        agreement.document.save("pks.pdf", ContentFile(PDF), save=True)
        objects["a"][f"{tag}_partner"], objects["a"][f"{tag}_agreement"] = partner, agreement
    return people, objects["a"]


def _transfer(client, from_office, to_office, user):
    return Transfer.objects.create(
        client=client,
        from_office=from_office,
        to_office=to_office,
        transfer_date=timezone.localdate(),
        reason="Pindah domisili",
        letter_number="W.PAS-1",
        proposed_by=user,
    )


def _office_objects(office, pk_user, admin, tag):
    client = ClientFactory(
        office=office,
        officer=pk_user,
        name=f"Klien Rahasia {tag}",
        nik="3671010190000011" if tag == "A" else "6471010190000022",
        register_number=f"PAS.RAHASIA.{tag}/2026",
        address=f"Jl. Rahasia {tag} No. 7",
    )
    ReportingVisitFactory(client=client)
    warning = ReportingWarning.objects.create(
        client=client,
        level=ReportingWarning.Level.SP1,
        issued_on=dt.date(2026, 1, 10),
        reason="Tidak lapor",
        issued_by=pk_user,
    )
    excuse = ExcusedAbsence.objects.create(
        client=client,
        date_from=timezone.localdate() - dt.timedelta(days=60),
        date_to=timezone.localdate() - dt.timedelta(days=50),
        kind=ExcusedAbsence.Kind.ILLNESS,
        reason="Sakit",
    )
    excuse.evidence.save("izin.pdf", ContentFile(PDF), save=True)
    tpp_session = TPPSession.objects.create(office=office, date=timezone.localdate(), state=TPPSession.State.HELD)
    tpp_session.members.set([pk_user])
    tpp_session.attendees.set([pk_user])
    tpp_case = TPPCase.objects.create(
        session=tpp_session, client=client, findings="Tidak lapor", recommendation=TPPCase.Recommendation.REVOKE
    )
    proposal = RevocationProposal.objects.create(client=client, tpp_case=tpp_case, suspended_on=timezone.localdate())
    partner = PartnerFactory(office=office)
    agreement = AgreementFactory(partner=partner)
    agreement.document.save("pks.pdf", ContentFile(PDF), save=True)
    session = TrainingSessionFactory(
        office=office, partner=partner, start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 6)
    )
    enrolment = EnrolmentFactory(
        session=session,
        client=client,
        certificate_number=f"CERT/{tag}/0001",
        certificate_issued_at=timezone.now(),
        certificate_token=f"token-{tag}-" + "x" * 40,
    )
    AttendanceFactory(enrolment=enrolment)
    follow_up = FollowUpFactory(enrolment=enrolment)
    follow_up.photo.save("bukti.png", ContentFile(PNG), save=True)
    generated = GeneratedFile.objects.create(
        user=pk_user,
        office=office,
        kind=GeneratedFile.Kind.PARTICIPATION,
        status=GeneratedFile.Status.DONE,
        filename="rekap.csv",
        content_type="text/csv",
        title="Rekap",
    )
    generated.file.save("rekap.csv", ContentFile(b"a,b\n1,2\n"), save=True)
    job = ImportJob.objects.create(office=office, created_by=admin, filename="impor.xlsx", size=10)
    return {
        "client": client, "partner": partner, "agreement": agreement, "session": session,
        "enrolment": enrolment, "follow_up": follow_up, "generated": generated, "job": job, "warning": warning,
        "excuse": excuse, "tpp_session": tpp_session, "proposal": proposal,
    }  # fmt: skip


def url_kwargs(name, converters, objects, variant=None):
    """Arguments of a URL pattern, resolved with the objects of office A."""
    return {
        key: matrix.pk_for(name, objects)
        if key == "pk" and "pk" not in (variant or {})
        else matrix.resolve_arg(key, objects, variant)
        for key in converters
    }


def outcome(response):
    """200, 403, 404, 405, "login" (302 to sign-in), "redirect" (302 elsewhere) or the raw status."""
    if response.status_code in (301, 302, 303):
        path = urlsplit(response["Location"]).path
        return "login" if path == reverse("login") else "redirect"
    return response.status_code


def request(client, method, url):
    """One request in a rolled-back savepoint; the client keeps its session even after a logout."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast set-up
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def test_every_url_has_an_entry_and_its_methods_match():
    urls = discover()
    missing = sorted(set(urls) - set(matrix.EXPECTED))
    assert not missing, f"URL names without an entry in tests/security/matrix.py: {missing}"
    stale = sorted(set(matrix.EXPECTED) - set(urls))
    assert not stale, f"entries in tests/security/matrix.py for URL names that no longer exist: {stale}"
    wrong = {}
    for name, (_route, _conv, callback) in urls.items():
        methods = accepted_methods(callback)
        if methods is None and name in matrix.NO_METHOD_DECORATOR:
            continue
        declared = sorted(matrix.EXPECTED[name])
        if methods != declared:
            wrong[name] = (methods, declared)
    assert not wrong, f"views whose accepted methods differ from the matrix (view, matrix): {wrong}"


def signed_in_clients(people):
    clients = {"anonymous": DjangoClient(raise_request_exception=False)}
    for key, user in people.items():
        clients[key] = DjangoClient(raise_request_exception=False)
        clients[key].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return clients


PARTS = 4  # the URL names in four interleaved parts, so that parallel test workers share the matrix


@pytest.mark.django_db
@pytest.mark.parametrize("part", range(PARTS))
def test_permission_matrix(private_storage, part):
    people, objects = build_world()
    urls = discover()
    clients = signed_in_clients(people)
    names = sorted(urls)[part::PARTS]
    assert names

    mismatches, checked, timings = [], 0, {}
    for name in names:
        _route, converters, _callback = urls[name]
        cases = [(None, matrix.EXPECTED[name])]
        cases += [(variant, entry or matrix.EXPECTED[name]) for variant, entry in matrix.VARIANTS.get(name, [])]
        for variant, entry in cases:
            url = reverse(name, kwargs=url_kwargs(name, converters, objects, variant))
            for method in sorted(entry):
                for who, client in clients.items():
                    started = time.monotonic()
                    got = outcome(request(client, method, url))
                    timings[name] = timings.get(name, 0) + time.monotonic() - started
                    want = entry[method][who]
                    checked += 1
                    if variant is None and matrix.KNOWN_DEVIATIONS.get((name, method, who), object()) == got:
                        continue  # a recorded defect (see test_known_deviations_are_still_wrong)
                    if not matrix.matches(got, want):
                        mismatches.append(f"{name} {method} {url} as {who}: got {got}, expected {want}")
            if name in matrix.NO_METHOD_DECORATOR:
                continue
            for other in {"GET", "POST"} - set(entry):  # a method the view does not accept
                got = outcome(request(clients["admin_a"], other, url))
                checked += 1
                if got != 405:
                    mismatches.append(f"{name} {other} {url} as admin_a: got {got}, expected 405")
    print(f"permission matrix, part {part}: {len(names)} of {len(urls)} URL names, {checked} requests")
    print("slowest:", sorted(timings.items(), key=lambda item: -item[1])[:5])
    assert checked >= len(names) * len(clients)
    assert not mismatches, f"{len(mismatches)} of {checked} requests differ from the matrix:\n" + "\n".join(mismatches)


def _text_of(response) -> str:
    """The readable text of a page or download (HTML, JSON, CSV, XLSX cells, PDF text)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "pdf" in content_type:
        import io

        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in content_type:
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    return body.decode("utf-8", "replace")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["regional", "regional_admin", "national_admin"])
def test_regional_viewer_never_sees_personal_data(private_storage, who):
    """Every page and download the regional viewer (or an Admin Kanwil or Ditjenpas) may open, every
    report in every format."""
    from reports.datasets import DATASETS
    from reports.exports import FORMATS

    people, objects = build_world()
    rita = signed_in_clients({who: people[who]})[who]
    from clients.models import Client

    secrets = [
        value
        for client in Client.objects.all()
        for value in (client.name, client.nik, client.register_number, client.address)
        if value
    ]
    assert len(secrets) == 8  # two clients, four identifying values each

    urls = discover()
    targets = []
    for name, (_route, converters, _cb) in urls.items():
        if matrix.EXPECTED[name].get("GET", {}).get(who) == matrix.OK and name not in matrix.PUBLIC_BY_DESIGN:
            targets.append(reverse(name, kwargs=url_kwargs(name, converters, objects)))
        for variant, entry in matrix.VARIANTS.get(name, []):  # the scope admins' own records
            if who != "regional" and (entry or {}).get("GET", {}).get(who) == matrix.OK:
                targets.append(reverse(name, kwargs=url_kwargs(name, converters, objects, variant)))
    reports = []
    for report in DATASETS:
        for query in ("", "?office=TNG"):
            reports.append(reverse("reports:report", args=[report]) + query)
            reports += [reverse("reports:download", args=[report, fmt]) + query for fmt in FORMATS]
    if who != "regional":  # the Admin Kanwil and Admin Ditjenpas get no report at all
        assert {rita.get(url).status_code for url in reports} == {403}
        reports = []
    targets += reports
    assert len(targets) > (2 * len(DATASETS) * len(FORMATS) if who == "regional" else 6)

    leaks, opened = [], 0
    for url in targets:
        response = rita.get(url)
        if response.status_code in (302, 400):
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        opened += 1
        text = _text_of(response)
        leaks += [f"{url}: {secret!r}" for secret in secrets if secret in text]
    assert opened >= (len(DATASETS) * len(FORMATS) if who == "regional" else 6)
    assert not leaks, "personal data shown to the regional viewer:\n" + "\n".join(leaks)
