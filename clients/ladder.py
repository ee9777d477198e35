"""The warning ladder: which surat peringatan a client's run of missed periods calls for.

The run is ``ClientCompliance.missed_in_a_row`` (the periods missed since the last report, excused
ones left out). One missed period calls for SP1, two for SP2, three or more for SP3 and then the
observation team (TPP). A warning answers the periods it names; the step is done when a warning of
that level or higher answers a period of the run. The step is *due* from the day after the period
that reached it ended, and *overdue* after ``OVERDUE_DAYS`` more days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from clients.compliance import ClientCompliance, Period
from clients.models import ReportingWarning

LEVELS = [ReportingWarning.Level.SP1, ReportingWarning.Level.SP2, ReportingWarning.Level.SP3]
OVERDUE_DAYS = 7


def answered_codes(warning) -> set[str]:
    """The period codes ("2026-10", "2026-W47") a warning names."""
    return {code.strip() for code in (warning.missed_periods or "").split(",") if code.strip()}


@dataclass
class LadderState:
    """Where a client stands: ``run`` (missed in a row), the highest level already answering it,
    the level due now (or None) and since when, and whether the case is ready for the TPP."""

    run: list[Period] = field(default_factory=list)
    answered_level: str | None = None
    due_level: str | None = None
    due_since: date | None = None
    tpp_ready: bool = False  # SP3 answers a run of three or more
    days_due: int = 0  # days since the due step became due (as of the day given to ladder_state)

    @property
    def step(self) -> int:
        """0 (nothing missed), 1, 2, 3: the rung the run has reached."""
        return min(len(self.run), len(LEVELS))

    @property
    def overdue(self) -> bool:
        """The due step has waited more than ``OVERDUE_DAYS`` days."""
        return self.due_level is not None and self.days_due > OVERDUE_DAYS


def ladder_state(compliance: ClientCompliance, warnings, today: date) -> LadderState:
    """The ladder of one client from its compliance and its warnings (any iterable of ReportingWarning)."""
    run = compliance.missed_in_a_row_periods
    state = LadderState(run=run)
    if not run:
        return state
    labels = {p.label for p in run}
    answered = -1
    for warning in warnings:
        if answered_codes(warning) & labels and warning.level in LEVELS:
            answered = max(answered, LEVELS.index(warning.level))
    state.answered_level = LEVELS[answered] if answered >= 0 else None
    needed = state.step - 1
    if answered < needed:
        state.due_level = LEVELS[needed]
        state.due_since = run[needed].end + timedelta(days=1)
        state.days_due = max(0, (today - state.due_since).days)
    elif answered == len(LEVELS) - 1:
        state.tpp_ready = True
    return state
