"""Settings come from the environment; production refuses to start without a secret key."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


DEPLOY_ENV = {
    "DJANGO_SECRET_KEY": "k7#Qe9!vZr2@Lp5^Ws8&Xn4*Ty6(Bu1)Hm3_Jd0+Fg-Ca=Re~Pi",
    "DJANGO_ALLOWED_HOSTS": "atlas.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def check_deploy(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "EMAIL"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="cms.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def reported(result):
    """The check ids `check` reported, e.g. {'security.W021'}."""
    return set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stdout + result.stderr))


def test_check_deploy_reports_only_what_the_domain_owner_decides():
    result = check_deploy(**DEPLOY_ENV)
    assert result.returncode == 0, result.stderr
    # HSTS preloading is a commitment for the whole domain, off unless the owner opts in.
    assert reported(result) == {"security.W021"}
    result = check_deploy(**DEPLOY_ENV, DJANGO_SECURE_HSTS_PRELOAD="1")
    assert reported(result) == set()
    assert "System check identified no issues" in result.stdout


def test_production_warns_when_email_is_not_configured():
    env = {key: value for key, value in DEPLOY_ENV.items() if key != "EMAIL_HOST"}
    result = check_deploy(**env, DJANGO_SECURE_HSTS_PRELOAD="1")
    assert reported(result) == {"atlas.W001"}
    assert "password reset and workflow notifications cannot be sent" in result.stderr


PRINT_SECURITY = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({name: getattr(settings, name) for name in ("
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'X_FRAME_OPTIONS', 'EMAIL_HOST', "
    "'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_USE_TLS', "
    "'DEFAULT_FROM_EMAIL', 'SERVER_EMAIL', 'WAGTAILADMIN_NOTIFICATION_FROM_EMAIL')}))"
)


def production_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "EMAIL"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="cms.settings.production")
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SECURITY],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_security_and_email_settings_from_the_environment():
    values = production_settings(
        DJANGO_SECRET_KEY="s3cret",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="3600",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="atlas",
        EMAIL_HOST_PASSWORD="mail-secret",
        EMAIL_USE_TLS="false",
        DEFAULT_FROM_EMAIL="Atlas <atlas@example.org>",
        SERVER_EMAIL="errors@example.org",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 3600,
        "X_FRAME_OPTIONS": "DENY",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 465,
        "EMAIL_HOST_USER": "atlas",
        "EMAIL_HOST_PASSWORD": "mail-secret",
        "EMAIL_USE_TLS": False,
        "DEFAULT_FROM_EMAIL": "Atlas <atlas@example.org>",
        "SERVER_EMAIL": "errors@example.org",
        "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL": "Atlas <atlas@example.org>",
    }
    defaults = production_settings(DJANGO_SECRET_KEY="s3cret")
    assert defaults["SECURE_SSL_REDIRECT"] is True
    assert defaults["SECURE_HSTS_SECONDS"] == 31536000
