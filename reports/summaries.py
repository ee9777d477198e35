"""Summary rows behind the dashboards: each office's aggregates per day, kept valid by a version counter.

Why: at national scale (100,000 clients, millions of wajib lapor) the compliance, implementation and
follow-up aggregates of all offices take seconds; the dashboards must answer in well under one.

How it stays correct:
- ``OfficeDataVersion.version`` is raised **in the same transaction** as every change that can move
  a figure of that office (signal handlers below, and ``bump_offices`` from bulk paths such as the
  workbook import, the demo loader and ``seed_scale``).
- A summary row records the version it was computed at, and is served only while that version is
  still the office's current one. A reader reads the version *before* computing, so a change that
  commits during the computation leaves the new row already outdated, never wrong-but-current.
- Rows are per office, per day (the office's "today": compliance periods close with the day) and
  per language (labels are stored translated).
- Wajib lapor reports dated today (the counter's everyday work) cannot change any figure of today's
  summary (compliance counts periods that ended before today), so they do not raise the version.
- After a change commits, a background task (queue "reports") recomputes the office's row, so the
  next visitor usually finds it ready. ``manage.py refresh_dashboards`` fills every office's row
  (run it from cron shortly after midnight so the first visitor of the day does not wait).
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
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone, translation
from django_tasks import task

from reports.models import OfficeDataVersion, OfficeSummary
from reports.office_figures import compute_office_summary

logger = logging.getLogger(__name__)

# The easternmost office time zone: no office's "today" is later than this zone's date.
LATEST_ZONE = ZoneInfo("Asia/Jayapura")
KEEP_DAYS = 1  # rows of yesterday are kept (offices in other zones may still be on it)


def office_today(office) -> date:
    return timezone.localdate(timezone=office.tzinfo)


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE)[:10]


# --- reading -----------------------------------------------------------------------------------


# The office's current data version, for filtering summary rows to the valid ones.
_CURRENT_VERSION = Subquery(OfficeDataVersion.objects.filter(office_id=OuterRef("office_id")).values("version")[:1])


def _current_versions(office_ids) -> dict[int, int]:
    versions = dict(OfficeDataVersion.objects.filter(office_id__in=office_ids).values_list("office_id", "version"))
    missing = [pk for pk in office_ids if pk not in versions]
    if missing:  # offices created before this table existed, or by raw inserts
        OfficeDataVersion.objects.bulk_create(
            [OfficeDataVersion(office_id=pk) for pk in missing], ignore_conflicts=True
        )
        versions.update(OfficeDataVersion.objects.filter(office_id__in=missing).values_list("office_id", "version"))
    return versions


def office_summaries(offices, day: date, *, stale: dict | None = None) -> dict[int, dict]:
    """{office pk: summary data} for ``day``: valid rows in one query, missing ones computed now.

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
    language = _language()
    ids = [o.pk for o in offices]
    rows = OfficeSummary.objects.filter(
        office_id__in=ids,
        day=day,
        language=language,
        version=_CURRENT_VERSION,
    ).values_list("office_id", "data")
    found = dict(rows)
    missing = [o for o in offices if o.pk not in found]
    if missing and stale is not None and background_refresh_enabled():
        recent = _recent_rows([o.pk for o in missing], day, language)
        if recent:
            found.update({pk: data for pk, (data, _) in recent.items()})
            stale.update({pk: computed_at for pk, (_, computed_at) in recent.items()})
            queue_refresh(list(recent))
            missing = [o for o in missing if o.pk not in recent]
    if missing:
        versions = _current_versions([o.pk for o in missing])
        for office in missing:
            found[office.pk] = _compute_and_store(office, day, language, versions.get(office.pk, 0))
    return found


def background_refresh_enabled() -> bool:
    return getattr(settings, "DASHBOARD_BACKGROUND_REFRESH", True)


def _recent_rows(office_ids, day: date, language: str) -> dict[int, tuple[dict, object]]:
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
        .values_list("office_id", "data", "computed_at")
    )
    recent: dict = {}
    for office_id, data, computed_at in rows:
        recent.setdefault(office_id, (data, computed_at))
    return recent


def current_office_summary(office, day: date) -> dict | None:
    """The office's summary row for ``day`` if it is current; None otherwise (nothing is computed)."""
    return (
        OfficeSummary.objects.filter(
            office=office,
            day=day,
            language=_language(),
            version=_CURRENT_VERSION,
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


# --- invalidation ------------------------------------------------------------------------------


def bump_offices(office_ids) -> None:
    """Raise the data version of these offices (inside the caller's transaction)."""
    ids = sorted({pk for pk in office_ids if pk})
    if not ids:
        return
    updated = OfficeDataVersion.objects.filter(office_id__in=ids).update(version=F("version") + 1)
    if updated < len(ids):
        OfficeDataVersion.objects.bulk_create(
            [OfficeDataVersion(office_id=pk, version=1) for pk in ids], ignore_conflicts=True
        )
    transaction.on_commit(lambda: queue_refresh(ids))


def bump_all_offices() -> None:
    from bapas.models import Office

    bump_offices(Office.objects.values_list("pk", flat=True))


# Offices this process queued a refresh for lately: repeated saves in one request (attendance of 20
# clients) queue one task, not twenty.
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
    from bapas.models import Office

    OfficeDataVersion.objects.filter(office_id__in=office_ids).update(refresh_queued=False)
    with translation.override(settings.LANGUAGE_CODE):
        for office in Office.objects.filter(pk__in=office_ids).order_by("pk"):
            office_summary(office, office_today(office))


# --- signal handlers (connected in reports.apps) --------------------------------------------------


def _cached(instance, *path):
    """Follow already-loaded relations (no query); None when one is not loaded."""
    for name in path:
        if not instance._meta.get_field(name).is_cached(instance):
            return None
        instance = getattr(instance, name)
    return instance


def on_office_saved(sender, instance, created, **kwargs):
    if created:
        OfficeDataVersion.objects.get_or_create(office_id=instance.pk)


def on_direct_change(sender, instance, **kwargs):
    """Models with their own ``office``: clients, sessions, training types, partners."""
    if not kwargs.get("raw"):
        bump_offices([instance.office_id])


def on_report_change(sender, instance, created=False, deleted=False, **kwargs):
    """Wajib lapor: a new report dated today or later changes no closed period, so it moves nothing."""
    if kwargs.get("raw"):
        return
    if (created or deleted) and instance.report_date >= timezone.localdate(timezone=LATEST_ZONE):
        return
    bump_offices([instance.office_id])


def on_report_deleted(sender, instance, **kwargs):
    on_report_change(sender, instance, deleted=True)


def on_warning_change(sender, instance, **kwargs):
    """Warnings are counted in the compliance figures of the client's office."""
    if kwargs.get("raw"):
        return
    from clients.models import Client

    client = _cached(instance, "client")
    if client is not None:
        bump_offices([client.office_id])
    else:
        bump_offices(Client.objects.filter(pk=instance.client_id).values_list("office_id", flat=True))


def _session_office(session_id):
    from trainings.models import TrainingSession

    return list(TrainingSession.objects.filter(pk=session_id).values_list("office_id", flat=True))


def on_enrolment_change(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    session = _cached(instance, "session")
    bump_offices([session.office_id] if session else _session_office(instance.session_id))


def on_enrolment_child_change(sender, instance, **kwargs):
    """Attendance and follow-ups: through their enrolment's session."""
    if kwargs.get("raw"):
        return
    from trainings.models import TrainingSession

    session = _cached(instance, "enrolment", "session")
    if session is not None:
        bump_offices([session.office_id])
    else:
        bump_offices(
            TrainingSession.objects.filter(enrolments=instance.enrolment_id).values_list("office_id", flat=True)
        )


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from bapas.models import Office
    from clients.models import Client, ReportingVisit, ReportingWarning
    from pokmaslipas.models import Partner
    from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession, TrainingType

    post_save.connect(on_office_saved, sender=Office, dispatch_uid="summary_office")
    for model in (Client, TrainingSession, TrainingType, Partner):
        post_save.connect(on_direct_change, sender=model, dispatch_uid=f"summary_save_{model.__name__}")
        post_delete.connect(on_direct_change, sender=model, dispatch_uid=f"summary_delete_{model.__name__}")
    post_save.connect(on_report_change, sender=ReportingVisit, dispatch_uid="summary_save_report")
    post_delete.connect(on_report_deleted, sender=ReportingVisit, dispatch_uid="summary_delete_report")
    post_save.connect(on_warning_change, sender=ReportingWarning, dispatch_uid="summary_save_warning")
    post_delete.connect(on_warning_change, sender=ReportingWarning, dispatch_uid="summary_delete_warning")
    post_save.connect(on_enrolment_change, sender=Enrolment, dispatch_uid="summary_save_enrolment")
    post_delete.connect(on_enrolment_change, sender=Enrolment, dispatch_uid="summary_delete_enrolment")
    for model in (Attendance, FollowUp):
        post_save.connect(on_enrolment_child_change, sender=model, dispatch_uid=f"summary_save_{model.__name__}")
        post_delete.connect(on_enrolment_child_change, sender=model, dispatch_uid=f"summary_delete_{model.__name__}")
