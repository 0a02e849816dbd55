"""From the county's training plan to a recorded session, in Chromium (issue 13 point 6).

The plan's 待培训 list opens the new-session form with those people ticked; the list is grouped by township,
shows only the chosen audience, filters by name, and each township's 全选 ticks its people; saving records them.
Screenshots of the form at 1440×900 and 390×844 go to screenshots/.
"""
import datetime

import pytest

from tests.browser.conftest import log_in
from tests.factories.offices import (
    CityFactory,
    CountyFactory,
    PopulationFactory,
    StandardFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.staffing import StaffMemberFactory, VillageAssistantFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory
from tests.store import fill_store
from training.models import TrainingSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qilin#Harbor-2718"
D = datetime.date
YEAR = 2025


@pytest.fixture
def county_data():
    """Two townships of 兰山区: 乙 and 己 are still to be trained by the county in 2025; the others are not due."""
    # A standard of its own: a transactional test before this one may have flushed the migrated default.
    StandardFactory()
    city = CityFactory(code="371300000000", name="临沂市")
    county = CountyFactory(city=city, code="371302000000", name="兰山区", kind="district")
    first = TownshipFactory(county=county, code="371302001000", name="兰山街道", kind="subdistrict")
    second = TownshipFactory(county=county, code="371302101000", name="白沙埠镇", kind="town")
    for township in (first, second):
        PopulationFactory(township=township, year=YEAR)
    trained_2024 = TrainingSessionFactory(county=county, date=D(2024, 5, 1), topic="2024年轮训")
    people = {
        "主任甲": StaffMemberFactory(township=first, director=True, name="主任甲", start_date=D(2020, 3, 1)),
        "乙": StaffMemberFactory(township=first, name="乙", start_date=D(2019, 3, 1)),
        "戊": StaffMemberFactory(township=first, name="戊", start_date=D(2019, 3, 1)),
        "己": StaffMemberFactory(township=second, name="己", start_date=D(2018, 3, 1)),
        "庚": StaffMemberFactory(township=second, name="庚", start_date=D(2018, 3, 1)),
        "丙": VillageAssistantFactory(village=VillageFactory(township=first, name="东村村民委员会"), name="丙",
                                     start_date=D(2021, 1, 10)),
    }
    for name in ("主任甲", "戊", "庚"):
        AttendanceFactory(session=trained_2024, staff_member=people[name])
    fill_store()  # the plan reads the stored results, as after load_demo
    UserFactory(role="county", county=county, username="county371302", password=PASSWORD)
    return {"county": county, "first": first, "second": second, "people": people}


def person_box(page, person):
    return page.locator(f"#s{person.pk}")


def visible_names(page):
    return page.locator("[data-person]:visible").evaluate_all("(els) => els.map((e) => e.dataset.name)")


def test_plan_to_session_with_search_and_select_all(county_data, live_server, page, screenshot):
    people, county = county_data["people"], county_data["county"]
    log_in(page, live_server.url, "county371302", PASSWORD)
    page.goto(f"{live_server.url}/counties/{county.code}/training-plan/?year={YEAR}")
    county_list = page.locator("[data-plan-level=county]")
    assert county_list.locator("tr[data-pending=yes]").count() == 2
    screenshot("training-plan-1440x900")
    with page.expect_navigation():
        county_list.locator("[data-testid=start-session]").click()

    # The form opens with the two people still to be trained ticked, and the audience the plan's list is for.
    assert page.locator("#id_audience").input_value() == "staff"
    ticked = page.locator("input[name=staff_members]:checked").evaluate_all("(els) => els.map((e) => +e.value)")
    assert sorted(ticked) == sorted([people["乙"].pk, people["己"].pk])
    # Only the audience's people are shown (no assistant), grouped by township, with the tools the script adds.
    assert page.locator("[data-people-kind=assistants]").is_hidden()
    assert sorted(visible_names(page)) == sorted(["主任甲", "乙", "戊", "己", "庚"])
    assert page.locator("[data-township-group]:visible").count() == 2
    assert "已勾选2人" in page.locator("[data-people-count]").inner_text()
    screenshot("training-form-1440x900")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("training-form-390x844")
    page.set_viewport_size({"width": 1440, "height": 900})

    # Choosing the assistants as audience shows them instead; back to the staff, the ticks are still there.
    page.select_option("#id_audience", "assistants")
    assert visible_names(page) == ["丙 东村"]
    page.select_option("#id_audience", "staff")
    assert person_box(page, people["乙"]).is_checked()

    # Search filters by name; 全不选 then acts on the people shown only.
    page.fill("[data-people-search]", "庚")
    assert visible_names(page) == ["庚"]
    assert page.locator(f"[data-people-kind=staff] [data-township-group='{county_data['first'].code}']").is_hidden()
    page.fill("[data-people-search]", "")
    assert len(visible_names(page)) == 5

    # 全选 in 兰山街道 ticks its staff; 白沙埠镇 keeps its one tick.
    first_group = page.locator(f"[data-people-kind=staff] [data-township-group='{county_data['first'].code}']")
    first_group.locator("[data-select-all]").click()
    for name in ("主任甲", "乙", "戊"):
        assert person_box(page, people[name]).is_checked()
    assert not person_box(page, people["庚"]).is_checked()
    assert "已勾选4人" in page.locator("[data-people-count]").inner_text()

    page.fill("#id_date", "2025-06-10")
    page.fill("#id_topic", "乡镇民政业务轮训补训")
    page.fill("#id_hours", "4")
    with page.expect_navigation():
        page.click("form:has(#id_topic) button[type=submit]")
    assert "已登记培训班及参训人员4人" in page.content()
    session = TrainingSession.objects.get(topic="乡镇民政业务轮训补训")
    assert set(session.attendances.values_list("staff_member_id", flat=True)) == {
        people[name].pk for name in ("主任甲", "乙", "戊", "己")}


def test_form_is_usable_without_script(county_data, live_server, browser):
    """With JavaScript off the whole list renders, grouped, and the tools that need the script stay hidden."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "county371302", PASSWORD)
        page.goto(f"{live_server.url}/training/sessions/add/")
        assert page.locator("[data-person]:visible").count() == 6
        assert page.locator("[data-township-group]:visible").count() == 3
        assert page.locator("[data-people-search]").is_hidden()
        assert page.locator("[data-select-all]:visible").count() == 0
    finally:
        context.close()
