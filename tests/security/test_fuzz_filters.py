"""Hostile query strings on every page that answers GET: report filters, list filters, paging.

Every GET URL of the project (discovered, as in the permission matrix) is opened by a user the
matrix lets through, with one to four hostile parameters: the names of the page's own GET forms
(report period, office, partner, dates; list search and filters) and the common ones (page,
after, before, format, next, version, ...). Never a server error, never an unescaped probe in a
page, and a GET writes nothing (reads may be logged). The certificate check also gets hostile
certificate numbers in its path.

Besides the discovered pages (one URL each), every list export (one per kind of workbook/lists.EXPORTS)
and every report (one per dataset, page and CSV download) is fuzzed with the fields of its own filter
form, so a new list, report or filter parameter is fuzzed without a new case. A page that offers an
XLSX export must filter with the export's form (same parameter names): the page and its file agree.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client as DjangoClient
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from reports.datasets import DATASETS, REPORT_FILTERS
from reports.forms import ReportFilterForm
from tests.security import fuzz_support as fz
from tests.security import matrix
from tests.security.test_fuzz_forms import FUZZ, world  # noqa: F401
from tests.security.test_permission_matrix import accepted_methods, discover, url_kwargs

pytestmark = pytest.mark.django_db

COMMON = [
    "page",
    "after",
    "before",
    "q",
    "format",
    "next",
    "version",
    "download",
    "month",
    "year",
    "period",
    "office",
    "status",
    "kind",
    "date_from",
    "date_to",
]
# Not fuzzed here: the health check has no parameters; a certificate batch is a PDF of every
# participant (seconds each; its one parameter-free page is in the permission matrix).
SKIPPED = {"healthz", "certificates_pdf"}
EXAMPLES = 8
# Defects found here in views this test may not change, left to their owners: {URL name:
# (parameter, value)}. The parameter is kept out of the random examples, and
# the test fails once the page no longer breaks, so that the entry is removed.
KNOWN_DEFECTS: dict = {}  # name -> (parameter, value) still giving a 500; empty: none known
# "²" and "٣" are digits to str.isdigit() (int() refuses the first); 99999 is a year datetime refuses
NASTY = ["nul\x00byte", "²", "٣", "99999", "-1", "0", str(10**30), "9999-99", "2023-02-31", fz.SCRIPT, ""]


def get_pages():
    return sorted(
        name
        for name, (_r, _c, callback) in discover().items()
        if "GET" in (accepted_methods(callback) or ["GET"]) and name not in SKIPPED
    )


def _user_for(name) -> str:
    outcomes = matrix.EXPECTED[name]["GET"]
    for who in (*matrix.A_USERS, *matrix.VIEWERS, "anonymous"):
        if outcomes[who] == matrix.OK:
            return who
    raise AssertionError(f"{name}: nobody may open it")


def _get_form_fields(html: str) -> list[str]:
    names = []
    for form in fz.rendered_forms(html):
        if form["method"] == "get":
            names += [name for name, _value, _kind in form["fields"]]
    return names


def _fuzz(client, name, target, keys):
    """Random hostile values in one to four of ``keys``, then the nastiest values in all of them."""

    @FUZZ.__class__(parent=FUZZ, max_examples=EXAMPLES)
    @given(params=st.dictionaries(st.sampled_from(keys), fz.HOSTILE, min_size=1, max_size=4))
    def run(params):
        before = fz.snapshot()
        response = client.get(target, params)
        assert response.status_code < 500, f"{name}: {response.status_code} for {params!r}"
        if "html" in response.get("Content-Type", "") and not response.streaming:
            body = response.content.decode("utf-8", "replace")
            assert not fz.raw_probes_in(body, params.values()), f"{name}: unescaped probe for {params!r}"
        after = fz.snapshot()
        writes = {k: (before[k], after[k]) for k in after if before.get(k) != after[k]}
        assert not writes, f"{name}: a GET wrote {writes} for {params!r}"

    run()
    # the nastiest values in every parameter at once (NUL: PostgreSQL refuses it in a query too)
    for value in NASTY:
        response = client.get(target, dict.fromkeys(keys, value))
        assert response.status_code < 500, f"{name}: {response.status_code} for every parameter = {value!r}"


def _export_form_fields(kind, user) -> list[str]:
    from workbook.lists import EXPORTS

    request = RequestFactory().get("/")
    request.user = user
    return list(EXPORTS[kind].form(request).fields)


@pytest.mark.parametrize("name", get_pages())
def test_hostile_query_strings_never_break_a_page(world, name):  # noqa: F811
    _route, converters, _callback = discover()[name]
    target = reverse(name, kwargs=url_kwargs(name, converters, world["objects"]))
    client = world["clients"][_user_for(name)]
    first = client.get(target)
    assert first.status_code < 500
    html = first.content.decode("utf-8", "replace") if not first.streaming else ""
    fields = set(_get_form_fields(html))
    for kind in set(re.findall(r'data-export="([\w-]+)"', html)):  # a list page with an XLSX export
        export_fields = set(_export_form_fields(kind, world["people"][_user_for(name)]))
        assert fields <= export_fields, f"{name} filters with {fields - export_fields} that its export ignores"
    keys = sorted(fields | set(COMMON))
    known = KNOWN_DEFECTS.get(name)
    if known:
        keys.remove(known[0])
        still_broken = DjangoClient(raise_request_exception=False)
        still_broken.force_login(world["people"][_user_for(name)], backend="django.contrib.auth.backends.ModelBackend")
        assert still_broken.get(target, {known[0]: known[1]}).status_code == 500, (
            f"{name} no longer breaks on {known}: remove it from KNOWN_DEFECTS"
        )
    _fuzz(client, name, target, keys)


def _export_kinds():
    from workbook.lists import EXPORTS

    return sorted(EXPORTS)


# Values that answered 500 before the exports read the list pages' forms, in every parameter.
FORMER_500 = ["²", "0", "99999999999999999999", "2023-02-31", "2023-13-01"]


@pytest.mark.parametrize("kind", _export_kinds())
def test_hostile_filters_never_break_a_list_export(world, kind):  # noqa: F811
    """Every export kind, with every field of its filter form (the Kasi may download every list)."""
    user = "kasi_a"
    target = reverse("workbook:export_list", args=[kind])
    fields = _export_form_fields(kind, world["people"][user])
    assert fields, f"the {kind} export has no filter form fields"
    client = world["clients"][user]
    for value in FORMER_500:
        for field in fields:
            response = client.get(target, {field: value})
            assert response.status_code == 200, f"{kind}: {response.status_code} for {field}={value!r}"
    _fuzz(client, f"export {kind}", target, sorted({*fields, "page", "format", "next"}))


def _report_cases():
    return [(report, url) for report in sorted(DATASETS) for url in ("reports:report", "reports:download")]


@pytest.mark.parametrize(("report", "url_name"), _report_cases())
@pytest.mark.parametrize("who", ["kasi_a", "regional"])
def test_hostile_filters_never_break_a_report(world, report, url_name, who):  # noqa: F811
    """Every report, its page and its CSV, with every field of its filter form (office for the regional viewer)."""
    args = [report] if url_name == "reports:report" else [report, "csv"]
    target = reverse(url_name, args=args)
    fields = list(ReportFilterForm(user=world["people"][who], filters=REPORT_FILTERS[report]).fields)
    assert {"period", "year", "date_from", "date_to"} <= set(fields)
    _fuzz(world["clients"][who], f"{url_name} {report}", target, sorted({*fields, *COMMON}))


def test_hostile_certificate_numbers(world):  # noqa: F811
    anonymous = DjangoClient()

    @FUZZ
    @given(number=fz.HOSTILE.filter(lambda s: s != ""))
    def run(number):
        path = reverse("trainings:certificate_check_number", args=["0"])[: -len("0/")] + quote(number, safe="") + "/"
        response = anonymous.get(path)
        assert response.status_code < 500, f"{response.status_code} for {number!r}"
        body = response.content.decode("utf-8", "replace")
        assert not fz.raw_probes_in(body, [number]), f"unescaped probe for {number!r}"

    run()


def test_hostile_certificate_checks(world, settings):  # noqa: F811
    settings.CERTIFICATE_CHECK_LIMIT = 10_000
    anonymous = DjangoClient()
    target = reverse("trainings:certificate_check")

    @FUZZ
    @given(number=fz.HOSTILE, name=fz.HOSTILE)
    def run(number, name):
        response = anonymous.post(target, {"number": number, "name": name})
        assert response.status_code < 500, f"{response.status_code} for {number!r} / {name!r}"
        body = response.content.decode("utf-8", "replace")
        assert not fz.raw_probes_in(body, [number, name]), f"unescaped probe for {number!r} / {name!r}"

    run()
