"""The warning ladder: one missed period calls for SP1, two for SP2, three for SP3 and the TPP; the
worklist says which letter is due with the periods in words; a warning answers missed periods only,
and one that skips a step needs a reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bapas.formatting import month_label
from clients import services
from clients.compliance import client_compliance
from clients.ladder import ladder_state
from clients.models import ExcusedAbsence, ReportingWarning

pytestmark = pytest.mark.django_db


def month_start(today: dt.date, back: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)


@pytest.fixture
def today(alice):
    return timezone.localdate(timezone=alice.office.tzinfo)


@pytest.fixture
def three_missed(make_client, make_visit, alice, today):
    """Reported in month -4, then missed months -3, -2 and -1."""
    client = make_client(
        alice, name="Joko Susilo", programme_start=month_start(today, 4), programme_end=today + dt.timedelta(days=300)
    )
    make_visit(client, month_start(today, 4) + dt.timedelta(days=2))
    return client


def labels(client, today):
    return [p.label for p in client_compliance(client, today=today).missed_periods]


def issue(client, user, level, codes, **extra):
    return services.warning_issue(
        client=client,
        level=level,
        issued_on=timezone.localdate(timezone=client.office.tzinfo),
        reason="Tidak melapor",
        missed_periods=codes,
        user=user,
        **extra,
    )


def test_the_run_decides_the_step_and_warnings_answer_it(three_missed, alice, today):
    client = three_missed
    codes = labels(client, today)
    state = ladder_state(client_compliance(client, today=today), [], today)
    assert (state.step, state.due_level) == (3, "SP3")
    assert state.due_since == month_start(today, 0)  # the day after the third missed month ended
    issue(client, alice, "SP1", codes[:1])
    issue(client, alice, "SP2", codes[1:2])
    state = ladder_state(client_compliance(client, today=today), client.warnings.all(), today)
    assert (state.answered_level, state.due_level, state.tpp_ready) == ("SP2", "SP3", False)
    issue(client, alice, "SP3", codes[2:])
    state = ladder_state(client_compliance(client, today=today), client.warnings.all(), today)
    assert (state.answered_level, state.due_level, state.tpp_ready) == ("SP3", None, True)


def test_one_missed_period_calls_for_sp1_and_a_report_ends_the_run(make_client, make_visit, alice, today):
    client = make_client(alice, programme_start=month_start(today, 2), programme_end=today + dt.timedelta(days=300))
    make_visit(client, month_start(today, 2) + dt.timedelta(days=1))
    state = ladder_state(client_compliance(client, today=today), [], today)
    assert (state.step, state.due_level) == (1, "SP1")
    make_visit(client, month_start(today, 1) + dt.timedelta(days=3))  # reported late in that month after all
    state = ladder_state(client_compliance(client, today=today), [], today)
    assert (state.step, state.due_level) == (0, None)


def test_an_excused_month_is_no_rung(three_missed, alice, today):
    ExcusedAbsence.objects.create(
        client=three_missed, date_from=month_start(today, 2), date_to=month_start(today, 2), kind="SAKIT", reason="x"
    )
    state = ladder_state(client_compliance(three_missed, today=today), [], today)
    assert (state.step, state.due_level) == (2, "SP2")


def test_overdue_after_seven_days(three_missed, today):
    later = month_start(today, -1) - dt.timedelta(days=1)  # the last day of this month
    state = ladder_state(client_compliance(three_missed, today=today), [], later)
    assert state.days_due == (later - month_start(today, 0)).days
    assert state.overdue == (state.days_due > 7)


def test_worklist_says_which_letter_is_due_with_the_months_in_words(three_missed, login, alice, today):
    browser = login(alice)
    response = browser.get(reverse("worklist"))
    html = response.content.decode()
    assert "SP3 perlu diterbitkan" in html
    for back in (3, 2, 1):
        assert month_label(month_start(today, back)) in html  # "Agustus 2026", not "2026-08"
    row = next(r for r in response.context["work"].overdue if r.client == three_missed)
    assert row.ladder.due_level == "SP3"
    link = reverse("clients:warning_create", args=[three_missed.pk])
    assert f'data-issue="SP3" href="{link}?level=SP3' in html
    # the link opens the form filled with the level and the run
    codes = labels(three_missed, today)
    form = browser.get(link, {"level": "SP3"}).context["form"]
    assert form.initial["level"] == "SP3" and form.initial["missed"] == codes


def test_issuing_from_the_worklist_records_and_opens_the_letter(three_missed, login, alice, today):
    browser = login(alice)
    codes = labels(three_missed, today)
    response = browser.post(
        reverse("clients:warning_create", args=[three_missed.pk]),
        {
            "level": "SP3",
            "issued_on": today.isoformat(),
            "reason": "Tiga bulan tidak melapor",
            "missed": codes,
            "order_reason": "SP1 dan SP2 tidak terkirim karena alamat berubah",
        },
    )
    warning = ReportingWarning.objects.get(client=three_missed)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:warning_letter", args=[warning.pk])
    assert warning.missed_periods == ", ".join(codes) and warning.order_reason.startswith("SP1 dan SP2")
    assert warning.history.get().history_user == alice
    letter = browser.get(response["Location"])
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    html = browser.get(reverse("worklist")).content.decode()
    assert "SP3 perlu diterbitkan" not in html and "sidang TPP" in html


def test_a_warning_for_a_reported_or_excused_period_is_refused(three_missed, alice, today):
    reported = month_start(today, 4).strftime("%Y-%m")
    with pytest.raises(ValidationError) as exc:
        issue(three_missed, alice, "SP1", [reported])
    assert "Klien melapor pada" in str(exc.value)
    ExcusedAbsence.objects.create(
        client=three_missed, date_from=month_start(today, 1), date_to=month_start(today, 1), kind="SAKIT", reason="x"
    )
    with pytest.raises(ValidationError) as exc:
        issue(three_missed, alice, "SP1", [month_start(today, 1).strftime("%Y-%m")])
    assert "periode izin" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        issue(three_missed, alice, "SP1", [])
    assert "Pilih periode" in str(exc.value)
    with pytest.raises(ValidationError):
        issue(three_missed, alice, "SP1", [today.strftime("%Y-%m")])  # not ended yet
    assert not ReportingWarning.objects.exists()


def test_a_skipped_step_needs_a_reason(three_missed, alice, today):
    codes = labels(three_missed, today)
    with pytest.raises(ValidationError) as exc:
        issue(three_missed, alice, "SP3", codes)
    assert "alasan melewati tahap" in str(exc.value)
    warning = issue(three_missed, alice, "SP3", codes, order_reason="Klien pindah tanpa memberi tahu")
    assert warning.level == "SP3"
