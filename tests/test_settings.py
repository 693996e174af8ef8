"""Settings come from the environment; production refuses to start without a secret key."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'], "
    "'db_name': str(settings.DATABASES['default']['NAME']), "
    "'cache': settings.CACHES['default']['BACKEND'], "
    "'location': settings.CACHES['default'].get('LOCATION', ''), "
    "'hosts': settings.ALLOWED_HOSTS, 'debug': settings.DEBUG, 'secret': settings.SECRET_KEY}))"
)


def load_settings(module, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    clean.pop("REDIS_URL", None)
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def test_defaults_are_sqlite_and_local_memory():
    result = load_settings("cms.settings.dev")
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["db_name"].endswith("db.sqlite3")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["debug"] is True


def test_database_cache_and_hosts_from_the_environment():
    result = load_settings(
        "cms.settings.production",
        DATABASE_URL="postgres://atlas:pw@db.internal:5432/atlas",
        REDIS_URL="redis://127.0.0.1:6379/2",
        DJANGO_SECRET_KEY="s3cret-from-env",
        DJANGO_ALLOWED_HOSTS="atlas.example.org, www.atlas.example.org",
    )
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.postgresql"
    assert values["db_name"] == "atlas"
    assert values["cache"] == "django_redis.cache.RedisCache"
    assert values["location"] == "redis://127.0.0.1:6379/2"
    assert values["hosts"] == ["atlas.example.org", "www.atlas.example.org"]
    assert values["secret"] == "s3cret-from-env"
    assert values["debug"] is False


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings("cms.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in result.stderr
