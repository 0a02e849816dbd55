# The two commands: `make run` (set up everything and serve) and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# Extra pytest options, e.g. make test PYTEST_ARGS="-x tests/staffing"
PYTEST_ARGS ?=
# Test processes (pytest-xdist); each has its own test database. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
# Options of bench/run.py, e.g. make bench ARGS="--copies 1 --counties 2"
ARGS ?=

.PHONY: run test test-postgres lint install migrate demo logins serve worker refresh verify bench messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

# Loads the demo into an empty database; on an existing one it only prints the logins.
demo: migrate
	$(PY) manage.py load_demo --if-empty

# The demo accounts, at any time.
logins: install
	@$(PY) manage.py load_demo --logins

# Judge the dated rules again for today (and compute any township-year not stored yet); cron runs it daily.
refresh: install
	$(PY) manage.py refresh_compliance

# Compare the stored results with the live computation; exit 1 on any difference.
verify: install
	$(PY) manage.py verify_compliance

# The background worker (huey): recomputes after a standard or hierarchy change, large exports, the nightly refresh.
worker: install
	$(PY) manage.py run_huey --workers 2 --worker-type thread

# The web server with its worker beside it; stopping the server (Ctrl-C) stops the worker.
serve: refresh
	$(PY) manage.py run_huey --workers 2 --worker-type thread & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

run: demo serve

# -rs: say why each skipped test was skipped; the header names the database.
test: install
	$(PY) -m pytest -rs -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The layering (import-linter contract in pyproject.toml: no import runs upward) and ruff.
lint: install
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .

# The same suite on PostgreSQL (trust auth on 127.0.0.1:5432, as on CI).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/wuyou} $(PY) -m pytest -rs -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: install
	$(PY) bench/run.py $(ARGS)

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
