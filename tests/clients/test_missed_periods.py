"""The worklist's "missed" and the client page's list come from one function (clients.compliance).

A client who missed a period, reported again, then missed the last two: the page lists all four
missed periods and says the last two are in a row; the worklist says two in a row. Before, the
worklist printed "2 periods missed" next to a page listing 4.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.compliance import client_compliance

pytestmark = pytest.mark.django_db


def month_start(today: dt.date, back: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)


@pytest.fixture
def gappy(make_client, make_visit, alice):
    """Monthly since 6 months ago: reported in months -6 and -3, missed -5, -4, -2 and -1."""
    today = timezone.localdate(timezone=alice.office.tzinfo)
    client = make_client(
        alice, name="Rudi Setiawan", programme_start=month_start(today, 6), programme_end=today + dt.timedelta(days=200)
    )
    make_visit(client, month_start(today, 6) + dt.timedelta(days=3))
    make_visit(client, month_start(today, 3) + dt.timedelta(days=3))
    return client, today


def test_one_function_gives_the_list_and_the_run(gappy):
    client, today = gappy
    result = client_compliance(client, today=today)
    assert [p.start for p in result.missed_periods] == [month_start(today, k) for k in (5, 4, 2, 1)]
    assert (result.due, result.reported, result.missed, result.missed_in_a_row) == (6, 2, 4, 2)


def test_worklist_and_client_page_agree(gappy, login, alice):
    client, _today = gappy
    browser = login(alice)
    work = browser.get(reverse("worklist")).context["work"]
    row = next(r for r in work.overdue if r.client == client)
    page = browser.get(reverse("clients:detail", args=[client.pk]))
    compliance = page.context["compliance"]
    assert row.missed == compliance.missed_in_a_row == 2
    html = page.content.decode()
    assert 'data-missed-in-a-row="2"' in html and html.count("badge text-bg-danger") >= 4
    assert "berturut-turut" in browser.get(reverse("worklist")).content.decode()


def test_a_client_who_never_reported_missed_every_period_in_a_row(make_client, alice):
    today = timezone.localdate(timezone=alice.office.tzinfo)
    client = make_client(alice, programme_start=month_start(today, 3), programme_end=today + dt.timedelta(days=90))
    result = client_compliance(client, today=today)
    assert result.missed == result.missed_in_a_row == 3
