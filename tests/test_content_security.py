"""The browser-facing security headers, and the sources that must stay within the Content-Security-Policy.

The policy forbids inline scripts, inline event handlers, inline style attributes and javascript: links;
the scans below keep them out of the templates, of HTML built in Python and of HTML built in our scripts.
tests/browser/test_csp.py opens every page in Chromium under the same policy.
"""
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from assessments import circulars
from offices.models import User
from tests.factories.demo import build_demo_city
from tests.test_robustness import concrete, url_patterns

ROOT = Path(settings.BASE_DIR)
APPS = ["config", "offices", "staffing", "funding", "facilities", "regulations", "training", "supervision",
        "assessments", "security"]
# The downloaded circular is a file opened offline, never a page of the site: it carries its stylesheet.
STANDALONE_DOCUMENTS = {"assessments/circular_document.html"}

INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
# An HTML tag written inside Python or JavaScript source that carries a handler or a style attribute.
TAG_WITH_INLINE = re.compile(r"<[a-zA-Z][^<>]*?\s(?:on[a-z]+|style)\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)

pytestmark = pytest.mark.django_db


def directives(header):
    """{'script-src': ["'self'"], ...} from a Content-Security-Policy header."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def template_files():
    folders = [ROOT / "templates"] + [ROOT / app / "templates" for app in APPS]
    for folder in folders:
        for path in sorted(folder.rglob("*.html")) if folder.exists() else ():
            yield path.relative_to(folder).as_posix(), path.read_text(encoding="utf-8")


def test_policy_allows_only_this_site_and_no_inline_code(client):
    response = client.get("/accounts/login/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    for directive in ("script-src", "style-src", "default-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"} & set(policy[directive]), directive
    assert set(policy["img-src"]) == {"'self'", "data:"}  # data: for the 2FA enrolment QR code
    assert policy["font-src"] == policy["connect-src"] == policy["form-action"] == policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == policy["object-src"] == ["'none'"]


def test_permissions_policy_switches_off_unused_features(client):
    header = client.get("/accounts/login/")["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "midi"):
        assert features[feature] == "()", feature


def test_pages_for_a_signed_in_user_are_never_stored(login, clerk, township):
    client = login(clerk)
    for path in (f"/townships/{township.code}/", f"/townships/{township.code}/staff/", "/"):
        response = client.get(path)
        assert response.status_code in (200, 302), path
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "no-cache", "private"} <= cache_control, path
        assert response["Pragma"] == "no-cache", path
        assert "Content-Security-Policy" in response, path


def test_static_files_stay_cacheable_for_a_signed_in_user(settings, clerk):
    # Served as in development and production, by whitenoise, ahead of the no-store middleware.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # a fresh handler, so that whitenoise reads the settings above
    client.force_login(clerk)
    for path in ("/static/css/wuyou.css", "/static/js/wuyou.js", "/favicon.ico"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in response.get("Cache-Control", ""), path
        assert "Pragma" not in response, path
        response.close()


def test_htmx_is_configured_without_eval_or_injected_styles(login, clerk, township):
    page = login(clerk).get(f"/townships/{township.code}/").content.decode()
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert meta, "templates/base.html must configure htmx"
    assert json.loads(meta.group(1)) == {"allowEval": False, "includeIndicatorStyles": False}
    # The htmx configuration comes before htmx itself, which reads it when it loads.
    assert page.index("htmx-config") < page.index("vendor/htmx/htmx.min.js")


def test_templates_have_no_inline_handlers_styles_scripts_or_javascript_links():
    found = []
    for name, text in template_files():
        for label, regex in (("handler", INLINE_HANDLER), ("style attribute", STYLE_ATTRIBUTE),
                             ("javascript: link", JAVASCRIPT_URL)):
            found += [f"{name}: {label} {match.group(0).strip()!r}" for match in regex.finditer(text)]
        for match in SCRIPT_TAG.finditer(text):
            attributes = match.group(1)
            if "src=" not in attributes and "application/json" not in attributes:
                found.append(f"{name}: inline <script>")
        if "<style" in text and name not in STANDALONE_DOCUMENTS:
            found.append(f"{name}: inline <style>")
        for attribute in ("hx-on", "hx-vars", "hx-vals='js:", 'hx-vals="js:', "hx-vals='javascript:"):
            if attribute in text:
                found.append(f"{name}: {attribute} runs code through eval")
        if re.search(r"hx-trigger=[\"'][^\"']*\[", text):
            found.append(f"{name}: hx-trigger with a JavaScript filter")
    assert not found, "\n".join(found)


def test_html_built_in_python_and_in_our_scripts_has_no_inline_handlers_or_styles():
    sources = [path for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]
    sources += sorted((ROOT / "static" / "js").glob("*.js"))
    found = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {match.group(0)!r}" for match in TAG_WITH_INLINE.finditer(text)]
        found += [f"{path.relative_to(ROOT)}: javascript: link" for _match in JAVASCRIPT_URL.finditer(text)]
        if path.suffix == ".js" and re.search(r"setAttribute\(\s*[\"']style[\"']", text):
            found.append(f"{path.relative_to(ROOT)}: setAttribute('style') (set element.style properties instead)")
    assert not found, "\n".join(found)


def test_the_circular_page_links_its_stylesheet_and_the_downloaded_file_carries_it(login, city_staff, city):
    """The one document with an inline <style> is the downloaded circular: a file opened offline, under no
    policy. The page in the site links the same stylesheet."""
    circular = circulars.circular_create(city=city, year=2025, title="通报", reference="", preface="")
    client = login(city_staff)
    page = client.get(f"/circulars/{circular.pk}/").content.decode()
    assert "/static/css/circular.css" in page and "<style" not in page
    document = client.get(f"/circulars/{circular.pk}/download/").content.decode()
    stylesheet = (ROOT / "static" / "css" / "circular.css").read_text(encoding="utf-8")
    assert stylesheet.strip() in document


def test_a_refused_form_submission_shows_a_page_within_the_policy(clerk, township):
    """Django's own CSRF failure page carries an inline <style>; the project's replaces it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    response = client.post(f"/townships/{township.code}/rooms/add/", {"name": "办公室"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page
    assert not STYLE_ATTRIBUTE.search(page) and "<style" not in page and "<script" not in page


@pytest.fixture
def demo():
    return build_demo_city(counties=1)


@pytest.mark.parametrize("role", ["township", "county", "city"])
def test_rendered_pages_and_form_errors_have_no_inline_handlers_or_styles(demo, client, role):
    """What the templates, crispy-forms and the template tags render together, for every page of a role,
    on GET and with the errors of an empty POST."""
    user = User.objects.filter(role=role).order_by("username").first()
    client.force_login(user)
    found, checked = [], 0
    for _namespace, name, pattern in url_patterns():
        if name in {"logout", "set_language"}:
            continue
        path = concrete(pattern, user, 1)
        for response in (client.get(path), client.post(path, {})):
            if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
                continue
            html = response.content.decode()
            checked += 1
            for label, regex in (("handler", INLINE_HANDLER), ("style attribute", STYLE_ATTRIBUTE),
                                 ("javascript: link", JAVASCRIPT_URL)):
                found += [f"{path}: {label} {m.group(0).strip()!r}" for m in regex.finditer(html)]
    assert checked > 20
    assert not found, "\n".join(found)
