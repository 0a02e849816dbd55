"""On a phone (390 × 844) no page scrolls sideways, for any role; the pages used most, looked at on both screens.

Each role signs in to the CSP walk's one-county demo (tests/browser/test_csp.py: its data, its browser visit and
its URL walk) and opens one page per URL pattern it may see, the pages with a primary key reached through the
links of those already seen (the administrators: the admin's index, lists and forms). On each page
`document.documentElement.scrollWidth` must not exceed `window.innerWidth`; a failure names the page and the
elements that stick out (the outermost ones whose right edge passes the screen's, outside any scrolling box).

A wide table may scroll inside its own box (`.table-responsive`): that is not the page scrolling. Hiding the
overflow of the whole page (`overflow-x: hidden` on html or body) would only hide the problem, and fails here.
"""
import re
import time
from urllib.parse import urlsplit

import pytest

from offices import demo as offices_demo
from offices.models import User
from tests.browser import test_csp
from tests.browser.conftest import SCREENSHOTS, log_in
from tests.test_robustness import url_patterns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

demo = test_csp.demo  # the CSP walk's data: one county, circulars, a training session, an export job

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
PAGES_PER_USER = 60  # one per URL pattern: a clerk opens about 45 (the test fails if a role reaches this)
ADMIN_PAGES_PER_USER = 12  # the admin's pages are a few templates: index, list, form

# The outermost elements sticking out past the right edge of the screen, widest first. An element inside a box
# that scrolls or clips (overflow-x other than visible) does not widen the page and is not counted.
MEASURE = """() => {
  const width = window.innerWidth, root = document.documentElement;
  const sticksOut = (el) => { const box = el.getBoundingClientRect(); return box.width > 0 && box.right > width + 0.5; };
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") { return true; }
    }
    return false;
  };
  const describe = (el) => {
    const classes = [...el.classList].slice(0, 3).map((c) => "." + c).join("");
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 30);
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}> right ${Math.round(el.getBoundingClientRect().right)} px`
           + (text ? ` "${text}"` : "");
  };
  const wide = root.scrollWidth <= width ? [] : [...document.body.querySelectorAll("*")].filter(
    (el) => sticksOut(el) && !(el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement))
            && !clipped(el));
  wide.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
  return {scrollWidth: root.scrollWidth, innerWidth: width, wide: wide.slice(0, 3).map(describe),
          hidden: [root, document.body].some((el) => ["hidden", "clip"].includes(getComputedStyle(el).overflowX))};
}"""


class SampledVisit(test_csp.Visit):
    """The CSP walk's visit, sampling pages (up to `limit`) for a check of its own: no tooltips, no submits, and
    the console's errors left to the CSP walk. `check()` runs on each page opened."""

    def __init__(self, browser, base_url, role, *, limit):
        super().__init__(browser, base_url, role)
        self.limit = limit

    def hover_charts(self):
        pass  # what the charts show is the CSP walk's concern

    def submit_empty(self, path):
        pass

    def open(self, path, *, probe=True):
        if len(self.visited) >= self.limit or not super().open(path, probe=probe):
            return False
        self.problems.clear()  # console errors are the CSP walk's findings
        self.check()
        return True

    def check(self):
        raise NotImplementedError  # each walk says what it checks


class PhoneVisit(SampledVisit):
    """The sampled visit at a phone's width: it measures each page it opens."""

    def __init__(self, browser, base_url, role, *, limit):
        super().__init__(browser, base_url, role, limit=limit)
        self.page.set_viewport_size(PHONE)
        self.overflows = []

    def check(self):
        finding = overflow(self.page)
        if finding:
            self.overflows.append(f"[{self.role}] {self.visited[-1]}: {finding}")


def overflow(page):
    """What makes `page` wider than its window, or "" if nothing does."""
    measured = page.evaluate(MEASURE)
    if measured["hidden"]:
        return "overflow-x hidden on html or body (hides what sticks out instead of fitting it)"
    if measured["scrollWidth"] <= measured["innerWidth"]:
        return ""
    return (f"scrollWidth {measured['scrollWidth']} > innerWidth {measured['innerWidth']}; "
            + ("; ".join(measured["wide"]) or "no single element found"))


def sample_app_pages(visit, user):
    """One page per URL pattern the user may open: codes filled with the user's own units (test_csp.units_of),
    patterns with a primary key through the links and form targets of the pages seen, the newest row first."""
    codes = test_csp.units_of(user)
    with_pk = {}
    for _namespace, name, pattern in url_patterns():
        if name in test_csp.SKIPPED:
            continue
        if re.search(r"<(?!str:code>)", pattern):
            with_pk[pattern] = test_csp.as_regex(pattern)
            continue
        path = "/" + pattern
        for head, code in codes.items():
            path = path.replace(f"{head}<str:code>", f"{head}{code}")
        visit.open(path)
    tried = set()
    while True:
        found = {}
        for path in sorted({urlsplit(t).path for t in visit.seen_targets}, key=test_csp.newest_first):
            for pattern, regex in with_pk.items():
                if pattern not in tried and pattern not in found and regex.match(path):
                    found[pattern] = path
        if not found:
            return
        tried.update(found)
        for path in found.values():
            visit.open(path)


def test_no_page_scrolls_sideways_on_a_phone(demo, live_server, browser):
    overflows, opened = [], {}
    for role, user in test_csp.users_by_role():
        started = time.monotonic()
        limit = ADMIN_PAGES_PER_USER if user.is_staff else PAGES_PER_USER
        visit = PhoneVisit(browser, live_server.url, f"{role} {user.username}", limit=limit)
        try:
            visit.open("/admin/login/" if user.is_staff else "/accounts/login/")  # signed out
            log_in(visit.page, live_server.url, user.username, offices_demo.DEMO_PASSWORD)
            visit.signed_in = True
            if not user.is_staff:
                sample_app_pages(visit, user)
                # Reaching the limit would leave URL patterns unopened without saying so.
                assert len(visit.visited) < limit, f"{user.username} reached {limit} pages: raise PAGES_PER_USER"
            else:
                test_csp.walk_admin_pages(visit, user)
        finally:
            visit.close()
        overflows += visit.overflows
        opened[user.username] = len(visit.visited)
        print(f"{role} {user.username}: {len(visit.visited)} pages at 390 px in {time.monotonic() - started:.1f} s")
    assert not overflows, f"{len(overflows)} page(s) scroll sideways at 390 px:\n" + "\n".join(overflows)
    assert all(opened.values()) and sum(opened.values()) >= 100, opened


# The trend chart's legend: every line's name drawn inside the chart and above the plot, in its line's colour.
TREND_LEGEND = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById("chart-trend"));
  const option = chart.getOption(), names = option.series.map((s) => s.name), width = chart.getWidth();
  const drawn = chart.getZr().storage.getDisplayList().filter((el) => el.style && names.includes(el.style.text))
    .map((el) => { const box = el.getBoundingRect().clone(); box.applyTransform(el.getComputedTransform()); return [el.style.text, box]; })
    .filter(([, box]) => box.x >= 0 && box.x + box.width <= width + 0.5);
  const bars = [...document.querySelectorAll("#dimension-charts .chart")].map((el) => echarts.getInstanceByDom(el).getOption().series[0]);
  return {names, shown: [...new Set(drawn.map(([name]) => name))], gridTop: option.grid[0].top,
          legendBottom: Math.max(...drawn.map(([, box]) => box.y + box.height)),
          lineColours: Object.fromEntries(option.series.map((s) => [s.name, s.lineStyle.color])),
          barColours: Object.fromEntries(bars.map((s) => [s.name, s.itemStyle.color]))};
}"""


def open_at(page, url, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(url)
    if page.locator(".chart").count():
        page.wait_for_function(test_csp.CHARTS_DRAWN)
    page.evaluate(test_csp.SETTLE)
    return response


def test_pages_used_most_on_a_phone_and_a_desktop(demo, live_server, browser):
    """The scorecard, lists, county table and dashboard on both screens (screenshots/phone-*, desktop-*):
    nothing sticks out, and on the phone every link of the scorecard is on screen, not in a box scrolled away."""
    clerk = User.objects.filter(role="township").order_by("username").first()
    county_user = User.objects.filter(role="county").order_by("username").first()
    city_user = User.objects.get(role="city")
    code = clerk.township.code
    pages = {
        clerk: {"scorecard": f"/townships/{code}/scorecard/", "staff": f"/townships/{code}/staff/",
                "regulations": f"/townships/{code}/regulations/", "budget": f"/townships/{code}/funding/budget/",
                "not-found": "/no-such-page/"},
        county_user: {"county": f"/counties/{county_user.county.code}/compliance/"},
        city_user: {"dashboard": f"/cities/{city_user.city.code}/dashboard/"},
    }
    SCREENSHOTS.mkdir(exist_ok=True)
    problems = []
    for user, named in pages.items():
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            log_in(page, live_server.url, user.username, offices_demo.DEMO_PASSWORD)
            for name, path in named.items():
                for screen, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                    open_at(page, live_server.url + path, viewport)
                    page.screenshot(path=str(SCREENSHOTS / f"{screen}-{name}.png"), full_page=True)
                    finding = overflow(page)
                    if finding:
                        problems.append(f"{screen} {path}: {finding}")
                    if name == "dashboard":
                        legend = page.evaluate(TREND_LEGEND)
                        assert len(legend["names"]) == 8 and sorted(legend["shown"]) == sorted(legend["names"]), (screen, legend)
                        assert legend["legendBottom"] <= legend["gridTop"], (screen, legend)
                        assert legend["barColours"] and all(legend["lineColours"][name] == colour
                                                            for name, colour in legend["barColours"].items()), legend
                if name == "scorecard":
                    open_at(page, live_server.url + path, PHONE)
                    links = page.evaluate("""() => [...document.querySelectorAll("main table a")].map((a) => {
                        const box = a.getBoundingClientRect();
                        return {text: a.innerText.trim(), left: box.left, right: box.right};
                    })""")
                    assert any(link["text"] == "去整改" for link in links), links
                    off_screen = [link for link in links if link["left"] < 0 or link["right"] > PHONE["width"]]
                    assert not off_screen, off_screen
        finally:
            context.close()
    assert not problems, "\n".join(problems)
