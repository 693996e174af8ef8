"""Production settings plus what only the benchmarks mount: the trivial view they compare with."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
