"""Tests: fast hashing, in-memory e-mail, plain static storage."""
import atexit
import os
import shutil
import tempfile

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="wuyou-test-media-")
# Uploads made by the tests go here; remove them when the process ends (each
# pytest-xdist worker imports these settings and cleans its own folder).
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file rather than :memory:, so that the live server's request threads
    # (browser tests) each get their own connection instead of sharing one.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"wuyou-test-{os.getpid()}.sqlite3"),
    }

# Background jobs run at once, in the test's own thread and transaction (huey's immediate mode, in memory).
HUEY = {"name": "wuyou-test", "huey_class": "huey.MemoryHuey", "immediate": True}
