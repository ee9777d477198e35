"""Scale stage: training types, partners with the types they deliver, and their agreements."""

from __future__ import annotations

import datetime as dt

from bapas.arithmetic import add_months
from config.scale.base import scope_codes
from config.scale.words import FAMILY_NAMES, MALE_NAMES, PARTNER_KINDS, PARTNER_PREFIX, TRAINING_TYPES
from config.scale.writing import reserve_ids


class PartnerStage:
    """A sample of training types per office, about one partner per 100 clients, an agreement each."""

    def _partners_and_types(self) -> None:
        from pokmaslipas.models import Partner
        from trainings.models import PartnerTrainingType, TrainingType

        rng = self.rng
        type_rows, partner_rows, link_rows = [], [], []
        self.types: dict[int, list[tuple[int, str, str]]] = {}  # office id -> [(type id, name, category)]
        self.partners: dict[int, list[tuple[int, list[int], int | None]]] = {}  # -> [(id, type ids, agreement)]
        plans = []
        for plan in self.offices:
            n_types = min(len(TRAINING_TYPES), 8 + plan.clients // 500)
            n_partners = max(3, round(plan.clients / 100))
            plans.append((plan, rng.sample(TRAINING_TYPES, n_types), n_partners))
        type_ids = iter(reserve_ids(TrainingType, sum(len(t) for _, t, _ in plans)))
        partner_ids = iter(reserve_ids(Partner, sum(n for _, _, n in plans)))
        for plan, chosen, n_partners in plans:
            self.types[plan.id] = []
            for name, category in chosen:
                type_id = next(type_ids)
                self.types[plan.id].append((type_id, name, category))
                type_rows.append((type_id, plan.id, name, category))
            self.partners[plan.id] = []
            for n in range(1, n_partners + 1):
                partner_id = next(partner_ids)
                kind = rng.choice(PARTNER_KINDS)
                offers = scope_codes(rng)
                partner_rows.append(
                    (partner_id, plan.id, f"M{n:03d}", f"{PARTNER_PREFIX[kind]} {rng.choice(FAMILY_NAMES)} {n}", kind,
                     f"Jl. Mitra No. {n}, {plan.code}", f"{rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}",
                     f"08{rng.randint(1000000000, 9999999999)}", offers, rng.random() > 0.05, self.anchor, self.anchor)
                )  # fmt: skip
                delivered = rng.sample(self.types[plan.id], rng.randint(1, 3))
                for type_id, _name, _cat in delivered:
                    link_rows.append((partner_id, type_id))
                self.partners[plan.id].append((partner_id, [t[0] for t in delivered], None))
        self.writer(TrainingType, ["id", "office_id", "name", "category"]).write(type_rows)
        self.writer(
            Partner,
            ["id", "office_id", "code", "name", "kind", "address", "contact_person", "phone", "offers", "is_active",
             "created_at", "updated_at"],
        ).write(partner_rows)  # fmt: skip
        self.writer(PartnerTrainingType, ["partner_id", "training_type_id"]).write(link_rows)
        agreements = self._agreements()
        self.result.counts.update(training_types=len(type_rows), partners=len(partner_rows), agreements=agreements)

    def _agreements(self) -> int:
        """A current agreement per partner; a third also have an earlier, expired one it renews."""
        from pokmaslipas.models import Agreement

        rng, today = self.rng, self.today
        agreement_rows = []
        plans = []
        for plan in self.offices:
            for index, (partner_id, types, _) in enumerate(self.partners[plan.id]):
                plans.append((plan, index, partner_id, types, rng.random() < 0.33))
        ids = iter(reserve_ids(Agreement, sum(2 if renewed else 1 for *_, renewed in plans)))
        seq = 0
        for plan, index, partner_id, types, renewed in plans:
            start = today - dt.timedelta(days=rng.randint(20, 900))
            end = add_months(start, rng.choice([12, 24, 36])) - dt.timedelta(days=1)
            scope = scope_codes(rng)
            previous = None
            if renewed:
                seq += 1
                previous = next(ids)
                p_end = start - dt.timedelta(days=1)
                p_start = add_months(p_end, -24) + dt.timedelta(days=1)
                agreement_rows.append(
                    (previous, plan.id, partner_id, f"W.{plan.code}.PK.01.05-{seq:05d}/{p_start.year}",
                     f"{rng.randint(1, 999):03d}/MITRA/{p_start.year}", "PKS", "Perjanjian kerja sama pembinaan klien",
                     p_start, p_start, p_end, scope, None, self.anchor, self.anchor)
                )  # fmt: skip
            seq += 1
            current = next(ids)
            agreement_rows.append(
                (current, plan.id, partner_id, f"W.{plan.code}.PK.01.05-{seq:05d}/{start.year}",
                 f"{rng.randint(1, 999):03d}/MITRA/{start.year}", "PKS", "Perjanjian kerja sama pembinaan klien",
                 start - dt.timedelta(days=rng.randint(0, 14)), start, end, scope, previous, self.anchor, self.anchor)
            )  # fmt: skip
            self.partners[plan.id][index] = (partner_id, types, current)
        self.writer(
            Agreement,
            ["id", "office_id", "partner_id", "number", "partner_number", "kind", "title", "signed_on", "start_date",
             "end_date", "scope", "renews_id", "created_at", "updated_at"],
        ).write(agreement_rows)  # fmt: skip
        return len(agreement_rows)
