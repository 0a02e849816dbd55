"""Every change is recorded with who, when, where and before/after; a stale form or a second click writes nothing."""
import re
import uuid

import pytest
from django.urls import reverse

from offices.models import Population, TownshipOffice
from tests.factories.offices import PopulationFactory, TownshipFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def township():
    return TownshipFactory(code="371302001000", county__code="371302000000", county__city__code="371300000000")


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the form"
    return match.group(1)


def post_population(client, township, resident, *, token=None, version=None, address="10.1.2.3"):
    data = {"year": YEAR, "resident": resident, "registered": resident, "confirmed": "on",
            "form_token": token or str(uuid.uuid4())}
    if version is not None:
        data["read_version"] = version
    return client.post(reverse("offices:population_edit", args=[township.code]), data, REMOTE_ADDR=address)


def test_a_save_records_who_when_where_and_before_after(client, township):
    clerk = UserFactory(role="township", township=township, first_name="小", last_name="王")
    PopulationFactory(township=township, year=YEAR, resident=60_000)
    client.force_login(clerk)
    assert post_population(client, township, "76550").status_code == 302
    row = Population.history.filter(township_id=township.pk).latest("history_id")
    assert (row.history_type, row.history_user_id, row.history_address, row.resident) == ("~", clerk.pk, "10.1.2.3",
                                                                                         76_550)
    assert row.prev_record.resident == 60_000
    change = row.diff_against(row.prev_record).changes
    assert [(c.field, c.old, c.new) for c in change if c.field == "resident"] == [("resident", 60_000, 76_550)]


def test_a_stale_form_is_refused_with_the_other_persons_change(client, township):
    first = UserFactory(role="township", township=township, username="first", first_name="一", last_name="张")
    second = UserFactory(role="township", township=township, username="second")
    PopulationFactory(township=township, year=YEAR, resident=60_000)
    url = reverse("offices:population_edit", args=[township.code])
    client.force_login(second)
    stale = client.get(url).content.decode()
    version = hidden(stale, "read_version")
    client.force_login(first)
    fresh = hidden(client.get(url).content.decode(), "read_version")
    assert post_population(client, township, "61000", version=fresh).status_code == 302
    client.force_login(second)
    response = post_population(client, township, "62000", version=version)
    assert response.status_code == 200
    text = response.content.decode()
    assert "他人已修改" in text and "张一" in text and "常住人口：60,000 → 61,000" in text
    assert Population.objects.get(township=township, year=YEAR).resident == 61_000


def test_a_form_sent_twice_saves_once(client, township):
    clerk = UserFactory(role="township", township=township)
    client.force_login(clerk)
    token = hidden(client.get(reverse("offices:office_edit", args=[township.code])).content.decode(), "form_token")
    data = {"name": f"{township.name}民政办公室", "setup": "standalone", "form_token": token}
    url = reverse("offices:office_edit", args=[township.code])
    assert client.post(url, data).status_code == 302
    data["name"] = "重复提交"
    response = client.post(url, data, follow=True)
    assert "重复提交未再次保存" in response.content.decode()
    assert TownshipOffice.objects.get(township=township).name == f"{township.name}民政办公室"
    assert TownshipOffice.history.filter(township_id=township.pk).count() == 1


def test_history_rows_cannot_be_rewritten_or_deleted(township):
    from django.core.exceptions import PermissionDenied

    PopulationFactory(township=township, year=YEAR)
    row = Population.history.get(township_id=township.pk)
    row.resident = 1
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()


def test_after_a_conflict_the_form_offers_the_new_version_so_a_second_save_is_deliberate(client, township):
    clerk = UserFactory(role="township", township=township)
    PopulationFactory(township=township, year=YEAR, resident=60_000)
    client.force_login(clerk)
    url = reverse("offices:population_edit", args=[township.code])
    stale = hidden(client.get(url).content.decode(), "read_version")
    assert post_population(client, township, "61000", version=stale).status_code == 302
    refused = post_population(client, township, "62000", version=stale)
    assert "他人已修改" in refused.content.decode()
    fresh = hidden(refused.content.decode(), "read_version")
    assert fresh != stale
    assert post_population(client, township, "62000", version=fresh).status_code == 302
    assert Population.objects.get(township=township, year=YEAR).resident == 62_000


def test_a_record_page_links_to_its_history(client, township):
    from tests.factories.staffing import StaffMemberFactory

    clerk = UserFactory(role="township", township=township)
    staff = StaffMemberFactory(township=township)
    client.force_login(clerk)
    page = client.get(reverse("staffing:staff_edit", args=[township.code, staff.pk])).content.decode()
    link = f'{reverse("offices:history", args=[township.code])}?record=staffing.staffmember:{staff.pk}'
    assert f'href="{link}"' in page
    # A new record has no history yet: no link.
    assert 'data-testid="record-history"' not in client.get(
        reverse("staffing:staff_add", args=[township.code])).content.decode()


def test_the_township_page_shows_the_years_timeline(client, township):
    from offices import reporting

    clerk = UserFactory(role="township", township=township, first_name="小", last_name="王")
    county = UserFactory(role="county", county=township.county)
    PopulationFactory(township=township, year=YEAR)
    report = reporting.report_submit(township=township, year=YEAR, statement="自查完毕", user=clerk)
    reporting.report_return(report=report, reason="人口与公报不一致", user=county)
    client.force_login(clerk)
    response = client.get(reverse("offices:township", args=[township.code]) + f"?year={YEAR}")
    page = response.content.decode()
    timeline = page[page.index('data-testid="report-timeline"'):]
    assert "县级退回" in timeline and "人口与公报不一致" in timeline and "王小" in timeline
    assert timeline.index("<strong>县级退回</strong>") < timeline.index("<strong>报送</strong>")  # newest first
