"""The statistics of the evidence report, on plain pandas frames (no Django here).

- ``outcome_summary``: the outcome at the horizon with its observed rate, a 95% interval that
  accounts for sessions, and the worst and best case for the participants whose follow-up is missing.
- ``factor_effects``: per factor level, the difference in the implementation rate against the
  reference level. A linear probability model fitted by GEE (Gaussian family, identity link, so a
  coefficient IS a difference in rates), exchangeable correlation within a session, robust
  (sandwich) standard errors; with few sessions the bias-reduced (Mancl-DeRouen) sandwich and t
  quantiles with (sessions - parameters) degrees of freedom. Adjusted for the other factors when
  the data allow it, otherwise the unadjusted clustered model of the factor alone.
- ``matched_comparison``: participants against non-participants matched exactly on their stratum
  (coarsened exact matching), a weighted difference with a 95% interval clustered by client.

Verdicts follow docs/EVIDENCE.md: NOT_ENOUGH_DATA first (thresholds below), then CONFOUNDED, then
HIGHER / LOWER when the interval excludes 0, otherwise NO_CLEAR_DIFFERENCE.
"""

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

HIGHER = "HIGHER"
LOWER = "LOWER"
NO_CLEAR_DIFFERENCE = "NO_CLEAR_DIFFERENCE"
NOT_ENOUGH_DATA = "NOT_ENOUGH_DATA"
CONFOUNDED = "CONFOUNDED"
VERDICTS = (HIGHER, LOWER, NO_CLEAR_DIFFERENCE, NOT_ENOUGH_DATA, CONFOUNDED)

MIN_SESSIONS = 5  # per side of a comparison
MIN_PARTICIPANTS = 20  # observed participants per side
MIN_MATCHED = 60  # matched participants in the comparison group (the Justice Data Lab's floor)
CONFOUNDING_CORRELATION = 0.9  # |correlation| of two level indicators at or above which they cannot be told apart
SMALL_SAMPLE_SESSIONS = 40  # below this, the bias-reduced sandwich and t quantiles
ADJUSTED_SESSIONS_PER_PARAMETER = 2  # the adjusted model needs at least this many sessions per parameter
POWER_DIFFERENCE = 0.20  # the difference a "how many more sessions" estimate aims to detect
DEFAULT_ICC = 0.1  # when the data cannot estimate the intra-session correlation
UNKNOWN = None


def _stats():
    """scipy.stats, imported on first use (seconds of start-up every process would pay otherwise)."""
    from scipy import stats

    return stats


def _gee(y, X, groups):
    from statsmodels.genmod import cov_struct, families
    from statsmodels.genmod.generalized_estimating_equations import GEE

    return GEE(y, X, groups=groups, family=families.Gaussian(), cov_struct=cov_struct.Exchangeable())


def _r(value, digits=4):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return round(float(value), digits)


def _rate(numerator, denominator):
    return _r(numerator / denominator) if denominator else None


# --- GEE ---------------------------------------------------------------------------------------


@dataclass
class Fit:
    params: dict  # column name -> coefficient
    low: dict
    high: dict
    icc: float | None


def fit_gee(y: np.ndarray, columns: dict[str, np.ndarray], groups: np.ndarray) -> Fit | None:
    """A linear probability GEE with an intercept and ``columns``; None when it cannot be fitted
    (fewer sessions than parameters plus one, a singular design, or no variation)."""
    names = list(columns)
    n_groups = len(np.unique(groups))
    X = np.column_stack([np.ones(len(y)), *[columns[name] for name in names]]).astype(float)
    if n_groups <= X.shape[1] or np.linalg.matrix_rank(X) < X.shape[1]:
        return None
    small = n_groups < SMALL_SAMPLE_SESSIONS
    model = _gee(y.astype(float), X, groups)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = model.fit(cov_type="bias_reduced" if small else "robust")
        except (np.linalg.LinAlgError, ValueError, ZeroDivisionError):
            return None
    bse = np.asarray(result.bse)
    if not np.all(np.isfinite(bse)):
        return None
    quantile = _stats().t.ppf(0.975, n_groups - X.shape[1]) if small else _stats().norm.ppf(0.975)
    params = np.asarray(result.params)
    dep = result.cov_struct.dep_params
    icc = float(dep) if np.isscalar(dep) or np.size(dep) == 1 else None
    return Fit(
        params={name: params[i + 1] for i, name in enumerate(names)},
        low={name: params[i + 1] - quantile * bse[i + 1] for i, name in enumerate(names)},
        high={name: params[i + 1] + quantile * bse[i + 1] for i, name in enumerate(names)},
        icc=icc,
    )


def rate_interval(y: np.ndarray, groups: np.ndarray) -> tuple[float | None, float | None]:
    """95% interval of a rate that accounts for sessions (cluster-robust standard error by session)."""
    if len(y) == 0:
        return None, None
    n_groups = len(np.unique(groups))
    mean = float(np.mean(y))
    if n_groups < 2 or mean in (0.0, 1.0):
        # no spread to estimate (one session, or all alike): the exact binomial interval, no narrower
        k = int(np.sum(y))
        ci = _stats().binomtest(k, len(y)).proportion_ci(method="exact")
        return _r(ci.low), _r(ci.high)
    from statsmodels.regression.linear_model import OLS

    # the observed rate itself with a cluster-robust (session) standard error, t with sessions - 1 df
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = OLS(y.astype(float), np.ones((len(y), 1))).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(groups)[0]}
        )
    quantile = _stats().t.ppf(0.975, n_groups - 1)
    centre, se = float(result.params[0]), float(result.bse[0])
    return _r(max(0.0, centre - quantile * se)), _r(min(1.0, centre + quantile * se))


# --- the outcome at the horizon ----------------------------------------------------------------


def outcome_summary(frame: pd.DataFrame) -> dict:
    """``frame``: one row per participant with ``session``, ``due``, ``observed``, ``implemented`` (bools)."""
    participants = len(frame)
    due = frame[frame["due"]] if participants else frame
    observed = due[due["observed"]] if len(due) else due
    implemented = int(observed["implemented"].sum()) if len(observed) else 0
    missing = len(due) - len(observed)
    low, high = (
        rate_interval(observed["implemented"].to_numpy(float), observed["session"].to_numpy())
        if len(observed)
        else (None, None)
    )
    return {
        "participants": participants,
        "due": len(due),
        "observed": len(observed),
        "missing": missing,
        "implemented": implemented,
        "rate": _rate(implemented, len(observed)),
        "rate_low": low,
        "rate_high": high,
        "worst_case_rate": _rate(implemented, len(due)),
        "best_case_rate": _rate(implemented + missing, len(due)),
        "sessions": int(observed["session"].nunique()) if len(observed) else 0,
    }


# --- factor effects ----------------------------------------------------------------------------


def level_name(factor: str, level: str) -> str:
    return f"{factor}={level}"


def _level_counts(frame: pd.DataFrame, factor: str, level: str) -> dict:
    rows = frame[frame[factor] == level]
    implemented = int(rows["y"].sum())
    return {
        "sessions": int(rows["session"].nunique()),
        "participants": len(rows),
        "implemented": implemented,
        "rate": _rate(implemented, len(rows)),
    }


def _indicators(frame: pd.DataFrame, factors: dict[str, list]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Names "factor=level", the 0/1 indicator matrix (rows x levels) and which rows know each factor."""
    names, columns, known = [], [], []
    for factor, levels in factors.items():
        values = frame[factor]
        for level in levels:
            names.append(level_name(factor, level))
            columns.append((values == level).to_numpy(float))
            known.append(values.notna().to_numpy())
    if not names:
        return names, np.zeros((len(frame), 0)), np.zeros((len(frame), 0), bool)
    return names, np.column_stack(columns), np.column_stack(known)


def _correlations(matrix: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Pairwise correlations of the indicator columns over the rows where both factors are known
    (all rows when every factor is known, the common case; constant columns correlate 0)."""
    if known.all():
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = np.corrcoef(matrix, rowvar=False) if len(matrix) > 1 else np.zeros((matrix.shape[1],) * 2)
        return np.nan_to_num(np.atleast_2d(corr))
    size = matrix.shape[1]
    corr = np.zeros((size, size))
    for i in range(size):
        for j in range(i + 1, size):
            rows = known[:, i] & known[:, j]
            a, b = matrix[rows, i], matrix[rows, j]
            if len(a) > 1 and a.std() > 0 and b.std() > 0:
                corr[i, j] = corr[j, i] = float(np.corrcoef(a, b)[0, 1])
    return corr


def confounding(frame: pd.DataFrame, factors: dict[str, list], session_factors: set) -> dict[str, str]:
    """For each non-reference level, the other factor's level it cannot be told apart from.

    Two session factors are compared over sessions (one row per session), any other pair over
    participants; both levels' indicators must correlate at CONFOUNDING_CORRELATION or more
    (in absolute value; the level that coincides is named before one that excludes)."""
    names, matrix, known = _indicators(frame, factors)
    sessions = frame.drop_duplicates("session")
    s_names, s_matrix, s_known = _indicators(sessions, {f: lv for f, lv in factors.items() if f in session_factors})
    by_participant = _correlations(matrix, known)
    by_session = _correlations(s_matrix, s_known)
    index, s_index = {n: i for i, n in enumerate(names)}, {n: i for i, n in enumerate(s_names)}
    found: dict[str, str] = {}
    for factor, levels in factors.items():
        for level in levels[1:]:
            name, best, best_name = level_name(factor, level), 0.0, None
            for other, other_levels in factors.items():
                if other == factor:
                    continue
                pooled = factor in session_factors and other in session_factors
                for other_level in other_levels:
                    other_name = level_name(other, other_level)
                    if pooled:
                        signed = by_session[s_index[name], s_index[other_name]]
                    else:
                        signed = by_participant[index[name], index[other_name]]
                    score = abs(signed) - (0 if signed > 0 else 1e-9)
                    if abs(signed) >= CONFOUNDING_CORRELATION and score > best:
                        best, best_name = score, other_name
            if best_name:
                found[name] = best_name
    return found


def _design(frame: pd.DataFrame, factors: dict[str, list]) -> dict[str, np.ndarray]:
    columns = {}
    for factor, levels in factors.items():
        for level in levels[1:]:
            column = (frame[factor] == level).to_numpy(float)
            if column.any():
                columns[level_name(factor, level)] = column
        unknown = frame[factor].isna().to_numpy(float)
        if unknown.any():
            columns[level_name(factor, "?")] = unknown
    return columns


def adjusted_fit(frame: pd.DataFrame, factors: dict[str, list]) -> Fit | None:
    """The model with every factor at once, when the sessions suffice for its parameters."""
    columns = _design(frame, factors)
    if len(factors) < 2 or not columns:
        return None
    sessions = frame["session"].nunique()
    if sessions < ADJUSTED_SESSIONS_PER_PARAMETER * (len(columns) + 1):
        return None
    return fit_gee(frame["y"].to_numpy(float), columns, frame["session"].to_numpy())


def unadjusted_fit(frame: pd.DataFrame, factor: str, levels: list) -> Fit | None:
    known = frame[frame[factor].isin(levels)]
    columns = {level_name(factor, lv): (known[factor] == lv).to_numpy(float) for lv in levels[1:]}
    columns = {name: col for name, col in columns.items() if col.any()}
    if not columns or known["y"].nunique() < 2:
        return None
    return fit_gee(known["y"].to_numpy(float), columns, known["session"].to_numpy())


def sessions_for_power(reference_rate: float | None, per_session: float, icc: float | None) -> int:
    """Sessions per side to detect a POWER_DIFFERENCE difference with 80% power at the 5% level,
    inflating the independent-sample size by the design effect 1 + (m - 1) x ICC."""
    p = reference_rate if reference_rate not in (None, 0.0, 1.0) else 0.3
    m = max(per_session, 1.0)
    icc = DEFAULT_ICC if icc is None or not math.isfinite(icc) or icc < 0 else min(icc, 1.0)
    z = _stats().norm.ppf(0.975) + _stats().norm.ppf(0.80)
    q = min(p + POWER_DIFFERENCE, 0.99)
    individuals = z * z * (p * (1 - p) + q * (1 - q)) / POWER_DIFFERENCE**2 * (1 + (m - 1) * icc)
    return max(MIN_SESSIONS, math.ceil(individuals / m))


def _verdict(row: dict, confounded_with: str | None, fit: Fit | None, name: str) -> str:
    if (
        min(row["sessions"], row["reference_sessions"]) < MIN_SESSIONS
        or min(row["participants"], row["reference_participants"]) < MIN_PARTICIPANTS
    ):
        return NOT_ENOUGH_DATA
    if confounded_with:
        return CONFOUNDED
    if fit is None or name not in fit.params:
        return NOT_ENOUGH_DATA
    if fit.low[name] > 0:
        return HIGHER
    if fit.high[name] < 0:
        return LOWER
    return NO_CLEAR_DIFFERENCE


def factor_effects(frame: pd.DataFrame, factors: dict[str, list], session_factors: set = frozenset()) -> list[dict]:
    """``frame``: the observed participants, one row each: ``session``, ``y`` (1 implemented, 0 not)
    and one column per factor holding its level or None. ``factors``: levels, reference first."""
    confounded = confounding(frame, factors, set(session_factors)) if len(frame) else {}
    adjusted = adjusted_fit(frame, factors) if len(frame) else None
    icc = adjusted.icc if adjusted else None
    per_session = len(frame) / frame["session"].nunique() if len(frame) else 0.0
    rows = []
    for factor, levels in factors.items():
        if not levels:  # a factor whose levels come from the data (category) and the data are empty
            continue
        reference = levels[0]
        ref_counts = _level_counts(frame, factor, reference)
        fit = adjusted
        if fit is None or not any(level_name(factor, lv) in fit.params for lv in levels[1:]):
            fit = unadjusted_fit(frame, factor, levels) if len(frame) else None
        for level in levels[1:]:
            name = level_name(factor, level)
            counts = _level_counts(frame, factor, level)
            row = {
                "factor": factor,
                "level": level,
                "reference": reference,
                "sessions": counts["sessions"],
                "participants": counts["participants"],
                "reference_sessions": ref_counts["sessions"],
                "reference_participants": ref_counts["participants"],
                "rate": counts["rate"],
                "reference_rate": ref_counts["rate"],
                "difference": None,
                "difference_low": None,
                "difference_high": None,
                "verdict": NOT_ENOUGH_DATA,
                "confounded_with": None,
                "adjusted": False,
                "more_sessions_needed": 0,
                "more_participants_needed": 0,
            }
            row["verdict"] = _verdict(row, confounded.get(name), fit, name)
            if row["verdict"] == CONFOUNDED:
                row["confounded_with"] = confounded[name]
            elif row["verdict"] != NOT_ENOUGH_DATA:
                row["difference"] = _r(fit.params[name])
                row["difference_low"] = _r(fit.low[name])
                row["difference_high"] = _r(fit.high[name])
                row["adjusted"] = fit is adjusted
            else:
                fewest = min(row["sessions"], row["reference_sessions"])
                need = sessions_for_power(
                    ref_counts["rate"], per_session, icc if icc is not None else (fit and fit.icc)
                )
                row["more_sessions_needed"] = max(0, need - fewest, MIN_SESSIONS - fewest)
                row["more_participants_needed"] = max(
                    0, MIN_PARTICIPANTS - min(row["participants"], row["reference_participants"])
                )
            rows.append(row)
    return rows


# --- the comparison group ----------------------------------------------------------------------


def _matched(frame: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Rows with a known outcome in strata holding both participants and non-participants, with
    coarsened-exact-matching weights: participants 1, non-participants (n_t / n_c) x (N_c / N_t)."""
    known = frame[frame[outcome].notna()]
    if not len(known):
        return known.assign(weight=[])
    counts = known.groupby(["stratum", "treated"]).size().unstack(fill_value=0)
    for column in (True, False):
        if column not in counts.columns:
            counts[column] = 0
    both = counts[(counts[True] > 0) & (counts[False] > 0)]
    matched = known[known["stratum"].isin(both.index)].copy()
    if not len(matched):
        return matched.assign(weight=[])
    total_t, total_c = int(both[True].sum()), int(both[False].sum())
    ratio = (both[True] / both[False]) * (total_c / total_t)
    matched["weight"] = np.where(matched["treated"], 1.0, matched["stratum"].map(ratio).to_numpy(float))
    return matched


def matched_difference(frame: pd.DataFrame, outcome: str) -> dict:
    """Participants minus matched non-participants on a 0/1 ``outcome``; interval clustered by client."""
    matched = _matched(frame, outcome)
    treated = matched[matched["treated"]] if len(matched) else matched
    controls = matched[~matched["treated"]] if len(matched) else matched
    result = {
        "matched_participants": len(treated),
        "matched_non_participants": int(controls["client"].nunique()) if len(controls) else 0,
        "participants_rate": _r(treated[outcome].mean()) if len(treated) else None,
        "comparison_rate": _r(np.average(controls[outcome], weights=controls["weight"])) if len(controls) else None,
        "difference": None,
        "difference_low": None,
        "difference_high": None,
        "verdict": NOT_ENOUGH_DATA,
    }
    if len(treated) < MIN_MATCHED or matched["client"].nunique() < 3:
        return result
    from statsmodels.regression.linear_model import WLS

    X = np.column_stack([np.ones(len(matched)), matched["treated"].to_numpy(float)])
    y = matched[outcome].to_numpy(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = WLS(y, X, weights=matched["weight"].to_numpy(float)).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(matched["client"])[0]}
        )
    low, high = fit.conf_int(alpha=0.05)[1]
    if not (math.isfinite(low) and math.isfinite(high)):
        return result
    result.update(difference=_r(fit.params[1]), difference_low=_r(low), difference_high=_r(high))
    result["verdict"] = HIGHER if low > 0 else LOWER if high < 0 else NO_CLEAR_DIFFERENCE
    return result


def matched_comparison(frame: pd.DataFrame) -> dict:
    """``frame``: one row per participant (``treated`` True) and per candidate non-participant at a
    participant's calendar time (``treated`` False): ``client``, ``stratum``, ``working`` and
    ``revoked`` (1, 0 or NaN when not known)."""
    working = matched_difference(frame, "working")
    revoked = matched_difference(frame, "revoked")
    return {
        "matched_participants": working["matched_participants"],
        "matched_non_participants": working["matched_non_participants"],
        "working_participants": working["participants_rate"],
        "working_comparison": working["comparison_rate"],
        "difference": working["difference"],
        "difference_low": working["difference_low"],
        "difference_high": working["difference_high"],
        "verdict": working["verdict"],
        "revoked_matched_participants": revoked["matched_participants"],
        "revoked_participants": revoked["participants_rate"],
        "revoked_comparison": revoked["comparison_rate"],
        "revoked_difference": revoked["difference"],
        "revoked_difference_low": revoked["difference_low"],
        "revoked_difference_high": revoked["difference_high"],
        "revoked_verdict": revoked["verdict"],
    }
