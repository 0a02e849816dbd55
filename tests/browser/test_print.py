"""Printing on A4: the circular, the county table and the township scorecard, as Chromium prints them to PDF.

Each test prints a page with Playwright's `page.pdf` (the page's own @page size and margins, as a browser's
print dialog uses them), reads the PDF back with poppler (pdfinfo, pdftotext) and renders pages to PNG in
screenshots/ (pdftoppm) for a person to look at.
"""
import re
import shutil
import subprocess
from html import unescape

import pytest

from assessments import circulars
from assessments.templatetags.oversight_tags import chinese_date
from offices.compliance.store import recompute_township
from offices.models import Population, Township, User
from tests.browser import test_oversight_flow
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The oversight flow's demo city (four counties with every app's demo data, results stored), and its login.
demo_city = test_oversight_flow.demo_city
log_in = test_oversight_flow.log_in

MM = 72 / 25.4  # PDF points per millimetre
A4_PORTRAIT = (210 * MM, 297 * MM)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@pytest.fixture(autouse=True)
def poppler():
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext, pdfinfo, pdftoppm) is not installed")


def print_pdf(page, name):
    """Print the page as the browser's print dialog would on A4, keep the PDF, and render its pages to PNG."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"print-{name}.pdf"
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    for old in SCREENSHOTS.glob(f"print-{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(SCREENSHOTS / f"print-{name}")], check=True)
    return path


def page_sizes(path):
    """[(width, height)] in points, one per page."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)]


def page_texts(path, *, mode="-layout"):
    """The text of every page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:len(page_sizes(path))]


def squeezed(text):
    """Text without any white space: a table cell's words wrap over several lines."""
    return re.sub(r"\s+", "", text)


def page_words(path):
    """[[(x_min, y_min, x_max, y_max, word)]] per page, in points from the top left corner."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(a), float(b), float(c), float(d), unescape(w)) for a, b, c, d, w in WORD.findall(chunk)]
            for chunk in html.split("<page ")[1:]]


def tie_two_counties(units):
    """Leave two counties with no township passing, so that they tie (the demo's four counties do not).

    A population of three million asks a township for more posts than it has: every township of the two fails.
    Written below the services: the demo has accepted some townships' 2025 reports, and those are locked.
    """
    counties = units.counties[-2:]
    Population.objects.filter(township__county__in=counties, year=2025).update(resident=3_000_000,
                                                                              registered=3_000_000)
    for township in Township.objects.filter(county__in=counties):
        recompute_township(township, years={2025})
    return counties


def test_published_circular_prints_its_sign_page_numbers_margins_and_ties(demo_city, live_server, page):
    tied = tie_two_counties(demo_city)
    city_staff = User.objects.get(username="city3713")
    circular = circulars.circular_create(
        city=city_staff.city, year=2025, title=circulars.default_title(), reference="临民字〔2025〕12号",
        preface="为推动全市乡镇民政办规范化建设，市民政局对各县区进行了检查。现将有关情况通报如下。" * 3)
    circular = circulars.circular_publish(circular=circular, user=city_staff)
    counties = circulars.circular_figures_for(circular)["counties"]
    log_in(page, live_server, "city3713")
    page.goto(f"{live_server.url}/circulars/{circular.pk}/")
    path = print_pdf(page, "circular")

    sizes = page_sizes(path)
    assert len(sizes) >= 2, "the demo circular runs over more than one page"
    assert all(abs(w - A4_PORTRAIT[0]) < 2 and abs(h - A4_PORTRAIT[1]) < 2 for w, h in sizes)
    texts = page_texts(path)

    # Every page carries its number, 「— n —」, under the text block (GB/T 9704-2012 5.2.2).
    for number, (text, words) in enumerate(zip(texts, page_words(path), strict=True), start=1):
        assert re.search(rf"—\s*{number}\s*—", text), f"page {number} has no page number"
        number_words = [w for w in words if w[4] == str(number) and w[1] > A4_PORTRAIT[1] - 35 * MM]
        assert number_words, f"page {number}: its number is not in the bottom margin"
        # Margins on every page, not only the first: the text stays inside 37/35/28/26 mm (a millimetre of slack).
        # Heights are read at the middle of a word: poppler's box of a word is its font's full ascent and descent,
        # which for the bold CJK fallback font is twice the size of the glyphs.
        body = [w for w in words if w[1] < A4_PORTRAIT[1] - 35 * MM]
        assert body, f"page {number} is empty"
        assert min((w[1] + w[3]) / 2 for w in body) >= 37 * MM, f"page {number}: text in the top margin"
        assert min(w[0] for w in body) >= 27 * MM, f"page {number}: text in the left margin"
        assert max(w[2] for w in body) <= A4_PORTRAIT[0] - 25 * MM, f"page {number}: text in the right margin"

    # The 落款 prints on the last page: the issuing office over the date, both right of the page's middle.
    date = chinese_date(circular.published_at)
    last = texts[-1]
    assert "临沂市民政局" in last and date in squeezed(last)
    office_line = next(line for line in last.splitlines() if line.strip() == "临沂市民政局")
    date_line = next(line for line in last.splitlines() if squeezed(line) == date)
    assert office_line.index("临") > len(office_line) // 3 and date_line.index(date[:4]) > len(date_line) // 3
    sign_words = [w for w in page_words(path)[-1] if w[4] in ("临沂市民政局", date)]
    assert sign_words and min(w[0] for w in sign_words) > A4_PORTRAIT[0] / 2, "the 落款 is not right-aligned"

    # Tied counties print with the same rank, as 「并列第2」; the others as their rank alone.
    ranking = squeezed("".join(texts))
    shared = {c["rank"] for c in counties if c["tied"]}
    for county in counties:
        row = f"并列第{county['rank']}{county['name']}" if county["tied"] else f"{county['rank']}{county['name']}"
        assert row in ranking, f"{county['name']} is not printed as {row}"
        assert county["tied"] == (sum(c["rank"] == county["rank"] for c in counties) > 1)
    assert {c["name"] for c in counties if c["tied"]} >= {county.name for county in tied}
    assert len(shared) == 1 and all(c["passing"] == 0 for c in counties if c["tied"])


def test_county_table_prints_every_column_on_landscape_a4(demo_city, live_server, page):
    county = demo_city.counties[0]
    log_in(page, live_server, f"county{county.code[:6]}")
    page.goto(f"{live_server.url}/counties/{county.code}/compliance/?year=2025")
    headers = page.eval_on_selector_all("[data-testid=county-table] th[data-rule-col] .d-print-inline",
                                        "els => els.map(e => e.textContent.trim())")
    assert len(headers) > 10
    path = print_pdf(page, "county")

    sizes = page_sizes(path)
    assert all((round(w), round(h)) == (round(A4_PORTRAIT[1]), round(A4_PORTRAIT[0])) for w, h in sizes), sizes
    texts = [squeezed(text) for text in page_texts(path, mode="-raw")]
    # Every page the table is on prints every column, the last one included (it was cut off after 必设功能室).
    table_pages = [text for text in texts if "乡镇（街道）人口总体" in text]
    assert table_pages, "the table does not print"
    for number, text in enumerate(table_pages, start=1):
        missing = [title for title in headers if squeezed(title) not in text]
        assert not missing, f"columns not printed on the table's page {number}: {missing}"
        assert squeezed(headers[-1]) in text and "必设功能室" in text
    # The whole page is the table and its figures: no navigation, no buttons, a printed title line.
    assert f"{county.city.name}{county.name}·2025年度·打印日期：" in texts[0]
    everything = "".join(texts)
    assert "退出" not in everything and "下载本县区达标情况表" not in everything and "筛选" not in everything
    assert everything.count("合计") == 1, "the totals row prints once, after the last township"
    for number, words in enumerate(page_words(path), start=1):
        assert max(w[2] for w in words) <= A4_PORTRAIT[1] - 9 * MM, f"page {number}: text runs into the margin"


def test_scorecard_prints_every_rule_on_portrait_a4(demo_city, live_server, page):
    township = demo_city.townships[0]
    log_in(page, live_server, f"town{township.code[:9]}")
    page.goto(f"{live_server.url}/townships/{township.code}/scorecard/?year=2025")
    titles = page.eval_on_selector_all("tr[data-rule] td:first-child", "els => els.map(e => e.textContent.trim())")
    assert len(titles) > 10
    path = print_pdf(page, "scorecard")

    sizes = page_sizes(path)
    assert all(abs(w - A4_PORTRAIT[0]) < 2 and abs(h - A4_PORTRAIT[1]) < 2 for w, h in sizes), sizes
    assert len(sizes) <= 3
    texts = page_texts(path, mode="-raw")
    everything = squeezed("".join(texts))
    missing = [title for title in titles if squeezed(title) not in everything]
    assert not missing, f"rules not printed: {missing}"
    assert f"{township.county.name}{township.name}·2025年度·打印日期：" in squeezed(texts[0])
    assert "退出" not in everything and "去整改" not in everything
    for number, words in enumerate(page_words(path), start=1):
        assert max(w[2] for w in words) <= A4_PORTRAIT[0] - 10 * MM, f"page {number}: text runs into the margin"
