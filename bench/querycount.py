"""Benchmark-only middleware: per-response SQL query count and server time as headers.

Enabled only when ``BAPAS_BENCH_QUERY_HEADER=1`` and the dotted path is listed in the
``DJANGO_EXTRA_MIDDLEWARE`` environment variable (first in the chain, so the session and
authentication queries count too). Otherwise Django drops it at start-up (MiddlewareNotUsed).
"""

import os
import time

from django.core.exceptions import MiddlewareNotUsed
from django.db import connection

QUERY_HEADER = "X-Query-Count"
TIME_HEADER = "X-Server-Time-Ms"


class QueryCountMiddleware:
    def __init__(self, get_response):
        if os.environ.get("BAPAS_BENCH_QUERY_HEADER") != "1":
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERY_HEADER] = str(count)
        response[TIME_HEADER] = f"{(time.perf_counter() - started) * 1000:.2f}"
        return response
