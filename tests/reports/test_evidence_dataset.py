"""evidence_dataset on the database: the study of tests/reports/evidence_world.py, query counts, the demo."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import translation

from bapas.models import Office
from reports.evidence import estimate
from reports.evidence.dataset import evidence_dataset
from tests.reports.evidence_world import build_study

FROM, TO, TODAY = dt.date(2023, 1, 1), dt.date(2023, 12, 31), dt.date(2025, 1, 15)


def row(data, factor, level):
    return next(r for r in data["factors"] if r["factor"] == factor and r["level"] == level)


@pytest.fixture
def study(office_a, office_b):
    return build_study(office_a)


def test_the_outcome_counts_due_observed_missing(study, office_a):
    data = evidence_dataset(office_a, FROM, TO, 6, TODAY)
    out = data["outcome"]
    assert (out["participants"], out["due"], out["observed"], out["missing"]) == (60, 60, 59, 1)
    assert out["implemented"] == 6 * 4 + 6 * 1
    assert out["rate"] == round(30 / 59, 4)
    assert out["worst_case_rate"] == 0.5 and out["best_case_rate"] == round(31 / 60, 4)
    assert out["rate_low"] < out["rate"] < out["rate_high"]


def test_not_yet_due_participants_are_not_missing(study, office_a):
    # on 2023-10-01 the 6-month windows (to end + 8 months) of the sessions from February on are still open
    data = evidence_dataset(office_a, FROM, TO, 6, dt.date(2023, 10, 1))
    out = data["outcome"]
    assert out["due"] < out["participants"]
    assert out["observed"] + out["missing"] == out["due"]


def test_method_difference_with_its_sessions(study, office_a):
    data = evidence_dataset(office_a, FROM, TO, 6, TODAY)
    method = row(data, "method", "PRAKTIK")
    assert (method["sessions"], method["participants"]) == (6, 30)
    assert (method["reference_sessions"], method["reference_participants"]) == (6, 29)
    assert method["rate"] == 0.8 and method["reference_rate"] == round(6 / 29, 4)
    assert method["verdict"] == estimate.HIGHER
    assert abs(method["difference"] - (0.8 - 6 / 29)) < 0.03  # the GEE weights sessions a little differently
    assert 0 < method["difference_low"] < method["difference"] < method["difference_high"]
    assert row(data, "method", "MAGANG")["verdict"] == estimate.NOT_ENOUGH_DATA
    assert row(data, "method", "MAGANG")["more_sessions_needed"] >= 5
    assert data["factors"][0].keys() >= {
        "factor", "level", "reference", "sessions", "participants", "reference_sessions", "reference_participants",
        "rate", "reference_rate", "difference", "difference_low", "difference_high", "verdict", "confounded_with",
    }  # fmt: skip


def test_category_reference_is_the_category_with_most_participants(study, office_a):
    data = evidence_dataset(office_a, FROM, TO, 6, TODAY)
    category = [r for r in data["factors"] if r["factor"] == "category"]
    assert [(r["reference"], r["level"]) for r in category] == [("KECANTIKAN", "KULINER")]  # a tie: by code
    build_study(office_a, sessions=1, per_session=5, start=dt.date(2023, 8, 7), visits=False)  # one more culinary
    data = evidence_dataset(office_a, FROM, TO, 6, TODAY)
    category = [r for r in data["factors"] if r["factor"] == "category"]
    assert [(r["reference"], r["level"]) for r in category] == [("KULINER", "KECANTIKAN")]


def test_comparison_group_matches_on_traits_and_time(study, office_a):
    data = evidence_dataset(office_a, FROM, TO, 6, TODAY)
    comparison = data["comparison"]
    assert comparison["matched_participants"] == 59  # the participant with no visit near the horizon is left out
    assert comparison["matched_non_participants"] == 10
    assert comparison["working_participants"] == 1.0
    assert comparison["working_comparison"] == 0.5
    assert comparison["verdict"] == estimate.NOT_ENOUGH_DATA  # under 60 matched participants
    assert comparison["difference"] is None


def test_findings_say_what_the_verdicts_say(study, office_a):
    with translation.override("id"):
        data = evidence_dataset(office_a, FROM, TO, 6, TODAY)
    text = "\n".join(data["findings"])
    method = row(data, "method", "PRAKTIK")
    points = round(method["difference"] * 100)
    assert f"{points} poin persen lebih tinggi" in text
    assert "Belum cukup data" in text
    assert "60" in text  # the comparison group's floor


def test_query_count_does_not_grow_with_the_data(django_assert_num_queries, office_a, office_b):
    build_study(office_a, sessions=4, per_session=3)
    with django_assert_num_queries(5):
        small = evidence_dataset(office_a, FROM, TO, 6, TODAY)
    build_study(office_a, sessions=8, per_session=6, start=dt.date(2023, 7, 3))
    with django_assert_num_queries(5):
        large = evidence_dataset(office_a, FROM, TO, 6, TODAY)
    assert large["outcome"]["participants"] > small["outcome"]["participants"]


def test_other_offices_are_not_counted(study, office_a, office_b):
    build_study(office_b, sessions=2, per_session=2, visits=False)
    assert evidence_dataset(office_a, FROM, TO, 6, TODAY)["outcome"]["participants"] == 60
    assert evidence_dataset(None, FROM, TO, 6, TODAY)["outcome"]["participants"] == 64


def test_horizon_must_be_3_6_or_12(office_a):
    with pytest.raises(ValueError):
        evidence_dataset(office_a, FROM, TO, 9, TODAY)


@pytest.mark.django_db
def test_demo_data_mostly_not_enough_data_with_reasons():
    call_command("load_demo", verbosity=0)
    with translation.override("id"):
        data = evidence_dataset(Office.objects.get(code="TNG"), dt.date(2022, 1, 1), dt.date(2023, 12, 31), 6)
    assert data["sessions"] == 10
    verdicts = [r["verdict"] for r in data["factors"]]
    assert verdicts.count(estimate.NOT_ENOUGH_DATA) > len(verdicts) / 2
    for r in data["factors"]:
        if r["verdict"] == estimate.NOT_ENOUGH_DATA:
            assert r["more_sessions_needed"] > 0 or r["more_participants_needed"] > 0
        assert r["verdict"] not in (estimate.HIGHER, estimate.LOWER) or r["factor"] == "method"
    method = row(data, "method", "PRAKTIK")
    assert method["sessions"] + method["reference_sessions"] == 10
    assert any("Belum cukup data" in sentence for sentence in data["findings"])
