"""Plain sentences from the evidence report's numbers, never claiming more than the verdict says.

English msgids, Indonesian in the catalogue; percentages rounded to whole points.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.evidence import estimate

FACTOR_LABELS = {
    "method": gettext_lazy("Method"),
    "duration": gettext_lazy("Duration"),
    "budget_per_participant": gettext_lazy("Budget per participant"),
    "category": gettext_lazy("Category"),
    "interest_match": gettext_lazy("Interest match"),
    "domicile": gettext_lazy("Domicile"),
    "motivation": gettext_lazy("Motivation"),
}
LEVEL_LABELS = {
    ("method", "PENGENALAN"): gettext_lazy("introduction"),
    ("method", "PRAKTIK"): gettext_lazy("hands-on practice"),
    ("method", "MAGANG"): gettext_lazy("apprenticeship"),
    ("duration", "1"): gettext_lazy("1 day"),
    ("duration", "2-5"): gettext_lazy("2–5 days"),
    ("duration", "6+"): gettext_lazy("6 days or more"),
    ("budget_per_participant", "<250000"): gettext_lazy("under Rp250,000"),
    ("budget_per_participant", "250000-499999"): gettext_lazy("Rp250,000 – Rp499,999"),
    ("budget_per_participant", "500000-999999"): gettext_lazy("Rp500,000 – Rp999,999"),
    ("budget_per_participant", "1000000+"): gettext_lazy("Rp1,000,000 or more"),
    ("interest_match", "YA"): gettext_lazy("matching the client's interest"),
    ("interest_match", "TIDAK"): gettext_lazy("not matching the client's interest"),
    ("domicile", "KOTA"): gettext_lazy("urban clients"),
    ("domicile", "DESA"): gettext_lazy("rural clients"),
    ("motivation", "1-2"): gettext_lazy("motivation 1–2"),
    ("motivation", "3"): gettext_lazy("motivation 3"),
    ("motivation", "4-5"): gettext_lazy("motivation 4–5"),
}
VERDICT_LABELS = {
    estimate.HIGHER: gettext_lazy("Higher"),
    estimate.LOWER: gettext_lazy("Lower"),
    estimate.NO_CLEAR_DIFFERENCE: gettext_lazy("No clear difference"),
    estimate.NOT_ENOUGH_DATA: gettext_lazy("Not enough data"),
    estimate.CONFOUNDED: gettext_lazy("Cannot be separated"),
}


def level_label(factor: str, level: str) -> str:
    if factor == "category":
        from trainings.models import TrainingType

        return str(dict(TrainingType.Category.choices).get(level, level)).lower()
    return str(LEVEL_LABELS.get((factor, level), level))


def named_level(name: str) -> str:
    """ "duration=6+" as people read it: "Duration: 6 days or more"."""
    factor, _sep, level = name.partition("=")
    return f"{FACTOR_LABELS.get(factor, factor)}: {level_label(factor, level)}"


def points(value) -> str:
    return str(round(abs(value) * 100))


def percent(value) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _outcome_sentence(data) -> list[str]:
    outcome, horizon = data["outcome"], data["horizon_months"]
    if not outcome["due"]:
        return [
            _("No participant of this period has reached the %(horizon)s-month follow-up yet.") % {"horizon": horizon}
        ]
    out = [
        _(
            "%(horizon)s months after training, %(implemented)s of %(observed)s participants followed up apply the skill (%(rate)s, interval %(low)s–%(high)s)."
        )
        % {
            "horizon": horizon,
            "implemented": outcome["implemented"],
            "observed": outcome["observed"],
            "rate": percent(outcome["rate"]),
            "low": percent(outcome["rate_low"]),
            "high": percent(outcome["rate_high"]),
        }
    ]
    if outcome["missing"]:
        out.append(
            _(
                "%(missing)s of %(due)s participants due have no follow-up in the window: counting them all as not applying gives %(worst)s, all as applying %(best)s."
            )
            % {
                "missing": outcome["missing"],
                "due": outcome["due"],
                "worst": percent(outcome["worst_case_rate"]),
                "best": percent(outcome["best_case_rate"]),
            }
        )
    return out


def _factor_sentence(row) -> str | None:
    level = level_label(row["factor"], row["level"])
    ref = level_label(row["factor"], row["reference"])
    values = {"factor": FACTOR_LABELS[row["factor"]], "level": level, "reference": ref,
              "sessions": row["sessions"] + row["reference_sessions"]}  # fmt: skip
    if row["verdict"] in (estimate.HIGHER, estimate.LOWER):
        values.update(diff=points(row["difference"]), low=round(row["difference_low"] * 100),
                      high=round(row["difference_high"] * 100))  # fmt: skip
        if row["verdict"] == estimate.HIGHER:
            return _("%(factor)s, %(level)s: %(diff)s percentage points higher (interval %(low)s to %(high)s) than %(reference)s, from %(sessions)s sessions.") % values  # fmt: skip
        return _("%(factor)s, %(level)s: %(diff)s percentage points lower (interval %(low)s to %(high)s) than %(reference)s, from %(sessions)s sessions.") % values  # fmt: skip
    if row["verdict"] == estimate.NO_CLEAR_DIFFERENCE:
        values.update(low=round(row["difference_low"] * 100), high=round(row["difference_high"] * 100))
        return _("%(factor)s, %(level)s against %(reference)s: no clear difference (interval %(low)s to %(high)s percentage points), from %(sessions)s sessions.") % values  # fmt: skip
    if row["verdict"] == estimate.CONFOUNDED:
        values["other"] = named_level(row["confounded_with"])
        return _("%(factor)s, %(level)s cannot be separated from %(other)s in these data: the same sessions had both, so neither effect can be shown.") % values  # fmt: skip
    return None


def _not_enough_sentence(rows) -> list[str]:
    waiting = [row for row in rows if row["verdict"] == estimate.NOT_ENOUGH_DATA]
    if not waiting:
        return []
    parts = [
        _("%(level)s (%(more)s more sessions)")
        % {"level": named_level(f"{row['factor']}={row['level']}"), "more": row["more_sessions_needed"]}
        for row in waiting
    ]
    return [
        _(
            "Not enough data yet to compare (each side needs at least %(sessions)s sessions and %(participants)s participants followed up): %(list)s."
        )
        % {"sessions": estimate.MIN_SESSIONS, "participants": estimate.MIN_PARTICIPANTS, "list": "; ".join(parts)}
    ]


def _comparison_sentence(comparison) -> str:
    if comparison["verdict"] == estimate.NOT_ENOUGH_DATA:
        return _("Comparison with similar clients who did not train: not enough data yet (%(matched)s matched participants; at least %(floor)s are needed).") % {"matched": comparison["matched_participants"], "floor": estimate.MIN_MATCHED}  # fmt: skip
    values = {"participants": percent(comparison["working_participants"]),
              "comparison": percent(comparison["working_comparison"]),
              "low": round(comparison["difference_low"] * 100), "high": round(comparison["difference_high"] * 100),
              "matched": comparison["matched_participants"]}  # fmt: skip
    if comparison["verdict"] == estimate.NO_CLEAR_DIFFERENCE:
        return _("Working at the horizon: %(participants)s of participants against %(comparison)s of similar clients who did not train; no clear difference (interval %(low)s to %(high)s percentage points, %(matched)s matched participants).") % values  # fmt: skip
    values["diff"] = points(comparison["difference"])
    if comparison["verdict"] == estimate.HIGHER:
        return _("Working at the horizon: %(participants)s of participants against %(comparison)s of similar clients who did not train, %(diff)s percentage points more (interval %(low)s to %(high)s, %(matched)s matched participants). Matching on recorded traits cannot rule out that more motivated clients chose to train.") % values  # fmt: skip
    return _("Working at the horizon: %(participants)s of participants against %(comparison)s of similar clients who did not train, %(diff)s percentage points fewer (interval %(low)s to %(high)s, %(matched)s matched participants).") % values  # fmt: skip


def findings_for(data: dict) -> list[str]:
    if data.get("empty"):
        return [_("No training was held in this period.")]
    sentences = _outcome_sentence(data)
    sentences += [s for s in (_factor_sentence(row) for row in data["factors"]) if s]
    sentences += _not_enough_sentence(data["factors"])
    sentences.append(_comparison_sentence(data["comparison"]))
    return sentences
