"""Keeping evidence results: one office is computed live (well under a second); a pool (a region's
offices, or every office) is kept computed, because at national scale it takes seconds.

A result is stored with the data versions of its offices (``bapas.models.OfficeDataVersion``): it is
fresh while no office's data changed. The pooled page shows the last result even when an office's
data changed since (with the time it was computed), and has the worker compute a fresh one; the
nightly ``precompute_evidence`` task computes the default period of every region and of all offices
before anyone asks.
"""

import hashlib
import logging
from datetime import date

from django.conf import settings
from django.core.cache import caches
from django.db.models import Sum
from django.utils import timezone, translation
from django_tasks import task

from bapas.models import Office, OfficeDataVersion, Region
from reports.evidence.dataset import HORIZONS, evidence_dataset

logger = logging.getLogger(__name__)
KEEP_SECONDS = 14 * 24 * 60 * 60


def _cache():
    return caches["reports"] if "reports" in settings.CACHES else caches["default"]


def _versions(office, region=None) -> str:
    qs = OfficeDataVersion.objects.all()
    if office is not None:
        qs = qs.filter(office_id=office.pk)
    elif region is not None:
        qs = qs.filter(office__region_id=region.pk)
    totals = qs.aggregate(total=Sum("version"))
    return f"{qs.count()}:{totals['total'] or 0}"


def _key(office, date_from, date_to, horizon, today, language, region=None) -> str:
    scope = office.code if office else f"REGION:{region.code}" if region else "ALL"
    raw = f"{scope}|{date_from}|{date_to}|{horizon}|{today}|{language}"
    return "evidence:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def compute_and_keep(office, date_from: date, date_to: date, horizon: int, today: date, region=None) -> dict:
    region = None if office is not None else region
    versions = _versions(office, region)
    data = evidence_dataset(office, date_from, date_to, horizon, today, region=region)
    entry = {"versions": versions, "data": data, "computed_at": timezone.now().isoformat()}
    key = _key(office, date_from, date_to, horizon, today, translation.get_language(), region)
    _cache().set(key, entry, KEEP_SECONDS)
    return {**data, "computed_at": entry["computed_at"]}


def _queue_refresh(date_from: date, date_to: date, horizon: int, today: date, region=None) -> None:
    try:
        refresh_evidence.enqueue(
            None, date_from.isoformat(), date_to.isoformat(), horizon, today.isoformat(),
            region.code if region is not None else None,
        )  # fmt: skip
    except Exception:  # the queue is down: the next visit tries again
        logger.exception("could not queue the pooled evidence refresh")


def evidence_for(
    office, date_from: date, date_to: date, horizon: int, today: date, *, wait: bool = True, region=None
) -> dict:  # fmt: skip
    """The evidence dataset with ``computed_at`` (ISO time) and ``stale`` (True when data changed
    since and a fresh result is being computed in the background). A pool (the offices of
    ``region``, or every office) without ``wait``: never computed in the request; ``{"pending":
    True}`` until the worker has a result."""
    region = None if office is not None else region
    key = _key(office, date_from, date_to, horizon, today, translation.get_language(), region)
    entry = _cache().get(key)
    if entry is not None and entry["versions"] == _versions(office, region):
        return {**entry["data"], "computed_at": entry["computed_at"], "stale": False}
    if office is None and not wait:
        _queue_refresh(date_from, date_to, horizon, today, region)
        if entry is not None:
            return {**entry["data"], "computed_at": entry["computed_at"], "stale": True}
        entry = _cache().get(key)  # an immediate backend (tests) has computed it already
        if entry is None:
            return {"pending": True}
        return {**entry["data"], "computed_at": entry["computed_at"], "stale": False}
    return {**compute_and_keep(office, date_from, date_to, horizon, today, region), "stale": False}


@task(queue_name="reports")
def refresh_evidence(
    office_code, date_from: str, date_to: str, horizon: int, today: str, region_code: str | None = None
) -> None:  # fmt: skip
    office = Office.objects.get(code=office_code) if office_code else None
    region = Region.objects.get(code=region_code) if region_code and office is None else None
    with translation.override(settings.LANGUAGE_CODE):
        compute_and_keep(office, date.fromisoformat(date_from), date.fromisoformat(date_to), horizon,
                         date.fromisoformat(today), region)  # fmt: skip


DEFAULT_YEARS = 5


def default_period(today: date) -> tuple[date, date]:
    """The page's default: the five full calendar years before this one. An office runs about ten
    sessions a year and the comparisons need several on each side; the horizons of those years'
    sessions have mostly passed."""
    return date(today.year - DEFAULT_YEARS, 1, 1), date(today.year - 1, 12, 31)


def pools():
    """What the nightly run keeps computed: every office pooled (None), then each region with offices."""
    return [None, *Region.objects.filter(offices__isnull=False).distinct().order_by("code")]


@task(queue_name="reports")
def precompute_evidence() -> int:
    """Nightly: all offices pooled and each region's offices pooled, for the default period and every
    horizon. Returns the count of results."""
    today = timezone.localdate()
    date_from, date_to = default_period(today)
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        for region in pools():
            for horizon in HORIZONS:
                compute_and_keep(None, date_from, date_to, horizon, today, region)
                count += 1
    return count
