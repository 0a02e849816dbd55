"""Funding under the reporting cycle: every change recorded, locked years refused, stale or repeated forms refused."""
import re
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.forms import cell_name
from funding.models import AssistantSubsidyPayment, BudgetLine
from offices import reporting
from offices.acting import acting_as
from offices.models import AnnualReport, ReportState
from tests.factories.funding import BudgetLineFactory, SubsidyPaymentFactory
from tests.factories.offices import UserFactory, VillageFactory
from tests.factories.staffing import VillageAssistantFactory

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = 2025
WORKING = BudgetLine.Kind.WORKING_FUNDS


def budget_url(township, year=YEAR):
    return reverse("funding:budget", args=[township.code]) + f"?year={year}"


def subsidies_url(township, year=YEAR):
    return reverse("funding:subsidies", args=[township.code]) + f"?year={year}"


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the form"
    return match.group(1)


def budget_post(client, township, budgeted, allocated="20000", *, html=None, **extra):
    """POST the budget with one working-funds line, carrying the token and version of `html` (or a fresh GET)."""
    html = html or client.get(budget_url(township)).content.decode()
    data = {f"{kind}_{part}": "" for kind in BudgetLine.Kind.values for part in ("budgeted", "allocated")}
    data |= {f"{WORKING}_budgeted": budgeted, f"{WORKING}_allocated": allocated,
             "form_token": hidden(html, "form_token"), "read_version": hidden(html, "read_version")}
    return client.post(budget_url(township), {**data, **extra}, REMOTE_ADDR="10.9.8.7")


def lines_history(township):
    return BudgetLine.history.filter(township_id=township.pk, year=YEAR).order_by("history_id")


@pytest.fixture
def line(township):
    return BudgetLineFactory(township=township, year=YEAR, kind=WORKING, budgeted=D("20000"), allocated=D("20000"))


def test_a_budget_change_records_who_where_and_before_after(township, clerk, login, line):
    response = budget_post(login(clerk), township, "21000")
    assert response.status_code == 302
    row = lines_history(township).last()
    assert (row.history_type, row.history_user_id, row.history_address, row.budgeted) == (
        "~", clerk.pk, "10.9.8.7", D("21000.00"))
    changes = {c.field: (c.old, c.new) for c in row.diff_against(row.prev_record).changes}
    assert changes == {"budgeted": (D("20000.00"), D("21000.00"))}


def test_clearing_a_line_records_its_deletion(township, clerk, login, line):
    assert budget_post(login(clerk), township, "", allocated="").status_code == 302
    assert not BudgetLine.objects.filter(township=township).exists()
    row = lines_history(township).last()
    assert (row.history_type, row.history_user_id, row.budgeted) == ("-", clerk.pk, D("20000.00"))


@pytest.fixture
def assistants(township):
    village = VillageFactory(township=township, name="东村村民委员会")
    return [VillageAssistantFactory(village=village, name=f"助理员{i}", start_date=date(2020, 1, 1))
            for i in range(2)]


def test_each_subsidy_cell_is_recorded_and_a_cleared_cell_too(township, clerk, login, assistants):
    first, second = assistants
    SubsidyPaymentFactory(assistant=second, year=YEAR, quarter=1, amount=D("180"))
    client = login(clerk)
    html = client.get(subsidies_url(township)).content.decode()
    data = {cell_name(first.pk, 1): "180", cell_name(first.pk, 2): "180", cell_name(second.pk, 1): "",
            "form_token": hidden(html, "form_token"), "read_version": hidden(html, "read_version")}
    assert client.post(subsidies_url(township), data, REMOTE_ADDR="10.1.1.1").status_code == 302
    rows = AssistantSubsidyPayment.history.filter(assistant__village__township_id=township.pk, year=YEAR)
    made = rows.filter(history_user=clerk)
    assert sorted(made.values_list("history_type", "assistant_id", "quarter")) == sorted(
        [("+", first.pk, 1), ("+", first.pk, 2), ("-", second.pk, 1)])
    assert set(made.values_list("history_address", flat=True)) == {"10.1.1.1"}


def test_a_submitted_year_is_closed_to_the_clerk_and_an_accepted_one_to_everyone(township, clerk, county_official,
                                                                                 login, line):
    report = AnnualReport.objects.create(township=township, year=YEAR, state=ReportState.SUBMITTED)
    response = budget_post(login(clerk), township, "21000")
    assert response.status_code == 200
    assert "2025年度填报已报送" in response.content.decode()
    assert BudgetLine.objects.get(pk=line.pk).budgeted == D("20000.00")
    assert lines_history(township).count() == 1  # the factory's creation only
    AnnualReport.objects.filter(pk=report.pk).update(state=ReportState.ACCEPTED)
    client = login(clerk)
    html = client.get(subsidies_url(township)).content.decode()
    response = client.post(subsidies_url(township), {"form_token": hidden(html, "form_token")})
    assert response.status_code == 200 and "已通过市级验收" in response.content.decode()
    # A county unlock reopens the year for the clerk, recorded.
    reporting.lock_exception_grant(report=AnnualReport.objects.get(pk=report.pk),
                                   until=timezone.now() + timedelta(days=2), reason="更正预算", user=county_official)
    assert budget_post(login(clerk), township, "21000").status_code == 302
    assert BudgetLine.objects.get(pk=line.pk).budgeted == D("21000.00")


def test_the_service_refuses_everyone_in_an_accepted_year(township, clerk, county_official, line):
    AnnualReport.objects.create(township=township, year=YEAR, state=ReportState.SUBMITTED)
    with acting_as(county_official):  # submitted: locked for the clerk only
        services.budget_set(township=township, year=YEAR, lines={WORKING: (D("20500"), D("20000"))})
    AnnualReport.objects.filter(township=township, year=YEAR).update(state=ReportState.ACCEPTED)
    with acting_as(county_official), pytest.raises(ValidationError) as error:
        services.budget_set(township=township, year=YEAR, lines={WORKING: (D("21000"), D("20000"))})
    assert error.value.code == "locked"
    assert BudgetLine.objects.get(pk=line.pk).budgeted == D("20500.00")
    with acting_as(clerk):  # another year stays open
        services.budget_set(township=township, year=YEAR + 1, lines={WORKING: (D("20500"), D("20000"))})


def test_a_stale_budget_is_refused_naming_the_first_change(township, clerk, login, line):
    other = UserFactory(role="township", township=township, username="other", first_name="一", last_name="张")
    client = login(clerk)
    stale = client.get(budget_url(township)).content.decode()
    assert budget_post(login(other), township, "21000").status_code == 302
    response = budget_post(login(clerk), township, "25000", html=stale)
    assert response.status_code == 200
    text = response.content.decode()
    assert "他人已修改" in text and "张一" in text and "列入财政预算（元）：20,000.00 → 21,000.00" in text
    assert BudgetLine.objects.get(pk=line.pk).budgeted == D("21000.00")


def test_a_budget_sent_twice_saves_once(township, clerk, login, line):
    client = login(clerk)
    html = client.get(budget_url(township)).content.decode()
    assert budget_post(client, township, "21000", html=html).status_code == 302
    response = client.post(budget_url(township), {f"{WORKING}_budgeted": "22000", f"{WORKING}_allocated": "20000",
                                                   "form_token": hidden(html, "form_token")}, follow=True)
    assert "重复提交未再次保存" in response.content.decode()
    assert BudgetLine.objects.get(pk=line.pk).budgeted == D("21000.00")
    assert lines_history(township).count() == 2


def test_a_budget_far_from_last_years_asks_to_confirm(township, clerk, login, line):
    BudgetLineFactory(township=township, year=YEAR - 1, kind=WORKING, budgeted=D("20000"))
    BudgetLineFactory(township=township, year=YEAR - 1, kind=BudgetLine.Kind.PERSONNEL, budgeted=D("10000"))
    client = login(clerk)
    response = budget_post(client, township, "50000")  # total 30,000 → 50,000: +67%
    assert response.status_code == 200
    text = response.content.decode()
    assert "列入财政预算合计与2024年度相比变动超过30%" in text and "确认变动无误" in text
    assert BudgetLine.objects.get(pk=line.pk).budgeted == D("20000.00")
    assert budget_post(client, township, "50000", confirmed="on").status_code == 302
    assert BudgetLine.objects.get(pk=line.pk).budgeted == D("50000.00")
    # Within the threshold nothing is asked.
    assert budget_post(client, township, "35000").status_code == 302


def test_a_sheet_of_forty_assistants_saves_in_about_a_second(township, clerk, login):
    village = VillageFactory(township=township)
    people = [VillageAssistantFactory(village=village, start_date=date(2020, 1, 1)) for _ in range(40)]
    client = login(clerk)
    html = client.get(subsidies_url(township)).content.decode()
    data = {cell_name(p.pk, q): "180" for p in people for q in (1, 2, 3, 4)}
    data |= {"form_token": hidden(html, "form_token"), "read_version": hidden(html, "read_version")}
    started = time.perf_counter()
    assert client.post(subsidies_url(township), data).status_code == 302
    elapsed = time.perf_counter() - started
    assert AssistantSubsidyPayment.history.filter(assistant__village__township_id=township.pk).count() == 160
    assert elapsed < 3, f"160 cells took {elapsed:.2f}s"  # measured ~1 s on SQLite; generous for a busy machine
