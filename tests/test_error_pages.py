"""403, 404 and 500 answer in the site's layout, Chinese first, with the message the view raised.

The test settings run with DEBUG False, so the client gets the pages a user would see. This module is
also the URLconf of its tests (pytest.mark.urls): the project's patterns plus one view that fails.
"""
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path, reverse

from config import urls as project_urls
from offices.scoping import public
from tests.factories.offices import TownshipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CJK = re.compile(r"[\u4e00-\u9fff]")


@public
def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("test-only/failing/", failing_view), *project_urls.urlpatterns]
handler403, handler404 = project_urls.handler403, project_urls.handler404


def error_card(html):
    """The text of the error card (the page's own words, not the menu or the footer)."""
    match = re.search(r'data-testid="error-page">(.*?)</div></div></div>', html, re.S)
    assert match, html
    return re.sub(r"<[^>]+>", " ", match.group(1))


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_404_in_layout_with_the_views_message(login, clerk, other_county):
    elsewhere = TownshipFactory(county=other_county)
    response = login(clerk).get(reverse("offices:township", args=[elsewhere.code]))
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="navbar' in html and "本乡镇信息" in html  # base.html's menu, for this user
    card = error_card(html)
    assert "页面不存在" in card and "未找到该乡镇，或您无权查看。" in card
    assert f'href="{reverse("home")}"' in html


def test_404_without_a_message_of_its_own(client, login, clerk):
    # An unknown address (Resolver404) and get_object_or_404's English message are not shown.
    for response in (client.get("/no-such-page/"),
                     login(clerk).get(reverse("facilities:room_edit", args=[clerk.township.code, 10**9]))):
        assert response.status_code == 404
        card = error_card(response.content.decode())
        assert "您要打开的页面不存在" in card
        assert "Resolver404" not in card and "matches the given query" not in card and "Http404" not in card


def test_403_in_layout_with_the_views_message(login, clerk, city):
    response = login(clerk).get(reverse("assessments:dashboard", args=[city.code]))
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="navbar' in html and "本乡镇信息" in html
    card = error_card(html)
    assert "无权访问" in card and "您的角色无权访问该页面。" in card
    assert f'href="{reverse("home")}"' in html


def test_500_is_chinese_and_needs_no_request(client):
    client.raise_request_exception = False
    response = client.get("/test-only/failing/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="navbar' in html
    card = error_card(html)
    assert "系统出错" in card and "返回首页" in card
    assert "a bug" not in html and "RuntimeError" not in html


def test_error_pages_in_english(client, login, clerk, city, other_county):
    elsewhere = TownshipFactory(county=other_county)
    client = in_english(login(clerk))
    not_found = client.get(reverse("offices:township", args=[elsewhere.code]))
    refused = client.get(reverse("assessments:dashboard", args=[city.code]))
    unknown = client.get("/no-such-page/")
    client.raise_request_exception = False
    failed = client.get("/test-only/failing/")
    for response, status, words in (
        (not_found, 404, "Township not found, or you are not allowed to view it."),
        (refused, 403, "Your role is not allowed to access this page."),
        (unknown, 404, "Page not found"),
        (failed, 500, "Something went wrong"),
    ):
        assert response.status_code == status
        html = response.content.decode()
        assert '<html lang="en">' in html
        card = error_card(html)
        assert words in card and "Back to the home page" in card
        assert not CJK.search(card), card


def test_csrf_failure_keeps_its_own_page(clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期，未能提交" in html
    assert 'data-testid="error-page"' not in html
