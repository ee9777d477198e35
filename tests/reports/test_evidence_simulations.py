"""The evidence method on simulated data where the truth is known (no database).

Each dataset: sessions of ``size`` participants; a session's implementation probability is its
level's rate plus a session effect (trainer, venue, cohort), so participants of a session are
correlated as in real trainings. Fixed seeds: the results are the same on every run.
"""

import numpy as np
import pandas as pd
import pytest

from reports.datasets import wilson_interval
from reports.evidence import estimate

METHOD = {"method": ["PENGENALAN", "PRAKTIK"]}


def simulate(seed, *, sessions=60, size=20, base=0.25, effect=0.0, session_sd=0.0, extra=None):
    """Half the sessions PENGENALAN, half PRAKTIK (+``effect``); ``extra``: more session factors."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(sessions):
        method = "PRAKTIK" if s % 2 else "PENGENALAN"
        p = base + (effect if method == "PRAKTIK" else 0.0) + rng.normal(0.0, session_sd)
        p = min(max(p, 0.0), 1.0)
        factors = {"method": method, **({k: f(s, method) for k, f in (extra or {}).items()})}
        for _i in range(size):
            rows.append({"session": s, "y": float(rng.random() < p), **factors})
    return pd.DataFrame(rows)


def method_row(frame, factors=METHOD, session_factors=("method",)):
    rows = estimate.factor_effects(frame, factors, set(session_factors))
    return next(r for r in rows if r["factor"] == "method" and r["level"] == "PRAKTIK")


def newcombe_wilson_differs(frame) -> bool:
    """The per-participant comparison: Newcombe's interval for a difference, built from each rate's
    Wilson interval, as if every participant were independent of the others in the session."""
    a = frame[frame["method"] == "PRAKTIK"]["y"]
    b = frame[frame["method"] == "PENGENALAN"]["y"]
    p1, p2 = a.mean(), b.mean()
    l1, u1 = wilson_interval(int(a.sum()), len(a))
    l2, u2 = wilson_interval(int(b.sum()), len(b))
    low = (p1 - p2) - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = (p1 - p2) + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return low > 0 or high < 0


def test_a_real_effect_of_thirty_points_is_found_and_covered():
    frame = simulate(11, sessions=60, effect=0.30, session_sd=0.08)
    row = method_row(frame)
    assert row["verdict"] == estimate.HIGHER
    assert row["difference_low"] <= 0.30 <= row["difference_high"]
    assert abs(row["difference"] - 0.30) < 0.1
    assert row["sessions"] == 30 and row["reference_sessions"] == 30


def test_b_no_effect_with_strong_session_variation_is_no_clear_difference_90_of_100():
    clustered_alarms = naive_alarms = 0
    for seed in range(100):
        frame = simulate(1000 + seed, sessions=30, size=20, base=0.35, session_sd=0.2)
        row = method_row(frame)
        assert row["verdict"] in (estimate.NO_CLEAR_DIFFERENCE, estimate.HIGHER, estimate.LOWER)
        clustered_alarms += row["verdict"] != estimate.NO_CLEAR_DIFFERENCE
        naive_alarms += newcombe_wilson_differs(frame)
    assert 100 - clustered_alarms >= 90
    # Why clustering is needed: with 20 per session and an intra-session correlation near 0.3 the
    # design effect is about 6, so intervals that treat participants as independent are far too
    # narrow and call a difference that is only session-to-session noise several times as often.
    assert naive_alarms >= 25
    assert naive_alarms >= 3 * max(clustered_alarms, 1)


def test_c_two_factors_always_together_are_confounded_naming_the_other():
    extra = {"duration": lambda s, method: "6+" if method == "PRAKTIK" else "1"}
    frame = simulate(5, sessions=40, effect=0.3, session_sd=0.05, extra=extra)
    factors = {**METHOD, "duration": ["1", "2-5", "6+"]}
    rows = estimate.factor_effects(frame, factors, {"method", "duration"})
    method = next(r for r in rows if r["factor"] == "method")
    duration = next(r for r in rows if r["factor"] == "duration" and r["level"] == "6+")
    assert method["verdict"] == estimate.CONFOUNDED
    assert method["confounded_with"] == "duration=6+"
    assert duration["verdict"] == estimate.CONFOUNDED
    assert duration["confounded_with"] == "method=PRAKTIK"
    assert method["difference"] is None


def test_nearly_collinear_factors_are_confounded_too():
    # 19 of 20 PRAKTIK sessions last 6+ days, and none of the PENGENALAN ones
    extra = {"duration": lambda s, method: "6+" if method == "PRAKTIK" and s != 1 else "1"}
    frame = simulate(6, sessions=40, effect=0.3, extra=extra)
    rows = estimate.factor_effects(frame, {**METHOD, "duration": ["1", "6+"]}, {"method", "duration"})
    assert next(r for r in rows if r["factor"] == "method")["verdict"] == estimate.CONFOUNDED


def test_an_independent_second_factor_is_adjusted_for_not_confounded():
    extra = {"duration": lambda s, method: "6+" if s % 4 in (0, 3) else "1"}
    frame = simulate(7, sessions=60, effect=0.3, session_sd=0.05, extra=extra)
    rows = estimate.factor_effects(frame, {**METHOD, "duration": ["1", "6+"]}, {"method", "duration"})
    method = next(r for r in rows if r["factor"] == "method")
    assert method["verdict"] == estimate.HIGHER
    assert method["adjusted"] is True
    assert method["difference_low"] <= 0.30 <= method["difference_high"]


@pytest.mark.parametrize(
    ("sessions", "size", "verdict"),
    [
        (8, 20, estimate.NOT_ENOUGH_DATA),  # 4 sessions a side
        (10, 20, None),  # 5 sessions and 100 participants a side: enough
        (10, 3, estimate.NOT_ENOUGH_DATA),  # 5 sessions a side but 15 participants
        (10, 4, None),  # 20 participants a side: enough
    ],
)
def test_not_enough_data_thresholds(sessions, size, verdict):
    row = method_row(simulate(3, sessions=sessions, size=size, effect=0.2, session_sd=0.05))
    if verdict:
        assert row["verdict"] == verdict
        assert row["difference"] is None
        assert row["more_sessions_needed"] >= estimate.MIN_SESSIONS - min(row["sessions"], row["reference_sessions"])
        assert row["more_sessions_needed"] > 0
    else:
        assert row["verdict"] != estimate.NOT_ENOUGH_DATA
        assert row["difference"] is not None


def comparison_frame(treated, seed=0):
    """``treated`` participants and twice as many non-participants over 3 strata; participants work more."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(treated):
        rows.append({"client": i, "treated": True, "stratum": f"s{i % 3}", "working": float(rng.random() < 0.6),
                     "revoked": float(rng.random() < 0.1)})  # fmt: skip
    for j in range(2 * treated):
        rows.append({"client": 10_000 + j, "treated": False, "stratum": f"s{j % 3}",
                     "working": float(rng.random() < 0.3), "revoked": float(rng.random() < 0.1)})  # fmt: skip
    rows.append({"client": 99_999, "treated": False, "stratum": "alone", "working": 1.0, "revoked": 0.0})
    return pd.DataFrame(rows)


def test_comparison_group_floor_of_sixty_matched_participants():
    below = estimate.matched_comparison(comparison_frame(59))
    assert below["matched_participants"] == 59
    assert below["verdict"] == estimate.NOT_ENOUGH_DATA
    assert below["difference"] is None
    at = estimate.matched_comparison(comparison_frame(60))
    assert at["matched_participants"] == 60
    assert at["matched_non_participants"] == 120  # the unmatched stratum "alone" is left out
    assert at["verdict"] == estimate.HIGHER
    assert at["difference_low"] <= 0.3 <= at["difference_high"]


def test_comparison_weights_strata_by_participants():
    # stratum a: 1 participant working, 1 non-participant not; stratum b: 3 participants not working,
    # 1 non-participant working. The comparison rate weighted by participants: (1 x 0 + 3 x 1) / 4.
    frame = pd.DataFrame(
        [
            {"client": 1, "treated": True, "stratum": "a", "working": 1.0, "revoked": 0.0},
            {"client": 2, "treated": False, "stratum": "a", "working": 0.0, "revoked": 0.0},
            *[{"client": 10 + i, "treated": True, "stratum": "b", "working": 0.0, "revoked": 0.0} for i in range(3)],
            {"client": 3, "treated": False, "stratum": "b", "working": 1.0, "revoked": 0.0},
        ]
    )
    result = estimate.matched_comparison(frame)
    assert result["working_participants"] == 0.25
    assert result["working_comparison"] == 0.75
    assert result["verdict"] == estimate.NOT_ENOUGH_DATA


def test_outcome_worst_and_best_case():
    frame = pd.DataFrame(
        {
            "session": [1, 1, 1, 2, 2, 2, 3],
            "due": [True, True, True, True, True, True, False],
            "observed": [True, True, False, True, True, False, False],
            "implemented": [True, False, False, True, False, False, False],
        }
    )
    out = estimate.outcome_summary(frame)
    assert (out["participants"], out["due"], out["observed"], out["missing"], out["implemented"]) == (7, 6, 4, 2, 2)
    assert out["rate"] == 0.5
    assert out["worst_case_rate"] == round(2 / 6, 4)
    assert out["best_case_rate"] == round(4 / 6, 4)
    assert out["rate_low"] <= 0.5 <= out["rate_high"]
