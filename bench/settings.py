"""Settings for benchmarks: Planea's own, plus a bare view on the same server, on a separate database."""

import os

os.environ.setdefault("PLANEA_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "bench"))

from planea.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": True}
