"""Heavy read-only work reads from a PostgreSQL hot standby when there is one (``DATABASE_REPLICA_URL``).

- Only what asks for it reads from the replica: views decorated with ``@replica_reads`` (reports,
  dashboards, exports) and blocks inside ``with replica_reads():`` (the ``report`` command). Every
  other read, and every write, goes to the primary.
- Read your writes: once a request or block has written anything, or while it is inside a
  transaction on the primary, its reads go to the primary too; a request that is not GET or HEAD
  never reads from the replica.
- Fallback: while the replica cannot be reached, or lags the primary by more than
  ``BAPAS_REPLICA_MAX_LAG_SECONDS`` (default 30), reads go to the primary. The check costs one small
  query and is remembered per process for ``BAPAS_REPLICA_CHECK_SECONDS`` (default 5); a standby that
  stops in between is noticed by the request's connection health check and skipped at once.

Without ``DATABASE_REPLICA_URL`` there is no ``replica`` alias and nothing changes.
"""

import contextvars
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest
from django.utils.connection import ConnectionDoesNotExist

REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD")

# How far the standby's replay is behind, in seconds: 0 on a primary and on a standby that has
# replayed everything it received (an idle primary sends nothing, so the last replay time ages).
LAG_SQL = {
    "postgresql": (
        "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
        " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
        " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
    ),
}

logger = logging.getLogger(__name__)


@dataclass
class _Reading:
    written: bool = False


_reading: contextvars.ContextVar[_Reading | None] = contextvars.ContextVar("bapas_replica_reading", default=None)
_health = {"checked": float("-inf"), "ok": False}


@contextmanager
def _block():
    outer = _reading.get()
    token = _reading.set(_Reading(written=bool(outer and outer.written)))
    try:
        yield
    finally:
        _reading.reset(token)


def replica_reads(func=None):
    """``@replica_reads`` on a view, or ``with replica_reads():`` around a block of reads."""
    if func is None:
        return _block()

    @wraps(func)
    def wrapper(*args, **kwargs):
        request = args[0] if args and isinstance(args[0], HttpRequest) else None
        if request is not None and request.method not in SAFE_METHODS:
            return func(*args, **kwargs)
        with _block():
            return func(*args, **kwargs)

    return wrapper


def configured() -> bool:
    try:
        connections[REPLICA]
    except ConnectionDoesNotExist:
        return False
    return True


def replica_lag_seconds() -> float:
    """The replica's replay lag in seconds; raises DatabaseError when it cannot be reached."""
    connection = connections[REPLICA]
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL.get(connection.vendor, "SELECT 0"))
        return float(cursor.fetchone()[0] or 0)


def forget_health() -> None:
    """Check the replica again at the next read (after a configuration change, in tests)."""
    _health.update(checked=float("-inf"), ok=False)


def replica_usable() -> bool:
    """Reachable and not too far behind, as checked at most every BAPAS_REPLICA_CHECK_SECONDS."""
    if not configured():
        return False
    now = time.monotonic()
    if now - _health["checked"] < settings.BAPAS_REPLICA_CHECK_SECONDS:
        return _health["ok"]
    try:
        lag = replica_lag_seconds()
    except DatabaseError as exc:
        logger.warning("Replica unreachable, reading from the primary: %s", exc)
        connections[REPLICA].close()
        ok = False
    else:
        ok = lag <= settings.BAPAS_REPLICA_MAX_LAG_SECONDS
        if not ok:
            logger.warning("Replica %.1f s behind, reading from the primary", lag)
    _health.update(checked=now, ok=ok)
    return ok


def replica_connects() -> bool:
    """The replica's connection answers now: a persistent connection passes the request's health check,
    or a new one opens. A standby stopped since the last check is remembered as unusable at once, so
    this read and the next ones go to the primary instead of failing."""
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as exc:
        logger.warning("Replica unreachable, reading from the primary: %s", exc)
        connection.close()
        _health.update(checked=time.monotonic(), ok=False)
        return False
    return True


class ReplicaRouter:
    """Installed always; sends reads to the replica only inside ``replica_reads`` and when usable."""

    def db_for_read(self, model, **hints):
        reading = _reading.get()
        if reading is None or reading.written or connections["default"].in_atomic_block:
            return None
        return REPLICA if replica_usable() and replica_connects() else None

    def db_for_write(self, model, **hints):
        reading = _reading.get()
        if reading is not None:
            reading.written = True
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
