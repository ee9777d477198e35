"""Scale stage: the regions SR01 ..., the offices S001, S002 ... and their staff and viewers."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bapas.models import Office, Region, Role, User
from config.scale.base import (
    CLIENTS_PER_PK,
    MARKER_DOMAIN,
    NATIONAL_USERNAME,
    REGIONAL_USERNAME,
    OfficePlan,
    region_index,
)
from config.scale.words import CITIES, FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, WIT_CITIES, WITA_CITIES
from config.scale.writing import reserve_ids


class OfficeStage:
    """Offices sized around the average, then a Kabapas, Kasi, Kasubsi, Admin and PKs in each."""

    def _regions(self) -> list[int]:
        """SR01, SR02 ...: no random draw, so a seed gives the same offices whatever the regions."""
        ids = reserve_ids(Region, self.n_regions)
        rows = [
            (ids[i], f"SR{i + 1:02d}", f"Kantor Wilayah Skala {i + 1}", f"Provinsi Skala {i + 1}",
             f"kanwil.sr{i + 1:02d}@{MARKER_DOMAIN}", "", "")
            for i in range(self.n_regions)
        ]  # fmt: skip
        self.writer(Region, ["id", "code", "name", "province", "address", "head_name", "head_nip"]).write(rows)
        self.result.counts["regions"] = len(rows)
        return ids

    def _offices(self) -> list[OfficePlan]:
        rng = self.rng
        weights = [rng.uniform(0.6, 1.4) for _ in range(self.n_offices)]
        total = sum(weights)
        sizes = [max(1, int(self.n_clients * w / total)) for w in weights]
        # Hand the rounding remainder out from the first office on, keeping every office >= 1.
        diff = self.n_clients - sum(sizes)
        i = 0
        while diff != 0:
            step = 1 if diff > 0 else -1
            if sizes[i % len(sizes)] + step >= 1:
                sizes[i % len(sizes)] += step
                diff -= step
            i += 1
        ids = reserve_ids(Office, self.n_offices)
        plans, rows = [], []
        for index in range(self.n_offices):
            city = CITIES[index % len(CITIES)]
            if index >= len(CITIES):
                city = f"{city} {index // len(CITIES) + 1}"
            base = CITIES[index % len(CITIES)]
            zone = "Asia/Jayapura" if base in WIT_CITIES else "Asia/Makassar" if base in WITA_CITIES else "Asia/Jakarta"
            code = f"S{index + 1:03d}"
            klass = "I" if sizes[index] >= 1000 or index % 3 == 0 else "II"
            offset = ZoneInfo(zone).utcoffset(self.anchor.replace(tzinfo=None))
            plans.append(OfficePlan(index, ids[index], code, zone, sizes[index], offset))
            region_id = self.region_ids[region_index(index, self.n_offices, self.n_regions)]
            rows.append(
                (ids[index], code, region_id, f"Bapas Kelas {klass} {city}", klass, city, f"Jl. Pemasyarakatan No. {index + 1}, {city}",
                 zone, f"(0{rng.randint(21, 986)}) {rng.randint(100000, 999999)}", f"{code.lower()}@{MARKER_DOMAIN}",
                 f"KANTOR WILAYAH DIREKTORAT JENDERAL PEMASYARAKATAN {city.upper()}",
                 f"{rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}, S.H., M.H.",
                 f"19{rng.randint(65, 85)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}20000{rng.randint(10000, 99999)}")
            )  # fmt: skip
        self.writer(
            Office,
            ["id", "code", "region_id", "name", "office_class", "city", "address", "time_zone", "phone", "email",
             "regional_office_name", "head_name", "head_nip"],
        ).write(rows)  # fmt: skip
        self.result.counts["offices"] = len(rows)
        return plans

    def _staff(self) -> None:
        rng = self.rng
        rows = []
        planned = []
        for plan in self.offices:
            suffix = plan.code.lower()
            n_pk = max(1, round(plan.clients / CLIENTS_PER_PK))
            people = [(f"kabapas.{suffix}", Role.KABAPAS, ""), (f"kasi.{suffix}", Role.KASI, ""),
                      (f"kasubsi.{suffix}", Role.KASUBSI, ""), (f"admin.{suffix}", Role.ADMIN, "")]  # fmt: skip
            people += [
                (f"pk{n}.{suffix}", Role.PK, rng.choice(["PERTAMA", "MUDA", "MADYA"])) for n in range(1, n_pk + 1)
            ]
            planned.append((plan, people))
        ids = iter(reserve_ids(User, sum(len(p) for _, p in planned) + self.n_regions + 1))
        for plan, people in planned:
            for username, role, rank in people:
                user_id = next(ids)
                plan.staff[username] = user_id
                if role == Role.PK:
                    plan.pk_ids.append(user_id)
                elif role == Role.KASI:
                    plan.kasi_id = user_id
                elif role == Role.KASUBSI:
                    plan.kasubsi_id = user_id
                female = rng.random() < 0.4
                first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
                rows.append((user_id, username, self.password_hash, first, rng.choice(FAMILY_NAMES),
                             f"{username}@{MARKER_DOMAIN}", True, self.anchor, plan.id, None, role,
                             f"19{rng.randint(70, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}20{rng.randint(10, 24)}0{rng.randint(1000, 9999)}{'2' if female else '1'}",
                             rank))  # fmt: skip
        for i, region_id in enumerate(self.region_ids):  # one regional viewer per region
            username = REGIONAL_USERNAME if i == 0 else f"kanwil.sr{i + 1:02d}"
            rows.append((next(ids), username, self.password_hash, "Teguh", f"Skala {i + 1}",
                         f"{username}@{MARKER_DOMAIN}", True, self.anchor, None, region_id, Role.REGIONAL, "", ""))  # fmt: skip
        rows.append((next(ids), NATIONAL_USERNAME, self.password_hash, "Arif", "Skala", f"ditjenpas@{MARKER_DOMAIN}",
                     True, self.anchor, None, None, Role.NATIONAL, "", ""))  # fmt: skip
        self.writer(
            User,
            ["id", "username", "password", "first_name", "last_name", "email", "is_active", "date_joined",
             "office_id", "region_id", "role", "nip", "rank"],
        ).write(rows)  # fmt: skip
        self.result.counts["staff"] = len(rows)
