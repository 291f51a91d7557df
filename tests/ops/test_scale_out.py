import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection, transaction
from django.test import RequestFactory

from fichetracker.routers import PinPrimaryMiddleware, PrimaryReplicaRouter, is_pinned_to_primary, pinned_to_primary
from positions.models import Fiche

ROOT = Path(__file__).resolve().parents[2]


def settings_with(**env):
    """Load the settings in a fresh interpreter with ``env``, as an application server would."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({'caches': settings.CACHES, 'databases': sorted(settings.DATABASES), "
        "'routers': getattr(settings, 'DATABASE_ROUTERS', []), 'middleware': settings.MIDDLEWARE}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_REPLICA_URL", "DATABASE_URL")}
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "fichetracker.settings", "DJANGO_DEBUG": "1", **env},
    )
    return result


class SharedCacheSettingsTests:
    def test_the_cache_is_local_memory_by_default(self):
        result = settings_with()
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["caches"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"

    def test_redis_url_switches_to_djangos_redis_cache(self):
        result = settings_with(REDIS_URL="redis://cache.internal:6379/1")
        assert result.returncode == 0, result.stderr
        cache = json.loads(result.stdout)["caches"]["default"]
        assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert cache["LOCATION"] == "redis://cache.internal:6379/1"

    def test_a_malformed_redis_url_fails_loudly_at_start_up(self):
        result = settings_with(REDIS_URL="cache.internal:6379")
        assert result.returncode != 0
        assert "REDIS_URL must start with redis://" in result.stderr


class ReadReplicaSettingsTests:
    def test_no_replica_means_no_router(self):
        result = settings_with(DATABASE_URL="postgres://app@db.internal/fichetracker")
        assert result.returncode == 0, result.stderr
        loaded = json.loads(result.stdout)
        assert loaded["databases"] == ["default"]
        assert loaded["routers"] == []

    def test_a_replica_url_adds_the_replica_the_router_and_the_pinning_middleware(self):
        result = settings_with(DATABASE_URL="postgres://app@db.internal/fichetracker",
                               DATABASE_REPLICA_URL="postgres://reader@replica.internal/fichetracker")
        assert result.returncode == 0, result.stderr
        loaded = json.loads(result.stdout)
        assert loaded["databases"] == ["default", "replica"]
        assert loaded["routers"] == ["fichetracker.routers.PrimaryReplicaRouter"]
        assert loaded["middleware"][0] == "fichetracker.routers.PinPrimaryMiddleware"

    def test_a_replica_without_a_postgresql_primary_is_refused(self):
        result = settings_with(DATABASE_REPLICA_URL="postgres://reader@replica.internal/fichetracker")
        assert result.returncode != 0
        assert "DATABASE_REPLICA_URL needs a PostgreSQL primary" in result.stderr


class PrimaryReplicaRouterTests:
    def test_public_reads_go_to_the_replica_and_writes_to_the_primary(self):
        router = PrimaryReplicaRouter()
        assert router.db_for_read(Fiche) == "replica"
        assert router.db_for_write(Fiche) == "default"
        assert router.allow_migrate("replica", "positions") is False
        assert router.allow_migrate("default", "positions") is True

    def test_reads_inside_a_transaction_or_a_pinned_block_stay_on_the_primary(self, transactional_db):
        router = PrimaryReplicaRouter()
        with transaction.atomic():
            assert connection.in_atomic_block
            assert router.db_for_read(Fiche) == "default"
        with pinned_to_primary():
            assert router.db_for_read(Fiche) == "default"
        assert router.db_for_read(Fiche) == "replica"


class PinPrimaryMiddlewareTests:
    def seen(self, request):
        pinned = []
        PinPrimaryMiddleware(lambda r: pinned.append(is_pinned_to_primary()))(request)
        return pinned[0]

    def test_anonymous_reads_of_public_pages_may_use_the_replica(self):
        assert self.seen(RequestFactory().get("/fiches/")) is False

    def test_writes_the_admin_and_signed_in_users_are_pinned_to_the_primary(self, settings):
        factory = RequestFactory()
        assert self.seen(factory.post("/fiches/")) is True
        assert self.seen(factory.get("/admin/positions/fiche/")) is True
        signed_in = factory.get("/fiches/")
        signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
        assert self.seen(signed_in) is True
        assert is_pinned_to_primary() is False
