"""Synthetic national-scale data for benchmarks (the scale data of docs/INTERFACES.md).

Everything here is synthetic: names are drawn from short lists, NIKs start with "97", offices are
coded S001, S002, ... and carry an e-mail address at ``scale.invalid`` so that ``--reset`` can find
them again without touching real or demo offices.

Speed: rows are generated as plain tuples and written with PostgreSQL's COPY (psycopg2
``copy_expert``) or, on other databases, with ``executemany``. Primary keys are reserved up front
(``nextval`` over a ``generate_series`` on PostgreSQL) so that no row has to be read back. Bulk
writes bypass ``save()``, signals and django-simple-history on purpose: derived columns that
``save()`` normally fills (``Client.is_child``, ``ReportingVisit.office_id`` and ``report_date``)
are computed here.

Determinism: one ``random.Random(seed)`` drives every choice and all dates derive from the anchor
day ``today``; the same seed on the same anchor gives the same rows (ids aside).

The stages live in one module each (offices and staff, partners, clients, visits, trainings);
``seeder`` runs them in order, ``writing`` holds the bulk writing, ``reset`` the removal and checksum.
"""

from config.scale.base import (
    MARKER_DOMAIN,
    NATIONAL_USERNAME,
    REGIONAL_USERNAME,
    ScaleError,
    SeedResult,
    default_office_count,
    default_region_count,
    region_index,
    scale_offices,
    scale_regions,
)
from config.scale.reset import checksum, reset
from config.scale.seeder import Seeder, seed
from config.scale.writing import RowWriter, _skip_fk_triggers, _verify_foreign_keys, deferred_indexes, reserve_ids

__all__ = [
    "MARKER_DOMAIN",
    "NATIONAL_USERNAME",
    "REGIONAL_USERNAME",
    "RowWriter",
    "ScaleError",
    "SeedResult",
    "Seeder",
    "_skip_fk_triggers",
    "_verify_foreign_keys",
    "checksum",
    "default_office_count",
    "default_region_count",
    "deferred_indexes",
    "region_index",
    "reserve_ids",
    "reset",
    "scale_offices",
    "scale_regions",
    "seed",
]
