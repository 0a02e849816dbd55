"""Sessions end after 30 idle minutes or 12 hours, and at browser close; the page warns and can extend."""
import json

import pytest
from django.conf import settings
from django.urls import reverse

from offices.accounts.sessions import ACTIVE_KEY, LOGIN_KEY, now_seconds
from tests.accounts.conftest import ADDRESS, STRONG_PASSWORD

IDLE_MESSAGE = "您已超过30分钟未操作，请重新登录。"
LIFETIME_MESSAGE = "您本次登录已超过12小时，请重新登录。"


@pytest.fixture
def township_page(township):
    return reverse("offices:township", args=[township.code])


@pytest.fixture
def signed_in(client, clerk):
    client.force_login(clerk)
    return client


def shift(client, **seconds_ago):
    """Move the session's stamps back in time: {"login": s, "active": s}."""
    session = client.session
    now = now_seconds()
    for key, name in ((LOGIN_KEY, "login"), (ACTIVE_KEY, "active")):
        if name in seconds_ago:
            session[key] = now - seconds_ago[name]
    session.save()


def test_settings():
    assert settings.WUYOU_SESSION_IDLE_MINUTES == 30 and settings.WUYOU_SESSION_MAX_HOURS == 12
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_login_stamps_the_session_and_its_cookie_ends_with_the_browser(clerk, client):
    clerk.set_password(STRONG_PASSWORD)
    clerk.save()
    response = client.post(reverse("login"), {"username": clerk.username, "password": STRONG_PASSWORD},
                           REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    assert client.session[LOGIN_KEY] == client.session[ACTIVE_KEY]
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_a_request_counts_as_activity(signed_in, township_page):
    shift(signed_in, login=600, active=600)
    assert signed_in.get(township_page).status_code == 200
    assert now_seconds() - signed_in.session[ACTIVE_KEY] < 60
    assert now_seconds() - signed_in.session[LOGIN_KEY] >= 600


def test_29_idle_minutes_are_fine(signed_in, township_page):
    shift(signed_in, active=29 * 60)
    assert signed_in.get(township_page).status_code == 200


def test_idle_logout_after_30_minutes(signed_in, township_page):
    shift(signed_in, active=30 * 60 + 5)
    response = signed_in.get(township_page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={township_page}"
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response["Location"]).content.decode()
    assert IDLE_MESSAGE in page


def test_logout_after_12_hours_however_active(signed_in, township_page):
    shift(signed_in, login=12 * 3600 + 5, active=10)
    response = signed_in.get(township_page)
    assert response.status_code == 302 and "_auth_user_id" not in signed_in.session
    assert LIFETIME_MESSAGE in signed_in.get(response["Location"]).content.decode()


def test_the_limits_are_settings(settings, signed_in, township_page):
    settings.WUYOU_SESSION_IDLE_MINUTES = 5
    shift(signed_in, active=5 * 60 + 5)
    response = signed_in.get(township_page)
    assert "您已超过5分钟未操作，请重新登录。" in signed_in.get(response["Location"]).content.decode()


def test_a_session_from_before_the_stamps_starts_now(signed_in, township_page):
    session = signed_in.session
    del session[LOGIN_KEY], session[ACTIVE_KEY]
    session.save()
    assert signed_in.get(township_page).status_code == 200
    assert LOGIN_KEY in signed_in.session and ACTIVE_KEY in signed_in.session


def test_htmx_requests_are_sent_to_the_login_page_whole(signed_in, township_page):
    shift(signed_in, active=31 * 60)
    response = signed_in.get(township_page, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/x/")
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/x/"


# The keep-alive endpoint -----------------------------------------------------------------------------------


def remaining(response):
    assert response.status_code == 200, response
    return json.loads(response.content)["remaining_seconds"]


def test_asking_does_not_count_as_activity(signed_in):
    shift(signed_in, active=600)
    left = remaining(signed_in.get(reverse("session")))
    assert 30 * 60 - 600 - 60 < left <= 30 * 60 - 600
    assert now_seconds() - signed_in.session[ACTIVE_KEY] >= 600


def test_continuing_extends_the_session(signed_in, township_page):
    shift(signed_in, active=29 * 60)
    left = remaining(signed_in.post(reverse("session")))
    assert 30 * 60 - 60 < left <= 30 * 60
    shift(signed_in, active=29 * 60)  # another 29 minutes: still within the (new) idle timeout
    assert signed_in.get(township_page).status_code == 200


def test_continuing_cannot_pass_the_absolute_lifetime(signed_in):
    shift(signed_in, login=12 * 3600 - 100, active=0)
    assert remaining(signed_in.post(reverse("session"))) <= 100


def test_asking_after_the_end_answers_that_it_ended_and_logs_out(signed_in):
    shift(signed_in, active=31 * 60)
    response = signed_in.get(reverse("session"))
    assert response.status_code == 200 and json.loads(response.content) == {"remaining_seconds": 0, "ended": "idle"}
    assert "_auth_user_id" not in signed_in.session
    assert IDLE_MESSAGE in signed_in.get(reverse("login")).content.decode()


def test_anonymous_asking_is_sent_to_login(client, db):
    response = client.get(reverse("session"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_every_account_may_ask(client, superuser):
    staff = type(superuser).objects.create_user("auditor", password=STRONG_PASSWORD, is_staff=True)
    client.force_login(staff)
    assert remaining(client.get(reverse("session"))) > 0


# The warning on the page -----------------------------------------------------------------------------------


def test_pages_carry_the_warning_for_a_signed_in_user(signed_in, township_page):
    page = signed_in.get(township_page).content.decode()
    assert 'id="session-timeout"' in page and "js/session-timeout.js" in page
    assert 'data-warning-seconds="120"' in page and f'data-session-url="{reverse("session")}"' in page
    assert "即将因长时间未操作自动退出" in page and "继续使用" in page
    remaining_attr = float(page.split('data-remaining-seconds="')[1].split('"')[0])
    assert 30 * 60 - 60 < remaining_attr <= 30 * 60


def test_the_login_page_has_no_warning(client, db):
    assert 'id="session-timeout"' not in client.get(reverse("login")).content.decode()


def test_requests_close_together_write_the_session_once(signed_in, township_page, django_assert_max_num_queries):
    """Activity is recorded at most once a minute: the pages' pinned query counts include no session write."""
    shift(signed_in, active=30)
    before = signed_in.session[ACTIVE_KEY]
    with django_assert_max_num_queries(50) as captured:
        signed_in.get(township_page)
    assert not [query for query in captured.captured_queries if query["sql"].startswith("UPDATE")]
    assert signed_in.session[ACTIVE_KEY] == before
    shift(signed_in, active=61)
    signed_in.get(township_page)
    assert now_seconds() - signed_in.session[ACTIVE_KEY] < 60
