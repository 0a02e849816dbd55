"""The budget page and the subsidy sheet as tables: 序号, 合计 of the saved values, red shortfalls, the same rows as
a file for everyone who may read the page, and nothing for anyone else."""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from funding.forms import cell_name
from funding.models import BudgetLine
from tests.factories.funding import BudgetLineFactory, SubsidyPaymentFactory
from tests.factories.offices import PopulationFactory, StandardFactory, UserFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory
from tests.listing import exported
from tests.store import fill_store

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = 2025  # every quarter of it has ended by the time these tests run (they judge on the real today)


def budget_url(township, year=YEAR):
    return reverse("funding:budget", args=[township.code]) + f"?year={year}"


def subsidies_url(township, year=YEAR):
    return reverse("funding:subsidies", args=[township.code]) + f"?year={year}"


def cells(html, column):
    return re.findall(rf'data-column="{column}"[^>]*>([^<]*)<', html)


def total_row(html):
    match = re.search(r'<tr[^>]*data-testid="total-row".*?</tr>', html, re.S)
    assert match, "no 合计 row"
    return match.group(0)



# --- 经费预算 ------------------------------------------------------------------------------------------------------


@pytest.fixture
def budget(township):
    """50,000 people under the default standard: 10,000 yuan of working funds required, 9,999.99 arrived."""
    PopulationFactory(township=township, year=YEAR, resident=50_000)
    BudgetLineFactory(township=township, kind="working_funds", budgeted=D("10000"), allocated=D("9999.99"))
    BudgetLineFactory(township=township, kind="personnel", budgeted=D("3947.20"), allocated=D("3000"))
    BudgetLineFactory(township=township, kind="special", budgeted=D("1234567.8"), allocated=D("0"))


def test_budget_has_the_total_of_the_saved_lines(township, clerk, login, budget):
    html = login(clerk).get(budget_url(township)).content.decode()
    total = total_row(html)
    assert "合计" in total
    assert cells(total, "budgeted") == ["1,248,515.00"]  # 10,000 + 3,947.20 + 1,234,567.80
    assert cells(total, "allocated") == ["12,999.99"]
    # The form is as it was: one input per kind and amount, the saved values in them, token and version hidden.
    assert 'name="working_funds_allocated" value="9999.99"' in html
    assert 'name="form_token"' in html and 'name="read_version"' in html
    assert html.count('data-testid="export"') == 1


def test_budget_total_is_of_the_saved_values_not_of_a_refused_entry(township, clerk, login, budget):
    data = {f"{kind}_{part}": "" for kind in BudgetLine.Kind.values for part in ("budgeted", "allocated")}
    data |= {"working_funds_budgeted": "99999", "personnel_allocated": "abc"}
    response = login(clerk).post(budget_url(township), data)
    assert response.status_code == 200 and "请输入不小于0的金额" in response.content.decode()
    assert cells(total_row(response.content.decode()), "budgeted") == ["1,248,515.00"]


def read_only_cell(html, name):
    match = re.search(rf'data-cell="{name}"[^>]*>\s*([^<]*?)\s*<', html)
    assert match, name
    return match.group(1)


def test_county_reads_the_budget_in_the_tables_number_format(township, county_official, login, budget):
    html = login(county_official).get(budget_url(township)).content.decode()
    assert read_only_cell(html, "special_budgeted") == "1,234,567.80"
    assert read_only_cell(html, "working_funds_allocated") == "9,999.99"
    assert read_only_cell(html, "other_budgeted") == "—"
    assert 'name="special_budgeted"' not in html
    assert cells(total_row(html), "budgeted") == ["1,248,515.00"]


def test_budget_without_saved_lines_has_no_total_row(township, clerk, login):
    html = login(clerk).get(budget_url(township)).content.decode()
    assert 'data-testid="total-row"' not in html
    assert 'data-testid="export"' in html


def failed_cells(html):
    return set(re.findall(r'data-cell="([^"]+)" data-failed', html))


def test_budget_is_red_where_the_rules_count_it_short(township, clerk, login, budget):
    # 9,999.99 arrived of the 10,000 required; no vehicle line, which the default standard asks for.
    html = login(clerk).get(budget_url(township)).content.decode()
    assert "缺0.01元" in html
    assert failed_cells(html) == {"working_funds_allocated", "vehicle_budgeted"}
    assert re.search(r'class="text-end text-danger border border-danger" [^>]*data-cell="working_funds_allocated"',
                     html)


def test_budget_is_not_red_when_the_rules_pass(township, clerk, login):
    PopulationFactory(township=township, year=YEAR, resident=50_000)
    BudgetLineFactory(township=township, kind="working_funds", budgeted=D("10000"), allocated=D("10000"))
    BudgetLineFactory(township=township, kind="vehicle", budgeted=D("20000"), allocated=D("20000"))
    html = login(clerk).get(budget_url(township)).content.decode()
    assert failed_cells(html) == set() and "text-danger border" not in html


def test_budget_is_not_red_where_the_rule_cannot_say(township, clerk, login):
    # No population: the working-funds rule fails for want of it, not because too little arrived.
    BudgetLineFactory(township=township, kind="working_funds", budgeted=D("10"), allocated=D("1"))
    BudgetLineFactory(township=township, kind="vehicle", budgeted=D("20000"), allocated=D("20000"))
    html = login(clerk).get(budget_url(township)).content.decode()
    assert "未录入本年度常住人口" in html
    assert failed_cells(html) == set()


@pytest.mark.parametrize("reader", ["clerk", "county_official", "city_staff"])
def test_budget_export_is_the_saved_lines(request, township, login, budget, reader):
    user = request.getfixturevalue(reader)
    response = login(user).get(budget_url(township) + "&export=budget")
    sheet, keys, rows = exported(response)
    assert keys == ["序号", "经费类别", "列入财政预算（元）", "实际到位（元）"]
    assert [row[:2] for row in rows[:-1]] == [[1, "工作经费"], [2, "人员报酬"], [3, "专项经费"]]
    assert [D(str(value)) for value in rows[0][2:]] == [D("10000"), D("9999.99")]
    assert rows[-1][0] == "合计"
    assert [D(str(value)) for value in rows[-1][2:]] == [D("1248515.00"), D("12999.99")]
    assert sheet["A1"].value == "兰山街道2025年度民政工作经费"
    info = " ".join(str(cell.value) for cell in sheet[2] if cell.value)
    assert "兰山街道（371302001000）" in info and "年度：2025" in info


def test_budget_export_is_of_the_year_asked_for(township, county_official, login, budget):
    BudgetLineFactory(township=township, year=2024, kind="other", budgeted=D("5"), allocated=D("5"))
    _sheet, _keys, rows = exported(login(county_official).get(budget_url(township, 2024) + "&export=budget"))
    assert rows == [[1, "其他", 5, 5], ["合计", None, 5, 5]]


def test_a_post_is_saved_even_from_an_export_address(township, clerk, login, budget):
    data = {f"{kind}_{part}": "" for kind in BudgetLine.Kind.values for part in ("budgeted", "allocated")}
    data |= {"working_funds_budgeted": "10000", "working_funds_allocated": "10000", "confirmed": "on"}
    response = login(clerk).post(budget_url(township) + "&export=budget", data)
    assert response.status_code == 302
    assert BudgetLine.objects.get(township=township, year=YEAR, kind="working_funds").allocated == D("10000.00")


@pytest.mark.parametrize("name", ["funding:budget", "funding:subsidies"])
@pytest.mark.parametrize("export", ["budget", "subsidies"])
def test_out_of_scope_users_get_404_for_the_export_too(township, other_township, other_county, login, name, export):
    BudgetLineFactory(township=township)
    url = reverse(name, args=[township.code]) + f"?year={YEAR}&export={export}"
    for outsider in (UserFactory(role="township", township=other_township),
                     UserFactory(role="county", county=other_county)):
        assert login(outsider).get(url).status_code == 404


def test_anonymous_gets_no_export(township, client):
    response = client.get(budget_url(township) + "&export=budget")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("kinds", [1, 5])
def test_budget_query_count_does_not_grow_with_lines(township, county_official, login, kinds,
                                                     django_assert_num_queries):
    for kind in BudgetLine.Kind.values[:kinds]:
        BudgetLineFactory(township=township, kind=kind)
    client = login(county_official)
    fill_store()
    # The lines are read once for the form and the list; the results come from the store.
    with django_assert_num_queries(10):
        assert client.get(budget_url(township)).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(budget_url(township) + "&export=budget").status_code == 200


# --- 助理员补助发放 ----------------------------------------------------------------------------------------------


@pytest.fixture
def sheet(township):
    """Under a standard of 100 yuan a month: 张三 in post all year, 李四 from 15 February (2 months of Q1)."""
    PopulationFactory(township=township, year=YEAR, resident=50_000)
    StandardFactory(assistant_monthly_subsidy=D("100.00"))
    east = VillageFactory(township=township, code="371302001001", name="东村村民委员会")
    west = VillageFactory(township=township, code="371302001002", name="西村村民委员会")
    zhang = VillageAssistantFactory(village=east, name="张三", start_date=date(2020, 1, 1))
    li = VillageAssistantFactory(village=west, name="李四", start_date=date(2025, 2, 15), end_date=date(2025, 8, 1))
    for quarter, amount in ((1, "300"), (2, "250"), (3, "1300"), (4, "300")):  # Q2 50 short
        SubsidyPaymentFactory(assistant=zhang, quarter=quarter, amount=D(amount))
    SubsidyPaymentFactory(assistant=li, quarter=1, amount=D("200"))  # 2 months × 100
    SubsidyPaymentFactory(assistant=li, quarter=2, amount=D("300"))  # nothing for Q3 (1 month due): short
    return zhang, li


def test_sheet_numbers_rows_and_totals_each_quarter_and_the_year(township, clerk, login, sheet):
    html = login(clerk).get(subsidies_url(township)).content.decode()
    assert re.findall(r"data-row-number>(\d+)<", html) == ["1", "2"]
    assert cells(html, "year") == ["2,150.00", "500.00", "2,650.00"]  # each assistant's year, then the 合计
    total = total_row(html)
    assert [cells(total, f"q{q}")[0] for q in (1, 2, 3, 4)] == ["500.00", "550.00", "1,300.00", "300.00"]
    assert cells(total, "year") == ["2,650.00"]
    assert "共2条" in html and 'data-testid="export"' in html
    # The inputs are the form's, one per quarter in post, under the same names as before.
    zhang, li = sheet
    assert f'name="{cell_name(zhang.pk, 4)}"' in html and f'name="{cell_name(li.pk, 4)}"' not in html


def test_sheet_is_red_where_a_quarter_is_short(township, clerk, login, sheet):
    zhang, li = sheet
    html = login(clerk).get(subsidies_url(township)).content.decode()
    red = set(re.findall(r'class="[^"]*border-danger text-danger[^"]*" data-cell="(\d+-\d)" data-failed', html))
    assert red == {f"{zhang.pk}-2", f"{li.pk}-3"}
    assert html.count("data-failed") == 2


def test_city_reads_the_sheet_in_the_tables_number_format(township, city_staff, login, sheet):
    zhang, li = sheet
    html = login(city_staff).get(subsidies_url(township)).content.decode()
    assert read_only_cell(html, f"{zhang.pk}-3") == "1,300.00"
    assert read_only_cell(html, f"{li.pk}-3") == "—"
    assert cells(html, "year") == ["2,150.00", "500.00", "2,650.00"]
    assert re.findall(r"data-row-number>(\d+)<", html) == ["1", "2"]


@pytest.mark.parametrize("reader", ["clerk", "county_official", "city_staff"])
def test_sheet_export_is_one_row_per_assistant(request, township, login, sheet, reader):
    response = login(request.getfixturevalue(reader)).get(subsidies_url(township) + "&export=subsidies")
    workbook_sheet, keys, rows = exported(response)
    assert keys == ["序号", "村（社区）", "民政助理员", "在岗期间", "第一季度（元）", "第二季度（元）", "第三季度（元）",
                    "第四季度（元）", "全年（元）"]
    assert [row[:4] for row in rows[:-1]] == [[1, "东村", "张三", "2020-01-01 — 至今"],
                                              [2, "西村", "李四", "2025-02-15 — 2025-08-01"]]

    def amounts(row):
        return [None if value is None else D(str(value)) for value in row[4:]]

    assert amounts(rows[0]) == [D("300"), D("250"), D("1300"), D("300"), D("2150")]
    assert amounts(rows[1]) == [D("200"), D("300"), None, None, D("500")]
    assert rows[-1][0] == "合计" and amounts(rows[-1]) == [D("500"), D("550"), D("1300"), D("300"), D("2650")]
    assert workbook_sheet["A1"].value == "兰山街道2025年度民政助理员补助发放"


def test_sheet_without_assistants_has_no_total_row_and_an_empty_file(township, county_official, login):
    client = login(county_official)
    html = client.get(subsidies_url(township)).content.decode()
    assert "本年度没有在岗的民政助理员。" in html and 'data-testid="total-row"' not in html
    _sheet, keys, rows = exported(client.get(subsidies_url(township) + "&export=subsidies"))
    assert keys[0] == "序号" and rows == []  # the headers only: no 合计 row of zeros


@pytest.mark.parametrize("assistants", [1, 8])
def test_sheet_export_query_count_does_not_grow_with_assistants(township, county_official, login, assistants,
                                                                django_assert_num_queries):
    village = VillageFactory(township=township)
    for _ in range(assistants):
        SubsidyPaymentFactory(assistant=VillageAssistantFactory(village=village), quarter=1)
    client = login(county_official)
    fill_store()
    with django_assert_num_queries(9):
        response = client.get(subsidies_url(township) + "&export=subsidies")
    _sheet, _keys, rows = exported(response)
    assert len(rows) == assistants + 1


def test_a_payment_saved_for_a_quarter_no_longer_in_post_is_shown_and_counted(township, county_official, login):
    # Paid for Q4, then the assistant's term was ended in May: the sheet has no input there, but the money was paid.
    assistant = VillageAssistantFactory(village=VillageFactory(township=township), name="王五",
                                        start_date=date(2020, 1, 1), end_date=date(2025, 5, 1))
    SubsidyPaymentFactory(assistant=assistant, quarter=4, amount=D("1800"))
    client = login(county_official)
    html = client.get(subsidies_url(township)).content.decode()
    assert re.search(rf'data-cell="{assistant.pk}-4"[^>]*>\s*<span class="text-muted">1,800.00</span>', html)
    assert cells(html, "year") == ["1,800.00", "1,800.00"]
    _sheet, _keys, rows = exported(client.get(subsidies_url(township) + "&export=subsidies"))
    assert D(str(rows[0][7])) == D("1800") and D(str(rows[-1][8])) == D("1800")


def test_the_whole_sheet_is_one_page_numbered_in_the_sheets_order(township, clerk, login):
    village = VillageFactory(township=township)
    assistants = [VillageAssistantFactory(village=village, name=f"助理员{i:02d}", start_date=date(2020, 1, 1))
                  for i in range(55)]
    html = login(clerk).get(subsidies_url(township) + "&subsidies-sort=-name&subsidies-page=2").content.decode()
    assert re.findall(r"data-row-number>(\d+)<", html) == [str(n) for n in range(1, 56)]
    assert "共55条" in html and 'data-testid="pagination"' not in html and "data-sort=" not in html
    # Every assistant's inputs are in the one form, in the sheet's order (by village, start, name), whatever asked.
    assert re.findall(r'name="a(\d+)_q1"', html) == [str(a.pk) for a in assistants]
