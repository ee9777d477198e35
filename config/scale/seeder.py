"""The seeder: one random generator and one anchor day drive the stages, in one transaction."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from bapas.models import Office, Region, User
from config.scale.base import (
    UTC,
    ScaleError,
    SeedResult,
    default_office_count,
    default_region_count,
    scale_offices,
    scale_regions,
)
from config.scale.clients import ClientStage
from config.scale.offices import OfficeStage
from config.scale.partners import PartnerStage
from config.scale.trainings import TrainingStage
from config.scale.visits import VisitStage
from config.scale.writing import RowWriter, _skip_fk_triggers, _verify_foreign_keys, deferred_indexes, is_postgres


class Seeder(OfficeStage, PartnerStage, ClientStage, VisitStage, TrainingStage):
    """One run of the scale data: the stages in order, in one transaction, with their timings."""

    def __init__(
        self, *, clients: int, offices: int | None, seed: int, today: dt.date, log: Callable | None = None,
        regions: int | None = None,
    ):  # fmt: skip
        if clients < 1:
            raise ScaleError("--clients must be at least 1.")
        self.n_clients = clients
        self.n_offices = offices or default_office_count(clients)
        if not 1 <= self.n_offices <= 9999:
            raise ScaleError("--offices must be between 1 and 9999.")
        if self.n_offices > clients:
            raise ScaleError("--offices cannot exceed --clients.")
        self.n_regions = regions or default_region_count(self.n_offices)
        if not 1 <= self.n_regions <= self.n_offices:
            raise ScaleError("--regions must be between 1 and the number of offices.")
        self.seed = seed
        self.today = today
        self.rng = random.Random(seed)
        self.anchor = dt.datetime.combine(today, dt.time(6, 0), tzinfo=UTC)
        self.log = log or (lambda message: None)
        self.result = SeedResult()
        self._t0 = time.perf_counter()
        self._lap = self._t0

    def _step(self, label: str) -> None:
        now = time.perf_counter()
        self.result.timings.append((label, now - self._lap))
        self.log(f"  {label}: {now - self._lap:.1f} s")
        self._lap = now

    def writer(self, model, columns) -> RowWriter:
        return RowWriter(model, columns, self.anchor)

    def run(self) -> SeedResult:
        from config.demo import DEFAULT_PASSWORD

        if scale_offices().exists() or scale_regions().exists():
            raise ScaleError("Scale offices (S001 ...) already exist; run again with --reset to replace them.")
        self.password_hash = make_password(DEFAULT_PASSWORD)
        from clients.models import ReportingVisit
        from trainings.models import Attendance

        with transaction.atomic():
            skip_fk_triggers = False
            if is_postgres():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
                skip_fk_triggers = _skip_fk_triggers()
            self.region_ids = self._regions()
            self.offices = self._offices()
            self._staff()
            self._step("offices and staff")
            self._partners_and_types()
            self._step("partners, agreements, training types")
            self._clients()
            self._step("clients")
            with deferred_indexes(ReportingVisit, Attendance):
                self._trainings()  # first: the wajib lapor after a follow-up show the work it found
                self._step("trainings, enrolments, attendance, follow-ups")
                self._visits()
                self._step("wajib lapor")
            self._step("rebuilding indexes")
            if skip_fk_triggers:
                _verify_foreign_keys(self.written_models())
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = origin")
                self._step("foreign keys verified")
        if is_postgres():
            with connection.cursor() as cursor:
                for model in self.written_models():
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            self._step("analyze")
        self.result.offices = len(self.offices)
        return self.result

    def written_models(self):
        from clients.models import Client, PKAssignment, ReportingVisit, ReportingWarning, StatusChange
        from pokmaslipas.models import Agreement, Partner
        from trainings.models import (
            Attendance,
            Enrolment,
            FollowUp,
            PartnerTrainingType,
            TrainingSession,
            TrainingType,
        )  # fmt: skip

        return [Region, Office, User, Partner, PartnerTrainingType, Agreement, TrainingType, TrainingSession,
                Client, PKAssignment, StatusChange, ReportingWarning, ReportingVisit, Enrolment, Attendance,
                FollowUp]  # fmt: skip


def seed(
    *, clients: int, offices: int | None = None, seed: int = 1, today: dt.date | None = None, log=None,
    regions: int | None = None,
):  # fmt: skip
    from django.utils import timezone

    return Seeder(
        clients=clients, offices=offices, seed=seed, today=today or timezone.localdate(), log=log, regions=regions
    ).run()
