"""WSGI entry point for gunicorn."""
import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

# gunicorn stops (instead of restarting the worker forever) when a worker exits with this code.
APP_LOAD_ERROR = 4

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # A missing required variable: say which, in one line, without a traceback.
    print(f"config.wsgi: {error}", file=sys.stderr, flush=True)
    raise SystemExit(APP_LOAD_ERROR) from None
