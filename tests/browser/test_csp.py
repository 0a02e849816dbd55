"""Every page, for every role, in Chromium under the real Content-Security-Policy: no violation, no console error.

Each role signs in through the login page of a one-county demo and opens every page of the URLconf
(walked the way tests/test_robustness.py walks it, codes filled with the user's own units); the pages
that need a primary key are reached by following the links and form targets of the pages already seen
(the two newest of each), so every edit form, detail page and rectification form is opened with a real
row, and the test fails if no role found a link to one of them. The administrators open the admin's
index and every model list they may see, and its change forms (the superuser all of them; the others
those they may only view). On pages with charts the tooltips are opened; "add" forms are submitted
empty so that the error rendering is checked too.

A `securitypolicyviolation` listener is injected by the browser driver (add_init_script), which the
policy cannot block, and writes each violation to the console; every console error, uncaught exception
and failed resource fails the test, with the page and the violated directive.
"""
import datetime
import io
import re
import time
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook

from assessments import circulars
from assessments.models import Circular
from assessments.services import export_start
from imports import services as import_services
from imports import template as import_template
from offices import demo as offices_demo
from offices.acting import acting_as
from offices.models import City, County, Township, User
from staffing.models import VillageAssistant
from tests.browser.conftest import log_in
from tests.factories.demo import build_demo_city
from tests.factories.facilities import RoomFactory
from tests.store import fill_store
from tests.test_robustness import url_patterns
from training import services as training_services
from training.models import Audience

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                + ` at ${event.sourceFile || "?"}:${event.lineNumber} ${event.sample || ""}`);
});
"""
# Never opened: they end the session or change the language, not pages.
# job_status is JSON the job page's script polls while a job runs (tests/assessments/test_jobs.py reads it).
SKIPPED = {"logout", "set_language", "job_status"}
SETTLE = "() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))"
TARGETS = """async () => {
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return [...document.querySelectorAll("a[href], form[action]")].map((e) => e.getAttribute("href") || e.getAttribute("action"));
}"""
CHARTS_DRAWN = "() => [...document.querySelectorAll('.chart')].every((chart) => chart.querySelector('canvas'))"


@pytest.fixture
def demo():
    units = build_demo_city(counties=1)
    # One draft and one published circular, so that both renderings are opened.
    city = City.objects.get()
    circulars.circular_create(city=city, year=2025, title="草稿通报", reference="", preface="")
    published = circulars.circular_create(city=city, year=2024, title="已发布通报", reference="", preface="")
    circulars.circular_publish(circular=published, user=User.objects.get(role="city"))
    # A session the first township organised (the newest, opened first), so that its attendance form is linked.
    township_user = User.objects.filter(role="township").order_by("username").first()
    training_services.session_create(user=township_user, date=datetime.date(2025, 3, 1), topic="业务培训",
                                     hours=Decimal("4"), audience=Audience.ALL)
    # An assistant not yet filed with the county, so that the filing form is linked.
    first_township = township_user.township
    serving = VillageAssistant.objects.filter(village__township=first_township, end_date__isnull=True).order_by("pk")
    VillageAssistant.objects.filter(pk__in=serving.values("pk")[:1]).update(filed_date=None)
    fill_store()  # as the services would have after those writes
    # A previewed import with one change, so that its preview and confirmation are linked (the import page).
    import_preview_of(township_user, first_township)
    # A finished export job, so that the job pages are linked (the jobs list from the dashboard).
    export_start(user=User.objects.get(role="city"), city=city, year=2025)
    return units


def import_preview_of(user, township):
    """A workbook from the import template with next year's population filled in, previewed by `user`."""
    buffer = io.BytesIO()
    import_template.write_template([township], 2026, buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    workbook["人口"].cell(2, 4, 50_000)
    workbook["人口"].cell(2, 5, 50_000)
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    with acting_as(user):
        import_services.import_preview(user=user, upload=upload, original_name="导入模板.xlsx")


class Visit:
    """One browser context for one user: opens pages and keeps what the console said on each."""

    def __init__(self, browser, base_url, role):
        self.base_url, self.role = base_url, role
        self.context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.add_init_script(WATCH_VIOLATIONS)
        self.messages = []
        self.page.on("console", lambda message: message.type == "error" and self.messages.append(message.text))
        self.page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))
        self.problems, self.visited, self.seen_targets = [], [], set()
        self.signed_in = False

    def record(self, label, settle=True):
        if settle:
            self.page.evaluate(SETTLE)
        if self.messages:
            self.problems.append(f"[{self.role}] {label}\n    " + "\n    ".join(self.messages))
            self.messages.clear()

    def open(self, path, *, probe=True):
        """Open `path` if it answers this user with an HTML page not checked yet; return True if it did.

        With `probe`, the page is asked for first without the browser: pages refused to this user, files
        (xlsx, the circular as a document, an uploaded regulation), data (JSON) and POST-only actions are
        not opened. The admin's pages are all HTML and are opened at once.
        """
        if probe:
            answer = self.context.request.get(self.base_url + path, fail_on_status_code=False)
            final = urlsplit(answer.url).path
            if self.signed_in:
                assert "/login/" not in final, f"[{self.role}] signed out before {path}"
            if (answer.status != 200 or not answer.headers.get("content-type", "").startswith("text/html")
                    or answer.headers.get("content-disposition", "").startswith("attachment")
                    or final in self.visited):
                return False
        else:
            final = path
        response = self.page.goto(self.base_url + final)
        if self.signed_in:
            assert "/login/" not in urlsplit(self.page.url).path, f"[{self.role}] signed out at {path}"
        if response.status != 200:  # the admin refusing a model to this administrator
            self.page.evaluate(SETTLE)
            self.messages.clear()  # the browser's report of the refusal is not a finding
            return False
        if self.page.locator(".chart").count():
            self.page.wait_for_function(CHARTS_DRAWN)
            self.hover_charts()
        self.visited.append(final)
        self.seen_targets.update(self.page.evaluate(TARGETS))
        self.record(path if final == path else f"{path} -> {final}", settle=False)  # TARGETS settled it
        if re.search(r"/(add|new)/$", final) and not final.startswith("/admin/"):
            self.submit_empty(final)
        return True

    def hover_charts(self):
        """Open each chart's tooltip (ECharts builds it from the page's own script)."""
        for chart in self.page.locator(".chart").all():
            chart.scroll_into_view_if_needed()
            box = chart.bounding_box()
            self.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            self.page.evaluate(SETTLE)

    def submit_empty(self, path):
        button = self.page.locator("main form[method=post] [type=submit]").first
        if button.count():
            # The server's own validation is what renders the errors; the browser's would stop the submit.
            button.evaluate("button => { button.form.noValidate = true; }")
            with self.page.expect_navigation():
                button.click()
            self.record(f"{path} (submitted empty)")

    def assert_policy_enforced(self):
        """The listener sees violations and the header is in force: an inline style attribute is refused."""
        self.page.evaluate("""() => { const probe = document.createElement("div");
            probe.innerHTML = '<span style="color: red">probe</span>'; document.body.append(probe); probe.remove(); }""")
        self.page.evaluate(SETTLE)
        assert any("CSP violation: style-src" in message for message in self.messages), self.messages
        self.messages.clear()

    def close(self):
        self.context.close()


def units_of(user):
    """The city, county and township codes a user's pages are opened with (the user's own where bound)."""
    county = user.county or County.objects.order_by("code").first()
    township = user.township or Township.objects.filter(county=county).order_by("code").first()
    return {"cities/": City.objects.get().code, "counties/": county.code, "townships/": township.code}


def as_regex(pattern):
    """A URL pattern as a regex over paths: any code, any primary key."""
    return re.compile("^/" + re.sub(r"<(?:\w+:)?\w+>", "[^/]+", re.escape(pattern)) + "$")


def newest_first(path):
    """Sort key: paths with the highest primary keys (the rows created last) first."""
    return [-int(part) if part.isdigit() else 0 for part in path.split("/")], path


def walk_app_pages(visit, user):
    """Every page of the URLconf this user may open. A page with a primary key is opened through the links
    and form targets of the pages seen, the two newest of each (a draft and a published circular, say)."""
    codes = units_of(user)
    with_pk = {}
    for _namespace, name, pattern in url_patterns():
        if name in SKIPPED:
            continue
        if re.search(r"<(?!str:code>)", pattern):
            with_pk[pattern] = as_regex(pattern)
            continue
        path = "/" + pattern
        for head, code in codes.items():
            path = path.replace(f"{head}<str:code>", f"{head}{code}")
        visit.open(path)
    tried = {pattern: set() for pattern in with_pk}
    while True:
        found = []
        for path in sorted({urlsplit(target).path for target in visit.seen_targets}, key=newest_first):
            for pattern, regex in with_pk.items():
                if len(tried[pattern]) < 2 and path not in tried[pattern] and regex.match(path):
                    tried[pattern].add(path)
                    found.append(path)
        if not found:
            break
        for path in found:
            visit.open(path)
    return {pattern for pattern, paths in tried.items() if not paths}


def walk_admin_pages(visit, user):
    """The admin index and every model list the user may see; change forms as the superuser sees them
    (the first row, else the add form), and as the other administrators see those they may only view."""
    visit.open(reverse("admin:index"), probe=False)
    if user.is_superuser:
        visit.open(reverse("admin:app_list", kwargs={"app_label": "offices"}), probe=False)  # as every app index
        visit.open(reverse("admin:offices_user_add"), probe=False)  # the one add form with a template of its own
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        opts = model._meta
        if not user.is_superuser and not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        visit.open(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), probe=False)
        if not user.is_superuser and user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            continue
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            visit.open(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]), probe=False)
        elif user.is_superuser:
            visit.open(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), probe=False)


def users_by_role():
    """One user per role, then every administrator (the superuser first)."""
    users = [(role, User.objects.filter(role=role).order_by("username").first()) for role in ("city", "county", "township")]
    administrators = User.objects.filter(is_staff=True).order_by("-is_superuser", "username")
    return users + [("administrator", user) for user in administrators]


def test_no_csp_violation_or_console_error_on_any_page(demo, live_server, browser):
    problems, opened, unreached = [], [], None
    for role, user in users_by_role():
        started = time.monotonic()
        visit = Visit(browser, live_server.url, f"{role} {user.username}")
        try:
            visit.open("/admin/login/" if user.is_staff else "/accounts/login/")  # the login page, signed out
            log_in(visit.page, live_server.url, user.username, offices_demo.DEMO_PASSWORD)
            visit.signed_in = True
            visit.record("login")
            visit.assert_policy_enforced()
            if not user.is_superuser:  # the superuser is for installation; the roles' pages are checked above
                missed = walk_app_pages(visit, user)
                unreached = missed if unreached is None else unreached & missed
            if user.is_staff:
                walk_admin_pages(visit, user)
        finally:
            visit.close()
        problems += visit.problems
        opened.append(len(visit.visited))
        print(f"{role} {user.username}: {len(visit.visited)} pages in {time.monotonic() - started:.1f} s")
    print(f"{sum(opened)} pages opened by {len(opened)} users")
    assert not problems, f"{len(problems)} page(s) with CSP violations or console errors:\n" + "\n".join(problems)
    # Every page that needs a primary key was reached by some role through the links of the pages it saw.
    assert not unreached, f"no role found a link to {sorted(unreached)}"
    assert all(opened) and sum(opened) >= 150, opened


def test_behaviour_declared_with_data_attributes_works(demo, live_server, browser):
    """What the inline handlers did, the page scripts now do: confirm, auto-submit, go back, print, tooltips."""
    clerk = User.objects.filter(role="township").order_by("username").first()
    # In use from this year: the demo has accepted earlier years, whose rooms are locked.
    room = RoomFactory(township=clerk.township, name="待删除的用房", since_year=datetime.date.today().year)
    visit = Visit(browser, live_server.url, f"township {clerk.username}")
    page = visit.page
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    try:
        log_in(page, live_server.url, clerk.username, offices_demo.DEMO_PASSWORD)
        rooms = f"{live_server.url}/townships/{clerk.township.code}/rooms/"

        # data-confirm: cancelling keeps the room; confirming deletes it.
        page.goto(rooms)
        delete = page.locator(f"form[action$='/rooms/{room.pk}/delete/'] button")
        page.once("dialog", lambda dialog: dialog.dismiss())
        delete.click()
        page.evaluate(SETTLE)
        assert page.locator("td", has_text="待删除的用房").count() == 1
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            delete.click()
        assert page.locator("td", has_text="待删除的用房").count() == 0

        # data-autosubmit: choosing a year reloads the page for that year.
        page.goto(f"{live_server.url}/townships/{clerk.township.code}/scorecard/")
        other_year = page.locator("#year-picker option:not([selected])").first.get_attribute("value")
        with page.expect_navigation():
            page.select_option("#year-picker", other_year)
        assert f"year={other_year}" in page.url

        # data-history-back: back to the page before.
        page.goto(rooms)
        page.goto(f"{live_server.url}/townships/{clerk.township.code}/rooms/add/")
        page.evaluate("""() => { const back = document.createElement("a"); back.href = "#"; back.id = "back";
            back.dataset.historyBack = ""; back.textContent = "back"; document.querySelector("main").append(back); }""")
        with page.expect_navigation():
            page.click("#back")
        assert page.url == rooms

        # the language menu switches the interface at once.
        with page.expect_navigation():
            page.select_option("select[name=language]", "en")
        assert page.locator("html").get_attribute("lang") == "en"
        visit.record("confirm, year picker, back, language")
    finally:
        visit.close()
    problems = visit.problems

    city_user = User.objects.get(role="city")
    visit = Visit(browser, live_server.url, f"city {city_user.username}")
    page = visit.page
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    try:
        log_in(page, live_server.url, city_user.username, offices_demo.DEMO_PASSWORD)
        page.goto(f"{live_server.url}/circulars/{Circular.objects.order_by('pk').first().pk}/")
        page.click("[data-print]")
        assert page.evaluate("window.printed") == 1

        # chart tooltips are built from DOM nodes (ECharts' own markup carries style attributes)
        page.goto(f"{live_server.url}/cities/{city_user.city.code}/dashboard/")
        page.wait_for_function(CHARTS_DRAWN)
        for chart in ("#chart-counties", "#chart-trend", "#dimension-charts .chart"):
            page.locator(chart).first.scroll_into_view_if_needed()
            box = page.locator(chart).first.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.locator(".chart-tip").locator("visible=true").first.wait_for()
            assert "%" in page.locator(".chart-tip").locator("visible=true").first.inner_text()
        assert page.locator(".chart-tip").count() == 3  # one built by each chart hovered
        visit.record("print, chart tooltips")
    finally:
        visit.close()
    assert not problems + visit.problems, problems + visit.problems
