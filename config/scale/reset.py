"""Removing the scale offices with everything in them, and the checksum over their rows."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.apps import apps
from django.db import connection, models, transaction

from bapas.models import Office, Role, User
from config.scale.base import MARKER_DOMAIN, REGIONAL_USERNAME, UTC, ScaleError, scale_offices, scale_regions


def _references_to(model) -> list[tuple[type[models.Model], models.ForeignKey]]:
    refs = []
    existing = set(connection.introspection.table_names())
    for candidate in apps.get_models(include_auto_created=True):
        if candidate._meta.db_table not in existing or not candidate._meta.managed:
            continue
        for f in candidate._meta.concrete_fields:
            if f.is_relation and (f.many_to_one or f.one_to_one) and f.remote_field.model is model:
                refs.append((candidate, f))
    return refs


def _purge(qs, log, depth: int = 0) -> int:
    """Delete ``qs`` and everything that points at it, with set-based SQL (no per-row work).

    Every foreign key in every installed model (history tables and auto-created M2M tables
    included) that points at the model is followed: SET_NULL ones are cleared, the rest deleted.
    """
    model = qs.model
    if depth > 12:
        raise ScaleError(f"Reference chain too deep at {model.__name__}")
    for ref_model, f in _references_to(model):
        related = ref_model._base_manager.filter(**{f"{f.name}__in": qs.values("pk")})
        if ref_model is model:
            if f.null:
                related.update(**{f.name: None})
            continue
        if f.null and f.remote_field.on_delete is models.SET_NULL:
            related.update(**{f.name: None})
            continue
        if related.exists():
            _purge(related, log, depth + 1)
    deleted = qs._raw_delete(qs.db)
    if deleted:
        log(f"  deleted {deleted} {model._meta.db_table}")
    return deleted


def reset(log=None) -> int:
    """Delete every scale office with everything in it, the scale viewers and the scale regions."""
    log = log or (lambda message: None)
    with transaction.atomic():
        offices = list(scale_offices().values_list("pk", flat=True))
        count = len(offices)
        if offices:
            _purge(Office.objects.filter(pk__in=offices), log)
        viewers = User.objects.filter(office=None, role__in=[Role.REGIONAL, Role.NATIONAL])
        _purge(viewers.filter(email__endswith="@" + MARKER_DOMAIN), log)
        _purge(User.objects.filter(username=REGIONAL_USERNAME), log)  # made before regions existed
        _purge(scale_regions(), log)
    return count


# --- checksum -------------------------------------------------------------------------------------


def checksum() -> str:
    """SHA-256 over the scale rows by natural keys (ids, passwords and wall-clock stamps left out)."""
    from clients.models import Client, ReportingVisit
    from pokmaslipas.models import Agreement, Partner
    from trainings.models import Attendance, Enrolment, FollowUp, TrainingSession

    offices = scale_offices()
    digest = hashlib.sha256()
    queries = [
        offices.order_by("code").values_list("code", "name", "time_zone", "city", "region__code"),
        User.objects.filter(office__in=offices).order_by("username").values_list("username", "role", "office__code", "first_name", "last_name"),
        Partner.objects.filter(office__in=offices).order_by("office__code", "code").values_list("office__code", "code", "name", "kind", "offers"),
        Agreement.objects.filter(office__in=offices).order_by("office__code", "number").values_list("number", "partner__code", "start_date", "end_date", "scope", "renews__number"),
        Client.objects.filter(office__in=offices).order_by("office__code", "register_number").values_list(
            "office__code", "register_number", "name", "nik", "sex", "birth_date", "programme", "programme_start",
            "programme_end", "reporting_frequency", "status", "officer__username", "interests", "is_child",
            "work_status_start"),
        ReportingVisit.objects.filter(office__in=offices).order_by("client__office__code", "client__register_number", "reported_at").values_list(
            "client__register_number", "reported_at", "report_date", "mode", "condition", "received_by__username", "notes",
            "work_status"),
        TrainingSession.objects.filter(office__in=offices).order_by("office__code", "code").values_list(
            "office__code", "code", "title", "training_type__name", "partner__code", "start_date", "end_date", "status", "budget"),
        Enrolment.objects.filter(session__office__in=offices).order_by("session__office__code", "session__code", "client__register_number").values_list(
            "session__code", "client__register_number", "status", "matched_interest", "certificate_number", "motivation"),
        Attendance.objects.filter(enrolment__session__office__in=offices).order_by("enrolment__session__office__code", "enrolment__session__code", "enrolment__client__register_number", "date").values_list(
            "enrolment__session__code", "enrolment__client__register_number", "date", "status", "transport_paid"),
        FollowUp.objects.filter(enrolment__session__office__in=offices).order_by("enrolment__session__office__code", "enrolment__session__code", "enrolment__client__register_number", "date").values_list(
            "enrolment__session__code", "enrolment__client__register_number", "date", "status", "income"),
    ]  # fmt: skip
    for qs in queries:
        digest.update(qs.model.__name__.encode())
        for row in qs.iterator(chunk_size=5000):
            digest.update(
                repr(tuple(v.astimezone(UTC).isoformat() if isinstance(v, dt.datetime) else v for v in row)).encode()
            )
    return digest.hexdigest()
