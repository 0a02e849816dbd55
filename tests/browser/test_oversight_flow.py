"""City dashboard → county page → township scorecard, and a circular, in a real browser."""
import random

import pytest

from bench.province import copy_rows
from offices import demo as offices_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city():
    """Four counties of the demo city with every app's demo data (real rules, real variety)."""
    from assessments.management.commands.load_demo import demo_steps

    rows = copy_rows(offices_demo.read_divisions(), "3713", 0, counties=4)
    rows = [r if r.level != "city" else type(r)(code=r.code, name="临沂市", level="city", parent_code="") for r in rows]
    rng = random.Random(3713)
    townships = sum(1 for r in rows if r.level == "township")
    units = offices_demo.build(rng, rows=rows, total_population=offices_demo.DEMO_CITY_CENSUS_2020 * townships // 156)
    for step in demo_steps():
        step(rng, units)
    # As load_demo does: the pages read stored results, and no GET has to compute them (on PostgreSQL a GET
    # still filling the store when the test database was flushed ended in a deadlock).
    from offices.compliance.store import recompute_all

    recompute_all()
    return units


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", offices_demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/accounts/login/" not in page.url, "login failed"


def click_county_bar(page, index):
    """Click the bar of the county ranked `index` (0 = best) in the ECharts ranking chart."""
    point = page.evaluate(
        """(index) => {
            const el = document.getElementById('chart-counties');
            const chart = echarts.getInstanceByDom(el);
            const option = chart.getOption();
            const names = option.yAxis[0].data;
            const row = names.length - 1 - index;  // best county is drawn at the top
            const value = option.series[0].data[row];
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, [Math.max(value, 1) / 2, row]);
            const box = el.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y, name: names[row]};
        }""",
        index,
    )
    page.mouse.click(point["x"], point["y"])
    return point["name"]


def test_city_drills_down_to_a_scorecard(demo_city, live_server, page, screenshot):
    log_in(page, live_server, "city3713")
    assert "/dashboard/" in page.url
    page.wait_for_selector("#chart-counties canvas")
    page.wait_for_selector("#chart-trend canvas")
    assert page.locator("[data-kpi=overall]").inner_text().endswith("%")
    assert page.locator("#dimension-charts canvas").count() >= 5
    screenshot("oversight-1-dashboard")

    # the failing list filters by county and a row goes to the scorecard
    failing = page.locator("[data-testid=failing-list] tbody tr[data-township]")
    assert failing.count() > 0

    name = click_county_bar(page, 0)
    page.wait_for_url("**/compliance/?year=*")
    assert name in page.locator("h1").inner_text()
    page.wait_for_selector("[data-testid=county-table]")
    screenshot("oversight-2-county")
    assert page.locator("[data-testid=workforce]").count() in (0, 1)

    # sort by the first rule column, then open a township by clicking its row (not the link)
    page.locator("th[data-sort-col=rule]").first.click()
    # 序号 counts the rows in their new order
    numbers = page.eval_on_selector_all("[data-testid=county-table] tbody [data-row-number]",
                                        "cells => cells.map(cell => cell.textContent.trim())")
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and len(numbers) > 1
    row = page.locator("[data-testid=county-table] tbody tr[data-township]").first
    township = row.locator("td").nth(1).inner_text()
    row.locator("td").nth(3).click()
    page.wait_for_url("**/scorecard/?year=*")
    assert township in page.locator("h1").inner_text()
    screenshot("oversight-3-scorecard")


def test_ranking_row_and_failing_row_navigate(demo_city, live_server, page):
    log_in(page, live_server, "city3713")
    page.locator("[data-testid=county-ranking] tbody tr").first.locator("td").first.click()
    page.wait_for_url("**/compliance/?year=*")
    page.go_back()
    page.locator("[data-testid=failing-list] tbody tr[data-township]").first.locator("td").first.click()
    page.wait_for_url("**/scorecard/?year=*")


def test_circular_is_drafted_published_and_printable(demo_city, live_server, page, screenshot):
    log_in(page, live_server, "city3713")
    page.goto(f"{live_server.url}/circulars/new/")
    page.fill("#id_reference", "临民字〔2025〕12号")
    page.fill("#id_preface", "为推动全市乡镇民政办规范化建设，市民政局对各县区进行了检查。现将有关情况通报如下。")
    page.click("main button[type=submit]")  # not the navbar's logout button
    page.wait_for_selector("[data-testid=circular-body]")
    assert page.locator("[data-testid=circular-state]").inner_text() == "草稿"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=publish]")
    page.wait_for_selector("text=已发布")
    assert page.locator("[data-testid=circular-ranking] tbody tr").count() == 4
    screenshot("oversight-4-circular", full_page=False)
    page.emulate_media(media="print")
    screenshot("oversight-5-circular-print", full_page=False)
