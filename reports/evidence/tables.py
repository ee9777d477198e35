"""The evidence report as titled tables for people (XLSX): the same rows as the JSON, labelled."""

from django.utils.translation import gettext as _

from reports.evidence.findings import FACTOR_LABELS, VERDICT_LABELS, level_label, named_level
from reports.tables import Column, Table


def _c(key, label, kind="text"):
    return Column(key, str(label), kind)


def evidence_factor_rows(data) -> list[dict]:
    return [
        {
            **row,
            "factor_label": str(FACTOR_LABELS.get(row["factor"], row["factor"])),
            "level_label": level_label(row["factor"], row["level"]),
            "reference_label": level_label(row["factor"], row["reference"]),
            "verdict_label": str(VERDICT_LABELS.get(row["verdict"], row["verdict"])),
            "confounded_label": named_level(row["confounded_with"]) if row.get("confounded_with") else "",
        }
        for row in data.get("factors", [])
    ]


def evidence_methods_note() -> str:
    return _("Participants of held trainings; outcome by the latest follow-up in the window from one month before to two months after the horizon. Differences in percentage points with 95 percent intervals that account for participants being grouped in sessions (GEE, exchangeable correlation, robust errors), adjusted for the other factors where the data allow. A side needs at least 5 sessions and 20 participants followed up; the comparison group at least 60 matched participants.")  # fmt: skip


def evidence_tables(data) -> list[Table]:
    outcome_columns = [
        _c("participants", _("Participants"), "int"),
        _c("due", _("Due for follow-up"), "int"),
        _c("observed", _("Followed up in the window"), "int"),
        _c("missing", _("Missing"), "int"),
        _c("implemented", _("Implemented"), "int"),
        _c("rate", _("Implementation rate"), "rate"),
        # xgettext:no-python-format
        _c("rate_low", _("95% interval from"), "rate"),
        # xgettext:no-python-format
        _c("rate_high", _("95% interval to"), "rate"),
        _c("worst_case_rate", _("Worst case"), "rate"),
        _c("best_case_rate", _("Best case"), "rate"),
    ]
    factor_columns = [
        _c("factor_label", _("Factor")),
        _c("level_label", _("Level")),
        _c("reference_label", _("Compared with")),
        _c("sessions", _("Sessions"), "int"),
        _c("participants", _("Participants followed up"), "int"),
        _c("reference_sessions", _("Sessions (comparison)"), "int"),
        _c("reference_participants", _("Participants followed up (comparison)"), "int"),
        _c("rate", _("Implementation rate"), "rate"),
        _c("reference_rate", _("Implementation rate (comparison)"), "rate"),
        _c("difference", _("Difference"), "rate"),
        # xgettext:no-python-format
        _c("difference_low", _("95% interval from"), "rate"),
        # xgettext:no-python-format
        _c("difference_high", _("95% interval to"), "rate"),
        _c("verdict_label", _("Verdict")),
        _c("confounded_label", _("Cannot be separated from")),
        _c("more_sessions_needed", _("More sessions needed"), "int"),
    ]
    comparison = data.get("comparison") or {}
    comparison_columns = [
        _c("matched_participants", _("Matched participants"), "int"),
        _c("matched_non_participants", _("Matched non-participants"), "int"),
        _c("working_participants", _("Working: participants"), "rate"),
        _c("working_comparison", _("Working: comparison group"), "rate"),
        _c("difference", _("Difference"), "rate"),
        # xgettext:no-python-format
        _c("difference_low", _("95% interval from"), "rate"),
        # xgettext:no-python-format
        _c("difference_high", _("95% interval to"), "rate"),
        _c("verdict_label", _("Verdict")),
        _c("revoked_participants", _("Revoked within 12 months: participants"), "rate"),
        _c("revoked_comparison", _("Revoked within 12 months: comparison group"), "rate"),
    ]
    comparison_row = {**comparison, "verdict_label": str(VERDICT_LABELS.get(comparison.get("verdict"), ""))}
    return [
        Table("outcome", _("Outcome at the horizon"), outcome_columns, [data["outcome"]], note=evidence_methods_note()),
        Table("factors", _("Factors"), factor_columns, evidence_factor_rows(data)),
        Table(
            "comparison", _("Comparison with similar clients who did not train"), comparison_columns, [comparison_row]
        ),
        Table(
            "findings",
            _("Findings"),
            [_c("finding", _("Finding"))],
            [{"finding": text} for text in data.get("findings", [])],
        ),
    ]
