"""The production settings for the load test, with the static files collected under bench/out/.

Everything is config.settings.production (the required variables, HTTPS behind
the proxy, secure cookies, whitenoise's compressed manifest); only STATIC_ROOT
moves, so that the bench's collectstatic leaves the project's staticfiles/ alone.
"""
from bench.databases import OUT
from config.settings.production import *  # noqa: F403

STATIC_ROOT = OUT / "staticfiles"
