"""Scale stage: clients with their PK assignment, status changes and warnings."""

from __future__ import annotations

import datetime as dt

from config.scale.base import WORK_START, age, client_work_rng, weighted
from config.scale.words import CITIES, FAMILY_NAMES, FEMALE_NAMES, INTERESTS, MALE_NAMES, OFFENCES, PROGRAMMES
from config.scale.writing import reserve_ids

STATUS_NOTE = "Perubahan status data skala"
RELIGIONS = [("ISLAM", 86), ("KRISTEN", 7), ("KATOLIK", 3), ("HINDU", 2), ("BUDDHA", 1), ("LAINNYA", 1)]
EDUCATIONS = [("TIDAK_SEKOLAH", 4), ("SD", 25), ("SMP", 30), ("SMA", 35), ("DIPLOMA", 3), ("S1", 3)]
MARITALS = [("BELUM_KAWIN", 45), ("KAWIN", 45), ("CERAI_HIDUP", 8), ("CERAI_MATI", 2)]
OCCUPATIONS = ["Buruh", "Pedagang", "Petani", "Nelayan", "Sopir", "Ojek daring", "Tidak bekerja", "Wiraswasta"]
CLIENT_COLUMNS = [
    "id", "office_id", "register_number", "name", "nik", "sex", "birth_place", "birth_date", "address", "phone",
    "religion", "education", "marital_status", "dependants", "previous_occupation", "domicile",
    "origin_institution_type", "origin_institution", "offence", "sentence", "programme", "programme_start",
    "programme_end", "reporting_frequency", "officer_id", "guarantor_name", "guarantor_relation", "guarantor_phone",
    "interests", "is_employed", "sensitive_category", "is_child", "status", "status_date", "status_reason",
    "created_at", "updated_at", "work_status_start",
]  # fmt: skip


class ClientStage:
    """Clients spread over the offices' PKs; most active, some ended, a few on weekly reporting."""

    def _clients(self) -> None:
        from clients.models import Client, PKAssignment, ReportingWarning, StatusChange

        ids = iter(reserve_ids(Client, self.n_clients))
        # client tuple kept for later stages: (id, office plan, officer id, start, end, weekly, compliance,
        # active, interests)
        self.clients: list[tuple] = []
        client_writer = self.writer(Client, CLIENT_COLUMNS)
        status_rows, warning_rows, assignment_rows = [], [], []
        batch = []
        for plan in self.offices:
            city = CITIES[plan.index % len(CITIES)]
            for n in range(1, plan.clients + 1):
                batch.append(self._client(plan, n, next(ids), city, (assignment_rows, status_rows, warning_rows)))
                if len(batch) >= 20000:
                    client_writer.write(batch)
                    batch = []
        client_writer.write(batch)
        self.writer(PKAssignment, ["client_id", "officer_id", "start_date", "assigned_by_id", "created_at"]).write(
            assignment_rows
        )
        self.writer(StatusChange, ["client_id", "status", "date", "reason", "recorded_by_id", "created_at"]).write(
            status_rows
        )
        self.writer(
            ReportingWarning,
            ["client_id", "level", "issued_on", "reason", "missed_periods", "issued_by_id", "created_at"],
        ).write(warning_rows)
        self.result.counts.update(
            clients=client_writer.count, pk_assignments=len(assignment_rows), status_changes=len(status_rows),
            warnings=len(warning_rows),
        )  # fmt: skip

    def _programme_period(self) -> tuple[str, bool, dt.date, dt.date]:
        """Status, weekly reporting or not, programme start and end of one client."""
        rng, today = self.rng, self.today
        roll = rng.random()
        status = "AKTIF" if roll < 0.85 else "SELESAI" if roll < 0.96 else "DICABUT" if roll < 0.985 else "PINDAH"
        weekly = rng.random() < 0.12
        if status == "AKTIF":
            if weekly:
                start = today - dt.timedelta(days=rng.randint(14, 420))
                end = today + dt.timedelta(days=rng.randint(1, 365))
            else:
                start = today - dt.timedelta(days=rng.randint(20, 1500))
                end = today + dt.timedelta(days=rng.randint(1, 720))
        else:
            end = today - dt.timedelta(days=rng.randint(1, 700))
            start = end - dt.timedelta(days=rng.randint(120, 300 if weekly else 1300))
            if status in ("DICABUT", "PINDAH"):
                end = start + (end - start) // 2
        return status, weekly, start, end

    def _client(self, plan, n: int, client_id: int, city: str, history: tuple[list, list, list]) -> tuple:
        """The client row; its assignment, status and warning rows go to ``history``, the tuple later
        stages use to ``self.clients``."""
        rng = self.rng
        yesterday = self.today - dt.timedelta(days=1)
        status, weekly, start, end = self._programme_period()
        programme = weighted(rng, PROGRAMMES)
        child = rng.random() < 0.03
        if child:
            programme = "DIVERSI" if rng.random() < 0.5 else programme
            birth = start - dt.timedelta(days=rng.randint(14 * 365, 17 * 365))
        else:
            birth = start - dt.timedelta(days=rng.randint(19 * 365, 60 * 365))
        sex = "P" if rng.random() < 0.08 else "L"
        first = rng.choice(FEMALE_NAMES if sex == "P" else MALE_NAMES)
        name = f"{first} {rng.choice(FAMILY_NAMES)}"
        if rng.random() < 0.4:
            name = f"{first} {rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}"
        officer = plan.pk_ids[(n - 1) % len(plan.pk_ids)]
        compliance = 0.97 if rng.random() < 0.8 else 0.75 if rng.random() < 0.75 else 0.4
        interests = ", ".join(rng.sample(INTERESTS, rng.randint(1, 2)))
        sensitive = "NARKOTIKA" if rng.random() < 0.1 else "TERORISME" if rng.random() < 0.003 else ""
        offence = "Pasal 114 UU 35/2009" if sensitive == "NARKOTIKA" else rng.choice(OFFENCES)
        institution = "LPKA" if child else rng.choice(["LAPAS", "LAPAS", "RUTAN"])
        is_child = programme == "DIVERSI" or institution == "LPKA" or age(birth, start) < 18
        status_date = end if status != "AKTIF" else None
        row = (
            client_id, plan.id, f"PAS-{plan.code}.{n:05d}/{start.year}", name,
            f"97{plan.index + 1:04d}{n:010d}", sex, city, birth, f"Jl. Melati No. {rng.randint(1, 200)}, {city}",
            f"08{rng.randint(1000000000, 9999999999)}", weighted(rng, RELIGIONS), weighted(rng, EDUCATIONS),
            weighted(rng, MARITALS), rng.randint(0, 4), rng.choice(OCCUPATIONS),
            "KOTA" if rng.random() < 0.7 else "DESA", institution, f"{institution} Kelas II {city}", offence,
            f"{rng.randint(1, 8)} tahun", programme, start, end, "MINGGUAN" if weekly else "BULANAN", officer,
            f"{rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}", rng.choice(["Orang tua", "Istri", "Saudara"]),
            f"08{rng.randint(1000000000, 9999999999)}", interests, rng.random() < 0.35, sensitive, is_child,
            status, status_date, "" if status == "AKTIF" else STATUS_NOTE, self.anchor, self.anchor,
            weighted(client_work_rng(self.seed, len(self.clients)), WORK_START),
        )  # fmt: skip
        active = status == "AKTIF"
        self.clients.append(
            (client_id, plan, officer, start, min(end, yesterday), weekly, compliance, active, interests, end)
        )
        assignment_rows, status_rows, warning_rows = history
        assignment_rows.append((client_id, officer, start, plan.kasi_id, self.anchor))
        if not active:
            status_rows.append((client_id, status, end, STATUS_NOTE, plan.kasi_id, self.anchor))
        if compliance < 0.5 and active and rng.random() < 0.5:
            warning_rows.append(
                (client_id, "SP1", yesterday - dt.timedelta(days=rng.randint(0, 60)),
                 "Tidak melaksanakan wajib lapor", "", officer, self.anchor)
            )  # fmt: skip
        return row
