"""Rate limits by client address, kept in a cache that every server process shares.

``allow(scope, key, limit=10, window=600)`` counts a try and says whether it is within the limit;
``blocked(...)`` only looks. A sliding window: the tries of the last ``window`` seconds count.
Used by the public certificate check and by sign-in (password spraying from one address).
"""

import time

from django.conf import settings
from django.core.cache import caches


def _cache():
    return caches[getattr(settings, "THROTTLE_CACHE", "default")]


def _key(scope: str, key: str) -> str:
    return f"throttle:{scope}:{key or '-'}"


def _recent(scope: str, key: str, window: int, now: float) -> list[float]:
    return [t for t in (_cache().get(_key(scope, key)) or []) if t > now - window]


def blocked(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Whether ``key`` has used up its ``limit`` tries of the last ``window`` seconds."""
    return len(_recent(scope, key, window, time.time())) >= limit


def record(scope: str, key: str, *, limit: int, window: int) -> None:
    """Count one try of ``key`` (at most ``limit`` are kept: enough to decide)."""
    now = time.time()
    tries = [*_recent(scope, key, window, now), now][-limit:]
    _cache().set(_key(scope, key), tries, window)


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count a try and say whether it may go ahead (False once ``limit`` tries were made in ``window``)."""
    if blocked(scope, key, limit=limit, window=window):
        return False
    record(scope, key, limit=limit, window=window)
    return True
