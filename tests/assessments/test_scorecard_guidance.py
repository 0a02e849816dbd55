"""The scorecard guides each role: a summary of failing rules, 去整改 only where the viewer can act, and a round trip
from 去整改 through the form back to the scorecard with what changed."""
import datetime
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from offices.compliance import Actor, Status, store
from offices.pages import acting_actors
from staffing.models import AuthorizedPosts
from tests.factories.offices import PopulationFactory, StandardFactory, UserFactory
from tests.factories.staffing import AuthorizedPostsFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def failing_township(township):
    """A township of 60,000 people with one authorized post and an untrained director: rules of both levels fail."""
    StandardFactory()
    PopulationFactory(township=township, year=YEAR, resident=60_000)
    AuthorizedPostsFactory(township=township, year=YEAR, posts=1)
    StaffMemberFactory(township=township, name="张主任", director=True, start_date=datetime.date(2020, 3, 1))
    return township


def scorecard_url(township):
    return f"{reverse('assessments:scorecard', args=[township.code])}?year={YEAR}"


def card_of(township):
    return store.stored_township(township, YEAR)


def test_summary_counts_assessed_rules_and_links_each_failing_one(failing_township, clerk, login):
    card = card_of(failing_township)
    assessed = [r for r in card.results if r.status != Status.NOT_ASSESSED]
    failing = [r for r in card.results if r.status == Status.FAIL]
    assert failing and len(assessed) < len(card.results)  # some rules fail, and the standard leaves some out

    page = login(clerk).get(scorecard_url(failing_township)).content.decode()

    assert f"{len(assessed)}项中{len(failing)}项未达标" in page
    assert f"另有{len(card.results) - len(assessed)}项不评估" in page
    for result in failing:
        assert f'href="#rule-{result.code}"' in page
        assert f'id="rule-{result.code}"' in page
    passing = next(r for r in card.results if r.status == Status.PASS)
    assert f'href="#rule-{passing.code}"' not in page


def _row(page, code):
    start = page.index(f'data-rule="{code}"')
    return page[start:page.index("</tr>", start)]


def test_fix_link_only_for_the_role_that_fixes_the_finding(failing_township, clerk, county_official, city_staff,
                                                           login):
    card = card_of(failing_township)
    by_actor = {actor: [r for r in card.findings if r.fixed_by == actor] for actor in Actor.values}
    assert by_actor[Actor.TOWNSHIP] and by_actor[Actor.COUNTY]  # the township fixes some; the county trains

    for user, own in ((clerk, Actor.TOWNSHIP), (county_official, Actor.COUNTY), (city_staff, Actor.CITY)):
        assert acting_actors(user, failing_township) == {own}
        page = login(user).get(scorecard_url(failing_township)).content.decode()
        for result in card.findings:
            row = _row(page, result.code)
            if result.fixed_by == own:
                assert "去整改" in row and "next=" in row, (user.role, result.code)
                assert 'data-testid="who-acts"' not in row
            else:
                assert "去整改" not in row, (user.role, result.code)
                assert 'data-testid="who-acts"' in row
    clerk_page = login(clerk).get(scorecard_url(failing_township)).content.decode()
    training = next(r for r in by_actor[Actor.COUNTY] if r.dimension == "training")
    assert "需县级民政部门组织培训" in _row(clerk_page, training.code)
    county_page = login(county_official).get(scorecard_url(failing_township)).content.decode()
    assert "需乡镇民政办处理" in _row(county_page, "staffing.posts_authorized")


def test_county_official_of_another_county_acts_on_nothing(failing_township, other_county):
    outsider = UserFactory(role="county", county=other_county)
    assert acting_actors(outsider, failing_township) == set()


def test_fix_round_trip_returns_to_the_scorecard_and_says_what_changed(failing_township, clerk, login):
    client = login(clerk)
    back = scorecard_url(failing_township)
    before = card_of(failing_township).result("staffing.posts_authorized")
    assert before.failed
    page = client.get(back).content.decode()
    fix = f'{reverse("staffing:posts_edit", args=[failing_township.code])}?year={YEAR}&next={quote(back, safe="")}'
    assert fix.replace("&", "&amp;") in page
    assert f'value="{YEAR}"' in client.get(fix).content.decode()  # the form opens on the scorecard's year

    response = client.post(fix, {"year": YEAR, "posts": before.required})

    assert response.status_code == 302 and response.url == back
    assert AuthorizedPosts.objects.get(township=failing_township, year=YEAR).posts == before.required
    assert card_of(failing_township).result("staffing.posts_authorized").passed
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"编制数：缺{before.gap}人 → 达标" in message
    assert "主任选聘" not in message  # rules that did not change are not listed

    # Saving the same figure again changes nothing, and says so.
    response = client.post(fix, {"year": YEAR, "posts": before.required})
    assert response.url == back
    assert "达标情况未变化" in " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_off_site_next_is_ignored(failing_township, clerk, login, next_url):
    client = login(clerk)
    url = reverse("staffing:posts_edit", args=[failing_township.code])
    response = client.post(f"{url}?next={quote(next_url, safe='')}", {"year": YEAR, "posts": 3})
    assert response.status_code == 302 and response.url == url  # form_page's own next_url
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "达标情况" not in messages


def test_without_next_form_page_keeps_its_own_redirect_and_message(failing_township, clerk, login):
    url = reverse("staffing:posts_edit", args=[failing_township.code])
    response = login(clerk).post(url, {"year": YEAR, "posts": 3})
    assert response.url == url
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已保存编制数。"]
