"""WSGI entry point for gunicorn: `gunicorn scpvn.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from scpvn.core.startup import freeze_loaded_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scpvn.settings")
application = get_wsgi_application()
freeze_loaded_objects()
