"""WSGI entry point: `gunicorn planea.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planea.settings")
application = get_wsgi_application()
