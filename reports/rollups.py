"""Each office's report facts per year, kept current by the worker: the regional and national report
pages add them up instead of aggregating millions of raw rows.

Why: at 250,000 clients the participation, implementation and compliance reports of all offices take
2–5 s to aggregate from the raw rows (and the compliance report of one region about one second);
the viewers' pages must answer in well under half a second.

What a row holds (``OfficeRollup``, one per office, year and language), each part JSON text in its
own column:
- ``sessions``, ``people``, ``clients``, ``groups``, ``planned``: the office's participation facts
  for the year with the follow-up outcomes (``reports.datasets.participation_facts``: the held
  sessions with their counts, participants by programme and sex, the participating clients, the
  outcome groups, the sessions not held yet);
- ``compliance``: the office's due and reported periods per month and its warnings per month and
  level (``clients.compliance.compliance_dataset``).

A report of a period made of whole months (a year, a quarter, a month, or dates from a month's first
to a month's last day) is then cut out of the rows of its offices and folded by the very functions
that fold the office's own report (``narrow_facts`` and ``fold_participation`` /
``fold_implementation``, ``compliance_from_months``): the same numbers by construction, which the
tests check against the live computation. Any other period is computed from the raw rows.

How it stays correct (as the dashboards' summary rows, ``reports.summaries``):
- A row records the office's data version (``bapas.OfficeDataVersion``, raised in the same
  transaction as every write that can move a figure) and the office's date; it is served while the
  version is unchanged and, for a year not yet over when it was computed, on that date only.
- After a change, the worker's refresh of the office (``reports.summaries.refresh_office_summaries``)
  recomputes the office's rows of every year it has. ``refresh_dashboards`` (cron, after midnight)
  computes this year's and last year's rows of every office.
- Until the worker is done, a page shows an office's outdated row if it was computed less than
  ``DASHBOARD_STALE_MINUTES`` ago and says from when its figures are. A page whose missing rows
  (a year nobody asked for yet) take longer than ``REPORT_ROLLUP_INLINE_SECONDS`` to compute queues
  the rest and says they are being prepared, instead of making the visitor wait for every office.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_tasks import task

from bapas.data_version import CURRENT_VERSION, current_versions
from bapas.models import Office
from reports.models import OfficeRollup, background_refresh_enabled, stored_language
from reports.periods import is_whole_months, office_today

logger = logging.getLogger(__name__)

ROLLUP_REPORTS = ("participation", "implementation", "compliance")
# The parts of a row each report folds (``OfficeRollup.PARTS``): a page reads only these.
FACTS_READ = {
    "participation": ("sessions", "people", "clients", "planned"),
    "implementation": ("sessions", "groups", "planned"),
    "compliance": ("compliance",),
}


class RollupPending(Exception):
    """Too many offices' rows are missing to compute them in the request: they are queued."""

    def __init__(self, missing: int, total: int):
        super().__init__(f"{missing} of {total} office rollups are being computed")
        self.missing = missing
        self.total = total


@dataclass
class Rollups:
    """The rows of a request: ``parts`` (one data dict per office and year) and when the outdated
    ones shown were computed (``stale``: office pk -> time)."""

    parts: list[dict] = field(default_factory=list)
    stale: dict = field(default_factory=dict)

    @property
    def stale_since(self) -> datetime | None:
        return min(self.stale.values()) if self.stale else None


# --- computing -------------------------------------------------------------------------------------


def compute_rollup_data(office: Office, year: int, today: date) -> dict:
    """The office's parts for ``year`` as of ``today`` (``OfficeRollup.PARTS``, JSON-ready)."""
    from clients.compliance import compliance_dataset
    from reports.datasets import participation_facts

    first, last = date(year, 1, 1), date(year, 12, 31)
    facts = participation_facts(office=office, date_from=first, date_to=last, today=today, outcomes=True)
    compliance = compliance_dataset(office=office, date_from=first, date_to=last, today=today, warnings_by_month=True)
    return {
        **facts,
        "compliance": {"by_month": compliance["by_month"], "warnings_by_month": compliance["warnings_by_month"]},
    }


def _dumps(value) -> str:
    return orjson.dumps(value, default=DjangoJSONEncoder().default).decode()


def compute_and_store(office: Office, year: int, language: str | None = None) -> dict:
    """Compute the office's row for ``year`` now, store it and return its parts. The version is read
    before computing, so a change committed meanwhile leaves the row already outdated, never
    wrong-but-current."""
    language = language or stored_language()
    version = current_versions([office.pk])[office.pk]
    today = office_today(office)
    started = time.perf_counter()
    with translation.override(language):
        parts = compute_rollup_data(office, year, today)
    texts = {name: _dumps(parts[name]) for name in OfficeRollup.PARTS}
    seconds = time.perf_counter() - started
    try:
        with transaction.atomic():
            OfficeRollup.objects.update_or_create(
                office=office,
                year=year,
                language=language,
                defaults={"version": version, "day": today, "seconds": round(seconds, 3), **texts},
            )
    except IntegrityError:  # another worker stored the same row at the same moment: theirs is as good
        pass
    return {name: orjson.loads(text) for name, text in texts.items()}


def is_current(row_day: date, row_version: int, version: int, year: int, today: date) -> bool:
    """A row is current while the office's version is the one it was computed at, and, for a year that
    was not over when it was computed, on the day it was computed for."""
    return row_version == version and (row_day == today or row_day.year > year)


# --- reading ---------------------------------------------------------------------------------------


def office_rollups(offices, years, *, parts=OfficeRollup.PARTS, compute_missing: bool = True) -> Rollups:
    """The rows of ``offices`` for ``years``: current ones in one query; outdated ones computed within
    ``DASHBOARD_STALE_MINUTES`` shown while the worker recomputes them; the rest computed now.

    ``parts``: the parts of each row to read (``OfficeRollup.PARTS``): a page reads only what its
    report folds. ``compute_missing`` False (the pages): rows still missing after
    ``REPORT_ROLLUP_INLINE_SECONDS`` of computing them are queued, and ``RollupPending`` is raised.
    The worker and the commands compute whatever is missing.
    """
    offices = list(offices)
    years = sorted(set(years))
    language = stored_language()
    by_pk = {o.pk: o for o in offices}
    rows = OfficeRollup.objects.filter(office_id__in=list(by_pk), year__in=years, language=language).values_list(
        "office_id", "year", "day", "version", "computed_at", CURRENT_VERSION, *parts
    )
    found: dict[tuple[int, int], dict] = {}
    recent: dict[tuple[int, int], tuple[dict, datetime]] = {}
    stale_minutes = settings.DASHBOARD_STALE_MINUTES
    background = background_refresh_enabled()
    now = timezone.now()
    for office_id, year, day, version, computed_at, current, *texts in rows:
        if is_current(day, version, current or 0, year, office_today(by_pk[office_id])):
            found[(office_id, year)] = dict(zip(parts, map(orjson.loads, texts), strict=True))
        elif background and stale_minutes > 0 and (now - computed_at).total_seconds() < stale_minutes * 60:
            recent[(office_id, year)] = (dict(zip(parts, map(orjson.loads, texts), strict=True)), computed_at)
    result = Rollups()
    missing = [(o, y) for o in offices for y in years if (o.pk, y) not in found]
    outdated = [(o, y) for o, y in missing if (o.pk, y) in recent]
    if outdated:
        for office, year in outdated:
            data, computed_at = recent[(office.pk, year)]
            found[(office.pk, year)] = data
            result.stale[office.pk] = min(computed_at, result.stale.get(office.pk, computed_at))
        queue_rollups(outdated)
    missing = [(o, y) for o, y in missing if (o.pk, y) not in found]
    budget = settings.REPORT_ROLLUP_INLINE_SECONDS
    started = time.monotonic()
    for index, (office, year) in enumerate(missing):
        if not compute_missing and background and time.monotonic() - started > budget:
            queue_rollups(missing[index:])
            raise RollupPending(len(missing) - index, len(offices) * len(years))
        computed = compute_and_store(office, year, language)
        found[(office.pk, year)] = {name: computed[name] for name in parts}
    result.parts = [found[(o.pk, y)] for o in offices for y in years]
    return result


# --- the worker ------------------------------------------------------------------------------------


# (office pk, year) this process queued lately: a "being prepared" page looking again every few
# seconds does not queue the same rows again while the worker is at them.
_recently_queued: dict[tuple[int, int], float] = {}
REQUEUE_AFTER_SECONDS = 60.0
REFRESH_BATCH = 10  # offices per task


def queue_rollups(pairs) -> None:
    """Have the worker compute these (office, year) rows; a down queue only logs."""
    now = time.monotonic()
    by_year: dict[int, list[int]] = {}
    for office, year in pairs:
        key = (getattr(office, "pk", office), year)
        if now - _recently_queued.get(key, -1e9) < REQUEUE_AFTER_SECONDS:
            continue
        _recently_queued[key] = now
        by_year.setdefault(year, []).append(key[0])
    for year, office_ids in by_year.items():
        for start in range(0, len(office_ids), REFRESH_BATCH):
            batch = sorted(office_ids[start : start + REFRESH_BATCH])
            try:
                compute_office_rollups.enqueue(batch, year)
            except Exception:  # the queue is down: the next visitor is told, the nightly run fills them
                logger.exception("could not queue the report rollups of offices %s for %s", batch, year)


@task(queue_name="reports")
def compute_office_rollups(office_ids: list[int], year: int) -> None:
    """Bring these offices' rows of ``year`` up to date (rows already current are left alone)."""
    with translation.override(settings.LANGUAGE_CODE):
        for office in Office.objects.filter(pk__in=office_ids).order_by("pk"):
            ensure_current(office, [year])


def ensure_current(office: Office, years, language: str | None = None) -> int:
    """Compute the office's rows of ``years`` that are not current; returns how many were computed."""
    language = language or stored_language()
    version = current_versions([office.pk])[office.pk]
    today = office_today(office)
    have = {
        year: (day, row_version)
        for year, day, row_version in OfficeRollup.objects.filter(
            office=office, year__in=list(years), language=language
        ).values_list("year", "day", "version")
    }
    computed = 0
    for year in years:
        if year in have and is_current(*have[year], version, year, today):
            continue
        compute_and_store(office, year, language)
        computed += 1
    return computed


def refresh_existing(office: Office) -> int:
    """After a change: recompute the office's rows of every year and language it has (the worker)."""
    computed = 0
    pairs = OfficeRollup.objects.filter(office=office).values_list("language", "year").order_by("language", "year")
    by_language: dict[str, list[int]] = {}
    for language, year in pairs:
        by_language.setdefault(language, []).append(year)
    for language, years in by_language.items():
        computed += ensure_current(office, years, language)
    return computed


# --- reports from the rows -------------------------------------------------------------------------


def uses_rollups(name: str, scope, date_from: date, date_to: date) -> bool:
    """A viewer's report (aggregates only, no PK's caseload) of whole months is read from the rows."""
    return (
        name in ROLLUP_REPORTS
        and not scope.personal_data
        and scope.officer is None
        and is_whole_months(date_from, date_to)
    )


def scope_offices(scope):
    if scope.office is not None:
        return [scope.office]
    offices = Office.objects.order_by("code")
    if scope.region is not None:
        offices = offices.filter(region=scope.region)
    return list(offices)


def rollup_dataset(
    name: str, *, scope, date_from: date, date_to: date, partner=None, training_type=None, compute_missing=True
) -> tuple[dict, Rollups]:
    """The report ``name`` of the viewer's scope from the offices' rows (``uses_rollups`` must hold),
    and the rows it came from (``Rollups.stale``: the outdated ones shown)."""
    from clients.compliance import compliance_from_months
    from reports.datasets import _filters, fold_implementation, fold_participation, narrow_facts

    parts = FACTS_READ[name]
    rollups = office_rollups(
        scope_offices(scope), range(date_from.year, date_to.year + 1), parts=parts, compute_missing=compute_missing
    )
    labels = {"office": scope.office, "region": scope.region, "date_from": date_from, "date_to": date_to}
    if name == "compliance":
        today = office_today(scope.office) if scope.office is not None else timezone.localdate()
        data = compliance_from_months([part["compliance"] for part in rollups.parts], today=today, **labels)
    else:
        facts: dict = {key: [] for key in parts}
        for part in rollups.parts:
            for key in parts:
                facts[key].extend(part[key])
        facts = narrow_facts(facts, date_from=date_from, date_to=date_to, partner=partner, training_type=training_type)
        filters = _filters(partner=partner, training_type=training_type)
        if name == "participation":
            data = fold_participation(facts, filters=filters, **labels)
        else:
            data = fold_implementation(facts, filters=filters, **labels)[0]
    return data, rollups
