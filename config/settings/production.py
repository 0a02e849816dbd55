"""Production: every secret comes from the environment, with no default."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

# Required, with no default. All missing ones are named at once, in one line:
# manage.py and config/wsgi.py print the message without a traceback and exit.
REQUIRED_VARIABLES = ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"]
_missing = [name for name in REQUIRED_VARIABLES if not env.str(name, default="").strip()]
if _missing:
    raise ImproperlyConfigured(
        f"生产环境配置（config.settings.production）缺少必需的环境变量：{'、'.join(_missing)}"
        "（生产环境没有默认值，见 README.md 的 Configuration 一节）。"
    )

# A weak key is refused the same way, by the criteria of Django's own deploy check (security.W009): a
# guessable key lets anyone sign a session cookie or a password-reset link. The key itself is never printed.
SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_DISTINCT = 50, 5
_key = env.str("DJANGO_SECRET_KEY")
_weak = []
if len(_key) < SECRET_KEY_MIN_LENGTH:
    _weak.append(f"少于{SECRET_KEY_MIN_LENGTH}个字符（现为{len(_key)}个）")
if len(set(_key)) < SECRET_KEY_MIN_DISTINCT:
    _weak.append(f"不同的字符少于{SECRET_KEY_MIN_DISTINCT}种")
if _key.startswith("django-insecure-"):
    _weak.append("以 django-insecure- 开头（startproject 生成的开发用密钥）")
if _weak:
    raise ImproperlyConfigured(
        f"生产环境配置（config.settings.production）的环境变量 DJANGO_SECRET_KEY 太弱：{'；'.join(_weak)}。"
        "请换成随机生成的密钥，例如 python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 的输出。"
    )

DEBUG = False
SECRET_KEY = _key
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

# Django takes X-Forwarded-Proto: https at its word, so this is safe only behind the TLS proxy: gunicorn listens on
# 127.0.0.1 (README, Deploying), the proxy is the only client that reaches it, and the proxy sets the header on
# every request (overwriting any the browser sent). Never expose gunicorn's port directly with this setting.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The same proxy's X-Forwarded-For names the client (offices.client_address): believed from it alone.
WUYOU_TRUSTED_PROXIES = env.list("WUYOU_TRUSTED_PROXIES", default=["127.0.0.1"])
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
