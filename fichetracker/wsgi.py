"""WSGI entry point for gunicorn: ``gunicorn fichetracker.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fichetracker.settings")

application = get_wsgi_application()
