"""The Temuan page and its downloads: who may see it, and the same numbers in every format."""

import csv
import io
import json

import pytest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

QUERY = {"period": "range", "date_from": "2022-01-01", "date_to": "2023-12-31", "horizon": "6"}


def test_kasi_opens_temuan_with_the_default_period(login, kasi_a):
    """The five full years before this one, in the office's own date."""
    response = login(kasi_a).get(reverse("reports:evidence"), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    year = timezone.localdate(timezone=kasi_a.office.tzinfo).year
    page = response.content.decode()
    assert "Temuan" in page and f"1 Januari {year - 5} – 31 Desember {year - 1}" in page


@pytest.mark.parametrize("who", ["alice", "kasubsi_a", "admin_a"])
def test_other_office_roles_may_not(request, login, who):
    user = request.getfixturevalue(who)
    assert login(user).get(reverse("reports:evidence")).status_code == 403
    assert login(user).get(reverse("reports:evidence_download", args=["json"])).status_code == 403


def test_anonymous_goes_to_sign_in(client, settings):
    response = client.get(reverse("reports:evidence"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_another_office_is_404_for_office_staff(login, kasi_a, office_b):
    response = login(kasi_a).get(reverse("reports:evidence"), {**QUERY, "office": office_b.code})
    assert response.status_code == 404


def test_wrong_method_is_405(login, kasi_a):
    assert login(kasi_a).post(reverse("reports:evidence")).status_code == 405


def test_unknown_format_is_404(login, kasi_a):
    assert login(kasi_a).get(reverse("reports:evidence_download", args=["doc"]), QUERY).status_code == 404


def test_national_viewer_sees_all_offices_pooled_without_names(login, rita, world):
    response = login(rita).get(reverse("reports:evidence"), QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    for client in world["clients"]:
        assert client.name not in page
    data = json.loads(login(rita).get(reverse("reports:evidence_download", args=["json"]), QUERY).content)
    assert data["office"] is None
    assert data["outcome"]["participants"] == 5  # office A's four participations and office B's one


def test_regional_viewer_sees_its_regions_offices_pooled_and_nothing_beyond(login, kartika, region_b, world):
    """Kanwil of region A: office A's participations only, pooled; office B or region B is 404."""
    client = login(kartika)
    page = client.get(reverse("reports:evidence"), QUERY, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'id="evidence-region"' in page and "Kantor Wilayah Banten" in page
    for person in world["clients"]:
        assert person.name not in page
    data = json.loads(client.get(reverse("reports:evidence_download", args=["json"]), QUERY).content)
    assert (data["office"], data["region"]) == (None, "BANTEN")
    assert data["outcome"]["participants"] == 4  # office B's one participation is another region's
    office_b = world["clients"][-1].office
    assert client.get(reverse("reports:evidence"), {**QUERY, "office": office_b.code}).status_code == 404
    assert client.get(reverse("reports:evidence"), {**QUERY, "region": "KALTIM"}).status_code == 404
    assert (
        client.get(reverse("reports:evidence_download", args=["json"]), {**QUERY, "region": "KALTIM"}).status_code
        == 404
    )


def test_regional_viewer_may_read_the_national_answer_without_any_office(login, kartika, region_b, world):
    """The pooled national answer (every office) is aggregates only: the Kanwil may read it; an office
    of another region stays a 404 even so."""
    client = login(kartika)
    data = json.loads(
        client.get(reverse("reports:evidence_download", args=["json"]), {**QUERY, "pool": "national"}).content
    )
    assert (data["office"], data["region"], data["outcome"]["participants"]) == (None, None, 5)
    page = client.get(reverse("reports:evidence"), {**QUERY, "pool": "national"}, HTTP_ACCEPT_LANGUAGE="id")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="evidence-region"' not in body and "Semua kantor" in body
    for person in world["clients"]:
        assert person.name not in body
    office_b = world["clients"][-1].office
    assert (
        client.get(reverse("reports:evidence"), {**QUERY, "pool": "national", "office": office_b.code}).status_code
        == 404
    )
    # a link naming only the pool gets the default period, not an error
    only_pool = client.get(reverse("reports:evidence"), {"pool": "national"})
    assert only_pool.status_code == 200 and only_pool.context["form"].is_valid()


def test_national_viewer_may_pick_a_region(login, rita, region_a, region_b, world):
    client = login(rita)
    by_region = json.loads(
        client.get(reverse("reports:evidence_download", args=["json"]), {**QUERY, "region": "KALTIM"}).content
    )
    assert (by_region["region"], by_region["outcome"]["participants"]) == ("KALTIM", 1)
    pooled = json.loads(client.get(reverse("reports:evidence_download", args=["json"]), QUERY).content)
    assert (pooled["region"], pooled["outcome"]["participants"]) == (None, 5)


def test_the_command_pools_a_region(region_a, region_b, world, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "temuan-kaltim.json"
    call_command("report", "evidence", "--region", "KALTIM", "--from", "2022-01-01", "--to", "2023-12-31",
                 "--format", "json", "--output", str(out), stderr=io.StringIO())  # fmt: skip
    data = json.loads(out.read_text())
    assert (data["office"], data["region"], data["outcome"]["participants"]) == (None, "KALTIM", 1)


@pytest.fixture
def study(office_a):
    from tests.reports.evidence_world import build_study

    return build_study(office_a)


STUDY = {"period": "range", "date_from": "2023-01-01", "date_to": "2023-12-31", "horizon": "6", "signer": "kasi"}


def test_the_numbers_agree_across_page_pdf_xlsx_csv_and_json(login, kasi_a, study):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    client = login(kasi_a)
    page = client.get(reverse("reports:evidence"), STUDY).content.decode()
    data = json.loads(client.get(reverse("reports:evidence_download", args=["json"]), STUDY).content)
    method = next(r for r in data["factors"] if r["factor"] == "method" and r["level"] == "PRAKTIK")
    assert method["verdict"] == "HIGHER"
    shown = "{:+d} ({:+d} … {:+d})".format(
        *(round(method[k] * 100) for k in ("difference", "difference_low", "difference_high"))
    )
    rate = f"{round(data['outcome']['rate'] * 100)}%"

    assert shown in page and rate in page
    pdf = PdfReader(io.BytesIO(client.get(reverse("reports:evidence_download", args=["pdf"]), STUDY).content))
    assert len(pdf.pages) == 2
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert shown in text and rate in text
    assert "\n".join(data["findings"][:1])[:60] in text.replace("\n", " ")

    rows = list(csv.DictReader(io.StringIO(
        client.get(reverse("reports:evidence_download", args=["csv"]), STUDY).content.decode("utf-8-sig"))))  # fmt: skip
    csv_row = next(r for r in rows if r["factor"] == "method" and r["level"] == "PRAKTIK")
    assert float(csv_row["difference"]) == method["difference"]
    assert (float(csv_row["difference_low"]), float(csv_row["difference_high"])) == (
        method["difference_low"], method["difference_high"])  # fmt: skip
    assert csv_row["verdict"] == "HIGHER" and int(csv_row["sessions"]) == method["sessions"]

    book = load_workbook(io.BytesIO(client.get(reverse("reports:evidence_download", args=["xlsx"]), STUDY).content))
    sheet = book["Faktor"]
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    xlsx_row = next(r for r in cells if r["Tingkat"] == "praktik langsung")
    assert xlsx_row["Selisih"] == method["difference"]
    assert xlsx_row["Kesimpulan"] == "Lebih tinggi"


def test_national_page_waits_for_the_worker_then_says_from_when(login, rita, study, settings):
    from bapas.data_version import bump_offices
    from reports.evidence import cache

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}  # fmt: skip
    caches_clear()
    client = login(rita)
    assert 'id="evidence-pending"' in client.get(reverse("reports:evidence"), STUDY).content.decode()
    cache.refresh_evidence.call(None, "2023-01-01", "2023-12-31", 6, today_iso())  # what the worker does
    page = client.get(reverse("reports:evidence"), STUDY).content.decode()
    assert 'id="computed-at"' in page and "evidence-pending" not in page
    assert "Data sudah berubah" not in page
    bump_offices([study[0].office_id])  # an office's data changed: the last result is shown, marked
    page = client.get(reverse("reports:evidence"), STUDY).content.decode()
    assert "Data sudah berubah" in page and 'id="computed-at"' in page


def caches_clear():
    from django.core.cache import caches

    caches["reports"].clear()


def today_iso():
    from django.utils import timezone

    return timezone.localdate().isoformat()


def test_the_command_writes_the_same_json_and_knows_the_horizon(login, kasi_a, study, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "temuan.json"
    call_command("report", "evidence", "--office", "TNG", "--from", "2023-01-01", "--to", "2023-12-31",
                 "--horizon", "6", "--format", "json", "--output", str(out), stderr=io.StringIO())  # fmt: skip
    from_command = json.loads(out.read_text())
    from_page = json.loads(login(kasi_a).get(reverse("reports:evidence_download", args=["json"]), STUDY).content)
    assert from_command == from_page
    assert from_command["horizon_months"] == 6 and from_command["report"] == "evidence"
    with pytest.raises(CommandError):
        call_command("report", "participation", "--year", "2023", "--horizon", "6", "--format", "json")
    with pytest.raises(CommandError):
        call_command("report", "evidence", "--year", "2023", "--horizon", "9", "--format", "json")


def test_dashboard_links_to_temuan_and_orders_groups_by_size_not_rate(login, kasi_a, rita):
    from reports.charts import rate_bars_by_size

    page = login(kasi_a).get(reverse("reports:dashboard_office")).content.decode()
    assert 'id="evidence-link"' in page and reverse("reports:evidence") in page
    assert reverse("reports:evidence") in login(rita).get(reverse("reports:dashboard_regional")).content.decode()
    rows = [
        {"training_type": "Pembuatan Seblak", "rate": 1.0, "followed_up": 3},
        {"training_type": "Barista", "rate": 0.0, "followed_up": 40},
        {"training_type": "Make-Up Artis", "rate": 0.33, "followed_up": 15},
    ]
    bars = rate_bars_by_size(rows, "training_type")
    assert [b.label for b in bars] == ["Barista", "Make-Up Artis", "Pembuatan Seblak"]
    assert [b.weak for b in bars] == [False, False, True]


def test_precompute_fills_the_national_page(login, rita, study, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}  # fmt: skip
    caches_clear()
    out = io.StringIO()
    call_command("precompute_evidence", stdout=out)
    assert "3 results" in out.getvalue()  # no office has a region: all offices, three horizons
    page = login(rita).get(reverse("reports:evidence")).content.decode()  # the default period
    assert 'id="computed-at"' in page and "evidence-pending" not in page


def test_precompute_fills_each_regions_page_too(login, kartika, rita, region_b, study, settings):
    from django.core.management import call_command

    from reports.evidence import cache

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}  # fmt: skip
    caches_clear()
    assert 'id="evidence-pending"' in login(kartika).get(reverse("reports:evidence")).content.decode()
    out = io.StringIO()
    call_command("precompute_evidence", stdout=out)
    assert "9 results" in out.getvalue()  # all offices, BANTEN and KALTIM; three horizons each
    page = login(kartika).get(reverse("reports:evidence")).content.decode()
    assert 'id="computed-at"' in page and "evidence-pending" not in page and 'id="evidence-region"' in page
    date_from, date_to = cache.default_period(timezone.localdate())
    default = {"period": "range", "date_from": date_from, "date_to": date_to, "horizon": "12", "region": "BANTEN"}
    page = login(rita).get(reverse("reports:evidence"), default).content.decode()
    assert 'id="computed-at"' in page and "evidence-pending" not in page
