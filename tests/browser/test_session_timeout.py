"""The idle warning in a real browser: it appears before the idle logout, 「继续使用」 extends, time up logs out.

The timeouts are shortened through the settings (the live server runs in this process) so that the test takes
seconds; nothing here measures time, the page's own timers do.
"""
import json

import pytest

from tests.factories.offices import CityFactory, CountyFactory, TownshipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qilin#Harbor-2718"


@pytest.fixture
def clerk():
    county = CountyFactory(city=CityFactory(code="371300000000"), code="371302000000")
    township = TownshipFactory(county=county, code="371302001000")
    return UserFactory(role="township", township=township, username="clerk371302", password=PASSWORD)


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/?next=/accounts/password/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.endswith("/accounts/password/"), page.url


def test_the_warning_appears_and_continue_extends_the_session(settings, live_server, page, clerk, console_errors):
    settings.WUYOU_SESSION_IDLE_MINUTES = 0.2  # 12 seconds
    settings.WUYOU_SESSION_WARNING_SECONDS = 10  # the warning comes 2 seconds after the page
    log_in(page, live_server, clerk)
    dialog = page.locator("#session-timeout")
    dialog.wait_for(state="visible")
    assert "即将因长时间未操作自动退出" in dialog.inner_text()
    assert 0 < int(dialog.locator("[data-session-countdown]").inner_text()) <= 10

    with page.expect_response(lambda r: r.url.endswith("/accounts/session/") and r.request.method == "POST") as info:
        dialog.get_by_role("button", name="继续使用").click()
    response = info.value
    assert response.status == 200
    # Extended: a whole idle period again, more than the warning lead.
    assert json.loads(response.text())["remaining_seconds"] > 10
    dialog.wait_for(state="hidden")
    assert "/accounts/password/" in page.url
    assert console_errors == []


def test_when_time_is_up_the_page_goes_to_the_login_page_and_says_why(settings, live_server, page, clerk,
                                                                       console_errors):
    settings.WUYOU_SESSION_IDLE_MINUTES = 0.05  # 3 seconds
    settings.WUYOU_SESSION_WARNING_SECONDS = 2
    log_in(page, live_server, clerk)
    page.locator("#session-timeout").wait_for(state="visible")
    page.wait_for_url("**/accounts/login/?next=%2Faccounts%2Fpassword%2F")
    assert "未操作，请重新登录。" in page.inner_text("main")
    # The session really is over: the page it came from asks for a login again.
    page.goto(f"{live_server.url}/accounts/password/")
    assert "/accounts/login/" in page.url
    assert console_errors == []
