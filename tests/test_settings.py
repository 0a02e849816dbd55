"""Settings: production refuses to start without its secrets, in one line; test media and logs are tidy."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-for-the-check-1234567890",
    "DJANGO_ALLOWED_HOSTS": "wuyou.example.gov.cn",
    "DATABASE_URL": "sqlite:////tmp/wuyou-deploy-check.sqlite3",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_prints_no_warnings():
    result = run_manage("check", "--deploy", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


REQUIRED = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"]


def one_line_naming(stderr, *names):
    """The settings' refusal: one line naming the variables, no traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert all(name in lines[0] for name in names), stderr
    return lines[0]


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_names_a_missing_variable_in_one_line(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode == 1
    line = one_line_naming(result.stderr, missing)
    assert line.startswith("manage.py: ") and "config.settings.production" in line
    assert not [name for name in REQUIRED if name != missing and name in line]


def test_production_names_every_missing_variable_at_once():
    result = run_manage("migrate", env={"DJANGO_SETTINGS_MODULE": "config.settings.production"})
    assert result.returncode == 1
    one_line_naming(result.stderr, *REQUIRED)


def test_an_empty_variable_counts_as_missing():
    result = run_manage("check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": " "})
    assert result.returncode == 1
    one_line_naming(result.stderr, "DJANGO_SECRET_KEY")


def test_wsgi_names_a_missing_variable_in_one_line_and_stops_gunicorn():
    """Exit code 4 is gunicorn's "App failed to load": it stops instead of restarting the worker forever."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    result = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env={**clean, **env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 4
    assert one_line_naming(result.stderr, "DATABASE_URL").startswith("config.wsgi: ")


def test_test_settings_remove_their_media_folder_at_exit():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    script = "from django.conf import settings; print(settings.MEDIA_ROOT)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=120, capture_output=True, text=True,
                            env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test"})
    media = Path(result.stdout.strip())
    assert result.returncode == 0 and media.name.startswith("wuyou-test-media-"), result.stderr
    assert not media.exists()


def test_django_log_lines_are_printed_once():
    """runserver's "Watching for file changes" went to Django's console handler and again to the root's."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.utils.autoreload').info('Watching for file changes with StatReloader')"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=120, capture_output=True, text=True,
                            env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.dev"})
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Watching for file changes") == 1, result.stderr


WEAK_KEYS = {
    "short": "k3y-Only-Forty-Nine-Characters-Long-0123456789abc",  # 49 characters
    "few-distinct": "abab" * 20,
    "startproject": "django-insecure-" + "q7#x9!m2$v8@k4&z1^w6*e3%r5(t0)y-u_i+o=p[a]s{d}f;g:h",
}


@pytest.mark.parametrize("kind", WEAK_KEYS)
def test_production_refuses_a_weak_secret_key_in_one_line(kind):
    key = WEAK_KEYS[kind]
    result = run_manage("check", "--deploy", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": key})
    assert result.returncode == 1
    line = one_line_naming(result.stderr, "DJANGO_SECRET_KEY")
    assert line.startswith("manage.py: 生产环境配置（config.settings.production）的环境变量 DJANGO_SECRET_KEY 太弱：")
    assert key not in line, "the key itself is never printed"
    reason = {"short": "少于50个字符（现为49个）", "few-distinct": "不同的字符少于5种",
              "startproject": "以 django-insecure- 开头"}[kind]
    assert reason in line


def test_wsgi_refuses_a_weak_secret_key_and_stops_gunicorn():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env = {**clean, **PRODUCTION_ENV, "DJANGO_SECRET_KEY": "abab" * 20}
    result = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 4
    assert one_line_naming(result.stderr, "DJANGO_SECRET_KEY").startswith("config.wsgi: ")


def test_a_key_of_50_random_characters_is_accepted():
    import secrets

    result = run_manage("check", "--deploy", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(38)})
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_readme_binds_gunicorn_to_the_loopback_and_trusts_forwarded_headers_from_the_proxy_only():
    from tests.test_readme import README, deploy_commands

    gunicorn = next(command for command in deploy_commands() if "gunicorn" in command)
    assert "--bind 127.0.0.1:" in gunicorn and "0.0.0.0" not in gunicorn
    assert "--forwarded-allow-ips 127.0.0.1" in gunicorn
    text = README.read_text(encoding="utf-8")
    assert "SECURE_PROXY_SSL_HEADER" in text and "client_max_body_size" in text


def test_upload_limits_are_set():
    script = (
        "from django.conf import settings as s; print(s.WUYOU_MAX_UPLOAD_BYTES, s.DATA_UPLOAD_MAX_MEMORY_SIZE, "
        "s.FILE_UPLOAD_MAX_MEMORY_SIZE, s.WUYOU_UPLOAD_MAX_UNPACKED_BYTES, s.WUYOU_UPLOAD_MAX_ARCHIVE_ENTRIES, "
        "s.WUYOU_UPLOAD_MAX_COMPRESSION_RATIO, 'offices.request_limits.RequestLimitsMiddleware' in s.MIDDLEWARE)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**clean, **PRODUCTION_ENV},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["10485760", "2621440", "2621440", "52428800", "1000", "100", "True"]
