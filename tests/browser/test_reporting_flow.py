"""A township's year in Chromium: submit → county return with reasons → fix → resubmit → approve → accept → locked
→ unlocked by the county → saved → the change in the history, with before and after.

Screenshots of the report page (clerk, county) and the to-do list at 1440×900 and 390×844 go to screenshots/.
"""
import re

import pytest
from django.urls import reverse

from offices.models import AnnualReport, ReportState
from tests.browser.conftest import log_in
from tests.factories.offices import (
    CityFactory,
    CountyFactory,
    PopulationFactory,
    StandardFactory,
    TownshipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qilin#Harbor-2718"
YEAR = 2025
RULE = "staffing.staff_in_post"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def units():
    # A standard of its own: a transactional test before this one may have flushed the migrated default.
    StandardFactory()
    city = CityFactory(code="371300000000", name="临沂市")
    county = CountyFactory(city=city, code="371302000000", name="兰山区", kind="district")
    township = TownshipFactory(county=county, code="371302001000", name="兰山街道", kind="subdistrict")
    neighbour = TownshipFactory(county=county, code="371302002000", name="银雀山街道", kind="subdistrict")
    users = {
        "clerk": UserFactory(role="township", township=township, username="town371302001", password=PASSWORD,
                             first_name="李", last_name="文"),
        "county": UserFactory(role="county", county=county, username="county371302", password=PASSWORD),
        "city": UserFactory(role="city", city=city, username="city3713", password=PASSWORD),
    }
    for place in (township, neighbour):
        for year in (YEAR - 1, YEAR):
            PopulationFactory(township=place, year=year, resident=60000, registered=58000)
    from offices.compliance.store import recompute_all

    recompute_all(years=[YEAR - 1, YEAR])
    return {"township": township, **users}


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    log_in(page, live_server.url, username, PASSWORD)


def shoot_both(page, screenshot, name):
    """The page at 1440×900 and at 390×844 (the phone), back at desktop size after."""
    screenshot(f"reporting-{name}")
    page.set_viewport_size(PHONE)
    screenshot(f"reporting-{name}-phone")
    page.set_viewport_size(DESKTOP)


def press(page, form, button_text):
    with page.expect_navigation():
        page.locator(f"[data-testid={form}] button[type=submit]", has_text=button_text).click()


def save_population(page, live_server, code, resident):
    page.goto(f"{live_server.url}{reverse('offices:population_edit', args=[code])}")
    page.fill("#id_year", str(YEAR))
    page.fill("#id_resident", str(resident))
    page.fill("#id_registered", "58000")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def test_a_township_year_goes_round_the_cycle(units, live_server, page, screenshot):
    township = units["township"]
    report_url = f"{live_server.url}{reverse('reporting:report', args=[township.code, YEAR])}"
    scorecard_url = f"{live_server.url}{reverse('assessments:scorecard', args=[township.code])}?year={YEAR}"

    # the clerk lands with the to-do, then submits with a statement
    sign_in(page, live_server, "town371302001")
    assert "待报送" in page.locator(".alert-info").first.inner_text()
    page.goto(f"{live_server.url}{reverse('reporting:todo')}?year={YEAR}")
    assert page.locator("[data-testid=todo-to-submit] li").count() == 1
    shoot_both(page, screenshot, "todo-clerk")
    page.goto(report_url)
    page.fill("#id_submit-statement", "已完成2025年度自查，民政助理员缺1人，正在招聘。")
    shoot_both(page, screenshot, "report-clerk-draft")
    press(page, "submit-form", "报送")
    assert page.locator("[data-testid=state-badge]").inner_text() == "已报送"
    assert page.locator("[data-testid=lock-note]").is_visible()

    # the county returns it with a reason and a reason for one rule
    sign_in(page, live_server, "county371302")
    assert "待审核 1 份" in page.locator(".alert-info").first.inner_text()
    page.goto(f"{live_server.url}{reverse('reporting:todo')}?year={YEAR}")
    assert page.locator("[data-testid=todo-to-review] li").count() == 1
    shoot_both(page, screenshot, "todo-county")
    page.goto(report_url)
    page.fill("#id_return-reason", "人口与统计公报不一致，请核实后重新报送。")
    page.locator("[data-testid=return-form] summary").click()
    page.fill(f"[name='return-rule__{RULE}']", "实有人数与花名册不符，请核对。")
    shoot_both(page, screenshot, "report-county-review")
    press(page, "return-form", "退回")
    assert page.locator("[data-testid=state-badge]").inner_text() == "已退回"

    # the clerk sees both reasons on the scorecard, the per-rule one beside its rule, and fixes the population
    sign_in(page, live_server, "town371302001")
    page.goto(scorecard_url)
    assert "人口与统计公报不一致" in page.locator("[data-testid=scorecard-return-reason]").inner_text()
    assert "退回意见：实有人数与花名册不符，请核对。" in page.locator(f"tr[data-rule='{RULE}']").inner_text()
    screenshot("reporting-scorecard-returned")
    save_population(page, live_server, township.code, 64000)
    assert "已保存" in page.locator(".alert-success").first.inner_text()
    page.goto(report_url)
    assert "60000 → 64000" in page.locator("[data-testid=population-change]").inner_text().replace(",", "")
    shoot_both(page, screenshot, "report-clerk-returned")
    page.fill("#id_submit-statement", "已按统计公报更正常住人口为64000人。")
    press(page, "submit-form", "报送")

    # the county sees what changed since the return, and approves
    sign_in(page, live_server, "county371302")
    page.goto(report_url)
    assert "60000 → 64000" in page.locator("[data-testid=population-change]").inner_text().replace(",", "")
    press(page, "approve-form", "审核通过")
    assert page.locator("[data-testid=state-badge]").inner_text() == "县级审核通过"

    # the city accepts
    sign_in(page, live_server, "city3713")
    assert "待验收 1 份" in page.locator(".alert-info").first.inner_text()
    page.goto(report_url)
    press(page, "approve-form", "验收通过")
    assert page.locator("[data-testid=state-badge]").inner_text() == "市级验收通过"
    assert AnnualReport.objects.get(township=township, year=YEAR).state == ReportState.ACCEPTED

    # locked: the clerk's population form is refused with the lock message
    sign_in(page, live_server, "town371302001")
    save_population(page, live_server, township.code, 65000)
    assert "已通过市级验收，数据已锁定" in page.locator("main form").first.inner_text()

    # the county grants a lock exception; the clerk saves
    sign_in(page, live_server, "county371302")
    page.goto(report_url)
    until = page.evaluate("() => { const d = new Date(Date.now() + 3*86400000); d.setMinutes(d.getMinutes() - "
                          "d.getTimezoneOffset()); return d.toISOString().slice(0, 16); }")
    page.locator("[data-testid=unlock] summary").click()
    page.fill("#id_unlock-until", until)
    page.fill("#id_unlock-unlock_reason", "统计部门更正了2025年常住人口。")
    press(page, "unlock-form", "临时解锁")
    assert "已临时解锁至" in page.locator(".alert-success").first.inner_text()
    timeline = page.locator("[data-testid=timeline]").inner_text()
    for step in ("报送", "县级退回", "县级审核通过", "市级验收通过", "临时解锁", "统计部门更正了2025年常住人口。"):
        assert step in timeline
    shoot_both(page, screenshot, "report-county-accepted")

    sign_in(page, live_server, "town371302001")
    save_population(page, live_server, township.code, 65000)
    assert "已保存" in page.locator(".alert-success").first.inner_text()

    # the history lists the change with before and after
    page.goto(f"{live_server.url}{reverse('offices:history', args=[township.code])}?year={YEAR}")
    rows = page.locator("[data-history-row]").all_inner_texts()
    assert any(re.search(r"64,?000\s*→\s*65,?000", row) for row in rows), rows
    screenshot("reporting-history")
