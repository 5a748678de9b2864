"""Gunicorn settings for Planea in production, read by `gunicorn planea.wsgi` from the project folder.

Requests stay short: imports of large files and long documents run in the task worker (`manage.py db_worker`), so
a request that takes a minute is a fault, and the timeout ends it instead of letting it hold a worker.
"""

import os

bind = os.environ.get("PLANEA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PLANEA_WEB_WORKERS", "4"))
timeout = int(os.environ.get("PLANEA_WEB_TIMEOUT", "60"))  # seconds a request may take before its worker restarts
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, not all at once), so memory cannot creep up.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-" if os.environ.get("PLANEA_ACCESS_LOG") == "1" else None
