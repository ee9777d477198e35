"""A report for one user's scope (``reports.access.ReportScope``): computed from the raw rows, or for a
viewer added up from the offices' rolled-up rows (``reports.rollups``); personal data stripped where
it must go. The pages, the downloads, the background renders and the ``report`` command ask here.
"""

from datetime import date

from reports.datasets import DATASETS, REPORT_FILTERS, without_personal_data
from reports.rollups import rollup_dataset, uses_rollups


def build_dataset(
    name: str, *, scope, date_from: date, date_to: date, partner=None, training_type=None, freshness=None
) -> dict:
    """Run a report for a scope (reports.access.ReportScope) and strip personal data where it must go.

    A viewer's participation, implementation or compliance report of whole months is added up from
    the offices' rolled-up rows (``reports.rollups``): the same numbers, without aggregating every
    office's raw rows; those rows hold codes and counts, never a person. ``freshness`` (a dict, the
    pages pass one) gets ``stale_count`` and ``stale_since`` of the outdated rows shown; with it, rows
    too many to compute now raise ``reports.rollups.RollupPending`` (queued for the worker) instead of
    being computed in the request.
    """
    if uses_rollups(name, scope, date_from, date_to):
        data, rollups = rollup_dataset(
            name, scope=scope, date_from=date_from, date_to=date_to, partner=partner, training_type=training_type,
            compute_missing=freshness is None,
        )  # fmt: skip
        if freshness is not None:
            freshness.update(stale_count=len(rollups.stale), stale_since=rollups.stale_since)
        return data  # codes and counts only (tests/reports/test_rollups.py: equal to the stripped live report)
    function = DATASETS[name]
    kwargs = {"office": scope.office, "date_from": date_from, "date_to": date_to, "region": scope.region}
    if "partner" in REPORT_FILTERS[name]:
        kwargs["partner"] = partner
    if "training_type" in REPORT_FILTERS[name]:
        kwargs["training_type"] = training_type
    if scope.officer is not None and name != "agreements":
        kwargs["officer"] = scope.officer
    data = function(**kwargs)
    if not scope.personal_data:
        data = without_personal_data(data)
    return data
