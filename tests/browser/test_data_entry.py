"""Typing as a clerk types — 「5万」, 「2025年3月1日」 — in Chromium, and the year picker keeping the page's filters.

The preview beside a number is wuyou.js mirroring offices.fields.parse_number; a test here types the same
texts into the browser and into the server's parser and requires the same reading (the server is the truth).
Screenshots of the population form with a preview and an error, at 1440×900 and 390×844, go to
/tmp/input-shots/ (and to the usual screenshots/ folder).
"""
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funding.forms import BudgetForm
from funding.models import BudgetLine
from offices.forms import PopulationForm
from offices.models import Population
from staffing.models import StaffMember
from tests.browser.conftest import log_in
from tests.factories.offices import CityFactory, CountyFactory, PopulationFactory, TownshipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qilin#Harbor-2718"
SHOTS = Path("/tmp/input-shots")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# Each filter's shown choice, and the one the server marked selected (else the first, as a browser shows it).
SHOWN_AND_SERVED = """[...document.querySelectorAll("form[method=get] select")].map(
    (s) => [s.value, (s.querySelector("option[selected]") || s.options[0]).value])"""


@pytest.fixture
def units():
    city = CityFactory(code="371300000000", name="临沂市")
    lanshan = CountyFactory(city=city, code="371302000000", name="兰山区", kind="district")
    luozhuang = CountyFactory(city=city, code="371311000000", name="罗庄区", kind="district")
    townships = [
        TownshipFactory(county=lanshan, code="371302001000", name="兰山街道", kind="subdistrict"),
        TownshipFactory(county=luozhuang, code="371311001000", name="罗庄街道", kind="subdistrict"),
    ]
    for township in townships:
        for year in (2023, 2024, 2025):
            PopulationFactory(township=township, year=year, resident=60000, registered=58000)
    return {
        "city": city, "lanshan": lanshan, "luozhuang": luozhuang, "township": townships[0],
        "clerk": UserFactory(role="township", township=townships[0], username="town371302001", password=PASSWORD),
        "city_user": UserFactory(role="city", city=city, username="city3713", password=PASSWORD),
    }


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def preview(page, field):
    return page.locator(f"#id_{field}-preview")


def test_clerk_types_wan_sees_the_value_and_saves_it(units, live_server, page, screenshot):
    township = units["township"]
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server.url, "town371302001", PASSWORD)
    page.goto(live_server.url + reverse("offices:population_edit", args=[township.code]))

    resident = page.locator("#id_resident")
    assert resident.get_attribute("type") == "text" and resident.get_attribute("inputmode") == "decimal"
    page.fill("#id_year", "2026")
    resident.press_sequentially("5万")
    assert preview(page, "resident").inner_text() == "= 50,000人"
    page.locator("#id_registered").press_sequentially("abc")
    assert "户籍人口：请输入大于0的整数" in preview(page, "registered").inner_text()  # said before saving

    # Saved with a mistake: the error names the field, and what was typed is still there, preview included.
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    feedback = page.locator("#id_registered ~ .invalid-feedback")
    assert feedback.is_visible()
    assert feedback.inner_text().strip() == "户籍人口：请输入大于0的整数，例如 81200 或 8.12万。"
    assert resident.input_value() == "5万" and page.locator("#id_registered").input_value() == "abc"
    assert preview(page, "resident").inner_text() == "= 50,000人"
    assert preview(page, "registered").is_hidden()  # the server's message is not said twice
    assert preview(page, "year").is_hidden()  # 2026 is what will be saved: nothing to add
    shoot(page, "population-1440x900")
    screenshot("data-entry-population-error")
    page.set_viewport_size(PHONE)
    shoot(page, "population-390x844")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size(DESKTOP)

    page.fill("#id_registered", "")
    page.locator("#id_registered").press_sequentially("７６，５５０")
    assert preview(page, "registered").inner_text() == "= 76,550人"
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    stored = Population.objects.get(township=township, year=2026)
    assert (stored.resident, stored.registered) == (50000, 76550)
    # Shown as stored on the township page (the grouping of the figure is the page's own number format).
    row = page.locator("tr", has=page.locator("td", has_text="2026")).first
    assert row.locator('td[data-column="resident"]').inner_text().replace(",", "") == "50000"
    assert errors == []


NUMBER_TEXTS = ["5万", "1.2万", "7.655万", "76,550", "76，550", "７６５５０", " 76550 ", "5万人", "1.2万元", "0.5万", "3亿",
                "1.5", "76,55", "1e5", "abc", "万", "0", "-5", "\u22125", "7.65505万", "1,234,567", "12,000.5",
                "1.2345678万", "100亿", "99999999999"]


def expected_preview(field, text, display):
    """What the page should say beside the field: the server's reading, or the server's refusal."""
    try:
        value = field.clean(text)
    except ValidationError as error:
        return error.messages[0]
    shown = display(value)
    return "" if shown == f"= {text.strip()}" else shown


@pytest.mark.parametrize(("url_name", "field_name", "make_field", "display"), [
    ("offices:population_edit", "resident", lambda: PopulationForm(township=None).fields["resident"],
     lambda value: f"= {value:,}人"),
    ("funding:budget", "working_funds_budgeted", lambda: BudgetForm().fields["working_funds_budgeted"],
     lambda value: f"= {value:,.2f}元"),
], ids=["population", "budget"])
def test_the_preview_reads_what_the_server_reads(units, live_server, page, url_name, field_name, make_field, display):
    """The script is a mirror: for each text, the same value as offices.fields, or the same message."""
    log_in(page, live_server.url, "town371302001", PASSWORD)
    page.goto(live_server.url + reverse(url_name, args=[units["township"].code]))
    field = make_field()
    for text in NUMBER_TEXTS:
        page.fill(f"#id_{field_name}", text)
        assert preview(page, field_name).inner_text() == expected_preview(field, text, display), text


def test_clerk_types_a_chinese_date_and_picks_one(units, live_server, page):
    township = units["township"]
    log_in(page, live_server.url, "town371302001", PASSWORD)
    page.goto(live_server.url + reverse("staffing:staff_add", args=[township.code]))
    page.fill("#id_name", "王芳")
    page.select_option("#id_sex", "female")
    page.select_option("#id_education", "bachelor")
    page.locator("#id_birth_date").press_sequentially("1988.4.2")
    page.locator("#id_start_date").press_sequentially("2025年3月1日")
    assert preview(page, "start_date").inner_text() == "= 2025-03-01"
    assert preview(page, "birth_date").inner_text() == "= 1988-04-02"
    shoot(page, "staff-date-1440x900")
    page.set_viewport_size(PHONE)
    shoot(page, "staff-date-390x844")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size(DESKTOP)

    # The calendar button: what the browser's date picker returns is written into the text field.
    end = page.locator("#id_end_date")
    button = page.locator("#id_end_date ~ .date-entry-button")
    assert button.get_attribute("aria-label") == "选择离岗日期"
    button.click()  # opens the browser's calendar (showPicker); closed again before the pick is simulated
    page.keyboard.press("Escape")
    page.locator("#id_end_date ~ .date-entry-native").evaluate(
        "(el) => { el.value = '2025-06-30'; el.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    assert end.input_value() == "2025-06-30"
    assert preview(page, "end_date").is_hidden()  # nothing to add: the field shows the date as it will be saved
    end.fill("2025年6月31日")
    assert preview(page, "end_date").inner_text().startswith("离岗日期：请输入日期")
    end.fill("")
    assert preview(page, "end_date").is_hidden()

    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    staff = StaffMember.objects.get(township=township)
    assert (staff.birth_date, staff.start_date, staff.end_date) == (
        datetime.date(1988, 4, 2), datetime.date(2025, 3, 1), None
    )


def test_a_wrong_date_keeps_the_text_and_names_the_field(units, live_server, page):
    township = units["township"]
    log_in(page, live_server.url, "town371302001", PASSWORD)
    page.goto(live_server.url + reverse("staffing:staff_add", args=[township.code]))
    page.locator("#id_start_date").press_sequentially("2025年2月30日")
    assert preview(page, "start_date").inner_text().startswith("到岗日期：请输入日期")
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    assert page.locator("#id_start_date").input_value() == "2025年2月30日"
    feedback = page.locator(".date-entry.is-invalid ~ .invalid-feedback", has_text="到岗日期")
    assert feedback.is_visible()
    assert "到岗日期：请输入日期，例如 2025年3月1日 或 2025-03-01。" in feedback.inner_text()
    assert not StaffMember.objects.exists()


def test_changing_the_year_on_the_dashboard_keeps_the_filters(units, live_server, page):
    city, county = units["city"], units["luozhuang"]
    log_in(page, live_server.url, "city3713", PASSWORD)
    page.goto(live_server.url + reverse("assessments:dashboard", args=[city.code]) + "?year=2025")
    picker = page.locator("#year-picker")
    this_year = datetime.date.today().year
    options = picker.locator("option").all_inner_texts()
    assert options[0] == str(this_year) and {"2025", "2024", "2023"} <= set(options)
    assert picker.input_value() == "2025"

    page.select_option("#id_county", county.code)
    page.select_option("#id_status", "")
    with page.expect_navigation():
        page.locator("#failing button[type=submit]").click()
    assert f"county={county.code}" in page.url

    with page.expect_navigation():
        picker.select_option("2024")
    assert "year=2024" in page.url and f"county={county.code}" in page.url and "status=" in page.url
    assert page.locator("#year-picker").input_value() == "2024"
    assert page.locator("#id_county").input_value() == county.code
    assert page.locator("#id_status").input_value() == ""
    rows = page.locator("[data-testid=failing-list] tbody tr[data-township]")
    assert rows.count() == 1 and rows.first.get_attribute("data-township") == "371311001000"

    with page.expect_navigation():
        page.locator("#year-picker").select_option(str(this_year))
    assert page.locator("#year-picker").input_value() == str(this_year)
    assert f"county={county.code}" in page.url

    # Back to 2024: the picker reads the year the page shows, not the choice the browser remembers.
    with page.expect_navigation():
        page.go_back()
    assert "year=2024" in page.url and page.locator("#year-picker").input_value() == "2024"
    # … and so does every filter: back to the dashboard before the county was chosen.
    for _step in range(2):
        with page.expect_navigation():
            page.go_back()
    assert "county=" not in page.url and page.locator("#id_county").input_value() == ""
    assert page.locator("#year-picker").input_value() == "2025"
    assert all(shown == selected for shown, selected in page.evaluate(SHOWN_AND_SERVED))


def test_budget_reads_wan_as_yuan(units, live_server, page):
    township = units["township"]
    log_in(page, live_server.url, "town371302001", PASSWORD)
    page.goto(live_server.url + reverse("funding:budget", args=[township.code]) + "?year=2025")
    cell = page.locator("#id_working_funds_budgeted")
    cell.press_sequentially("1.2万")
    assert preview(page, "working_funds_budgeted").inner_text() == "= 12,000.00元"
    page.locator("#id_working_funds_allocated").press_sequentially("11,999.5")
    page.locator("#id_personnel_budgeted").press_sequentially("1.2345678万")
    assert preview(page, "personnel_budgeted").inner_text() == "人员报酬·列入财政预算：最多保留2位小数。"
    shoot(page, "budget-1440x900")
    page.locator("#id_personnel_budgeted").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    line = BudgetLine.objects.get(township=township, year=2025, kind="working_funds")
    assert (line.budgeted, line.allocated) == (Decimal("12000.00"), Decimal("11999.50"))
