"""In the browser: a clerk replaces a regulation and retires another; the page lists them, on a phone too.

Screenshots: screenshots/regulations-retired-phone.png and regulations-retired-desktop.png.
"""
import datetime
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import SCREENSHOTS, log_in
from tests.browser.test_phone_layout import DESKTOP, PHONE, overflow
from tests.factories.offices import StandardFactory, UserFactory
from tests.factories.regulations import PDF_BYTES, RegulationDocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-12345"


@pytest.fixture
def clerk_page(browser, live_server, township, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    StandardFactory()
    for kind in ("procedures", "finance", "archives"):
        RegulationDocumentFactory(township=township, kind=kind, adopted_on=datetime.date(2020, 1, 1),
                                  title=f"兰山街道{kind}制度（2020年版）")
    UserFactory(role="township", township=township, username="town371302001", password=PASSWORD)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, "town371302001", PASSWORD)
    yield page
    context.close()


def test_clerk_replaces_and_retires_and_sees_both_kept(clerk_page, live_server, township):
    page = clerk_page
    page.goto(live_server.url + reverse("regulations:list", args=[township.code]))
    page.locator("tr[data-kind=finance]").get_by_role("link", name="替换").click()
    page.fill("#id_title", "兰山街道民政资金财务收支管理办法（2024年修订）")
    page.fill("#id_adopted_on", "2024年6月30日")
    upload = Path(tempfile.mkdtemp()) / "财务收支管理办法.pdf"
    upload.write_bytes(PDF_BYTES)
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#retired-regulations")
    assert "原制度已保留并标为被替代" in page.inner_text("body")

    page.locator("tr[data-kind=archives]").get_by_role("link", name="废止").click()
    page.fill("#id_retired_on", "2025-03-01")
    page.fill("#id_reason", "上级文件已废止")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("tr[data-retired]:has-text('上级文件已废止')")

    retired = page.inner_text("#retired-regulations")
    assert "被替代" in retired and "2024-06-30" in retired and "已废止" in retired and "2025-03-01" in retired
    page.locator("#retired-regulations a[data-replacement]").click()
    assert page.url.endswith("#regulation-" + page.locator("#retired-regulations a[data-replacement]")
                             .get_attribute("data-replacement"))
    with page.expect_download() as download:
        page.locator("#retired-regulations tr[data-retired] a[href$='/download/']").first.click()
    assert Path(download.value.path()).read_bytes() == PDF_BYTES

    SCREENSHOTS.mkdir(exist_ok=True)
    for screen, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.goto(live_server.url + reverse("regulations:list", args=[township.code]) + "?year=2025")
        page.screenshot(path=str(SCREENSHOTS / f"regulations-retired-{screen}.png"), full_page=True)
        assert overflow(page) == "", screen
