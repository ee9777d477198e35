"""Scale stage helper: a participant's follow-ups at 1, 3, 6 and 12 months and what they do to its work status.

The outcome carries a modest real effect so that the evidence report has something true to find at
scale: each participant has a chance of applying the skill from the training's category (quick-income
skills do better, as the Tangerang study found), its method (practice and apprenticeship better than
a short introduction), the PK's motivation rating and a session effect shared by everyone in the
session (the trainer, the week, the group). On the logit scale:

    logit p = CATEGORY + METHOD + MOTIVATION + session effect (normal, sd SESSION_SD)

A participant who applies the skill does so from some follow-up on and keeps doing it (the chance
rises over the first months: RAMP). Follow-ups are recorded when due before today, with attrition:
some are simply not recorded (more often after the programme ended), some say "tidak dapat
dihubungi". The first one (1 month) is always recorded when due. Of the recorded series one
follow-up is kept per enrolment (KEEP_WEIGHT), so the data stay at about one follow-up per
enrolment while every horizon is observed. Work statuses of the later wajib lapor follow the outcome.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from bapas.arithmetic import add_months
from config.scale.words import OUTCOMES_BY_QUICKNESS, REASONS

FOLLOW_UP_MONTHS = (1, 3, 6, 12)
RAMP = {1: 0.55, 3: 0.8, 6: 1.0, 12: 1.0}  # share of the eventual appliers who apply by then
CATEGORY_LOGIT = {"quick": 0.0, "slow": -2.0, "other": -1.0}
METHOD_LOGIT = {"PENGENALAN": -0.3, "PRAKTIK": 0.3, "MAGANG": 0.6}
MOTIVATION_LOGIT = {2: -0.4, 3: 0.0, 4: 0.4}
SESSION_SD = 0.5
NOT_RECORDED = 0.1  # chance a due follow-up after the first was not recorded while the programme runs
NOT_RECORDED_AFTER_END = 0.35
UNREACHABLE = 0.05  # chance the PK could not reach the client, plus 1 point per month since the training
KEEP_WEIGHT = {1: 0.25, 3: 0.25, 6: 0.35, 12: 0.15}  # which recorded milestone an enrolment keeps
APPLIED = ("USAHA_SAMPINGAN", "BEKERJA_DI_BIDANG", "USAHA_SENDIRI")
NOT_APPLIED = ("BELUM_MENERAPKAN", "BEKERJA_BIDANG_LAIN")
# the work status a wajib lapor shows from a follow-up with this outcome on (None: unchanged)
# (working in the trained field: formal or informal work, drawn once per participant)
WORK_FROM_OUTCOME = {"USAHA_SAMPINGAN": "INFORMAL", "USAHA_SENDIRI": "USAHA_SENDIRI"}


def session_effect(rng: random.Random) -> float:
    return rng.gauss(0.0, SESSION_SD)


def apply_chance(quickness: str, method: str, motivation: int | None, effect: float) -> float:
    logit = CATEGORY_LOGIT[quickness] + METHOD_LOGIT.get(method, 0.0) + MOTIVATION_LOGIT.get(motivation, 0.0)
    return 1.0 / (1.0 + math.exp(-(logit + effect)))


def follow_ups(
    rng: random.Random, *, end: dt.date, today: dt.date, programme_end: dt.date, chance: float, quickness: str
) -> list[tuple[dt.date, str, int | None, str, str | None]]:
    """(date, status, income, reason, work status from then on or None) of each recorded follow-up, oldest
    first."""
    weights = OUTCOMES_BY_QUICKNESS[quickness]
    applied = rng.choices(APPLIED, weights=weights[1:4])[0]
    not_applied = rng.choices(NOT_APPLIED, weights=(weights[0], weights[4]))[0]
    if applied == "BEKERJA_DI_BIDANG":
        applied_work = "FORMAL" if rng.random() < 0.4 else "INFORMAL"
    else:
        applied_work = WORK_FROM_OUTCOME[applied]
    propensity = rng.random()
    income = rng.randint(5, 40) * 100_000
    reason = rng.choice(REASONS)
    rows, milestones = [], []
    for months in FOLLOW_UP_MONTHS:
        day = add_months(end, months) + dt.timedelta(days=rng.randint(-7, 21))
        if day >= today:
            break
        skip = NOT_RECORDED_AFTER_END if day > programme_end else NOT_RECORDED
        if months > 1 and rng.random() < skip:
            continue
        milestones.append(months)
        if rng.random() < UNREACHABLE + months / 100:
            rows.append((day, "TIDAK_DAPAT_DIHUBUNGI", None, "", None))
        elif propensity < chance * RAMP[months]:
            rows.append((day, applied, income, "", applied_work))
        elif not_applied == "BEKERJA_BIDANG_LAIN":
            rows.append((day, not_applied, income, "", "INFORMAL"))
        else:
            rows.append((day, not_applied, None, reason, None))
    if not rows:
        return rows
    # The scale data keep about one follow-up per enrolment (the size the scale data promise): one
    # milestone of the series, the default horizon (6 months) the likeliest, so every horizon is observed.
    return [rng.choices(rows, weights=[KEEP_WEIGHT[m] for m in milestones])[0]]
