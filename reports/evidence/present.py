"""What the Temuan page and the PDF brief show, from the evidence dataset (the same numbers)."""

from datetime import date

from django.utils.translation import gettext as _

from reports.charts import Interval, svg_forest
from reports.evidence import estimate
from reports.evidence.findings import VERDICT_LABELS
from reports.evidence.tables import evidence_factor_rows, evidence_methods_note


def _note(row: dict) -> str:
    if row["verdict"] == estimate.CONFOUNDED:
        return _("cannot be separated from %(other)s") % {"other": row["confounded_label"]}
    return _("not enough data: %(more)s more sessions") % {"more": row["more_sessions_needed"]}


def forest_chart(rows: list[dict], *, width: int = 560, row_height: int = 24):
    intervals = [
        Interval(
            label=_("%(factor)s: %(level)s vs %(reference)s")
            % {"factor": row["factor_label"], "level": row["level_label"], "reference": row["reference_label"]},
            value=row["difference"],
            low=row["difference_low"],
            high=row["difference_high"],
            note=_note(row),
        )
        for row in rows
    ]
    return svg_forest(
        intervals,
        # xgettext:no-python-format
        title=_("Difference in the implementation rate (percentage points, 95% interval)"),
        width=width,
        row_height=row_height,
    )


def evidence_context(data: dict) -> dict:
    rows = evidence_factor_rows(data)
    estimated = [row for row in rows if row["difference"] is not None]
    return {
        "data": data,
        "outcome": data["outcome"],
        "comparison": {
            **data["comparison"],
            "verdict_label": str(VERDICT_LABELS.get(data["comparison"]["verdict"], "")),
        },
        "factor_rows": rows,
        "estimated": estimated,
        "not_enough": [row for row in rows if row["verdict"] == estimate.NOT_ENOUGH_DATA],
        "confounded": [row for row in rows if row["verdict"] == estimate.CONFOUNDED],
        "forest": forest_chart(rows, width=440),
        "forest_print": forest_chart(rows, width=900, row_height=20),
        "methods_note": evidence_methods_note(),
        "thresholds": {
            "sessions": estimate.MIN_SESSIONS,
            "participants": estimate.MIN_PARTICIPANTS,
            "matched": estimate.MIN_MATCHED,
        },
        "date_from": date.fromisoformat(data["from"]),
        "date_to": date.fromisoformat(data["to"]),
        "computed_on": date.fromisoformat(data["computed_on"]) if data.get("computed_on") else None,
    }
