"""The clerk's budget page and subsidy sheet: scoped, read-only above the township, never a partial write."""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from funding.forms import cell_name
from funding.models import AssistantSubsidyPayment, BudgetLine
from tests.factories.funding import BudgetLineFactory, SubsidyPaymentFactory
from tests.factories.offices import PopulationFactory, UserFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db
D = Decimal


def budget_url(township, year=2025):
    return reverse("funding:budget", args=[township.code]) + f"?year={year}"


def subsidies_url(township, year=2025):
    return reverse("funding:subsidies", args=[township.code]) + f"?year={year}"


def budget_data(**overrides):
    data = {f"{kind}_{part}": "" for kind in BudgetLine.Kind.values for part in ("budgeted", "allocated")}
    return {**data, **overrides}


def test_clerk_saves_budget_and_sees_the_rule(township, clerk, login):
    PopulationFactory(township=township, year=2025, resident=50_000)
    client = login(clerk)
    response = client.post(budget_url(township), budget_data(
        working_funds_budgeted="10000", working_funds_allocated="9999.99", vehicle_budgeted="20000",
    ))
    assert response.status_code == 302 and response["Location"] == budget_url(township)
    assert BudgetLine.objects.get(kind="working_funds").allocated == D("9999.99")
    page = client.get(budget_url(township)).content.decode()
    assert "工作经费应不少于10,000元，列入预算10,000元，实际到位9,999.99元，缺0.01元" in page
    assert "服务车辆运行费已列入乡镇财政预算20,000元" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("working_funds_allocated", "-5", "工作经费·实际到位：请输入不小于0的金额（元），例如 12000 或 1.2万。"),
     ("vehicle_budgeted", "abc", "服务车辆运行费·列入财政预算：请输入不小于0的金额（元），例如 12000 或 1.2万。"),
     ("personnel_budgeted", "1.234", "人员报酬·列入财政预算：最多保留2位小数。"),
     ("special_allocated", "12345678901", "专项经费·实际到位：不能大于9,999,999,999.99，请核对后重新输入。")],
)
def test_bad_budget_names_the_line_and_writes_nothing(township, clerk, login, field, value, message):
    response = login(clerk).post(budget_url(township), budget_data(working_funds_budgeted="10000", **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BudgetLine.objects.exists()


@pytest.fixture
def sheet(township):
    village = VillageFactory(township=township, name="东村村民委员会")
    return (
        VillageAssistantFactory(village=village, name="张三", start_date=date(2025, 2, 15)),
        VillageAssistantFactory(village=village, name="李四", start_date=date(2020, 1, 1), end_date=date(2025, 5, 1)),
    )


def test_clerk_saves_the_whole_sheet_in_one_submission(township, clerk, login, sheet):
    zhang, li = sheet
    client = login(clerk)
    page = client.get(subsidies_url(township)).content.decode()
    assert "张三" in page and "应发 120.00（2个月）" in page
    data = {cell_name(zhang.pk, q): "180" for q in (2, 3, 4)}
    data |= {cell_name(zhang.pk, 1): "120", cell_name(li.pk, 1): "180", cell_name(li.pk, 2): "60", "paid_date": ""}
    response = client.post(subsidies_url(township), data)
    assert response.status_code == 302
    assert AssistantSubsidyPayment.objects.count() == 6
    assert AssistantSubsidyPayment.objects.get(assistant=li, quarter=2).amount == D("60.00")


def test_a_bad_cell_names_assistant_and_quarter_and_saves_nothing(township, clerk, login, sheet):
    zhang, li = sheet
    SubsidyPaymentFactory(assistant=li, quarter=1, amount=D("180"))
    data = {cell_name(zhang.pk, 1): "120", cell_name(zhang.pk, 3): "-1", cell_name(li.pk, 1): "999",
            cell_name(li.pk, 2): "六十"}
    response = login(clerk).post(subsidies_url(township), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "东村 张三 第三季度：请输入不小于0的金额（元）" in page
    assert "东村 李四 第二季度：请输入不小于0的金额（元）" in page
    assert list(AssistantSubsidyPayment.objects.values_list("quarter", "amount")) == [(1, D("180.00"))]


def test_cells_of_quarters_not_in_post_are_ignored(township, clerk, login, sheet):
    _zhang, li = sheet
    response = login(clerk).post(subsidies_url(township), {cell_name(li.pk, 1): "180", cell_name(li.pk, 4): "180"})
    assert response.status_code == 302
    assert list(AssistantSubsidyPayment.objects.values_list("quarter", flat=True)) == [1]


@pytest.mark.parametrize("name", ["funding:budget", "funding:subsidies"])
def test_another_townships_clerk_gets_404(township, other_township, login, name):
    stranger = UserFactory(role="township", township=other_township)
    url = reverse(name, args=[township.code])
    assert login(stranger).get(url).status_code == 404
    assert login(stranger).post(url, {}).status_code == 404


@pytest.mark.parametrize("name", ["funding:budget", "funding:subsidies"])
def test_county_and_city_read_only(township, county_official, city_staff, login, sheet, name):
    BudgetLineFactory(township=township, kind="working_funds", budgeted=D("8888"))
    SubsidyPaymentFactory(assistant=sheet[0], quarter=2, amount=D("177"))
    url = reverse(name, args=[township.code]) + "?year=2025"
    for user in (county_official, city_staff):
        response = login(user).get(url)
        assert response.status_code == 200
        main = response.content.decode().split("<main")[1]
        assert all('type="hidden"' in tag for tag in re.findall(r"<input[^>]*>", main))
        assert 'type="submit"' not in main and ("8,888.00" in main or "177.00" in main)
        assert login(user).post(url, budget_data(working_funds_budgeted="1")).status_code == 403
    assert BudgetLine.objects.get().budgeted == D("8888.00")


def test_other_county_official_gets_404(township, other_county, login):
    outsider = UserFactory(role="county", county=other_county)
    assert login(outsider).get(reverse("funding:budget", args=[township.code])).status_code == 404


def test_anonymous_is_sent_to_login(township, client):
    response = client.get(reverse("funding:subsidies", args=[township.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bad_year_falls_back(township, clerk, login):
    assert login(clerk).get(reverse("funding:budget", args=[township.code]) + "?year=abc").status_code == 200


@pytest.mark.parametrize("assistants", [1, 8])
def test_sheet_query_count_does_not_grow_with_assistants(township, clerk, login, assistants,
                                                         django_assert_num_queries):
    village = VillageFactory(township=township)
    for _ in range(assistants):
        SubsidyPaymentFactory(assistant=VillageAssistantFactory(village=village), quarter=1)
    client = login(clerk)
    fill_store()  # the services keep the store current; count the page's own reads
    # Same for 1 or 8 assistants (the results are read from the store); one query reads the version the sheet is at.
    with django_assert_num_queries(10):
        assert client.get(subsidies_url(township)).status_code == 200
