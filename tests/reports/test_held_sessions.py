"""Only held trainings count: a session planned for later is counted apart, never as held.

A session is held when it is not cancelled and its start date is on or before today (the date in
its office); sessions of the period that have not started are ``totals.planned``.
"""

import datetime as dt
import io
import json
from datetime import UTC

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.datasets import implementation_dataset, participation_dataset
from reports.office_figures import compute_office_summary
from reports.panels import pk_panel
from tests.factories import AttendanceFactory, ClientFactory, EnrolmentFactory, TrainingSessionFactory
from tests.reports.test_exports import pdf_text
from tests.reports.test_views import fetch
from trainings.models import TrainingSession
from trainings.selectors import held_sessions, planned_sessions

pytestmark = pytest.mark.django_db


def _today(office):
    return timezone.localdate(timezone=office.tzinfo)


@pytest.fixture
def season(office_a, alice):
    """One session held a week ago (2 enrolled, 1 attended) and one planned in three weeks (3 enrolled)."""
    today = _today(office_a)
    held = TrainingSessionFactory(
        office=office_a, code="PLT-HELD", title="Pelatihan Roti", start_date=today - dt.timedelta(days=7),
        end_date=today - dt.timedelta(days=7),
    )  # fmt: skip
    planned = TrainingSessionFactory(
        office=office_a, code="PLT-NEXT", title="Pelatihan Kelak Saja", start_date=today + dt.timedelta(days=21),
        end_date=today + dt.timedelta(days=22),
    )  # fmt: skip
    present = EnrolmentFactory(session=held, client=ClientFactory(office=office_a, officer=alice))
    EnrolmentFactory(session=held, client=ClientFactory(office=office_a, officer=alice))
    AttendanceFactory(enrolment=present, date=held.start_date)
    for _ in range(3):
        EnrolmentFactory(session=planned, client=ClientFactory(office=office_a, officer=alice))
    cancelled = TrainingSessionFactory(
        office=office_a, code="PLT-OFF", start_date=today - dt.timedelta(days=3), status=TrainingSession.Status.CANCELLED
    )  # fmt: skip
    return {
        "today": today,
        "held": held,
        "planned": planned,
        "cancelled": cancelled,
        "period": {"date_from": today - dt.timedelta(days=30), "date_to": today + dt.timedelta(days=60)},
    }


def test_participation_counts_held_sessions_and_planned_apart(season, office_a):
    data = participation_dataset(office=office_a, **season["period"])
    assert [s["code"] for s in data["sessions"]] == ["PLT-HELD"]
    totals = data["totals"]
    assert (totals["sessions"], totals["enrolled"], totals["participants"], totals["planned"]) == (1, 2, 1, 1)
    assert totals["attendance_rate"] == 0.5  # the planned session's 3 enrolled x 2 days do not lower it
    assert sum(row["sessions"] for row in data["by_year"]) == 1


def test_implementation_counts_held_sessions_and_planned_apart(season, office_a):
    data = implementation_dataset(office=office_a, **season["period"])
    assert data["totals"]["participants"] == 1
    assert data["totals"]["planned"] == 1
    assert data["sessions_count"] == 1


def test_a_session_starting_today_is_held(season, office_a):
    season["planned"].start_date = season["planned"].end_date = season["today"]
    season["planned"].save()
    totals = participation_dataset(office=office_a, **season["period"])["totals"]
    assert (totals["sessions"], totals["planned"]) == (2, 0)


def test_held_follows_the_date_in_each_office(monkeypatch, office_a, office_b):
    """At 23:30 WIB on 31 Dec it is already 1 Jan in Balikpapan (WITA): its 1 Jan session is held."""
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    new_year = dt.date(2027, 1, 1)
    tng = TrainingSessionFactory(office=office_a, code="TNG-1", start_date=new_year, end_date=new_year)
    bpn = TrainingSessionFactory(office=office_b, code="BPN-1", start_date=new_year, end_date=new_year)
    assert list(held_sessions()) == [bpn]
    assert list(planned_sessions()) == [tng]
    data = participation_dataset(date_from=new_year, date_to=new_year)
    assert [s["code"] for s in data["sessions"]] == ["BPN-1"] and data["totals"]["planned"] == 1


def test_page_pdf_and_xlsx_show_planned(season, login, kasi_a):
    period = season["period"]
    params = {"period": "range", "date_from": period["date_from"].isoformat(), "date_to": period["date_to"].isoformat()}
    client = login(kasi_a)
    page = client.get(reverse("reports:report", args=["participation"]), params).content.decode()
    assert "Direncanakan" in page and "Pelatihan Kelak Saja" not in page
    workbook = load_workbook(
        io.BytesIO(fetch(client, reverse("reports:download", args=["participation", "xlsx"]), params).content)
    )
    totals = workbook.worksheets[1]  # the first table after the summary sheet
    header = [cell.value for cell in totals[1]]
    values = [cell.value for cell in totals[2]]
    assert dict(zip(header, values, strict=True))["Direncanakan"] == 1
    text = pdf_text(fetch(client, reverse("reports:download", args=["participation", "pdf"]), params).content)
    assert "Direncanakan" in text and "Pelatihan Kelak Saja" not in text


def test_command_json_has_totals_planned(season, capsysbinary):
    period = season["period"]
    call_command(
        "report", "participation", "--office", "TNG", "--from", period["date_from"].isoformat(),
        "--to", period["date_to"].isoformat(), "--format", "json",
    )  # fmt: skip
    data = json.loads(capsysbinary.readouterr().out)
    assert data["totals"]["sessions"] == 1 and data["totals"]["planned"] == 1


def test_dashboard_summary_and_panel_count_held_sessions(season, office_a, alice):
    today = season["today"]
    summary = compute_office_summary(office_a, today=today)
    years = {year: sessions for year, sessions, _ in summary["years"]}
    assert sum(years.values()) == 1  # the planned session is not in any year's trainings
    # The summary runs to the end of this year: the planned session counts there when it starts this year.
    assert summary["implementation"]["totals"]["planned"] == int(season["planned"].start_date.year == today.year)
    # A participant of a session that has not started (attendance recorded ahead by mistake) is not counted.
    AttendanceFactory(enrolment=season["planned"].enrolments.first(), date=season["planned"].start_date)
    assert pk_panel(alice, today)["participants"] == 1
