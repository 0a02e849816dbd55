"""The second-factor pages in Chromium under the real Content-Security-Policy: enrol, then sign in with a code."""
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import log_in
from tests.factories.offices import CityFactory, UserFactory
from tests.security.conftest import PASSWORD, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def test_enrolment_and_code_pages_under_the_policy(live_server, browser, settings):
    settings.WUYOU_2FA_REQUIRED_FOR = ["city"]
    city = CityFactory(code="371300000000", name="临沂市")
    user = UserFactory(username="city3713", role="city", city=city, password=PASSWORD)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.add_init_script(WATCH_VIOLATIONS)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    try:
        log_in(page, live_server.url, "city3713", PASSWORD)
        assert "/accounts/otp/enrol/" in page.url
        # The QR code is a data: image, which the policy allows: it is drawn.
        assert page.eval_on_selector("img[src^='data:image/svg+xml']", "img => img.complete && img.naturalWidth > 0")
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        page.fill("#id_token", totp_code(device))
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert "/accounts/otp/recovery-codes/" in page.url
        assert page.locator("main li.font-monospace, main ul.font-monospace li").count() == 10
        with page.expect_navigation():
            page.click("main a.btn-danger")
        assert "/dashboard/" in page.url

        # A new session: the code page, then the dashboard.
        page.context.clear_cookies()
        log_in(page, live_server.url, "city3713", PASSWORD)
        assert "/accounts/otp/" in page.url
        page.fill("#id_token", totp_code(device, steps_ahead=1))
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "/dashboard/" in page.url
    finally:
        context.close()
    assert not problems, problems
