import csv
import datetime as dt
import io
import json

import pytest
from django.http import HttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from bapas.models import AccessLog
from reports.models import GeneratedFile
from tests.reports.test_exports import pdf_text

pytestmark = pytest.mark.django_db

RANGE = {"period": "range", "date_from": "2022-01-01", "date_to": "2023-12-31"}


def fetch(client, url, params):
    """A download; a long one is made in the background (immediate in tests) and fetched from there."""
    response = client.get(url, params)
    if response.status_code == 302 and "/berkas/" in response["Location"]:
        pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
        streamed = client.get(reverse("reports:generated_download", args=[pk]))
        assert streamed.status_code == 200
        response = HttpResponse(b"".join(streamed.streaming_content), content_type=streamed["Content-Type"])
        response.request = streamed.request
    return response


def report_url(name="participation"):
    return reverse("reports:report", args=[name])


def download_url(name, fmt):
    return reverse("reports:download", args=[name, fmt])


# --- index and report pages ----------------------------------------------------------------------


def test_index_lists_the_reports(login, kasi_a):
    response = login(kasi_a).get(reverse("reports:index"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("participation", "implementation", "compliance", "agreements"):
        assert report_url(name) in body


def test_index_anonymous_and_method(client, login, kasi_a):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert login(kasi_a).post(reverse("reports:index")).status_code == 405


@pytest.mark.parametrize("name", ["participation", "implementation", "compliance", "agreements"])
def test_report_page_works_for_the_office(world, login, kasi_a, name):
    response = login(kasi_a).get(report_url(name), RANGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "report-table" in body or "Tidak ada baris" in body
    for fmt in ("json", "csv", "xlsx", "pdf"):
        assert download_url(name, fmt) in body
    assert "style=" not in body.split("<main", 1)[1]  # the CSP forbids inline styles


def test_participation_page_shows_the_numbers(world, login, kasi_a):
    body = login(kasi_a).get(report_url(), RANGE).content.decode()
    assert "PLT-S1" in body and "Mitra Salon Cantik" in body and "77,8%" in body and "4.900.000" in body
    assert "<svg" in body


def test_report_of_another_office_is_404(world, login, kasi_a, rita):
    assert login(kasi_a).get(report_url(), {**RANGE, "office": "BPN"}).status_code == 404
    assert login(rita).get(report_url(), {**RANGE, "office": "NOPE"}).status_code == 404
    assert login(kasi_a).get(reverse("reports:report", args=["salaries"])).status_code == 404


def test_report_anonymous_and_wrong_method(client, login, kasi_a):
    assert client.get(report_url()).status_code == 302
    assert login(kasi_a).post(report_url()).status_code == 405
    assert login(kasi_a).post(download_url("participation", "csv")).status_code == 405


def test_pk_sees_only_own_caseload(world, login, alice):
    response = login(alice).get(download_url("participation", "json"), RANGE)
    data = json.loads(response.content)
    assert data["totals"]["participants"] == 3  # c2 belongs to Paula
    assert data["filters"] == {"officer": "alice"}


def test_bad_periods_give_clear_errors(world, login, kasi_a):
    client = login(kasi_a)
    response = client.get(report_url(), {"period": "range", "date_from": "2023-05-01", "date_to": "2023-01-01"})
    assert response.status_code == 400
    assert "Akhir periode tidak boleh sebelum awalnya." in response.content.decode()
    response = client.get(report_url(), {"period": "range", "date_from": "2010-01-01", "date_to": "2023-01-01"})
    assert response.status_code == 400
    assert "Periode tidak boleh lebih dari 10 tahun." in response.content.decode()
    response = client.get(download_url("participation", "csv"), {"period": "range", "date_from": "2023-05-01"})
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "Isi tanggal awal dan akhir periode." in follow.content.decode()


def test_empty_period_is_an_empty_report(world, login, kasi_a):
    response = login(kasi_a).get(report_url(), {"period": "year", "year": "2015"})
    assert response.status_code == 200
    assert "Tidak ada data pada periode ini" in response.content.decode()


def test_quarter_and_month_periods(world, login, kasi_a):
    client = login(kasi_a)
    data = json.loads(
        client.get(download_url("participation", "json"), {"period": "quarter", "year": "2023", "quarter": "2"}).content
    )
    assert (data["from"], data["to"], data["totals"]["sessions"]) == ("2023-04-01", "2023-06-30", 1)
    data = json.loads(
        client.get(download_url("participation", "json"), {"period": "month", "year": "2022", "month": "3"}).content
    )
    assert (data["from"], data["to"], data["totals"]["participants"]) == ("2022-03-01", "2022-03-31", 2)


def test_partner_filter_limited_to_own_office(world, login, kasi_b):
    response = login(kasi_b).get(report_url(), {**RANGE, "partner": world["kopi"].pk})
    assert response.status_code == 400  # not a choice for office B


# --- downloads -------------------------------------------------------------------------------


def test_downloads_in_four_formats_agree(world, login, kasi_a):
    client = login(kasi_a)
    as_json = json.loads(client.get(download_url("participation", "json"), RANGE).content)
    csv_response = client.get(download_url("participation", "csv"), RANGE)
    assert csv_response["Content-Type"].startswith("text/csv")
    assert (
        csv_response["Content-Disposition"] == 'attachment; filename="rekap-partisipasi-tng-2022-01-01-2023-12-31.csv"'
    )
    csv_rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert [r["code"] for r in csv_rows] == [s["code"] for s in as_json["sessions"]]
    xlsx = fetch(client, download_url("participation", "xlsx"), RANGE)
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert [c.value for c in wb.worksheets[1][2]][:4] == [2, 5, 4, 3]
    pdf = fetch(client, download_url("participation", "pdf"), RANGE)
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert str(as_json["totals"]["unique_clients"]) in text and "77,8%" in text
    assert AccessLog.objects.filter(user=kasi_a, action="report_download", object_id="participation").count() == 4
    assert AccessLog.objects.filter(user=kasi_a, action="generated_download").count() == 2
    totals_csv = client.get(download_url("participation", "csv"), {**RANGE, "table": "by_year"})
    assert totals_csv["Content-Disposition"].endswith('-by-year-tng-2022-01-01-2023-12-31.csv"')
    assert client.get(download_url("participation", "csv"), {**RANGE, "table": "nope"}).status_code == 404


def test_unknown_format_is_404(login, kasi_a):
    assert login(kasi_a).get(download_url("participation", "docx"), RANGE).status_code == 404


def test_long_pdf_goes_to_the_background(world, login, kasi_a):
    client = login(kasi_a)
    response = client.get(
        download_url("participation", "pdf"), {"period": "range", "date_from": "2021-01-01", "date_to": "2023-12-31"}
    )
    generated = GeneratedFile.objects.get(user=kasi_a)
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:generated_detail", args=[generated.pk]
    )
    assert generated.status == GeneratedFile.Status.DONE and generated.progress == 100  # immediate backend in tests
    assert generated.params["office"] == "TNG" and generated.expires_at is not None
    download = client.get(reverse("reports:generated_download", args=[generated.pk]))
    assert download.status_code == 200
    assert "PLT-S2" in pdf_text(b"".join(download.streaming_content))


# --- client card and attendance sheet ------------------------------------------------------------


def test_client_card_for_own_pk_and_leads(world, login, alice, kasi_a, kabapas_a):
    c1 = world["c1"]
    url = reverse("reports:client_card", args=[c1.pk])
    for user in (alice, kasi_a, kabapas_a):
        response = login(user).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Slamet Riyadi" in body and "Pelatihan Make-Up" in body
    assert AccessLog.objects.filter(action="client_card", object_id=str(c1.pk)).count() == 3
    pdf = login(kasi_a).get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Slamet Riyadi" in text and "Halaman 1 dari" in text and "KARTU BIMBINGAN" in text.upper()


def test_client_card_hidden_from_others(world, login, paula, bob, kasi_b, kasubsi_a, rita, client):
    url = reverse("reports:client_card", args=[world["c1"].pk])
    for user in (paula, bob, kasi_b, kasubsi_a, rita):
        assert login(user).get(url).status_code == 404, user
    client.logout()
    assert client.get(url).status_code == 302


def test_client_card_wrong_method(world, login, alice):
    assert login(alice).post(reverse("reports:client_card", args=[world["c1"].pk])).status_code == 405


def test_attendance_sheet(world, login, kasubsi_a, alice):
    s2 = world["s2"]
    url = reverse("reports:attendance_sheet", args=[s2.pk])
    response = login(kasubsi_a).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="sign-cell"') == 2 * 3  # two enrolled, three days
    assert "Sri Wahyuni" in body
    pdf = login(alice).get(url, {"format": "pdf"})
    text = pdf_text(pdf.content)
    assert "DAFTAR HADIR" in text.upper() and "Sri Wahyuni" in text and "19 Jun" in text
    assert AccessLog.objects.filter(action="attendance_sheet").count() == 2


def test_attendance_sheet_access(world, login, kasi_b, rita, kasubsi_a, client):
    url = reverse("reports:attendance_sheet", args=[world["s2"].pk])
    assert login(kasi_b).get(url).status_code == 404
    assert login(rita).get(url).status_code == 404
    assert login(kasubsi_a).post(url).status_code == 405
    client.logout()
    assert client.get(url).status_code == 302


# --- regional viewer: no personal data anywhere ------------------------------------------------------


def _personal_strings(world):
    strings = []
    for c in world["clients"]:
        strings += [c.name, c.register_number] + ([c.nik] if c.nik else [])
    return strings


def test_regional_viewer_sees_no_personal_data(world, login, rita, alice):
    client = login(rita)
    secrets = [*_personal_strings(world), alice.username, alice.get_full_name()]
    pages = [client.get(reverse("home")), client.get(reverse("reports:index"))]
    for name in ("participation", "implementation", "compliance", "agreements"):
        pages.append(client.get(report_url(name), RANGE))
        for fmt in ("json", "csv", "xlsx", "pdf"):
            response = fetch(client, download_url(name, fmt), RANGE)
            assert response.status_code == 200, (name, fmt)
            pages.append(response)
    for response in pages:
        assert response.status_code == 200
        content = response.content
        if response["Content-Type"] == "application/pdf":
            text = pdf_text(content)
        elif "spreadsheet" in response["Content-Type"]:
            wb = load_workbook(io.BytesIO(content))
            text = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row)
        else:
            text = content.decode("utf-8-sig")
        for secret in secrets:
            assert secret not in text, (response.request["PATH_INFO"], secret)
    # ... while the office sees the PK's figures of the compliance report.
    data = json.loads(client.get(download_url("compliance", "json"), RANGE).content)
    assert "by_officer" not in data and "totals" in data


def test_regional_sees_all_offices_and_one(world, login, rita):
    client = login(rita)
    everything = json.loads(client.get(download_url("participation", "json"), RANGE).content)
    assert everything["office"] is None and everything["totals"]["participants"] == 5
    tng = json.loads(client.get(download_url("participation", "json"), {**RANGE, "office": "TNG"}).content)
    assert tng["office"] == "TNG" and tng["totals"]["participants"] == 4


def test_signer_choice_in_pdf(world, login, kasi_a):
    text = pdf_text(fetch(login(kasi_a), download_url("implementation", "pdf"), {**RANGE, "signer": "kasi"}).content)
    assert "Karin Kasi" in text and kasi_a.nip in text and "Kepala Seksi Bimbingan Klien Dewasa" in text
    assert dt.date.today().year > 2000
