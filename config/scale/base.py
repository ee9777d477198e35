"""What every stage of the scale seeder shares: constants, the office plan, the result, small helpers."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from bapas.models import Office, Region
from config.scale.words import SCOPES

MARKER_DOMAIN = "scale.invalid"
# The regional viewer of the first scale region (the others are kanwil.sr02, kanwil.sr03 ...) and
# the national viewer.
REGIONAL_USERNAME = "kanwil.scale"
NATIONAL_USERNAME = "ditjenpas.scale"
OFFICES_PER_REGION = 10
CLIENTS_PER_PK = 60
ENROLMENTS_PER_CLIENT = 1.5
PARTICIPANTS_PER_SESSION = 20
UTC = dt.UTC


class ScaleError(Exception):
    """A refusal the command turns into a clear message (e.g. scale offices already exist)."""


# --- the plan -----------------------------------------------------------------------------------


@dataclass
class OfficePlan:
    index: int
    id: int
    code: str
    zone: str
    clients: int
    offset: dt.timedelta
    staff: dict[str, int] = field(default_factory=dict)  # username -> id
    pk_ids: list[int] = field(default_factory=list)
    kasi_id: int = 0
    kasubsi_id: int = 0


@dataclass
class SeedResult:
    offices: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)


def scale_offices():
    """The offices this module created (and only those)."""
    return Office.objects.filter(code__regex=r"^S[0-9]{3,4}$", email__endswith="@" + MARKER_DOMAIN)


def scale_regions():
    """The regions this module created (SR01, SR02 ...; their address carries the marker)."""
    return Region.objects.filter(code__regex=r"^SR[0-9]{2,4}$", address__endswith="@" + MARKER_DOMAIN)


def default_region_count(offices: int) -> int:
    """One region per ten offices (at least one)."""
    return max(1, math.ceil(offices / OFFICES_PER_REGION))


def region_index(office_index: int, offices: int, regions: int) -> int:
    """Offices go to regions in consecutive blocks as even as they come (S001..S010 to SR01 ...)."""
    return office_index * regions // offices


def default_office_count(clients: int) -> int:
    return max(1, min(999, math.ceil(clients / 1000)))


# Work status at programme start, and what a client moves to when it changes between two wajib lapor.
WORK_START = [("FORMAL", 10), ("INFORMAL", 30), ("USAHA_SENDIRI", 10), ("TIDAK_BEKERJA", 40),
              ("TIDAK_DAPAT_BEKERJA", 5), ("TIDAK_DIKETAHUI", 5)]  # fmt: skip
WORK_NEXT = [("FORMAL", 15), ("INFORMAL", 35), ("USAHA_SENDIRI", 15), ("TIDAK_BEKERJA", 35)]
WORK_CHANGE = 0.06  # chance that the status changed since the previous report
WORKING = {"FORMAL", "INFORMAL", "USAHA_SENDIRI"}


def client_work_rng(seed: int, ordinal: int) -> random.Random:
    """A client's own generator for its work status series (the main stream stays as it was), keyed by
    the client's place in the run, never by its id: PostgreSQL does not reuse ids after a reset."""
    return random.Random(seed * 1_000_003 + ordinal)


def weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def monthly_periods(start: dt.date, end: dt.date):
    """(first, last) ordinal of each calendar month overlapping [start, end], clipped to it."""
    year, month = start.year, start.month
    while True:
        first = dt.date(year, month, 1)
        if first > end:
            return
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        yield max(first, start).toordinal(), min(last, end).toordinal()
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def weekly_periods(start: dt.date, end: dt.date):
    monday = start - dt.timedelta(days=start.weekday())
    first = monday.toordinal()
    s, e = start.toordinal(), end.toordinal()
    while first <= e:
        yield max(first, s), min(first + 6, e)
        first += 7


def scope_codes(rng: random.Random) -> str:
    """Comma list of scope codes in their canonical order; vocational training always included."""
    chosen = {*rng.sample(SCOPES, rng.randint(1, 3)), "KEMANDIRIAN"}
    return ",".join(code for code in SCOPES if code in chosen)


def age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
