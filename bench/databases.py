"""Where each bench database lives, whether it is built, and Django set up on it.

SQLite: bench/out/<size>.sqlite3. PostgreSQL: the database wuyou_bench_<size>
on the server BENCH_POSTGRES names (default postgres://postgres@127.0.0.1:5432),
never `wuyou` or `test_wuyou`. A database counts as built once the builder has
written its row in the table `bench_build` (created here, not a Django model):
an interrupted build is started again from an empty database.
"""
import json
import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VENDORS = ("sqlite", "postgres")
SIZES = ("small", "city", "province", "national", "national-city")
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
MARKER_TABLE = "bench_build"


def database_name(size):
    return f"wuyou_bench_{size.replace('-', '_')}"


def sqlite_path(size):
    return OUT / f"{size}.sqlite3"


def database_url(vendor, size):
    if vendor == "sqlite":
        return f"sqlite:///{sqlite_path(size)}"
    return f"{POSTGRES_SERVER.rstrip('/')}/{database_name(size)}"


def _postgres_admin():
    import psycopg2

    connection = psycopg2.connect(f"{POSTGRES_SERVER.rstrip('/')}/postgres")
    connection.autocommit = True
    return connection


def postgres_exists(size):
    with _postgres_admin() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(size)])
        return cursor.fetchone() is not None


def reset(vendor, size):
    """Start from an empty database (a new SQLite file, or the PostgreSQL database dropped and created)."""
    sidecar(vendor, size).unlink(missing_ok=True)
    if vendor == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path(size)}{suffix}").unlink(missing_ok=True)
        return
    name = database_name(size)
    assert name.startswith("wuyou_bench_"), name  # never the app's or the test suite's database
    connection = _postgres_admin()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def set_jit_off(size):
    """JIT off for the bench database, as the README recommends for the app's role (it slowed some queries 20×)."""
    connection = _postgres_admin()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{database_name(size)}" SET jit = off')
    finally:
        connection.close()


def exists(vendor, size):
    return sqlite_path(size).exists() if vendor == "sqlite" else postgres_exists(size)


def setup_django(vendor, size, *, settings="config.settings.test"):
    """Point Django at the bench database and set it up (once per process)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url(vendor, size)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    # whitenoise warns that collectstatic has not run; the pages measured in-process do not need it.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


def build_info():
    """The builder's record ({} when the database is not built)."""
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE name = 'build'")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else {}


def sidecar(vendor, size):
    """bench/out/built-<vendor>-<size>.json: the builder's record outside the database (read without Django)."""
    return OUT / f"built-{vendor}-{size}.json"


def mark_built(info, vendor, size):
    from django.db import connection

    OUT.mkdir(parents=True, exist_ok=True)
    sidecar(vendor, size).write_text(json.dumps(info, ensure_ascii=False, indent=1))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (name varchar(32) PRIMARY KEY, value text)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE name = 'build'")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (name, value) VALUES ('build', %s)", [json.dumps(info)])


def tune_for_bulk_load():
    """Bench data only: skip the durability work a bulk load does not need."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous = OFF")
        else:
            cursor.execute("SET synchronous_commit = off")


def analyze():
    """Fresh planner statistics after the load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
