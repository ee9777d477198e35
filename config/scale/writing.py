"""Low-level writing: reserved primary keys, COPY or executemany of plain tuples, deferred indexes and
foreign-key checks."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from decimal import Decimal

from django.db import DatabaseError, connection, models, transaction

from config.scale.base import ScaleError


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows, so rows can reference each other without a read-back."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [row[0] for row in cursor.fetchall()]
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({qn(pk)}), 0) FROM {qn(table)}")  # noqa: S608 (quoted model names)
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _fallback_default(f: models.Field, anchor_dt: dt.datetime):
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return (
            anchor_dt.date()
            if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
            else anchor_dt
        )
    if f.has_default():
        return f.get_default()
    if f.null:
        return None
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.CharField | models.TextField | models.FileField):
        return ""
    if isinstance(f, models.IntegerField | models.DecimalField | models.FloatField):
        return 0
    raise ScaleError(
        f"{f.model.__name__}.{f.name} needs a value: the scale seeder does not know this required field yet."
    )


class RowWriter:
    """Writes tuples of the named columns; every other concrete column gets its default."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], anchor_dt: dt.datetime):
        self.model = model
        concrete = list(model._meta.concrete_fields)
        by_attname = {f.attname: f for f in concrete}
        unknown = [c for c in columns if c not in by_attname]
        if unknown:
            raise ScaleError(f"{model.__name__} has no column {unknown}")
        self.fields = [by_attname[c] for c in columns]
        self.extra_fields = [f for f in concrete if f.attname not in columns and not f.primary_key]
        self.extra_values = tuple(_fallback_default(f, anchor_dt) for f in self.extra_fields)
        self.all_fields = self.fields + self.extra_fields
        self.count = 0

    def write(self, rows: Iterable[tuple]) -> int:
        rows = list(rows)
        if not rows:
            return 0
        if is_postgres():
            self._copy(rows)
        else:
            self._insert(rows)
        self.count += len(rows)
        return len(rows)

    def _copy(self, rows: list[tuple]) -> None:
        extra = "".join("\t" + _copy_text(v) for v in self.extra_values)
        buf = io.StringIO()
        write = buf.write
        for row in rows:
            write("\t".join([_copy_text(v) for v in row]))
            write(extra)
            write("\n")
        buf.seek(0)
        cols = ", ".join(connection.ops.quote_name(f.column) for f in self.all_fields)
        sql = f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({cols}) FROM STDIN"
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buf)

    def _insert(self, rows: list[tuple]) -> None:
        fields = self.all_fields
        qn = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (quoted model names)
            qn(self.model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
        )
        prepared = []
        for row in rows:
            values = tuple(row) + self.extra_values
            prepared.append([f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)])
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), 2000):
                cursor.executemany(sql, prepared[start : start + 2000])


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, list | dict):
        import json

        return json.dumps(value).translate(_COPY_ESCAPES)
    return str(value).translate(_COPY_ESCAPES)


@contextmanager
def deferred_indexes(*model_list):
    """On PostgreSQL, drop the plain secondary indexes of big tables during the load, rebuild after.

    Building an index once over millions of rows is several times faster than maintaining it row by
    row. Indexes that back a constraint (primary key, unique) stay. DDL is transactional here: if the
    load fails, the rollback restores the indexes. The tables are locked for the load's duration.
    """
    if not is_postgres():
        yield
        return
    saved = []
    with connection.cursor() as cursor:
        for model in model_list:
            cursor.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.schemaname = current_schema() AND i.tablename = %s
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                [model._meta.db_table],
            )
            saved += cursor.fetchall()
        for name, _definition in saved:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: check them now, or CREATE INDEX refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in saved:
            cursor.execute(definition)


def _skip_fk_triggers() -> bool:
    """Skip PostgreSQL's per-row foreign-key triggers for this transaction when allowed (superuser).

    Every reference is built from reserved ids, so the rows are consistent by construction; one
    set-based anti-join per foreign key (``_verify_foreign_keys``) proves it before commit instead
    of millions of single-row lookups. Without the privilege the triggers run as usual.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        return True
    except DatabaseError:
        return False


def _verify_foreign_keys(model_list) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in model_list:
            for f in model._meta.concrete_fields:
                if not (f.is_relation and f.many_to_one and f.db_constraint):
                    continue
                target = f.remote_field.model._meta
                sql = (
                    f"SELECT 1 FROM {qn(model._meta.db_table)} t LEFT JOIN {qn(target.db_table)} r "  # noqa: S608
                    f"ON r.{qn(f.target_field.column)} = t.{qn(f.column)} "
                    f"WHERE t.{qn(f.column)} IS NOT NULL AND r.{qn(f.target_field.column)} IS NULL LIMIT 1"
                )
                cursor.execute(sql)
                if cursor.fetchone():
                    raise ScaleError(f"{model.__name__}.{f.name} points at a missing row; nothing was written.")
