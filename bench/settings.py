"""Fallback settings for ``bench/run.py`` when bapas/settings.py does not read DJANGO_EXTRA_MIDDLEWARE.

Identical to the project settings except that the query-count middleware comes first.
"""

from bapas.settings import *  # noqa: F403
from bapas.settings import MIDDLEWARE

MIDDLEWARE = [
    "bench.querycount.QueryCountMiddleware",
    *[m for m in MIDDLEWARE if m != "bench.querycount.QueryCountMiddleware"],
]
