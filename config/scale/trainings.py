"""Scale stage: training sessions, their enrolments, attendance days and the participants' follow-ups."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from config.scale.base import ENROLMENTS_PER_CLIENT, PARTICIPANTS_PER_SESSION, UTC, weighted
from config.scale.follow_ups import apply_chance, follow_ups, session_effect
from config.scale.words import QUICK, SLOW
from config.scale.writing import reserve_ids

METHODS = [("PENGENALAN", 60), ("PRAKTIK", 30), ("MAGANG", 10)]
SESSION_COLUMNS = [
    "id", "office_id", "code", "title", "training_type_id", "partner_id", "agreement_id", "location_kind",
    "location", "start_date", "end_date", "hours_per_day", "method", "capacity", "budget", "transport_per_day",
    "souvenir", "issues_certificate", "certificate_min_attendance", "cancel_reason", "status", "created_by_id",
    "created_at", "updated_at",
]  # fmt: skip


class TrainingStage:
    """About 1.5 enrolments per client in sessions of about twenty, held over the last three years."""

    def _trainings(self) -> None:
        by_office: dict[int, list[tuple]] = {}
        for row in self.clients:
            by_office.setdefault(row[1].id, []).append(row)
        sessions, enrol_plans = self._sessions()
        chosen_per_session = self._participants(enrol_plans, by_office)
        self._enrolments(chosen_per_session, sessions)

    def _sessions(self) -> tuple[int, list[tuple]]:
        """The sessions of every office; returns how many, and the plans of those not cancelled."""
        from trainings.models import TrainingSession

        rng, today = self.rng, self.today
        session_plans = []
        for plan in self.offices:
            target = round(plan.clients * ENROLMENTS_PER_CLIENT)
            n_sessions = max(1, math.ceil(target / PARTICIPANTS_PER_SESSION))
            for n in range(1, n_sessions + 1):
                session_plans.append((plan, n))
        session_ids = iter(reserve_ids(TrainingSession, len(session_plans)))
        session_rows, enrol_plans = [], []
        for plan, n in session_plans:
            session_id = next(session_ids)
            type_id, type_name, category = rng.choice(self.types[plan.id])
            partner_id, _types, agreement_id = rng.choice(self.partners[plan.id])
            start = today + dt.timedelta(days=rng.randint(-1000, 60))
            length = 1 if rng.random() < 0.6 else rng.randint(2, 5) if rng.random() < 0.75 else rng.randint(6, 10)
            end = start + dt.timedelta(days=length - 1)
            status = "PLANNED" if start > today else "CANCELLED" if rng.random() < 0.02 else "HELD"
            transport = rng.choice([25000, 50000, 75000, 100000])
            capacity = rng.choice([20, 25, 30])
            method = weighted(rng, METHODS)
            session_rows.append(
                (session_id, plan.id, f"PLT-{start.year}-{n:04d}", f"Pelatihan {type_name}", type_id, partner_id,
                 agreement_id, rng.choice(["AULA", "MITRA"]), f"Aula {plan.code}", start, end,
                 Decimal(rng.choice(["3.0", "4.0", "6.0", "8.0"])), method, capacity,
                 rng.randint(5, 60) * 1_000_000, transport, "Kaos dan tas", True, 80, "" if status != "CANCELLED" else
                 "Mitra berhalangan", status, plan.kasubsi_id, self.anchor, self.anchor)
            )  # fmt: skip
            if status != "CANCELLED":
                enrol_plans.append(
                    (
                        plan,
                        session_id,
                        start,
                        end,
                        length,
                        (type_name, category),
                        transport,
                        capacity,
                        status,
                        n,
                        method,
                    )
                )
        self.writer(TrainingSession, SESSION_COLUMNS).write(session_rows)
        return len(session_rows), enrol_plans

    def _participants(self, enrol_plans: list[tuple], by_office: dict[int, list[tuple]]) -> list[tuple]:
        """Clients of the office whose programme covers the training (rejection sampling)."""
        rng = self.rng
        chosen_per_session = []
        for plan, session_id, start, end, length, category, transport, capacity, status, n, method in enrol_plans:
            pool = by_office[plan.id]
            wanted = min(capacity, rng.randint(PARTICIPANTS_PER_SESSION - 5, PARTICIPANTS_PER_SESSION + 5))
            picked: dict[int, tuple] = {}
            for _ in range(wanted * 6):
                if len(picked) >= wanted:
                    break
                row = pool[rng.randrange(len(pool))]
                if row[3] <= start <= row[9] and row[0] not in picked:
                    picked[row[0]] = row
            chosen_per_session.append(
                ((plan, session_id, start, end, length, category, transport, status, n, method), picked)
            )
        return chosen_per_session

    def _enrolments(self, chosen_per_session: list[tuple], sessions: int) -> None:
        from trainings.models import Attendance, Enrolment, FollowUp

        enrolment_ids = iter(reserve_ids(Enrolment, sum(len(p) for _, p in chosen_per_session)))
        enrol_writer = self.writer(
            Enrolment,
            ["id", "session_id", "client_id", "status", "motivation", "matched_interest", "certificate_number",
             "certificate_issued_at", "enrolled_by_id", "created_at"],
        )  # fmt: skip
        attendance_writer = self.writer(
            Attendance, ["enrolment_id", "date", "status", "transport_paid", "recorded_by_id", "recorded_at"]
        )
        follow_writer = self.writer(
            FollowUp, ["enrolment_id", "date", "status", "income", "reason", "notes", "recorded_by_id", "created_at"]
        )
        rows: tuple[list, list, list] = ([], [], [])  # enrolments, attendance, follow-ups
        # client id -> [(day, work status)]: the wajib lapor after a follow-up show its outcome (VisitStage)
        self.work_after: dict[int, list[tuple[dt.date, str]]] = {}
        for session, picked in chosen_per_session:
            certificates = 0
            effect = session_effect(self.rng)
            for client_id, row in picked.items():
                certificates += self._enrolment(
                    session, next(enrolment_ids), client_id, row, certificates, rows, effect=effect
                )
            if len(rows[1]) >= 100000:
                enrol_writer.write(rows[0])
                attendance_writer.write(rows[1])
                follow_writer.write(rows[2])
                rows = ([], [], [])
        enrol_writer.write(rows[0])
        attendance_writer.write(rows[1])
        follow_writer.write(rows[2])
        self.result.counts.update(
            sessions=sessions, enrolments=enrol_writer.count, attendance=attendance_writer.count,
            follow_ups=follow_writer.count,
        )  # fmt: skip

    def _enrolment(self, session: tuple, enrolment_id: int, client_id: int, row: tuple, certificates: int,
                   rows: tuple[list, list, list], *, effect: float) -> int:  # fmt: skip
        """One enrolment with its attendance days and follow-ups; 1 when it earned a certificate, else 0."""
        from trainings.selectors import interest_matches_text

        rng, today = self.rng, self.today
        plan, session_id, start, end, length, (type_name, category), _transport, status, n, method = session
        enrol_rows, attendance_rows, follow_rows = rows
        roll = rng.random()
        e_status = (
            "REGISTERED" if roll < 0.93 else "INVITED" if roll < 0.96 else "WITHDRAWN" if roll < 0.99 else "CANCELLED"
        )
        if status == "PLANNED" and e_status == "REGISTERED" and rng.random() < 0.3:
            e_status = "INVITED"
        attended_days = 0
        if status == "HELD" and e_status in ("REGISTERED", "INVITED"):
            attended_days = self._attendance(session, enrolment_id, attendance_rows)
        certificate = None
        issued = None
        if attended_days and attended_days * 100 >= 80 * length and end < today:
            certificate = f"{plan.code}/PLT-{n:04d}/{start.year}/{certificates + 1:03d}"
            issued = dt.datetime.combine(end, dt.time(9, 0), tzinfo=UTC)
        motivation = rng.choice([4, 3, 2, None])
        enrol_rows.append(
            (enrolment_id, session_id, client_id, e_status, motivation,
             interest_matches_text(row[8], type_name, category), certificate, issued, row[2], self.anchor)
        )  # fmt: skip
        if attended_days and end < today:  # follow-ups at 1, 3, 6 and 12 months, those due before today
            quickness = "quick" if category in QUICK else "slow" if category in SLOW else "other"
            chance = apply_chance(quickness, method, motivation, effect)
            for day, f_status, income, reason, work in follow_ups(
                rng, end=end, today=today, programme_end=row[9], chance=chance, quickness=quickness
            ):
                follow_rows.append(
                    (enrolment_id, day, f_status, income, reason, "Tindak lanjut oleh PK (data skala).", row[2],
                     self.anchor)
                )  # fmt: skip
                if work is not None:
                    self.work_after.setdefault(client_id, []).append((day, work))
        return 1 if certificate else 0

    def _attendance(self, session: tuple, enrolment_id: int, attendance_rows: list) -> int:
        """One attendance row per training day; returns the days present or late."""
        rng = self.rng
        plan, _session_id, start, _end, length, _category, transport, _status, _n, _method = session
        attended_days = 0
        no_show = rng.random() < 0.08
        for offset in range(length):
            if no_show:
                a_status = "TIDAK_HADIR" if rng.random() < 0.7 else "IZIN"
            else:
                r = rng.random()
                a_status = "HADIR" if r < 0.9 else "TERLAMBAT" if r < 0.95 else "IZIN" if r < 0.98 else "TIDAK_HADIR"
            attended = a_status in ("HADIR", "TERLAMBAT")
            attended_days += attended
            attendance_rows.append(
                (enrolment_id, start + dt.timedelta(days=offset), a_status, transport if attended else 0,
                 plan.kasubsi_id, self.anchor)
            )  # fmt: skip
        return attended_days
