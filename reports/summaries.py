"""Summary rows behind the dashboards: each office's aggregates per day, kept valid by a version counter.

Why: at national scale (100,000 clients, millions of wajib lapor) the compliance, implementation and
follow-up aggregates of all offices take seconds; the dashboards must answer in well under one.

How it stays correct:
- The office's data version (``bapas.OfficeDataVersion``) is raised **in the same transaction** as
  every write that can move a figure of that office: the services and bulk paths that write call
  ``bapas.data_version.bump_offices`` (see there).
- A summary row records the version it was computed at, and is served only while that version is
  still the office's current one. A reader reads the version *before* computing, so a change that
  commits during the computation leaves the new row already outdated, never wrong-but-current.
- Rows are per office, per day (the office's "today": compliance periods close with the day) and
  per language (labels are stored translated).
- Wajib lapor dated today (the counter's everyday work) cannot change any figure of today's summary
  (compliance counts periods that ended before today), so recording one does not raise the version.
- After a change commits (``bapas.data_version.office_data_changed``), a background task (queue
  "reports") recomputes the office's row, so the next visitor usually finds it ready.
  ``manage.py refresh_dashboards`` fills every office's row (run it from cron shortly after midnight
  so the first visitor of the day does not wait).
- Until the worker is done, the dashboard pages show the office's latest row of today or yesterday
  if it was computed less than ``DASHBOARD_STALE_MINUTES`` ago, and say from when its figures are;
  otherwise the request computes the row. So a change that outdates a hundred offices at once, or
  a new day before ``refresh_dashboards`` ran, costs the next visitor one query, not a hundred
  offices' aggregates. Functions called without ``stale`` (reports, tests) always get current rows.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import date, timedelta

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models.fields.json import KT
from django.utils import timezone, translation
from django_tasks import task

from bapas.data_version import CURRENT_VERSION, current_versions
from bapas.models import Office, OfficeDataVersion
from reports.models import OfficeSummary, background_refresh_enabled, stored_language
from reports.office_figures import compute_office_summary
from reports.periods import office_today

logger = logging.getLogger(__name__)

KEEP_DAYS = 1  # rows of yesterday are kept (offices in other zones may still be on it)


# --- reading -----------------------------------------------------------------------------------


# What the regional and national dashboards read of each office's row: a few totals and two
# breakdowns, not the PKs' months or every session (at 250,000 clients the whole rows of 100 offices
# are 11 MB of JSON).
REGIONAL_PARTS = (
    "clients", "compliance__totals", "implementation__totals", "implementation__by_training_type",
    "implementation__by_method", "years", "overdue", "gap",
)  # fmt: skip


def _columns(parts) -> list:
    """The row's data, or only ``parts`` of it, each as JSON text (decoded by ``_decoded``)."""
    return [KT(f"data__{part}") for part in parts] if parts else ["data"]


def _decoded(parts, values) -> dict:
    if not parts:
        return values[0]
    data: dict = {}
    for path, value in zip(parts, values, strict=True):
        *parents, last = path.split("__")
        into = data
        for parent in parents:
            into = into.setdefault(parent, {})
        into[last] = orjson.loads(value) if isinstance(value, str | bytes) else value
    return data


def _picked(data: dict, parts) -> dict:
    """``parts`` of a whole row computed now, shaped as ``_decoded`` reads them from the table."""
    if not parts:
        return data
    values = []
    for path in parts:
        value = data
        for key in path.split("__"):
            value = value[key]
        values.append(value)
    return _decoded(parts, values)


def office_summaries(offices, day: date, *, stale: dict | None = None, parts=()) -> dict[int, dict]:
    """{office pk: summary data} for ``day``: valid rows in one query, missing ones computed now.

    ``parts`` (``REGIONAL_PARTS``): read only these keys of each row (``a__b`` for ``data["a"]["b"]``),
    as the regional and national dashboards do; default the whole row.

    With ``stale`` (a dict to fill), an office whose row is outdated but was computed less than
    ``DASHBOARD_STALE_MINUTES`` ago (today's or yesterday's) gets that row while the worker
    recomputes it: ``stale[office pk]`` is then when it was computed, for the page to say so. Only
    offices without such a row are computed in the request. The office and regional dashboard pages
    use this, so a change that outdates many offices at once (or a new day before
    ``refresh_dashboards`` ran) costs the next visitor one query instead of every office's aggregates.
    """
    offices = list(offices)
    if not offices:
        return {}
    language = stored_language()
    ids = [o.pk for o in offices]
    rows = OfficeSummary.objects.filter(
        office_id__in=ids,
        day=day,
        language=language,
        version=CURRENT_VERSION,
    ).values_list("office_id", *_columns(parts))
    found = {office_id: _decoded(parts, values) for office_id, *values in rows}
    missing = [o for o in offices if o.pk not in found]
    if missing and stale is not None and background_refresh_enabled():
        recent = _recent_rows([o.pk for o in missing], day, language, parts)
        if recent:
            found.update({pk: data for pk, (data, _) in recent.items()})
            stale.update({pk: computed_at for pk, (_, computed_at) in recent.items()})
            queue_refresh(list(recent))
            missing = [o for o in missing if o.pk not in recent]
    if missing:
        versions = current_versions([o.pk for o in missing])
        for office in missing:
            found[office.pk] = _picked(_compute_and_store(office, day, language, versions.get(office.pk, 0)), parts)
    return found


def _recent_rows(office_ids, day: date, language: str, parts=()) -> dict[int, tuple[dict, object]]:
    """{office pk: (data, computed_at)}: each office's latest row of ``day`` or the day before, whatever
    its version, if computed within ``DASHBOARD_STALE_MINUTES``. One query (at most two rows an office)."""
    minutes = settings.DASHBOARD_STALE_MINUTES
    if minutes <= 0:
        return {}
    rows = (
        OfficeSummary.objects.filter(
            office_id__in=office_ids,
            language=language,
            day__gte=day - timedelta(days=KEEP_DAYS),
            day__lte=day,
            computed_at__gte=timezone.now() - timedelta(minutes=minutes),
        )
        .order_by("office_id", "-day", "-computed_at")
        .values_list("office_id", "computed_at", *_columns(parts))
    )
    recent: dict = {}
    for office_id, computed_at, *values in rows:
        if office_id not in recent:
            recent[office_id] = (_decoded(parts, values), computed_at)
    return recent


def current_office_summary(office, day: date) -> dict | None:
    """The office's summary row for ``day`` if it is current; None otherwise (nothing is computed)."""
    return (
        OfficeSummary.objects.filter(
            office=office,
            day=day,
            language=stored_language(),
            version=CURRENT_VERSION,
        )
        .values_list("data", flat=True)
        .first()
    )


def office_summary(office, day: date) -> dict:
    return office_summaries([office], day)[office.pk]


def _compute_and_store(office, day: date, language: str, version: int) -> dict:
    started = time.perf_counter()
    data = json.loads(json.dumps(compute_office_summary(office, today=day), cls=DjangoJSONEncoder))
    seconds = time.perf_counter() - started
    try:
        with transaction.atomic():
            OfficeSummary.objects.update_or_create(
                office=office,
                day=day,
                language=language,
                defaults={"version": version, "data": data, "seconds": round(seconds, 3)},
            )
            OfficeSummary.objects.filter(office=office, day__lt=day - timedelta(days=KEEP_DAYS)).delete()
    except IntegrityError:  # another worker stored the same row at the same moment: theirs is as good
        pass
    return data


# --- recomputation after a change -----------------------------------------------------------------


def on_office_data_changed(sender, office_ids, **kwargs) -> None:
    """Receiver of ``bapas.data_version.office_data_changed`` (connected in reports.apps)."""
    queue_refresh(office_ids)


# Offices this process queued a refresh for lately: repeated writes in one request (attendance of
# several days) queue one task, not one each.
_recently_queued: dict[int, float] = {}
REQUEUE_AFTER_SECONDS = 2.0


REFRESH_BATCH = 10  # offices per refresh task: a mass outdating queues a few tasks that workers share


def queue_refresh(office_ids) -> None:
    """After commit: have the worker recompute these offices' rows, at most one pending task each.

    A fixed number of queries whatever the number of offices: one to find the offices with no
    refresh pending, one to mark them, one task per ``REFRESH_BATCH`` of them."""
    if not background_refresh_enabled():
        return
    now = time.monotonic()
    ids = [pk for pk in dict.fromkeys(office_ids) if now - _recently_queued.get(pk, -1e9) >= REQUEUE_AFTER_SECONDS]
    if not ids:
        return
    for pk in ids:
        _recently_queued[pk] = now
    pending = OfficeDataVersion.objects.filter(office_id__in=ids, refresh_queued=False)
    to_queue = sorted(pending.values_list("office_id", flat=True))
    if not to_queue or not pending.filter(office_id__in=to_queue).update(refresh_queued=True):
        return
    for start in range(0, len(to_queue), REFRESH_BATCH):
        batch = to_queue[start : start + REFRESH_BATCH]
        try:
            refresh_office_summaries.enqueue(batch)
        except Exception:  # the queue is down: the next dashboard visitor computes them instead
            logger.exception("could not queue the dashboard refresh of offices %s", batch)
            OfficeDataVersion.objects.filter(office_id__in=batch).update(refresh_queued=False)


@task(queue_name="reports")
def refresh_office_summaries(office_ids: list[int]) -> None:
    """The offices' dashboard rows, and their report rollups of every year they have (``reports.rollups``)."""
    from reports.rollups import refresh_existing

    OfficeDataVersion.objects.filter(office_id__in=office_ids).update(refresh_queued=False)
    with translation.override(settings.LANGUAGE_CODE):
        for office in Office.objects.filter(pk__in=office_ids).order_by("pk"):
            office_summary(office, office_today(office))
            refresh_existing(office)
