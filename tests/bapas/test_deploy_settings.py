"""Settings for several machines: the replica alias and the shared cache come from the environment."""

import json
import os
import subprocess
import sys

from django.conf import settings

SHOW = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'dbs': sorted(settings.DATABASES), 'cache': settings.CACHES['default']['BACKEND'], "
    "'replica': settings.DATABASES.get('replica', {}).get('TEST', {}), "
    "'options': settings.DATABASES.get('replica', {}).get('OPTIONS', {})}))"
)


def _settings_with(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL", "REDIS_URL")}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    out = subprocess.run(
        [sys.executable, "-c", SHOW], env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_one_machine_has_one_database_and_a_local_cache():
    shown = _settings_with()
    assert shown["dbs"] == ["default"]
    assert shown["cache"].endswith("LocMemCache")
    assert settings.DATABASE_ROUTERS == ["bapas.replica.ReplicaRouter"]


def test_a_standby_and_redis_from_the_environment():
    shown = _settings_with(
        DATABASE_REPLICA_URL="postgres://bapas@db2.internal:5432/bapas", REDIS_URL="redis://cache.internal:6379/0"
    )
    assert shown["dbs"] == ["default", "replica"]
    assert shown["replica"]["MIRROR"] == "default"  # tests never create a second database for it
    assert shown["options"]["connect_timeout"] == 3  # a dead standby costs seconds, not minutes
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
