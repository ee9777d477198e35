"""Scale stage: the clients' reporting visits (wajib lapor), one per period the client complied in.

Runs after the trainings: a wajib lapor after a participant's follow-up shows the work that follow-up
found (own business, work in the trained field, side income or other work; TrainingStage.work_after).
"""

from __future__ import annotations

import datetime as dt

from config.scale.base import (
    UTC,
    WORK_CHANGE,
    WORK_NEXT,
    WORK_START,
    WORKING,
    client_work_rng,
    monthly_periods,
    weekly_periods,
    weighted,
)
from config.scale.words import NOTES, TOPICS


class VisitStage:
    """One visit in each period the client complied in, at an office hour on a random day of it."""

    def _visits(self) -> None:
        from clients.models import ReportingVisit

        rng = self.rng
        random_ = rng.random
        randint = rng.randint
        writer = self.writer(
            ReportingVisit,
            ["client_id", "office_id", "reported_at", "report_date", "mode", "received_by_id", "topics", "notes",
             "condition", "next_due_date", "created_by_id", "created_at", "work_status"],
        )  # fmt: skip
        modes = ["DATANG"] * 85 + ["KUNJUNGAN_RUMAH"] * 7 + ["VIDEO_CALL"] * 5 + ["KEGIATAN"] * 3
        conditions = ["BAIK"] * 80 + ["CUKUP"] * 15 + ["PERLU_PERHATIAN"] * 5
        fromordinal = dt.date.fromordinal
        combine = dt.datetime.combine
        batch = []
        work_after = getattr(self, "work_after", {})
        for ordinal, row in enumerate(self.clients):
            client_id, plan, officer, start, last, weekly, compliance, _active, _interests, _end = row
            if last < start:
                continue
            periods = weekly_periods(start, last) if weekly else monthly_periods(start, last)
            step = 7 if weekly else 30
            work_rng = client_work_rng(self.seed, ordinal)
            work = weighted(work_rng, WORK_START)
            found = sorted(work_after.get(client_id, ()))
            seen = None  # the work the latest follow-up before this report found
            for first, final in periods:
                if random_() > compliance:
                    continue
                if work_rng.random() < WORK_CHANGE:
                    work = weighted(work_rng, WORK_NEXT)
                day = fromordinal(randint(first, final))
                while found and found[0][0] <= day:
                    seen = found.pop(0)[1]
                shown = work if seen is None or (seen == "INFORMAL" and work in WORKING) else seen
                local = combine(day, dt.time(randint(8, 15), randint(0, 59)))
                at = (local - plan.offset).replace(tzinfo=UTC)
                batch.append(
                    (client_id, plan.id, at, day, modes[randint(0, 99)], officer, TOPICS[randint(0, 7)],
                     NOTES[randint(0, 7)], conditions[randint(0, 99)], day + dt.timedelta(days=step), officer, at,
                     shown)
                )  # fmt: skip
            if len(batch) >= 100000:
                writer.write(batch)
                batch = []
        writer.write(batch)
        self.result.counts["visits"] = writer.count
